import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  civilDateText,
  civilDateOf,
  civilFromIso,
  civilToIso,
  DEFAULT_CALENDAR,
  isBusinessDay,
  weekStart,
  weekday,
} from './calendar';
import { usMaHolidays } from './holidays';

const NY = 'America/New_York';
const day = (iso: string) => civilFromIso(iso);
const iso = (instant: string, tz = NY) => civilToIso(civilDateOf(instant, tz));

describe('civil dates in the provider time zone', () => {
  it.each([
    ['a contact logged at 23:30 local stays on its local day', '2026-11-20T23:30:00-05:00', '2026-11-20'],
    ['the same instant written in UTC', '2026-11-21T04:30:00Z', '2026-11-20'],
    ['00:30 local is the new day', '2026-11-21T05:30:00Z', '2026-11-21'],
    ['spring forward: 01:59 EST', '2026-03-08T06:59:00Z', '2026-03-08'],
    ['spring forward: 03:00 EDT', '2026-03-08T07:00:00Z', '2026-03-08'],
    ['spring forward day, 23:30 EDT', '2026-03-09T03:30:00Z', '2026-03-08'],
    ['fall back: 01:30 EDT (first)', '2026-11-01T05:30:00Z', '2026-11-01'],
    ['fall back: 01:30 EST (second)', '2026-11-01T06:30:00Z', '2026-11-01'],
    ['fall back day, 23:30 EST', '2026-11-02T04:30:00Z', '2026-11-01'],
    ['year end, 23:59 on Dec 31', '2027-01-01T04:59:00Z', '2026-12-31'],
    ['a FHIR date is taken as the date it names', '2026-12-31', '2026-12-31'],
  ])('%s', (_label, instant, expected) => {
    expect(iso(instant)).toBe(expected);
  });

  it('uses the configured zone, not the machine zone', () => {
    expect(iso('2026-11-21T04:30:00Z', 'America/Los_Angeles')).toBe('2026-11-20');
    expect(iso('2026-11-21T04:30:00Z', 'Europe/London')).toBe('2026-11-21');
  });

  it('rejects a non-date', () => {
    expect(() => civilDateOf('not a date', NY)).toThrow(RangeError);
  });
});

describe('weeks', () => {
  it.each([
    ['2026-11-22', 0, '2026-11-22'], // Sunday, Sunday-start week
    ['2026-11-21', 0, '2026-11-15'],
    ['2026-11-22', 1, '2026-11-16'], // Monday-start week
    ['2027-01-01', 0, '2026-12-27'], // week spanning the year end
    ['2026-03-10', 0, '2026-03-08'], // DST week
  ] as const)('%s with week start %i begins %s', (date, start, expected) => {
    expect(civilToIso(weekStart(day(date), start))).toBe(expected);
  });

  it('knows weekdays', () => {
    expect(weekday(day('2026-11-22'))).toBe(0);
    expect(weekday(day('2026-11-20'))).toBe(5);
  });
});

describe('US federal + Massachusetts holidays', () => {
  it('lists 2026 with observed dates', () => {
    const days = [...usMaHolidays(2026)].sort((a, b) => a - b).map(civilToIso);
    expect(days).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-20', // Patriots' Day
      '2026-05-25',
      '2026-06-19',
      '2026-07-03', // July 4 is a Saturday
      '2026-09-07',
      '2026-10-12',
      '2026-11-11',
      '2026-11-26',
      '2026-12-25',
    ]);
  });

  it('observes a Saturday New Year on the Friday before, in the previous year', () => {
    expect(usMaHolidays(2021).has(day('2021-12-31'))).toBe(true);
    expect(usMaHolidays(2023).has(day('2023-01-02'))).toBe(true); // Sunday → Monday
  });
});

describe('business days', () => {
  it.each([
    ['skips Thanksgiving and the weekend', '2026-11-24', 5, '2026-12-02'],
    ['from a Friday', '2026-11-20', 1, '2026-11-23'],
    ['over Christmas and New Year (both Fridays)', '2026-12-24', 5, '2027-01-04'],
    ['from a Saturday', '2026-11-21', 1, '2026-11-23'],
  ])('%s', (_label, from, n, expected) => {
    expect(civilToIso(addBusinessDays(day(from), n, DEFAULT_CALENDAR))).toBe(expected);
  });

  it('honours extra closure days and a calendar without holidays', () => {
    const closed = { ...DEFAULT_CALENDAR, extraHolidays: ['2026-11-23'] };
    expect(isBusinessDay(day('2026-11-23'), closed)).toBe(false);
    expect(isBusinessDay(day('2026-11-26'), { ...DEFAULT_CALENDAR, holidayCalendar: 'none' })).toBe(true);
  });
});

describe('a day in a sentence', () => {
  it('reads as the screens write dates, never ISO', () => {
    expect(civilDateText(civilFromIso('2026-09-08'))).toBe('Sep 8, 2026');
    expect(civilDateText(civilFromIso('2027-01-01'))).toBe('Jan 1, 2027');
  });
});
