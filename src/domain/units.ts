/**
 * H2014 is billed per 15 minutes. Rounding rule implemented: each completed contact's minutes become
 * whole 15-minute units, and a remainder of 8 minutes or more (more than half a unit) counts as one more
 * unit — the "8-minute rule" for time-based 15-minute codes (CMS Medicare Claims Processing Manual,
 * Chapter 5, §20.2), which most state Medicaid manuals apply to H-codes. Units are computed per contact
 * (each contact is a service line) and then summed per calendar month, in the provider's time zone.
 * Attempts (not-done), contacts without a duration and durations outside 1–480 minutes earn no units.
 */
import type { CalendarConfig } from './calendar';
import { civilDateOf, civilToIso } from './calendar';
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
