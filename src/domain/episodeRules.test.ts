import { describe, expect, it } from 'vitest';
import type { Referral } from './model';
import { otherOpenReferrals, secondPlanRefusal, secondReferralRefusal } from './episodeRules';

const referral = (id: string, extra: Partial<Referral> = {}): Referral => ({
  id,
  status: 'requested',
  authoredOn: '2026-11-01T10:00:00Z',
  fstMarks: ['profile'],
  requesterReference: 'Practitioner/op-helen',
  ...extra,
});

describe('invariant 1: at most one open FST referral per youth', () => {
  it('names the open referral, who referred and when, and who cancels it', () => {
    const text = secondReferralRefusal([referral('task-1')], 'task-2', (r) =>
      r === 'Practitioner/op-helen' ? 'Helen Park' : undefined,
    );
    expect(text).toBe(
      'This youth already has an open FST referral (Task/task-1, referred, awaiting acceptance), sent by Helen ' +
        'Park on 2026-11-01. Open that referral instead of sending another; to replace it, the referrer or the ' +
        'FST supervisor cancels it first.',
    );
  });

  it('ended, non-FST and the written referral itself do not count', () => {
    const list = [
      referral('declined', { status: 'rejected' }),
      referral('done', { status: 'completed' }),
      referral('lab', { fstMarks: [] }),
      referral('self'),
    ];
    expect(otherOpenReferrals(list, 'self')).toEqual([]);
    expect(secondReferralRefusal(list, 'self')).toBeUndefined();
  });

  it('a hold or a waitlist is still open; the earliest open one is named', () => {
    const list = [
      referral('later', { status: 'on-hold', authoredOn: '2026-11-05T10:00:00Z' }),
      referral('first', { status: 'accepted', stage: 'waitlisted', authoredOn: '2026-10-01T10:00:00Z' }),
    ];
    expect(secondReferralRefusal(list, 'new')).toContain('Task/first, waitlisted');
  });
});

describe('invariant 2: one active FST service plan per episode', () => {
  const start = '2026-11-01T10:00:00Z';
  it('a second active plan of the episode is refused; the plan itself may be revised', () => {
    const plans = [{ id: 'p1', status: 'active', created: '2026-11-03T09:00:00Z' }];
    expect(secondPlanRefusal(plans, 'p2', start)).toContain('CarePlan/p1');
    expect(secondPlanRefusal(plans, 'p1', start)).toBeUndefined();
  });

  it("a past episode's plan, or a completed one, does not block the new episode's first plan", () => {
    const plans = [
      { id: 'old', status: 'active', created: '2026-06-01T09:00:00Z' },
      { id: 'done', status: 'completed', created: '2026-11-02T09:00:00Z' },
    ];
    expect(secondPlanRefusal(plans, 'p2', start)).toBeUndefined();
  });
});
