import { describe, expect, it } from 'vitest';
import { describeSeries, nextPlannedMeeting, servicePlanBoundsProblems } from './servicePlan';

const NY = 'America/New_York';

describe('the service plan schedule', () => {
  it('says a series the way the team says it', () => {
    expect(describeSeries({ frequency: 'weekly', day: 'tue', time: '17:00', setting: 'home' })).toBe(
      'Weekly on Tuesday at 17:00, at home',
    );
  });

  it('finds the next planned meeting in the provider time zone', () => {
    const plan = {
      start: '2026-11-02',
      meetings: [
        { frequency: 'weekly' as const, day: 'tue' as const, time: '17:00', setting: 'home' as const },
      ],
    };
    // Monday Nov 23, noon ET: next is Tuesday Nov 24 at 17:00 ET.
    const next = nextPlannedMeeting(plan, new Date('2026-11-23T17:00:00Z'), NY);
    expect(next?.at.toISOString()).toBe('2026-11-24T22:00:00.000Z');
    expect(next?.label).toBe('Tue Nov 24 17:00, at home');
    // Tuesday at 18:00 ET, after the meeting: the week after.
    expect(nextPlannedMeeting(plan, new Date('2026-11-24T23:00:00Z'), NY)?.label).toBe(
      'Tue Dec 1 17:00, at home',
    );
  });

  it('plans no next meeting once the episode has ended (issue 36: a discharged family still showed one)', () => {
    const plan = {
      start: '2026-11-02',
      meetings: [
        { frequency: 'weekly' as const, day: 'tue' as const, time: '17:00', setting: 'home' as const },
      ],
    };
    const at = new Date('2026-11-23T17:00:00Z');
    expect(nextPlannedMeeting(plan, at, NY, { status: 'in-progress', stage: 'active' })).toBeDefined();
    for (const ended of [
      { status: 'completed', stage: 'discharged' },
      { status: 'failed', stage: 'stopped' },
      { status: 'cancelled', stage: 'cancelled' },
    ] as const)
      expect(nextPlannedMeeting(plan, at, NY, ended)).toBeUndefined();
  });

  it('keeps every-2-weeks and monthly series on their own weeks', () => {
    const twoWeekly = {
      start: '2026-11-03',
      meetings: [
        {
          frequency: 'every-2-weeks' as const,
          day: 'tue' as const,
          time: '10:00',
          setting: 'community' as const,
        },
      ],
    };
    expect(nextPlannedMeeting(twoWeekly, new Date('2026-11-11T15:00:00Z'), NY)?.label).toBe(
      'Tue Nov 17 10:00, in the community',
    );
    const monthly = {
      start: '2026-11-01',
      meetings: [
        { frequency: 'monthly' as const, day: 'thu' as const, time: '09:30', setting: 'telehealth' as const },
      ],
    };
    expect(nextPlannedMeeting(monthly, new Date('2026-11-10T15:00:00Z'), NY)?.label).toBe(
      'Thu Dec 3 09:30, by telehealth (the family asked)',
    );
  });

  it('has nothing planned without a series', () => {
    expect(nextPlannedMeeting({ start: '2026-11-01', meetings: [] }, new Date(), NY)).toBeUndefined();
  });
});

describe('service plan bounds', () => {
  const name = () => 'Bedtime routine';
  // Seed 000 process 2–3: "The Family Partner determines the appropriate number of hours per week/month": no cap
  // unless the agency sets one; a number the period cannot hold is a typing error.
  it('the Family Partner determines the hours: no cap by default, the agency may set one', () => {
    const plan = (amount: number, per: 'week' | 'month') => ({
      hours: { amount, per },
      start: '2026-12-01',
      goalTargets: [],
    });
    expect(servicePlanBoundsProblems(plan(20, 'week'), name)).toEqual([]);
    expect(servicePlanBoundsProblems(plan(90, 'month'), name)).toEqual([]);
    expect(servicePlanBoundsProblems(plan(200, 'week'), name)).toEqual([
      '200 hours per week is more than a week holds (168). Check the number.',
    ]);
    expect(servicePlanBoundsProblems(plan(20, 'week'), name, { week: 15 })).toEqual([
      '20 hours per week is more than your agency allows in a service plan (at most 15). Check the number, or ask your supervisor.',
    ]);
    expect(servicePlanBoundsProblems(plan(61, 'month'), name, { week: 15 })).toEqual([]);
  });
  it('refuses a goal target before the plan starts, naming the goal', () => {
    const past = servicePlanBoundsProblems(
      {
        hours: { amount: 3, per: 'week' },
        start: '2026-12-01',
        goalTargets: [{ goalId: 'g1', targetDate: '2026-01-15' }],
      },
      name,
    );
    expect(past).toEqual(['The target for “Bedtime routine” is before the plan starts: give a later date.']);
    expect(
      servicePlanBoundsProblems(
        {
          hours: { amount: 3, per: 'week' },
          start: '2026-12-01',
          goalTargets: [{ goalId: 'g1', targetDate: '2026-12-01' }],
        },
        name,
      ),
    ).toEqual([]);
  });
});
