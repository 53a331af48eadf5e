/**
 * The referral Task's life as a typed transition table, following the SDOH Clinical Care referral Task
 * (TaskForReferralManagement): requested → accepted | rejected | cancelled; accepted → in-progress |
 * on-hold | cancelled | completed | failed; in-progress → on-hold | completed | failed | cancelled;
 * on-hold → in-progress | cancelled | completed | failed. The waitlist is not a Task status: the Task stays
 * `accepted` with our `waitlisted` business status and the reason. Pure: the FHIR layer writes what
 * `planTransition` returns.
 */
import type { ReferralStage, Referral, RecordedStatusChange } from './model';
import type { Action, ActionSubject, AppUser, Decision } from './permissions';
import { decide } from './permissions';
import { admissionCriteriaProblem } from './eligibility';
import type { EpisodePhase } from './referral';
import {
  formerPartners,
  IN_SERVICE_PHASES,
  isPersonReference,
  OPEN_PHASES,
  PHASE_LABEL,
  phaseOf,
} from './referral';

export type TaskStatus =
  'requested' | 'accepted' | 'rejected' | 'cancelled' | 'in-progress' | 'on-hold' | 'completed' | 'failed';

export type ReferralAction =
  'accept' | 'decline' | 'waitlist' | 'start' | 'hold' | 'resume' | 'cancel' | 'complete' | 'fail';

export interface TransitionRule {
  /** The button's words. */
  label: string;
  from: readonly TaskStatus[];
  to: TaskStatus;
  /** Our business status after the change. */
  stage: ReferralStage;
  /** Whose decision it is (src/domain/permissions.ts). */
  permission: Action;
  /** statusReason.text is required (decline, waitlist, hold, cancel; SDOHCC: rejected, cancelled, on-hold, failed). */
  reasonRequired: boolean;
  /** The ServiceRequest's status after the change, when it changes. */
  order?: 'revoked' | 'completed';
  /** The episode phases it is possible in (src/domain/referral.ts): e.g. the waitlist is entered once, from accepted. */
  phases: readonly EpisodePhase[];
  /** Whose decision it is once services have begun (cancelling an episode in service ends the family's services). */
  permissionInService?: Action;
  /** A Family Partner must be assigned first (Task.owner is a person, not the provider organisation). */
  needsAssignedPartner?: boolean;
}

export const TRANSITIONS: Record<ReferralAction, TransitionRule> = {
  accept: {
    label: 'Accept',
    from: ['requested'],
    to: 'accepted',
    stage: 'referred',
    permission: 'accept-referral',
    reasonRequired: false,
    phases: ['requested'],
  },
  decline: {
    label: 'Decline',
    from: ['requested'],
    to: 'rejected',
    stage: 'declined',
    permission: 'accept-referral',
    reasonRequired: true,
    order: 'revoked',
    phases: ['requested'],
  },
  waitlist: {
    label: 'Add to waitlist',
    from: ['accepted'],
    to: 'accepted',
    stage: 'waitlisted',
    permission: 'waitlist',
    reasonRequired: true,
    phases: ['accepted'],
  },
  start: {
    label: 'Start services',
    from: ['accepted'],
    to: 'in-progress',
    stage: 'active',
    permission: 'manage-services',
    reasonRequired: false,
    phases: ['accepted', 'waitlisted'],
    needsAssignedPartner: true,
  },
  hold: {
    label: 'Put on hold',
    from: ['accepted', 'in-progress'],
    to: 'on-hold',
    stage: 'active',
    permission: 'manage-services',
    reasonRequired: true,
    phases: ['accepted', 'waitlisted', 'in-service'],
  },
  resume: {
    label: 'Resume',
    from: ['on-hold'],
    to: 'in-progress',
    stage: 'active',
    permission: 'manage-services',
    reasonRequired: false,
    phases: ['on-hold'],
  },
  cancel: {
    label: 'Cancel referral',
    from: ['requested', 'accepted', 'in-progress', 'on-hold'],
    to: 'cancelled',
    stage: 'cancelled',
    permission: 'cancel-referral',
    reasonRequired: true,
    order: 'revoked',
    phases: ['requested', 'accepted', 'waitlisted', 'in-service', 'on-hold'],
    permissionInService: 'end-service',
  },
  complete: {
    label: 'Complete',
    from: ['accepted', 'in-progress', 'on-hold'],
    to: 'completed',
    stage: 'discharged',
    permission: 'discharge',
    reasonRequired: false,
    order: 'completed',
    phases: ['accepted', 'waitlisted', 'in-service', 'on-hold'],
  },
  fail: {
    label: 'Stopped without notice',
    from: ['accepted', 'in-progress', 'on-hold'],
    to: 'failed',
    stage: 'stopped',
    permission: 'discharge',
    reasonRequired: true,
    order: 'revoked',
    phases: ['accepted', 'waitlisted', 'in-service', 'on-hold', 'stopped'],
  },
};

/** The actions offered on the referral card (complete and fail belong to discharge). */
export type CardAction = Exclude<ReferralAction, 'complete' | 'fail'>;

/** The card's actions, in this order. */
export const CARD_ACTIONS: readonly CardAction[] = [
  'accept',
  'decline',
  'waitlist',
  'start',
  'hold',
  'resume',
  'cancel',
];

/** Why not: not in this phase, not this user's, or waiting on something first (a Family Partner to assign). */
export type TransitionCheck =
  { allowed: true } | { allowed: false; blocker: 'phase' | 'role' | 'state'; reason: string };

/** Whether `user` may take `action` on `referral` now: the table first, then who may. */
export function canTransition(referral: Referral, action: ReferralAction, user: AppUser): TransitionCheck {
  const rule = TRANSITIONS[action];
  const phase = phaseOf(referral);
  if (!rule.phases.includes(phase) || !rule.from.includes(referral.status as TaskStatus))
    return {
      allowed: false,
      blocker: 'phase',
      reason: `Not possible while the referral is ${PHASE_LABEL[phase].toLowerCase()}.`,
    };
  const subject: ActionSubject = {
    assignedReference: referral.ownerReference,
    requesterReference: referral.requesterReference,
    formerlyAssigned: formerPartners(referral),
  };
  const permission =
    rule.permissionInService && IN_SERVICE_PHASES.includes(phase)
      ? rule.permissionInService
      : rule.permission;
  const decision = decide(user, permission, subject);
  if (!decision.allowed) return { allowed: false, blocker: 'role', reason: decision.reason };
  if (rule.needsAssignedPartner && !hasAssignedPartner(referral))
    return { allowed: false, blocker: 'state', reason: 'Assign a Family Partner first.' };
  // Seed 004 §III: a checklist that says a criterion is not met is never accepted.
  const unmet = action === 'accept' ? admissionCriteriaProblem(referral.request?.criteria) : undefined;
  if (unmet) return { allowed: false, blocker: 'state', reason: unmet };
  return { allowed: true };
}

/** True once a person (a Family Partner), not the FST provider organisation, holds the referral. */
export function hasAssignedPartner(referral: Pick<Referral, 'ownerReference'>): boolean {
  return isPersonReference(referral.ownerReference);
}

export interface PlannedTransition {
  status: TaskStatus;
  stage: ReferralStage;
  /** statusReason.text; undefined clears it. */
  reason?: string;
  /** Appended to the Task's status history. */
  change: RecordedStatusChange;
  order?: 'revoked' | 'completed';
}

export class TransitionRefused extends Error {
  override name = 'TransitionRefused';
}

/** What the Task becomes: refused (with the reason in plain words) when the table or the rules say no. */
export function planTransition(
  referral: Referral,
  action: ReferralAction,
  user: AppUser,
  /** `now`, when given, refuses a change dated after it. */
  input: { at: Date; reason?: string; now?: Date },
): PlannedTransition {
  const check = canTransition(referral, action, user);
  if (!check.allowed) throw new TransitionRefused(check.reason);
  const future = input.now && futureChangeProblem(input.at.toISOString(), input.now);
  if (future) throw new TransitionRefused(future);
  const rule = TRANSITIONS[action];
  const reason = input.reason?.trim() || undefined;
  if (rule.reasonRequired && !reason) throw new TransitionRefused(`Say why (${rule.label.toLowerCase()}).`);
  const by = user.references[0];
  return {
    status: rule.to,
    stage: rule.stage,
    reason,
    change: { status: rule.to, stage: rule.stage, at: input.at.toISOString(), by, reason },
    order: rule.order,
  };
}

/** How far ahead of the server's clock a change may be dated: a device clock a little fast is not a lie. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why a status change dated `at` cannot be recorded at `now`: a change is recorded when it happens, so a
 * date in the future would make the clocks count from a day that has not come (issue 35). The app and the
 * sandbox's guard both ask this.
 */
export function futureChangeProblem(at: string, now: Date): string | undefined {
  const when = Date.parse(at);
  if (Number.isNaN(when)) return 'A status change needs the date it happened.';
  return when > now.getTime() + CLOCK_SKEW_MS
    ? `A status change cannot be dated in the future (${at.slice(0, 10)}): record it on the day it happens.`
    : undefined;
}

/** What a change of Family Partner writes: the new owner and its status-history entry. */
export interface PlannedAssignment {
  owner: string;
  change: RecordedStatusChange;
}

/** True when the referral moves from one Family Partner to another (not its first assignment). */
export function isTransfer(referral: Pick<Referral, 'ownerReference'>, to: string): boolean {
  return isPersonReference(referral.ownerReference) && referral.ownerReference !== to;
}

/**
 * A change of Family Partner (seed 000 process 7): an FST supervisor's, on an open episode; moving a family from
 * one Family Partner to another (a transfer: she leaves, say) takes a reason. Recorded in the status history —
 * who moved the family, when, from whom, to whom and why — in the same write as the owner.
 */
export function planAssignment(
  referral: Referral,
  to: string,
  user: AppUser,
  input: { at: Date; reason?: string; now?: Date },
): PlannedAssignment {
  const allowed = decide(user, 'assign-family-partner');
  if (!allowed.allowed) throw new TransitionRefused(allowed.reason);
  const phase = phaseOf(referral);
  if (!OPEN_PHASES.includes(phase))
    throw new TransitionRefused(
      `The family cannot be moved while the episode is ${PHASE_LABEL[phase].toLowerCase()}.`,
    );
  if (referral.ownerReference === to)
    throw new TransitionRefused('This Family Partner already serves the family.');
  const reason = input.reason?.trim() || undefined;
  if (isTransfer(referral, to) && !reason)
    throw new TransitionRefused(
      'Say why the family moves to another Family Partner: the reason is kept in the status history.',
    );
  const future = input.now && futureChangeProblem(input.at.toISOString(), input.now);
  if (future) throw new TransitionRefused(future);
  return {
    owner: to,
    change: {
      status: referral.status,
      stage: referral.stage,
      at: input.at.toISOString(),
      by: user.references[0],
      reason,
      transfer: referral.ownerReference ? { from: referral.ownerReference, to } : { to },
    },
  };
}

/**
 * A stored change of owner is recorded in the status history: one entry, from the owner before to the owner
 * after, with a reason when the family moves from one Family Partner to another. Undefined when it is.
 */
function assignmentRecordProblem(before: Referral, after: Referral): string | undefined {
  const added = (after.recordedHistory ?? []).slice((before.recordedHistory ?? []).length);
  const entry = added.find((c) => c.transfer);
  const to = after.ownerReference ?? '';
  if (!isTransfer(before, to)) {
    // A first assignment may be recorded (the app does); when it is, it says whose the family now is.
    return entry && entry.transfer?.to !== to
      ? 'The history entry must name the new Family Partner.'
      : undefined;
  }
  if (!entry)
    return 'Moving a family to another Family Partner is recorded in its status history (who, when, from whom, to whom, why).';
  if (entry.transfer?.from !== before.ownerReference || entry.transfer?.to !== to)
    return 'The transfer’s history entry must name the Family Partner before and after.';
  if (!entry.reason?.trim())
    return 'Say why the family moves to another Family Partner: the reason is kept in the status history.';
  return undefined;
}

/**
 * Whether `user` may change a stored referral into `after`, whatever the route: a change of owner is an
 * assignment (FST supervisors); a status change must be a step of the table this user may take; a change
 * that takes no step (bookkeeping: dates, notes) is for those who run the referral. The sandbox's write guard
 * asks this; the app's buttons ask `canTransition` for the same steps.
 */
export function decideReferralChange(user: AppUser, before: Referral, after: Referral): Decision {
  if (after.ownerReference !== before.ownerReference) {
    const assign = decide(user, 'assign-family-partner');
    if (!assign.allowed) return assign;
    const unrecorded = assignmentRecordProblem(before, after);
    if (unrecorded) return { allowed: false, reason: unrecorded };
  }
  if (after.status === before.status && after.stage === before.stage) {
    if (after.ownerReference !== before.ownerReference) return { allowed: true };
    const runs =
      decide(user, 'accept-referral').allowed ||
      decide(user, 'manage-services', { assignedReference: before.ownerReference }).allowed ||
      decide(user, 'cancel-referral', { requesterReference: before.requesterReference }).allowed;
    return runs
      ? { allowed: true }
      : { allowed: false, reason: 'Only the FST provider or the referrer changes a referral.' };
  }
  if (after.status === 'entered-in-error')
    return decide(user, 'cancel-referral', { requesterReference: before.requesterReference });
  const checks = (Object.keys(TRANSITIONS) as ReferralAction[])
    .filter((a) => TRANSITIONS[a].to === after.status && TRANSITIONS[a].stage === after.stage)
    .map((a) => canTransition(before, a, user));
  if (checks.some((c) => c.allowed)) return { allowed: true };
  const refused = checks.find((c) => !c.allowed);
  return {
    allowed: false,
    reason:
      refused && !refused.allowed
        ? refused.reason
        : `A referral cannot go from ${before.status} to ${after.status}.`,
  };
}

/** One family of a Family Partner's caseload moved at once: its planned transfer, or why it cannot move. */
export type CaseloadMove =
  { referral: Referral; planned: PlannedAssignment } | { referral: Referral; problem: string };

/**
 * Moving every open family of one Family Partner to another (she leaves the agency, say): one planned transfer
 * per family, each a normal transfer (`planAssignment`) — the preview lists them before anything is written.
 * Ended episodes stay as they were: their history is not rewritten.
 */
export function planCaseloadMove(
  referrals: readonly Referral[],
  from: string,
  to: string,
  user: AppUser,
  input: { at: Date; reason?: string; now?: Date },
): CaseloadMove[] {
  return referrals
    .filter((r) => r.ownerReference === from && OPEN_PHASES.includes(phaseOf(r)))
    .map((referral) => {
      try {
        return { referral, planned: planAssignment(referral, to, user, input) };
      } catch (err) {
        return { referral, problem: err instanceof Error ? err.message : String(err) };
      }
    });
}
