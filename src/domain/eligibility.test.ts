import { describe, expect, it } from 'vitest';
import type { Referral } from './model';
import {
  admissionCriteriaProblem,
  ageOnDate,
  ageOutFlag,
  overAgeProblem,
  referralContentProblem,
  twentyFirstBirthday,
} from './eligibility';

describe('seed 000 overview: "a youth (under the age of 21)"', () => {
  it('counts whole years from the date of birth', () => {
    expect(ageOnDate('2005-12-08', '2026-12-07')).toBe(20);
    expect(ageOnDate('2005-12-08', '2026-12-08')).toBe(21);
    expect(ageOnDate('2005-12-08', '2027-01-01')).toBe(21);
  });

  it('a youth born on 29 February turns 21 on 1 March in a common year', () => {
    expect(twentyFirstBirthday('2008-02-29')).toBe('2029-03-01');
    expect(ageOnDate('2008-02-29', '2029-02-28')).toBe(20);
    expect(ageOnDate('2008-02-29', '2029-03-01')).toBe(21);
  });

  it('refuses a referral for a youth of 21 or over, with the date of birth', () => {
    const problem = overAgeProblem('2005-12-07', '2026-12-07');
    expect(problem).toMatch(/born on Dec 7, 2005/);
    expect(problem).toMatch(/under the age of 21/);
    expect(overAgeProblem('2005-12-08', '2026-12-07')).toBeUndefined();
    // No date of birth on record: nothing to refuse on (the banner shows it missing).
    expect(overAgeProblem(undefined, '2026-12-07')).toBeUndefined();
  });

  const open: Pick<Referral, 'status' | 'stage'> = { status: 'in-progress', stage: 'active' };

  it('flags a youth who turns 21 during the episode: discharge planning is due from the birthday', () => {
    // Turns 21 in 30 days: flagged, planning to begin.
    const soon = ageOutFlag('2006-01-06', open, '2026-12-07');
    expect(soon).toMatchObject({ turns21On: '2027-01-06', status: 'upcoming' });
    expect(soon?.message).toMatch(/Turns 21 on Jan 6, 2027/);
    // Turned 21 yesterday: discharge planning is due.
    const past = ageOutFlag('2005-12-06', open, '2026-12-07');
    expect(past).toMatchObject({ turns21On: '2026-12-06', status: 'due' });
    expect(past?.message).toMatch(/plan the discharge/i);
    // Far from 21, or an episode already ended: no flag.
    expect(ageOutFlag('2012-05-05', open, '2026-12-07')).toBeUndefined();
    expect(
      ageOutFlag('2005-12-06', { status: 'completed', stage: 'discharged' }, '2026-12-07'),
    ).toBeUndefined();
  });
});

describe('seed 004 §III: "must have … and … and …"', () => {
  it('a checklist that says a criterion is not met cannot be accepted', () => {
    expect(admissionCriteriaProblem({ A: true, B: false, C: true })).toMatch(/B\. Level of functioning/);
    expect(admissionCriteriaProblem({ A: true, B: true })).toMatch(/C\. Assessment/);
    expect(admissionCriteriaProblem({ A: true, B: true, C: true })).toBeUndefined();
  });

  it('a referral with no checklist on record is not refused for it (an order written in the EHR)', () => {
    expect(admissionCriteriaProblem(undefined)).toBeUndefined();
  });
});

describe('seed 000 process 1: the referrer communicates "the reasons for referral and the initial goals"', () => {
  it('needs a reason and at least one goal', () => {
    expect(referralContentProblem({ reason: ' ', goalIds: ['g1'], newGoals: [] })).toMatch(/why/i);
    expect(referralContentProblem({ reason: 'Needs support', goalIds: [], newGoals: [] })).toMatch(/goal/);
    expect(
      referralContentProblem({ reason: 'Needs support', goalIds: [], newGoals: ['Calm bedtimes'] }),
    ).toBe(undefined);
  });
});
