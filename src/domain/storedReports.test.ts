import { describe, expect, it } from 'vitest';
import { figuresSource, monthsOfPeriod, storedQualityRows, wholeMonths } from './storedReports';

describe('stored or live figures', () => {
  const now = new Date('2026-11-18T17:00:00Z');
  it('stored while no older than the configured age; live, saying why, otherwise', () => {
    const fresh = { asOf: '2026-11-18T16:00:00Z', rows: 3, unreadable: 0 };
    expect(figuresSource(fresh, now, 60)).toEqual({ source: 'stored', asOf: fresh.asOf });
    expect(figuresSource(fresh, now, 59)).toEqual({ source: 'live', reason: 'stale', asOf: fresh.asOf });
    expect(figuresSource({ rows: 0, unreadable: 0 }, now, 60)).toEqual({
      source: 'live',
      reason: 'never-run',
    });
    expect(figuresSource({ ...fresh, unreadable: 1 }, now, 60).source).toBe('live');
    // A time the server wrote badly is never "fresh".
    expect(figuresSource({ ...fresh, asOf: 'yesterday' }, now, 60).source).toBe('live');
  });

  it('the months a period touches, across a year end; whole months for the stored summaries', () => {
    expect(monthsOfPeriod({ from: '2026-11-15', to: '2027-02-01' })).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(wholeMonths({ from: '2028-01-15', to: '2028-02-03' })).toEqual({
      from: '2028-01-01',
      to: '2028-02-29',
    });
  });

  it("summed over months, with the quality report's titles; nothing decided is no score, not 0%", () => {
    const rows = storedQualityRows([
      { id: 'weeks-with-caregiver-contact', numerator: 3, denominator: 4 },
      { id: 'weeks-with-caregiver-contact', numerator: 5, denominator: 6 },
    ]);
    const weeks = rows.find((r) => r.id === 'weeks-with-caregiver-contact');
    expect(weeks).toMatchObject({ numerator: 8, denominator: 10, value: 0.8, unit: 'proportion' });
    expect(weeks?.title).toBe('Service weeks with caregiver contact');
    expect(weeks?.definition).toMatch(/seed 000 process 8/);
    expect(rows.find((r) => r.id === 'called-within-5-days')?.value).toBeUndefined();
  });
});
