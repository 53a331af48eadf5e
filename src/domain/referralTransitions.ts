/**
 * The referral Task's life as a typed transition table, following the SDOH Clinical Care referral Task
 * (TaskForReferralManagement): requested → accepted | rejected | cancelled; accepted → in-progress |
 * on-hold | cancelled | completed | failed; in-progress → on-hold | completed | failed | cancelled;
 * on-hold → in-progress | cancelled | completed | failed. The waitlist is not a Task status: the Task stays
 * `accepted` with our `waitlisted` business status and the reason. Pure: the FHIR layer writes what
 * `planTransition` returns.
 */
import type { ReferralStage, Referral, RecordedStatusChange } from './model';
import type { Action, ActionSubject, AppUser } from './permissions';
import { decide } from './permissions';

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
  /** Allowed only from these business statuses (e.g. the waitlist is entered once, from accepted). */
  fromStages?: readonly (ReferralStage | undefined)[];
}

export const TRANSITIONS: Record<ReferralAction, TransitionRule> = {
  accept: {
    label: 'Accept',
    from: ['requested'],
    to: 'accepted',
    stage: 'referred',
    permission: 'accept-referral',
    reasonRequired: false,
  },
  decline: {
    label: 'Decline',
    from: ['requested'],
    to: 'rejected',
    stage: 'referred',
    permission: 'accept-referral',
    reasonRequired: true,
    order: 'revoked',
  },
  waitlist: {
    label: 'Add to waitlist',
    from: ['accepted'],
    to: 'accepted',
    stage: 'waitlisted',
    permission: 'waitlist',
    reasonRequired: true,
    fromStages: [undefined, 'referred', 'contacted'],
  },
  start: {
    label: 'Start services',
    from: ['accepted'],
    to: 'in-progress',
    stage: 'active',
    permission: 'manage-services',
    reasonRequired: false,
  },
  hold: {
    label: 'Put on hold',
    from: ['accepted', 'in-progress'],
    to: 'on-hold',
    stage: 'active',
    permission: 'manage-services',
    reasonRequired: true,
  },
  resume: {
    label: 'Resume',
    from: ['on-hold'],
    to: 'in-progress',
    stage: 'active',
    permission: 'manage-services',
    reasonRequired: false,
  },
  cancel: {
    label: 'Cancel referral',
    from: ['requested', 'accepted', 'in-progress', 'on-hold'],
    to: 'cancelled',
    stage: 'referred',
    permission: 'cancel-referral',
    reasonRequired: true,
    order: 'revoked',
  },
  complete: {
    label: 'Complete',
    from: ['accepted', 'in-progress', 'on-hold'],
    to: 'completed',
    stage: 'discharged',
    permission: 'discharge',
    reasonRequired: false,
    order: 'completed',
  },
  fail: {
    label: 'Stopped without notice',
    from: ['accepted', 'in-progress', 'on-hold'],
    to: 'failed',
    stage: 'stopped',
    permission: 'discharge',
    reasonRequired: true,
    order: 'revoked',
  },
};

/** The actions offered on the referral card, in this order (complete and fail belong to discharge). */
export const CARD_ACTIONS: readonly ReferralAction[] = [
  'accept',
  'decline',
  'waitlist',
  'start',
  'hold',
  'resume',
  'cancel',
];

export type TransitionCheck = { allowed: true } | { allowed: false; reason: string };

/** Whether `user` may take `action` on `referral` now: the table first, then who may. */
export function canTransition(referral: Referral, action: ReferralAction, user: AppUser): TransitionCheck {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(referral.status as TaskStatus))
    return { allowed: false, reason: `Not possible while the referral is ${referral.status}.` };
  if (rule.fromStages && !rule.fromStages.includes(referral.stage))
    return { allowed: false, reason: `Not possible while the referral is ${referral.stage}.` };
  const subject: ActionSubject = {
    assignedReference: referral.ownerReference,
    requesterReference: referral.requesterReference,
  };
  const decision = decide(user, rule.permission, subject);
  return decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason };
}

/** The actions `user` may take now, for the card's buttons. */
export function availableActions(referral: Referral, user: AppUser): ReferralAction[] {
  return CARD_ACTIONS.filter((a) => canTransition(referral, a, user).allowed);
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
  input: { at: Date; reason?: string },
): PlannedTransition {
  const check = canTransition(referral, action, user);
  if (!check.allowed) throw new TransitionRefused(check.reason);
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
