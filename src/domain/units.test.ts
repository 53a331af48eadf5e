import { describe, expect, it } from 'vitest';
import { durationProblem, intensity, unitsByMonth, unitsForMinutes } from './units';
import type { Contact } from './model';

describe('H2014 15-minute units (8-minute rule)', () => {
  it.each([
    [0, 0],
    [7, 0],
    [8, 1],
    [15, 1],
    [22, 1],
    [23, 2],
    [30, 2],
    [37, 2],
    [38, 3],
    [60, 4],
    [undefined, 0],
    [-5, 0],
  ])('%s minutes → %i units', (minutes, units) => {
    expect(unitsForMinutes(minutes)).toBe(units);
  });

  it('sums per month in the provider time zone, skipping attempts', () => {
    const c = (
      id: string,
      sent: string,
      minutes: number,
      status: Contact['status'] = 'completed',
    ): Contact => ({
      id,
      kind: 'caregiver',
      status,
      method: 'phone',
      sent,
      durationMinutes: minutes,
      goalIds: [],
      purposes: [],
    });
    const months = unitsByMonth(
      [
        c('a', '2026-10-31T23:30:00-04:00', 60), // still October in New York (03:30 UTC on Nov 1)
        c('b', '2026-11-02T10:00:00-05:00', 25),
        c('c', '2026-11-03T10:00:00-05:00', 7),
        c('d', '2026-11-04T10:00:00-05:00', 45, 'not-done'),
      ],
      { timeZone: 'America/New_York' },
    );
    expect(months).toEqual([
      { month: '2026-10', units: 4, minutes: 60, contacts: 1 },
      { month: '2026-11', units: 2, minutes: 25, contacts: 1 },
    ]);
  });
});

describe('durations no contact can have', () => {
  const odd = (id: string, durationMinutes: number): Contact => ({
    id,
    kind: 'caregiver',
    status: 'completed',
    method: 'phone',
    sent: '2026-11-20T15:00:00Z',
    durationMinutes,
    goalIds: [],
    purposes: [],
  });

  it('are named as problems and never billed (300 such contacts once gave 86,775 units)', () => {
    const contacts = [
      ...Array.from({ length: 300 }, (_, i) => odd(`big${i}`, 99_999)),
      odd('negative', -45),
      odd('fine', 30),
    ];
    expect(unitsByMonth(contacts, { timeZone: 'America/New_York' })).toEqual([
      { month: '2026-11', units: 2, minutes: 30, contacts: 1 },
    ]);
    expect(durationProblem(odd('x', 99_999))).toMatch(/99999 minutes \(allowed 1–480\): not billed/);
    expect(durationProblem(odd('x', -45))).toMatch(/-45 minutes/);
    expect(durationProblem(odd('x', 480))).toBeUndefined();
  });
});

// Seed 004 II: intensity appropriate to the plan — planned hours against units delivered.
describe('intensity delivered against the service plan', () => {
  const cal = { timeZone: 'America/New_York', weekStartsOn: 0 as const };
  const call = (sent: string, minutes: number): Contact => ({
    id: sent,
    kind: 'caregiver',
    status: 'completed',
    method: 'face-to-face',
    sent,
    durationMinutes: minutes,
    goalIds: [],
    purposes: [],
  });
  it('averages the last four complete weeks of a weekly plan and says when it falls below', () => {
    // Wednesday 2026-11-25: the complete weeks are those of Oct 25, Nov 1, 8 and 15.
    const now = new Date('2026-11-25T15:00:00-05:00');
    const contacts = [
      call('2026-10-27T10:00:00-04:00', 60),
      call('2026-11-03T10:00:00-05:00', 60),
      call('2026-11-10T10:00:00-05:00', 60),
      call('2026-11-17T10:00:00-05:00', 60),
      // This week's is not counted yet; an attempt never is.
      call('2026-11-24T10:00:00-05:00', 120),
    ];
    const result = intensity({ hours: { amount: 3, per: 'week' }, start: '2026-09-01' }, contacts, now, cal);
    expect(result?.from).toBe('2026-10-25');
    expect(result?.to).toBe('2026-11-21');
    expect(result?.delivered).toBe(1);
    expect(result?.status).toBe('below');
    const asPlanned = intensity(
      { hours: { amount: 1, per: 'week' }, start: '2026-09-01' },
      contacts,
      now,
      cal,
    );
    expect(asPlanned?.status).toBe('as-planned');
  });
  it('waits for a complete period after the plan starts, and reads a monthly plan by the last month', () => {
    const now = new Date('2026-11-25T15:00:00-05:00');
    expect(
      intensity({ hours: { amount: 3, per: 'week' }, start: '2026-11-20' }, [], now, cal),
    ).toBeUndefined();
    const monthly = intensity(
      { hours: { amount: 4, per: 'month' }, start: '2026-09-01' },
      [call('2026-10-05T10:00:00-04:00', 300), call('2026-11-02T10:00:00-05:00', 60)],
      now,
      cal,
    );
    expect([monthly?.from, monthly?.to, monthly?.delivered, monthly?.status]).toEqual([
      '2026-10-01',
      '2026-10-31',
      5,
      'as-planned',
    ]);
  });
});
