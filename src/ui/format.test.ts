import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, zoneLabel } from './format';

const NY = 'America/New_York';

describe('dates as the provider reads them', () => {
  it('names the zone beside every time', () => {
    expect(formatDateTime('2026-11-20T15:05:00Z', NY)).toBe('Nov 20, 2026, 10:05 AM ET');
    expect(zoneLabel(NY)).toBe('ET');
  });

  it('shows partial dates as partial, never as a made-up instant', () => {
    expect(formatDateTime('2026-11', NY)).toBe('Nov 2026');
    expect(formatDate('2026-11', NY)).toBe('Nov 2026');
    expect(formatDateTime('2026', NY)).toBe('2026');
    expect(formatDateTime('2026-11-20', NY)).toBe('Nov 20, 2026');
  });

  it('shows text that is not a date as it is', () => {
    expect(formatDateTime('not-a-date', NY)).toBe('not-a-date');
  });

  it('never rolls a day that does not exist into another (30 February is not 2 March)', () => {
    expect(formatDate('2013-02-30', NY)).toBe('2013-02-30 (not a valid date)');
    expect(formatDate('2024-02-29', NY)).toBe('Feb 29, 2024');
  });
});
