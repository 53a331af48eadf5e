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

/** The civil date an instant (ISO date-time, or a FHIR date) falls on in `timeZone`. */
export function civilDateOf(instant: string | Date, timeZone: string): CivilDate {
  if (typeof instant === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(instant)) return civilFromIso(instant);
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Not a date');
  return Math.floor((ms + offsetMinutes(timeZone, ms) * 60_000) / MS_PER_DAY);
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
