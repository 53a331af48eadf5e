/**
 * Which records make up one referral episode for the compliance clocks: the referral and its status
 * history, the contacts made by FST staff for it (or, for contacts filed without a referral link, every
 * FST contact of the youth), the goals of the current plan, and — once the episode has ended — its end
 * and discharge plan.
 */
import type { Episode } from './compliance';
import type { CarePlanSummary, Contact, ContactGap, DischargePlanSummary, Referral } from './model';
import { currentGoals, currentPlans, episodeEnd, isFstReferral, statusHistory } from './referral';
import type { Meeting } from './meetings';
import { countsAsCollateral, treatersOf } from './meetings';
import { planDeliveredOn } from './planDelivery';

export interface EpisodeSources {
  referral: Referral;
  contacts: readonly Contact[];
  /** Contacts of the youth known to exist but not read (see Episode.contactsGap). */
  contactsGap?: ContactGap;
  plans: readonly CarePlanSummary[];
  dischargePlans: readonly DischargePlanSummary[];
  /**
   * References of FST staff (Family Partners, supervisors). A contact sent by anyone else — a clinician's
   * call — never counts toward an FST clock. Undefined when the staff list could not be read.
   */
  fstStaff?: ReadonlySet<string>;
  /** Continuing-stay reviews recorded (for this referral's order, or without one). */
  reviews?: readonly {
    at: string;
    serviceRequestId?: string;
    /** What the review found (seed 004 §IV): the admission criteria still hold; goals remain. */
    criteriaHold?: boolean;
    goalsRemain?: boolean;
  }[];
  reviewIntervalDays?: number;
  /** Team meetings FST logged: those with the youth's provider and an update stand in for collateral contact. */
  meetings?: readonly Meeting[];
}

/** True when the contact counts for FST: made by FST staff (when known) for this referral. */
export function countsForEpisode(c: Contact, referralId: string, fstStaff?: ReadonlySet<string>): boolean {
  if (c.referralTaskId !== undefined && c.referralTaskId !== referralId) return false;
  return !fstStaff || (c.senderReference !== undefined && fstStaff.has(c.senderReference));
}

/**
 * The contacts of the episode on screen. A re-referred youth starts clean: a contact linked to a referral
 * belongs to it; one filed without a link belongs to the latest referral made before it (or, sent before
 * every referral, to the first).
 */
export function contactsOfEpisode(
  contacts: readonly Contact[],
  referral: Referral | undefined,
  referrals: readonly Referral[],
): Contact[] {
  if (!referral) return [...contacts];
  const episodes = referrals
    .filter((r) => isFstReferral(r) || r.id === referral.id)
    .map((r) => ({ id: r.id, from: Date.parse(r.authoredOn) }))
    .sort((a, b) => a.from - b.from);
  const ownerOf = (sent: number) => episodes.filter((e) => e.from <= sent).at(-1)?.id ?? episodes[0]?.id;
  return contacts.filter((c) =>
    c.referralTaskId !== undefined
      ? c.referralTaskId === referral.id
      : ownerOf(Date.parse(c.sent)) === referral.id,
  );
}

export function episodeFor({
  referral,
  contacts,
  contactsGap,
  plans,
  dischargePlans,
  fstStaff,
  reviews,
  reviewIntervalDays,
  meetings,
}: EpisodeSources): Episode {
  const history = statusHistory(referral);
  const ownReviews = (reviews ?? []).filter(
    (r) => !r.serviceRequestId || r.serviceRequestId === referral.serviceRequestId,
  );
  const goals = currentGoals(plans);
  // The youth's providers, once for all meetings (not once per meeting).
  const treaters = treatersOf(currentPlans(plans), referral);
  const end = episodeEnd(referral, history);
  const plan = dischargePlans
    .filter((d) => d.status !== 'entered-in-error' && d.referralTaskIds.includes(referral.id))
    .sort((a, b) => (a.date < b.date ? -1 : 1))[0];
  return {
    referral,
    history,
    contacts: contacts.filter((c) => countsForEpisode(c, referral.id, fstStaff)),
    contactsGap,
    planGoalIds: new Set(goals.map((g) => g.id)),
    reviews: ownReviews.map((r) => r.at),
    lastReview: ownReviews.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).at(-1),
    allGoalsAchieved: goals.length > 0 && goals.every((g) => g.achievementStatus === 'achieved'),
    reviewIntervalDays,
    collateralMeetings: (meetings ?? []).filter((m) => countsAsCollateral(m, treaters)),
    treaters,
    ended: end
      ? {
          kind: end.kind,
          at: end.at,
          lastServiceDate: plan?.lastServiceDate,
          // Met by the real delivery to every recipient, never by the plan's own date (seed 000 discharge 5).
          // Seed 000 discharge 5: the caregiver and each current referring provider (planDeliveredOn).
          dischargePlanDeliveredOn: plan
            ? planDeliveredOn(plan, referral.requesterReference ? [referral.requesterReference] : [])
            : undefined,
          dischargePlanReference: plan ? `DocumentReference/${plan.id}` : undefined,
        }
      : undefined,
  };
}
