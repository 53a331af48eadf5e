import { describe, expect, it } from 'vitest';
import type { OutcomeRecord } from './outcomes';
import {
  attainmentChange,
  MIN_SURVEY_ANSWERS,
  nextTimepoint,
  outcomesOfEpisode,
  satisfactionScore,
  SATISFACTION_ITEMS,
  summariseOutcomes,
} from './outcomes';

const survey = (id: string, authored: string, values: (number | undefined)[]): OutcomeRecord => ({
  id,
  instrument: 'caregiver-satisfaction',
  authored,
  ratings: new Map(
    SATISFACTION_ITEMS.flatMap((item, i) =>
      values[i] === undefined ? [] : [[item.linkId, values[i]] as const],
    ),
  ),
});
const rated = (
  id: string,
  authored: string,
  timepoint: OutcomeRecord['timepoint'],
  values: number[],
): OutcomeRecord => ({
  id,
  instrument: 'goal-attainment',
  authored,
  timepoint,
  serviceRequestId: 'sr1',
  ratings: new Map(values.map((v, i) => [`g${i}`, v])),
});

// Seed 000 quality 2–3: "collect outcome data … measure caregiver satisfaction".
describe('outcomes and satisfaction', () => {
  it('scores a survey as the mean of its statements, and not at all with fewer than four answered', () => {
    expect(satisfactionScore(survey('s', '2026-11-01T12:00:00Z', [5, 5, 4, 4, 4, 4]))).toBeCloseTo(4.333, 3);
    expect(MIN_SURVEY_ANSWERS).toBe(4);
    expect(
      satisfactionScore(survey('s', '2026-11-01T12:00:00Z', [5, 5, 4, undefined, undefined, undefined])),
    ).toBe(undefined);
  });

  it('measures goal attainment as the change from the intake rating to the latest, within the episode', () => {
    const records = [
      rated('c', '2026-10-01T12:00:00Z', 'review', [3, 4]),
      rated('a', '2026-07-01T12:00:00Z', 'intake', [1, 2]),
      rated('d', '2026-12-01T12:00:00Z', 'discharge', [5, 4]),
    ];
    expect(attainmentChange(records, 'sr1')).toBe(3);
    // Another episode's ratings do not count.
    expect(attainmentChange(records, 'sr-other')).toBeUndefined();
    // Without an intake rating there is no change to report.
    expect(
      attainmentChange(
        records.filter((r) => r.timepoint !== 'intake'),
        'sr1',
      ),
    ).toBeUndefined();
  });

  it('asks for the intake rating first, then reviews', () => {
    expect(nextTimepoint([], 'sr1')).toBe('intake');
    expect(nextTimepoint([rated('a', '2026-07-01T12:00:00Z', 'intake', [2])], 'sr1')).toBe('review');
  });

  it('sums up a caseload for the quality report by period', () => {
    const period = { from: '2026-11-01', to: '2026-11-30' };
    const summary = summariseOutcomes(
      [
        {
          serviceRequestId: 'sr1',
          records: [
            rated('a', '2026-07-01T12:00:00Z', 'intake', [2, 2]),
            rated('b', '2026-11-10T12:00:00Z', 'review', [4, 3]),
            survey('s1', '2026-11-12T12:00:00Z', [5, 5, 5, 5, 4, 4]),
          ],
        },
        {
          serviceRequestId: 'sr1',
          records: [
            rated('a', '2026-08-01T12:00:00Z', 'intake', [3]),
            rated('b', '2026-11-20T12:00:00Z', 'review', [2]),
            // Answered by the caregiver herself, on her own phone (issue 39).
            {
              ...survey('s2', '2026-11-21T12:00:00Z', [3, 3, 3, 3, 3, 2]),
              authorReference: 'RelatedPerson/cg-1',
            },
            // Outside the period: not counted.
            survey('s3', '2026-10-21T12:00:00Z', [5, 5, 5, 5, 5, 5]),
          ],
        },
      ],
      period,
    );
    expect(summary.surveys).toBe(2);
    expect(summary.answeredByCaregiver).toBe(1);
    expect(summary.scored).toBe(2);
    expect(summary.satisfied).toBe(1);
    expect(summary.meanSatisfaction).toBeCloseTo((28 / 6 + 17 / 6) / 2, 6);
    expect(summary.familiesWithChange).toBe(2);
    expect(summary.improved).toBe(1);
    expect(summary.meanChange).toBeCloseTo((1.5 - 1) / 2, 6);
  });
});

describe('outcomesOfEpisode: each episode keeps its own outcomes (invariant 7)', () => {
  const first = {
    id: 't1',
    status: 'completed',
    stage: 'discharged' as const,
    authoredOn: '2026-03-01T10:00:00Z',
    serviceRequestId: 'sr1',
    fstMarks: ['profile' as const],
  };
  const second = {
    id: 't2',
    status: 'requested',
    stage: 'referred' as const,
    authoredOn: '2026-11-01T10:00:00Z',
    serviceRequestId: 'sr2',
    fstMarks: ['profile' as const],
  };
  it("the old episode's survey is not the new episode's; a record without an order goes by its date", () => {
    const old = { ...survey('s-old', '2026-06-01T10:00:00Z', [5, 5, 5, 5, 5, 5]), serviceRequestId: 'sr1' };
    const loose = survey('s-loose', '2026-11-05T10:00:00Z', [4, 4, 4, 4, 4, 4]);
    const stray = {
      ...survey('s-stray', '2026-05-05T10:00:00Z', [3, 3, 3, 3, 3, 3]),
      serviceRequestId: 'sr-x',
    };
    const all = [old, loose, stray];
    expect(outcomesOfEpisode(all, second, [first, second]).map((r) => r.id)).toEqual(['s-loose']);
    expect(outcomesOfEpisode(all, first, [first, second]).map((r) => r.id)).toEqual(['s-old', 's-stray']);
  });
});
