/**
 * US federal holidays (5 U.S.C. 6103, with the weekend "observed" rule) plus the Massachusetts state
 * holiday Patriots' Day (M.G.L. c. 4 § 7). Evacuation Day and Bunker Hill Day are Suffolk County only
 * and are not included; add them (or any closure) as extra holidays in configuration.
 */
import type { CivilDate } from './calendar';

const MS_PER_DAY = 86_400_000;

function civil(year: number, month: number, day: number): CivilDate {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function weekdayOf(day: CivilDate): number {
  return new Date(day * MS_PER_DAY).getUTCDay();
}

/** The `n`th `weekday` (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, wd: number, n: number): CivilDate {
  if (n > 0) {
    const first = civil(year, month, 1);
    return first + ((wd - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = civil(year, month + 1, 1) - 1;
  return last - ((weekdayOf(last) - wd + 7) % 7);
}

/** Saturday holidays are observed on Friday, Sunday holidays on Monday. */
function observed(day: CivilDate): CivilDate {
  const wd = weekdayOf(day);
  if (wd === 6) return day - 1;
  if (wd === 0) return day + 1;
  return day;
}

const byYear = new Map<number, Set<CivilDate>>();

export function usMaHolidays(year: number): Set<CivilDate> {
  let set = byYear.get(year);
  if (set) return set;
  set = new Set<CivilDate>([
    observed(civil(year, 1, 1)), // New Year's Day
    nthWeekday(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    nthWeekday(year, 4, 1, 3), // Patriots' Day (Massachusetts)
    nthWeekday(year, 5, 1, -1), // Memorial Day
    observed(civil(year, 6, 19)), // Juneteenth
    observed(civil(year, 7, 4)), // Independence Day
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day / Indigenous Peoples' Day
    observed(civil(year, 11, 11)), // Veterans Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day
    observed(civil(year, 12, 25)), // Christmas Day
  ]);
  // New Year's Day of next year observed on Dec 31 of this one.
  if (weekdayOf(civil(year + 1, 1, 1)) === 6) set.add(civil(year, 12, 31));
  byYear.set(year, set);
  return set;
}

export function isUsMaHoliday(day: CivilDate): boolean {
  const year = new Date(day * MS_PER_DAY).getUTCFullYear();
  return usMaHolidays(year).has(day);
}
