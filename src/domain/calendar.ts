/**
 * The provider's calendar: civil dates in the provider's time zone, weeks, business days and holidays.
 *
 * A civil date is an integer day number (days since 1970-01-01). Once an instant is turned into the
 * civil date it fell on in the provider's time zone (the only time-zone step, done by @date-fns/tz,
 * which knows DST), date arithmetic is adding whole days: DST changes and year ends cannot shift it.
 */
import { tzOffset } from '@date-fns/tz';
import { isUsMaHoliday } from './holidays';

export type CivilDate = number;
/** 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface CalendarConfig {
  timeZone: string;
  weekStartsOn: Weekday;
  /** Holiday calendar: 'US-MA' (US federal + Massachusetts state holidays) or 'none'. */
  holidayCalendar: 'US-MA' | 'none';
  /** Extra provider closure days, ISO YYYY-MM-DD. */
  extraHolidays: readonly string[];
}

export const DEFAULT_CALENDAR: CalendarConfig = {
  timeZone: 'America/New_York',
  weekStartsOn: 0,
  holidayCalendar: 'US-MA',
  extraHolidays: [],
};

const MS_PER_DAY = 86_400_000;

export function civilFromIso(date: string): CivilDate {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

/** Formatting a date is the slow part of the weekly grid; days repeat across families, so cache them. */
const isoCache = new Map<CivilDate, string>();

export function civilToIso(day: CivilDate): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (isoCache.size > 100_000) isoCache.clear();
    isoCache.set(day, iso);
  }
  return iso;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 28, 2026": a past day in a sentence, the same words the screens' dates use (src/ui/format.ts). */
export function civilDateText(day: CivilDate): string {
  const d = new Date(day * MS_PER_DAY);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/** "Sat Nov 28": a day named the way a deadline is said. */
export function civilLabel(day: CivilDate): string {
  const d = new Date(day * MS_PER_DAY);
  return `${DAY_NAMES[d.getUTCDay()]} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

export function weekday(day: CivilDate): Weekday {
  return new Date(day * MS_PER_DAY).getUTCDay() as Weekday;
}

/**
 * The offset is looked up once per UTC hour and time zone: the hot path (thousands of contacts)
 * then costs a Map lookup; DST transitions happen on the hour, so an hour never straddles two offsets
 * in the time zones we serve.
 */
const offsetCache = new Map<string, Map<number, number>>();

function offsetMinutes(timeZone: string, ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let byHour = offsetCache.get(timeZone);
  if (!byHour) {
    byHour = new Map();
    offsetCache.set(timeZone, byHour);
  }
  let offset = byHour.get(hour);
  if (offset === undefined) {
    offset = tzOffset(timeZone, new Date(hour * 3_600_000));
    if (byHour.size > 200_000) byHour.clear();
    byHour.set(hour, offset);
  }
  return offset;
}

/** A FHIR dateTime with a time (and so a zone), or a date, or a partial date (`2026-11`, `2026`). */
export const FHIR_DATE_TIME =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;

/** True for a date without a day (`2026-11`, `2026`): shown as such, never as a made-up instant. */
export function isPartialDate(value: string): boolean {
  return /^\d{4}(-\d{2})?$/.test(value);
}

/** The civil date an instant (ISO date-time, or a FHIR date) falls on in `timeZone`. A partial date is its first day. */
export function civilDateOf(instant: string | Date, timeZone: string): CivilDate {
  if (typeof instant === 'string' && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(instant))
    return civilFromIso(`${instant}-01-01`.slice(0, 10));
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Not a date');
  return Math.floor((ms + offsetMinutes(timeZone, ms) * 60_000) / MS_PER_DAY);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The wall-clock time (`YYYY-MM-DDTHH:mm`, a datetime-local value) of an instant in `timeZone`. */
export function wallClockOf(instant: Date, timeZone: string): string {
  const local = new Date(instant.getTime() + offsetMinutes(timeZone, instant.getTime()) * 60_000);
  return `${local.getUTCFullYear()}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}T${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}`;
}

/**
 * The instant a wall-clock time in `timeZone` names (the inverse of wallClockOf). A time skipped by a
 * DST change resolves to the instant one offset later; a repeated one to the first.
 */
export function instantOfWallClock(wall: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!m) return undefined;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  if (Number.isNaN(asUtc)) return undefined;
  let ms = asUtc - offsetMinutes(timeZone, asUtc) * 60_000;
  ms = asUtc - offsetMinutes(timeZone, ms) * 60_000;
  return new Date(ms);
}

/** First day of the week containing `day`. */
export function weekStart(day: CivilDate, weekStartsOn: Weekday): CivilDate {
  return day - ((weekday(day) - weekStartsOn + 7) % 7);
}

export function isWeekend(day: CivilDate): boolean {
  const wd = weekday(day);
  return wd === 0 || wd === 6;
}

export function isHoliday(day: CivilDate, config: CalendarConfig): boolean {
  if (config.extraHolidays.includes(civilToIso(day))) return true;
  return config.holidayCalendar === 'US-MA' && isUsMaHoliday(day);
}

export function isBusinessDay(day: CivilDate, config: CalendarConfig): boolean {
  return !isWeekend(day) && !isHoliday(day, config);
}

/** The business day `n` business days after `day` (the start day itself is not counted). */
export function addBusinessDays(day: CivilDate, n: number, config: CalendarConfig): CivilDate {
  let current = day;
  let left = n;
  while (left > 0) {
    current += 1;
    if (isBusinessDay(current, config)) left -= 1;
  }
  return current;
}
