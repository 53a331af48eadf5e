import { describe, expect, it } from 'vitest';
import { episodeFor } from './episode';
import type { CarePlanSummary, Contact, DischargePlanSummary, Referral } from './model';

const referral: Referral = {
  id: 't1',
  status: 'completed',
  stage: 'discharged',
  authoredOn: '2026-09-01T10:00:00Z',
};
const contact = (id: string, referralTaskId?: string): Contact => ({
  id,
  kind: 'caregiver',
  status: 'completed',
  method: 'phone',
  sent: '2026-09-02T10:00:00Z',
  goalIds: [],
  purposes: [],
  referralTaskId,
});
const plan = (status: string, goalId: string): CarePlanSummary => ({
  id: `cp-${goalId}`,
  kind: 'icp',
  title: 'ICP',
  status,
  goals: [{ id: goalId, description: goalId, lifecycleStatus: 'active' }],
  careTeam: [],
});
const doc = (id: string, date: string, taskIds: string[], status = 'current'): DischargePlanSummary => ({
  id,
  status,
  date,
  referralTaskIds: taskIds,
  lastServiceDate: '2026-11-10',
});

describe('episodeFor', () => {
  it("keeps the referral's own contacts and unlinked ones, not another referral's", () => {
    const ep = episodeFor({
      referral,
      contacts: [contact('own', 't1'), contact('unlinked'), contact('other', 't0')],
      plans: [],
      dischargePlans: [],
    });
    expect(ep.contacts.map((c) => c.id)).toEqual(['own', 'unlinked']);
  });

  it('takes goals from the active plans', () => {
    const ep = episodeFor({
      referral,
      contacts: [],
      plans: [plan('active', 'g-new'), plan('revoked', 'g-old')],
      dischargePlans: [],
    });
    expect([...(ep.planGoalIds ?? [])]).toEqual(['g-new']);
  });

  it("uses the referral's first valid discharge plan once closed", () => {
    const ep = episodeFor({
      referral,
      contacts: [],
      plans: [],
      dischargePlans: [
        doc('wrong', '2026-11-11', ['t1'], 'entered-in-error'),
        doc('later', '2026-11-14', ['t1']),
        doc('first', '2026-11-12', ['t1']),
        doc('x', '2026-11-01', ['t9']),
      ],
    });
    expect(ep.ended).toEqual({
      lastServiceDate: '2026-11-10',
      dischargePlanDeliveredOn: '2026-11-12',
      dischargePlanReference: 'DocumentReference/first',
    });
  });

  it('has no end while the referral is open', () => {
    expect(
      episodeFor({
        referral: { ...referral, status: 'in-progress', stage: 'active' },
        contacts: [],
        plans: [],
        dischargePlans: [],
      }).ended,
    ).toBeUndefined();
  });
});
