import { describe, expect, it } from 'vitest';
import type { Referral } from './model';
import type { AppUser, StaffRole } from './permissions';
import type { ReferralAction, TaskStatus } from './referralTransitions';
import {
  CARD_ACTIONS,
  canTransition,
  decideReferralChange,
  planAssignment,
  planCaseloadMove,
  planTransition,
  TRANSITIONS,
  TransitionRefused,
} from './referralTransitions';
import { decide } from './permissions';
import { formerPartners, statusHistory, transfers } from './referral';

const user = (roles: StaffRole[], refs = ['Practitioner/me', 'PractitionerRole/role-me']): AppUser => ({
  kind: 'Practitioner',
  references: refs,
  roles: new Set(roles),
});
const supervisor = user(['senior-family-partner']);
const referral = (status: TaskStatus, extra: Partial<Referral> = {}): Referral => ({
  id: 't',
  status,
  authoredOn: '2026-11-01T10:00:00Z',
  requesterReference: 'Practitioner/op',
  ownerReference: 'Organization/org-harbor',
  fstMarks: ['profile'],
  ...extra,
});
const at = new Date('2026-11-20T15:00:00Z');
/** The card's actions this user may take now (the app's card reads them through src/domain/nextSteps.ts). */
const availableActions = (r: Referral, who: AppUser) =>
  CARD_ACTIONS.filter((a) => canTransition(r, a, who).allowed);

const STATUSES: TaskStatus[] = [
  'requested',
  'accepted',
  'rejected',
  'cancelled',
  'in-progress',
  'on-hold',
  'completed',
  'failed',
];
/** The SDOH Clinical Care table, written out once more as the test's own oracle. */
const SDOHCC: Record<TaskStatus, TaskStatus[]> = {
  requested: ['accepted', 'rejected', 'cancelled'],
  accepted: ['in-progress', 'on-hold', 'cancelled', 'completed', 'failed', 'accepted'],
  'in-progress': ['on-hold', 'completed', 'failed', 'cancelled'],
  'on-hold': ['in-progress', 'cancelled', 'completed', 'failed'],
  rejected: [],
  cancelled: [],
  completed: [],
  failed: [],
};

describe('the referral transition table', () => {
  const actions = Object.keys(TRANSITIONS) as ReferralAction[];
  for (const from of STATUSES) {
    for (const action of actions) {
      const rule = TRANSITIONS[action];
      const allowed = rule.from.includes(from);
      it(`${action} from ${from}: ${allowed ? `→ ${rule.to}` : 'refused'}`, () => {
        // A Family Partner is assigned: starting services needs one (tested apart below).
        const r = referral(from, { ownerReference: 'PractitionerRole/role-fp' });
        const check = canTransition(r, action, supervisor);
        expect(check.allowed).toBe(allowed);
        if (allowed) {
          expect(SDOHCC[from]).toContain(rule.to);
          const planned = planTransition(r, action, supervisor, { at, reason: 'Because' });
          expect(planned.status).toBe(rule.to);
          expect(planned.change).toMatchObject({
            status: rule.to,
            by: 'Practitioner/me',
            at: at.toISOString(),
          });
        } else {
          expect(() => planTransition(r, action, supervisor, { at, reason: 'Because' })).toThrow(
            TransitionRefused,
          );
        }
      });
    }
  }

  it('keeps the waitlist a business status of an accepted Task, entered once, with its reason', () => {
    const planned = planTransition(referral('accepted'), 'waitlist', supervisor, {
      at,
      reason: 'No FP with capacity',
    });
    expect(planned).toMatchObject({ status: 'accepted', stage: 'waitlisted', reason: 'No FP with capacity' });
    expect(canTransition(referral('accepted', { stage: 'waitlisted' }), 'waitlist', supervisor).allowed).toBe(
      false,
    );
    // From the waitlist, services start.
    const waitlisted = referral('accepted', {
      stage: 'waitlisted',
      ownerReference: 'PractitionerRole/role-fp',
    });
    expect(canTransition(waitlisted, 'start', supervisor).allowed).toBe(true);
  });

  it('requires a reason to decline, waitlist, hold, cancel and to record a stop without notice', () => {
    for (const [action, from] of [
      ['decline', 'requested'],
      ['waitlist', 'accepted'],
      ['hold', 'in-progress'],
      ['cancel', 'in-progress'],
      ['fail', 'in-progress'],
    ] as const) {
      expect(() => planTransition(referral(from), action, supervisor, { at, reason: '  ' })).toThrow(
        /Say why/,
      );
    }
    expect(planTransition(referral('requested'), 'accept', supervisor, { at }).reason).toBeUndefined();
  });

  it('revokes the order when a referral is declined, cancelled or stopped, completes it at the end', () => {
    expect(planTransition(referral('requested'), 'decline', supervisor, { at, reason: 'x' }).order).toBe(
      'revoked',
    );
    expect(planTransition(referral('accepted'), 'cancel', supervisor, { at, reason: 'x' }).order).toBe(
      'revoked',
    );
    expect(planTransition(referral('in-progress'), 'complete', supervisor, { at }).order).toBe('completed');
    expect(planTransition(referral('requested'), 'accept', supervisor, { at }).order).toBeUndefined();
  });
});

describe('who may move a referral', () => {
  it('the FST supervisor accepts, declines and waitlists; a Family Partner or clinician may not', () => {
    for (const who of [user(['family-partner']), user(['clinician']), user(['care-coordinator'])]) {
      expect(canTransition(referral('requested'), 'accept', who)).toMatchObject({ allowed: false });
      expect(canTransition(referral('accepted'), 'waitlist', who)).toMatchObject({ allowed: false });
    }
    expect(availableActions(referral('requested'), supervisor)).toEqual(['accept', 'decline', 'cancel']);
  });

  it('the assigned Family Partner starts, holds and resumes services; another Family Partner may not', () => {
    const assigned = referral('accepted', { ownerReference: 'PractitionerRole/role-me' });
    expect(availableActions(assigned, user(['family-partner']))).toEqual(['start', 'hold']);
    const other = referral('accepted', { ownerReference: 'PractitionerRole/role-other' });
    expect(availableActions(other, user(['family-partner']))).toEqual([]);
  });

  it('the referring clinician may cancel their own referral, not another’s', () => {
    const mine = referral('requested', { requesterReference: 'Practitioner/me' });
    expect(availableActions(mine, user(['clinician']))).toEqual(['cancel']);
    expect(availableActions(referral('requested'), user(['clinician']))).toEqual([]);
  });
});

describe('seed 004 §III at the accept step: "must have … and … and …"', () => {
  const request = (criteria: NonNullable<Referral['request']>['criteria']) => ({
    reason: 'Needs support',
    goalIds: ['g1'],
    newGoals: [],
    criteria,
  });

  it('a referral whose checklist says a criterion is not met cannot be accepted', () => {
    const unmet = referral('requested', { request: request({ A: true, B: false, C: true }) });
    const check = canTransition(unmet, 'accept', supervisor);
    expect(check).toMatchObject({ allowed: false, blocker: 'state' });
    expect(!check.allowed && check.reason).toMatch(/Level of functioning/);
    expect(() => planTransition(unmet, 'accept', supervisor, { at })).toThrow(TransitionRefused);
    // Declining it stays possible: that is what the supervisor does with it.
    expect(canTransition(unmet, 'decline', supervisor).allowed).toBe(true);
  });

  it('all three met: accepted', () => {
    const met = referral('requested', { request: request({ A: true, B: true, C: true }) });
    expect(canTransition(met, 'accept', supervisor).allowed).toBe(true);
  });
});

describe('issue 35: a transfer (a Family Partner leaves; the supervisor moves her families)', () => {
  const ROSA = 'PractitionerRole/role-rosa';
  const JAMES = 'PractitionerRole/role-james';
  const rosa = user(['family-partner'], ['Practitioner/rosa', ROSA]);
  const inService = referral('in-progress', { stage: 'active', ownerReference: ROSA });
  const moved = (r: Referral, to: string, reason = 'Rosa left the agency'): Referral => {
    const planned = planAssignment(r, to, supervisor, { at, reason, now: at });
    return {
      ...r,
      ownerReference: planned.owner,
      recordedHistory: [...(r.recordedHistory ?? []), planned.change],
    };
  };

  it('is recorded: who moved the family, when, from whom, to whom and why; the phase is unchanged', () => {
    const after = moved(inService, JAMES);
    expect(transfers(after)).toEqual([
      { at: at.toISOString(), by: 'Practitioner/me', from: ROSA, to: JAMES, reason: 'Rosa left the agency' },
    ]);
    expect(statusHistory(after).map((e) => e.status)).toEqual(statusHistory(inService).map((e) => e.status));
    expect(decideReferralChange(supervisor, inService, after)).toEqual({ allowed: true });
  });

  it('takes a reason, is an FST supervisor’s, and is never dated in the future', () => {
    expect(() => planAssignment(inService, JAMES, supervisor, { at, reason: ' ' })).toThrow(/Say why/);
    expect(() => planAssignment(inService, JAMES, rosa, { at, reason: 'x' })).toThrow(/FST supervisor/);
    expect(() =>
      planAssignment(inService, JAMES, supervisor, {
        at: new Date(at.getTime() + 86_400_000),
        now: at,
        reason: 'x',
      }),
    ).toThrow(/future/);
    // A first assignment needs no reason: nobody served the family yet.
    expect(planAssignment(referral('accepted'), JAMES, supervisor, { at }).change.transfer).toEqual({
      from: 'Organization/org-harbor',
      to: JAMES,
    });
  });

  it('an owner change from one Family Partner to another without its history entry is refused', () => {
    const silent = { ...inService, ownerReference: JAMES };
    const decision = decideReferralChange(supervisor, inService, silent);
    expect(decision.allowed).toBe(false);
    expect(!decision.allowed && decision.reason).toMatch(/recorded in its status history/);
  });

  it('the former Family Partner’s writes are refused, with the day she was moved away; moved back, she writes again', () => {
    const after = moved(inService, JAMES);
    const subject = {
      assignedReference: after.ownerReference,
      formerlyAssigned: formerPartners(after),
      authorReference: 'Practitioner/rosa',
    };
    for (const action of ['log-contact', 'amend-contact', 'manage-services', 'discharge'] as const) {
      const d = decide(rosa, action, subject);
      expect(d.allowed, action).toBe(false);
      expect(!d.allowed && d.reason).toContain(
        `moved to another Family Partner on ${at.toISOString().slice(0, 10)}`,
      );
    }
    expect(decide(rosa, 'log-contact', { assignedReference: ROSA }).allowed).toBe(true);
    const back = moved(after, ROSA, 'Rosa came back');
    expect(formerPartners(back).map((f) => f.reference)).toEqual([JAMES]);
    expect(
      decide(rosa, 'log-contact', { assignedReference: ROSA, formerlyAssigned: formerPartners(back) })
        .allowed,
    ).toBe(true);
  });

  it('a whole caseload moves in one plan of normal transfers; ended episodes and others’ families stay', () => {
    const families = [
      { ...inService, id: 'a' },
      referral('accepted', { id: 'b', ownerReference: ROSA }),
      referral('completed', { id: 'c', ownerReference: ROSA, stage: 'discharged' }),
      referral('in-progress', { id: 'd', ownerReference: JAMES }),
    ];
    const plan = planCaseloadMove(families, ROSA, JAMES, supervisor, { at, reason: 'Rosa left' });
    expect(plan.map((m) => m.referral.id)).toEqual(['a', 'b']);
    for (const m of plan) {
      expect('planned' in m && m.planned.change.transfer).toEqual({ from: ROSA, to: JAMES });
      expect('planned' in m && m.planned.change.reason).toBe('Rosa left');
    }
    expect(planCaseloadMove(families, ROSA, JAMES, supervisor, { at })[0]).toMatchObject({
      problem: expect.stringMatching(/Say why/),
    });
  });
});

describe('issue 35: status changes dated in the future are refused', () => {
  it('planTransition refuses a date after now', () => {
    const now = new Date('2026-11-20T15:00:00Z');
    const tomorrow = new Date('2026-11-21T15:00:00Z');
    expect(() => planTransition(referral('requested'), 'accept', supervisor, { at: tomorrow, now })).toThrow(
      /cannot be dated in the future/,
    );
    expect(planTransition(referral('requested'), 'accept', supervisor, { at: now, now }).status).toBe(
      'accepted',
    );
  });
});
