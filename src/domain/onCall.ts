/**
 * Seed 000 staffing 9: "a clinician licensed at the independent practice level is available during normal
 * business hours for consultation, as well as during all hours in which any Family Partners provide services
 * to parents/caregivers including evenings and weekends." The on-call roster is each licensed clinician's
 * weekly hours; a contact a Family Partner delivered when nobody was on call is shown to the supervisor.
 * Pure: wall-clock times in the agency's time zone.
 */
import type { Weekday } from './calendar';
import { civilFromIso, wallClockOf, weekday } from './calendar';
import type { Contact } from './model';

/** One weekly stretch of on-call hours: these weekdays, from `start` to `end` (HH:MM, end may be 24:00). */
export interface OnCallHours {
  /** Weekdays, 0 = Sunday. */
  days: Weekday[];
  start: string;
  end: string;
}

export interface OnCallClinician {
  /** `Practitioner/…`. */
  reference: string;
  name: string;
  hours: OnCallHours[];
  /**
   * Their licence "at the independent practice level" (staffing 9), when on record: its expiry (YYYY-MM-DD), if
   * any. A clinician without one on record, or past its expiry, covers no hour.
   */
  licence?: { end?: string };
}

/** Whether the clinician held a licence at the independent practice level on this day (YYYY-MM-DD). */
export function licensedOn(c: Pick<OnCallClinician, 'licence'>, day: string): boolean {
  return c.licence !== undefined && (!c.licence.end || c.licence.end >= day);
}

/**
 * "Normal business hours" (staffing 9) when the agency sets none (config.json `businessHours`): Monday to Friday,
 * 09:00 to 17:00, in the agency's time zone. Reading: the seed names no hours; these are the common ones.
 */
export const DEFAULT_BUSINESS_HOURS: readonly OnCallHours[] = [
  { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
];

export const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * What is wrong with a stretch of hours, in words; empty when it can be kept. An end of 00:00 is midnight at
 * the end of the day (a time field cannot say 24:00): the hint, these messages and the check say the same.
 */
export function onCallHoursProblems(h: { days: readonly number[]; start: string; end: string }): {
  field: 'days' | 'start' | 'end';
  message: string;
}[] {
  const problems: { field: 'days' | 'start' | 'end'; message: string }[] = [];
  const end = h.end === '00:00' ? '24:00' : h.end;
  if (h.days.length === 0) problems.push({ field: 'days', message: 'Choose at least one day.' });
  if (!TIME.test(h.start)) problems.push({ field: 'start', message: 'Enter the start as HH:MM.' });
  if (!TIME.test(end))
    problems.push({ field: 'end', message: 'Enter the end as HH:MM (an end of 00:00 means midnight).' });
  else if (TIME.test(h.start) && minutesOf(end) <= minutesOf(h.start))
    problems.push({
      field: 'end',
      message:
        'The end must be after the start; split an overnight shift at midnight (… to 00:00, then 00:00 to …).',
    });
  return problems;
}

/** "Mon–Fri 08:00–18:00", "Sat, Sun 09:00–13:00". */
export function hoursLabel(h: OnCallHours): string {
  const days = [...h.days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  const run =
    days.length > 2 && days.every((d, i) => i === 0 || d === (days[i - 1] + 1) % 7)
      ? `${WEEKDAY_SHORT[days[0]]}–${WEEKDAY_SHORT[days[days.length - 1]]}`
      : days.map((d) => WEEKDAY_SHORT[d]).join(', ');
  return `${run} ${h.start}–${h.end}`;
}

/**
 * The clinicians on call at a wall-clock minute (weekday, minutes since midnight) who were licensed at the
 * independent practice level on `date` (YYYY-MM-DD).
 */
function onCallAtMinute(
  roster: readonly OnCallClinician[],
  day: Weekday,
  minute: number,
  date: string,
): OnCallClinician[] {
  return roster.filter(
    (c) =>
      licensedOn(c, date) &&
      c.hours.some((h) => h.days.includes(day) && minutesOf(h.start) <= minute && minute < minutesOf(h.end)),
  );
}

/** The clinicians on call at an instant, in the agency's time zone. */
export function onCallAt(
  roster: readonly OnCallClinician[],
  instant: Date,
  timeZone: string,
): OnCallClinician[] {
  const wall = wallClockOf(instant, timeZone);
  const date = wall.slice(0, 10);
  return onCallAtMinute(roster, weekday(civilFromIso(date)), minutesOf(wall.slice(11, 16)), date);
}

const STEP_MINUTES = 5;

/**
 * Whether a licensed clinician was on call through the whole of a contact: its start, its end and every five
 * minutes between (a shift change mid-session is covered when the next shift begins on time).
 */
export function coveredThroughout(
  roster: readonly OnCallClinician[],
  start: string,
  minutes: number,
  timeZone: string,
): boolean {
  const from = Date.parse(start);
  if (Number.isNaN(from)) return true;
  const last = Math.max(0, minutes - 1);
  for (let m = 0; m <= last; m += STEP_MINUTES)
    if (onCallAt(roster, new Date(from + m * 60_000), timeZone).length === 0) return false;
  return onCallAt(roster, new Date(from + last * 60_000), timeZone).length > 0;
}

/**
 * Services a Family Partner delivered to a caregiver while no licensed clinician was on call: completed
 * caregiver contacts (staffing 9 is about the hours Family Partners "provide services to parents/caregivers").
 */
export function contactsWithoutOnCall(
  contacts: readonly Contact[],
  roster: readonly OnCallClinician[],
  timeZone: string,
): Contact[] {
  return contacts.filter(
    (c) =>
      c.kind === 'caregiver' &&
      c.status === 'completed' &&
      !coveredThroughout(roster, c.sent, c.durationMinutes ?? 1, timeZone),
  );
}

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * Staffing 9's first half, "available during normal business hours for consultation": the stretches of the
 * agency's business hours in which no clinician licensed at the independent practice level (on `date`,
 * YYYY-MM-DD: the roster as it stands today) is on call, by weekday, the same stretch on several days merged.
 */
export function businessHoursGaps(
  roster: readonly OnCallClinician[],
  business: readonly OnCallHours[],
  date: string,
): OnCallHours[] {
  const gaps: OnCallHours[] = [];
  for (const day of [1, 2, 3, 4, 5, 6, 0] as Weekday[]) {
    const open = business.filter((b) => b.days.includes(day));
    let from: number | undefined;
    for (let m = 0; m <= 24 * 60; m += STEP_MINUTES) {
      const inHours = m < 24 * 60 && open.some((b) => minutesOf(b.start) <= m && m < minutesOf(b.end));
      const uncovered = inHours && onCallAtMinute(roster, day, m, date).length === 0;
      if (uncovered && from === undefined) from = m;
      if (!uncovered && from !== undefined) {
        const stretch = { start: hhmm(from), end: hhmm(m) };
        const same = gaps.find((g) => g.start === stretch.start && g.end === stretch.end);
        if (same) same.days.push(day);
        else gaps.push({ days: [day], ...stretch });
        from = undefined;
      }
    }
  }
  return gaps;
}
