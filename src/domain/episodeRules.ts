/**
 * The episode's invariants that one write can break, decided once (docs/invariants.md): the app calls these
 * to say so before it sends, and the sandbox's write guard (sandbox/fhir/episodeRules.ts) calls the same
 * functions on what the store would hold after the write, whoever sends it and by whatever route.
 */
import type { Referral } from './model';
import { isFstReferral, isOpen, PHASE_LABEL, phaseOf } from './referral';

/** The youth's open FST referrals other than `candidateId` (the one being written). */
export function otherOpenReferrals(referrals: readonly Referral[], candidateId?: string): Referral[] {
  return referrals.filter((r) => isFstReferral(r) && isOpen(r) && r.id !== candidateId);
}

/**
 * Invariant 1 (seed 000 process spec. 1: "the referring provider is responsible for communicating the reasons for referral and the initial goals to the FST provider" — one referral the provider can act on): a youth has at most one open FST
 * referral. A new referral (or one reopened) is refused while another is open; the refusal names the open one,
 * who referred and when, and what to do instead. `nameOf` turns a reference into a person's name when known.
 */
export function secondReferralRefusal(
  referrals: readonly Referral[],
  candidateId?: string,
  nameOf: (reference: string) => string | undefined = () => undefined,
): string | undefined {
  const open = otherOpenReferrals(referrals, candidateId).sort((a, b) =>
    a.authoredOn < b.authoredOn ? -1 : a.authoredOn > b.authoredOn ? 1 : 0,
  )[0];
  if (!open) return undefined;
  const who = open.requesterReference
    ? (nameOf(open.requesterReference) ?? open.requesterReference)
    : 'someone outside FST';
  return (
    `This youth already has an open FST referral (Task/${open.id}, ${PHASE_LABEL[phaseOf(open)].toLowerCase()}), ` +
    `sent by ${who} on ${open.authoredOn.slice(0, 10)}. Open that referral instead of sending another; ` +
    'to replace it, the referrer or the FST supervisor cancels it first.'
  );
}

/** What the guard needs of an FST service plan: its id, status and when it was written. */
export interface PlanStamp {
  id: string;
  status: string;
  /** ISO instant the plan was first written (CarePlan.created). */
  created?: string;
}

/**
 * Invariant 2 (seed 000 process spec. 3: "The Family Partner determines the appropriate number of hours per week/month" — one plan, one figure, per episode): an
 * episode has at most one active FST service plan. The episode is the youth's current referral: a plan belongs
 * to it when written on or after its referral date. A second active plan is refused; the first one is revised.
 */
export function secondPlanRefusal(
  plans: readonly PlanStamp[],
  candidateId: string | undefined,
  episodeStart: string | undefined,
): string | undefined {
  const since = episodeStart?.slice(0, 10) ?? '';
  const other = plans.find(
    (p) => p.id !== candidateId && p.status === 'active' && (p.created ?? '').slice(0, 10) >= since,
  );
  if (!other) return undefined;
  return (
    `This episode already has an active FST service plan (CarePlan/${other.id}), saved` +
    `${other.created ? ` on ${other.created.slice(0, 10)}` : ''}: reload the plan and revise it there ` +
    'instead of writing a second one.'
  );
}

/**
 * Invariant 1 broken before the app saw it (two open FST referrals written straight to the EHR): every open
 * referral, oldest first, so the supervisor can keep one and cancel the others. Empty when at most one is open.
 */
export function duplicateOpenReferrals(referrals: readonly Referral[]): Referral[] {
  const open = otherOpenReferrals(referrals).sort((a, b) =>
    a.authoredOn < b.authoredOn ? -1 : a.authoredOn > b.authoredOn ? 1 : 0,
  );
  return open.length > 1 ? open : [];
}

/** The reason a duplicate is cancelled with: the referral kept, so the audit trail says where it went. */
export function duplicateCancelReason(kept: Referral, who: string): string {
  return `Duplicate FST referral: merged into Task/${kept.id}, sent by ${who} on ${kept.authoredOn.slice(0, 10)}.`;
}
