import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from './calendar';
import { caseloadEntry, caseloadWindowStart, nextActionLabel, sortCaseload } from './caseload';
import { evaluateEpisode } from './compliance';
import type { Referral, Youth } from './model';

const youth = (id: string): Youth => ({
  id,
  name: { given: id, family: 'X', full: `${id} X` },
  languages: [],
});
const now = new Date('2026-11-22T17:00:00Z');

function entry(id: string, authoredOn: string) {
  const referral: Referral = {
    id: `t-${id}`,
    status: 'requested',
    stage: 'referred',
    authoredOn,
    fstMarks: ['profile'],
  };
  return caseloadEntry(
    youth(id),
    referral,
    evaluateEpisode({ referral, contacts: [] }, now, DEFAULT_CALENDAR),
  );
}

describe('caseload', () => {
  it('points at the clock needing attention', () => {
    const e = entry('new', '2026-11-20T15:00:00Z');
    expect(e.attention?.clock).toBe('first-caregiver-call');
    expect(e.attention?.status).toBe('due');
    expect(e.due).toBe(1);
  });

  it('sorts overdue families before due ones, soonest due first', () => {
    const sorted = sortCaseload([
      entry('due-later', '2026-11-21T15:00:00Z'),
      entry('overdue', '2026-11-01T15:00:00Z'),
      entry('due-soon', '2026-11-18T15:00:00Z'),
    ]);
    expect(sorted.map((e) => e.youth.id)).toEqual(['overdue', 'due-soon', 'due-later']);
  });

  it('ranks by the next deadline, with past misses apart', () => {
    const soon = entry('soon', '2026-11-20T15:00:00Z'); // call due in 3 days
    const late = entry('late', '2026-11-10T15:00:00Z'); // call overdue
    const later = entry('later', '2026-11-21T15:00:00Z'); // call due in 4 days
    expect(sortCaseload([later, soon, late]).map((e) => e.youth.id)).toEqual(['late', 'soon', 'later']);
    expect(late.pastMissedWeeks).toBe(0);
  });

  it('says the next action the way a Family Partner says it', () => {
    const soon = entry('soon', '2026-11-19T15:00:00Z'); // referred 3 days before now (Nov 22)
    expect(soon.attention && nextActionLabel(soon.attention)).toBe('Call caregiver — day 3 of 5');
    const late = entry('late', '2026-11-10T15:00:00Z');
    expect(late.attention && nextActionLabel(late.attention)).toBe('Call caregiver — 7 day(s) overdue');
  });

  it('reads a quarter of contacts, or from an earlier report period', () => {
    // 13 weeks back from Sunday 22 November 2026, across the change from daylight saving time.
    expect(caseloadWindowStart('2026-10-01', '2026-11-22')).toBe('2026-08-23');
    // A year's report reads the year: the period's start wins.
    expect(caseloadWindowStart('2025-11-23', '2026-11-22')).toBe('2025-11-23');
  });
});

describe('caseload: seed 000 overview, "a youth (under the age of 21)"', () => {
  it('flags a youth who turns 21 during the episode on the row', () => {
    const referral: Referral = {
      id: 't-older',
      status: 'in-progress',
      stage: 'active',
      authoredOn: '2026-09-01T15:00:00Z',
      fstMarks: ['profile'],
    };
    const older: Youth = { ...youth('older'), birthDate: '2005-11-20' };
    const compliance = evaluateEpisode({ referral, contacts: [] }, now, DEFAULT_CALENDAR);
    const row = caseloadEntry(older, referral, compliance, '2026-11-22');
    expect(row.ageOut).toMatchObject({ turns21On: '2026-11-20', status: 'due' });
    expect(caseloadEntry(youth('young'), referral, compliance, '2026-11-22').ageOut).toBeUndefined();
  });
});

describe('the caseload row agrees with the episode (issue 35 §2)', () => {
  it('a referral declined after the 5-day call was missed offers no next action; the miss stays in the clocks', () => {
    // Referred Nov 1, never called, declined Nov 20 (after the Nov 6 deadline).
    const referral: Referral = {
      id: 't-declined',
      status: 'rejected',
      stage: 'declined',
      authoredOn: '2026-11-01T15:00:00Z',
      fstMarks: ['profile'],
      recordedHistory: [{ status: 'rejected', stage: 'declined', at: '2026-11-20T15:00:00Z' }],
    };
    const compliance = evaluateEpisode(
      { referral, contacts: [], ended: { kind: 'declined', at: '2026-11-20T15:00:00Z' } },
      now,
      DEFAULT_CALENDAR,
    );
    const e = caseloadEntry(youth('declined'), referral, compliance);
    expect(e.attention).toBeUndefined();
    expect(e.overdue).toBe(0);
    expect(compliance.clocks['first-caregiver-call'].status).toBe('missed');
  });

  it('a family on hold says since when, and the weekly clocks are no next action', () => {
    const referral: Referral = {
      id: 't-held',
      status: 'on-hold',
      stage: 'active',
      authoredOn: '2026-10-01T15:00:00Z',
      fstMarks: ['profile'],
      recordedHistory: [
        { status: 'in-progress', stage: 'active', at: '2026-10-02T15:00:00Z' },
        { status: 'on-hold', stage: 'active', at: '2026-11-01T15:00:00Z' },
      ],
    };
    const compliance = evaluateEpisode({ referral, contacts: [] }, now, DEFAULT_CALENDAR);
    const e = caseloadEntry(youth('held'), referral, compliance);
    expect(e.onHoldSince).toBe('2026-11-01');
    expect(e.attention?.clock).not.toBe('weekly-caregiver-contact');
    expect(e.attention?.clock).not.toBe('weekly-collateral-contact');
  });
});
