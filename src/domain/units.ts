/**
 * H2014 is billed per 15 minutes. Rounding rule implemented: each completed contact's minutes become
 * whole 15-minute units, and a remainder of 8 minutes or more (more than half a unit) counts as one more
 * unit — the "8-minute rule" for time-based 15-minute codes (CMS Medicare Claims Processing Manual,
 * Chapter 5, §20.2), which most state Medicaid manuals apply to H-codes. Units are computed per contact
 * (each contact is a service line) and then summed per calendar month, in the provider's time zone.
 * Attempts (not-done), contacts without a duration and durations outside 1–480 minutes earn no units.
 */
import type { CalendarConfig } from './calendar';
import { civilDateOf, civilFromIso, civilToIso, weekStart } from './calendar';
import type { Contact } from './model';

export const MINUTES_PER_UNIT = 15;
/** A contact lasts 1 to 480 minutes (a working day); anything else is a data error, never billed. */
export const CONTACT_MINUTES = { min: 1, max: 480 } as const;

/** Why a contact's recorded duration cannot be billed, or undefined when it can (or it has none). */
export function durationProblem(c: Pick<Contact, 'durationMinutes' | 'status'>): string | undefined {
  const m = c.durationMinutes;
  if (m === undefined || c.status !== 'completed') return undefined;
  if (!Number.isFinite(m) || m < CONTACT_MINUTES.min || m > CONTACT_MINUTES.max)
    return `has a duration of ${m} minutes (allowed ${CONTACT_MINUTES.min}–${CONTACT_MINUTES.max}): not billed`;
  return undefined;
}
export const MIN_MINUTES_FOR_PARTIAL_UNIT = 8;

export function unitsForMinutes(minutes: number | undefined): number {
  if (!minutes || minutes <= 0 || !Number.isFinite(minutes)) return 0;
  const whole = Math.floor(minutes / MINUTES_PER_UNIT);
  const rest = minutes - whole * MINUTES_PER_UNIT;
  return whole + (rest >= MIN_MINUTES_FOR_PARTIAL_UNIT ? 1 : 0);
}

export interface MonthUnits {
  /** YYYY-MM */
  month: string;
  units: number;
  minutes: number;
  contacts: number;
}

/** Units per month for one family's contacts, oldest month first. */
export function unitsByMonth(
  contacts: readonly Contact[],
  cal: Pick<CalendarConfig, 'timeZone'>,
): MonthUnits[] {
  const byMonth = new Map<string, MonthUnits>();
  for (const c of contacts) {
    if (c.status !== 'completed' || durationProblem(c)) continue;
    const units = unitsForMinutes(c.durationMinutes);
    if (units === 0) continue;
    const month = civilToIso(civilDateOf(c.sent, cal.timeZone)).slice(0, 7);
    const row = byMonth.get(month) ?? { month, units: 0, minutes: 0, contacts: 0 };
    row.units += units;
    row.minutes += c.durationMinutes ?? 0;
    row.contacts += 1;
    byMonth.set(month, row);
  }
  return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/**
 * Seed 004 II (intensity) and seed 000 process 2–3 (hours per week or month): the hours delivered — completed
 * contacts' billed units × 15 minutes — against the service plan's planned hours, over the last four complete
 * weeks (a plan in hours per week) or the last complete month (per month), counted from the plan's start.
 * Undefined until a complete period lies after the start.
 */
export interface Intensity {
  planned: { amount: number; per: 'week' | 'month' };
  /** Hours delivered per week (mean over the weeks) or in the month. */
  delivered: number;
  /** The days counted (YYYY-MM-DD, inclusive). */
  from: string;
  to: string;
  /** below: under three quarters of the plan; above: over a quarter more than the plan. */
  status: 'below' | 'as-planned' | 'above';
}

export function intensity(
  plan: { hours: { amount: number; per: 'week' | 'month' }; start: string },
  contacts: readonly Contact[],
  now: Date,
  cal: Pick<CalendarConfig, 'timeZone' | 'weekStartsOn'>,
): Intensity | undefined {
  const today = civilDateOf(now, cal.timeZone);
  const start = civilFromIso(plan.start);
  let from: number;
  let to: number;
  let periods: number;
  if (plan.hours.per === 'week') {
    const thisWeek = weekStart(today, cal.weekStartsOn);
    const firstFull =
      weekStart(start, cal.weekStartsOn) + (weekStart(start, cal.weekStartsOn) < start ? 7 : 0);
    periods = Math.min(4, Math.floor((thisWeek - firstFull) / 7));
    if (periods < 1) return undefined;
    from = thisWeek - periods * 7;
    to = thisWeek - 1;
  } else {
    const iso = civilToIso(today);
    const firstOfThisMonth = civilFromIso(`${iso.slice(0, 7)}-01`);
    to = firstOfThisMonth - 1;
    from = civilFromIso(`${civilToIso(to).slice(0, 7)}-01`);
    periods = 1;
    if (from < start) return undefined;
  }
  let minutes = 0;
  for (const c of contacts) {
    if (c.status !== 'completed' || durationProblem(c)) continue;
    const day = civilDateOf(c.sent, cal.timeZone);
    if (day >= from && day <= to) minutes += unitsForMinutes(c.durationMinutes) * MINUTES_PER_UNIT;
  }
  const delivered = minutes / 60 / periods;
  const ratio = plan.hours.amount > 0 ? delivered / plan.hours.amount : 1;
  return {
    planned: plan.hours,
    delivered,
    from: civilToIso(from),
    to: civilToIso(to),
    status: ratio < 0.75 ? 'below' : ratio > 1.25 ? 'above' : 'as-planned',
  };
}
