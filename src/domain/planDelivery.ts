/**
 * A discharge plan's state as the workspace's first screen needs it, apart from the discharge's rules
 * (`discharge.ts`, loaded with the wizard): when it counts as delivered (the 5-business-day clock's moment,
 * seed 000 discharge 5), and whether the discharge is half finished.
 */
import type { DischargePlanSummary } from './model';

/** The family's own references: a caregiver (RelatedPerson) or the youth's record (Patient.contact). */
const FAMILY_REFERENCE = /^(RelatedPerson|Patient)\//;

/**
 * When the plan had reached those seed 000 discharge 5 names — "the parent/guardian/caregiver and the current
 * referring providers" — the 5-business-day clock's moment: the caregiver's delivery and, when the plan went
 * beyond the family (consent was given), each referring provider's; the treaters' deliveries (discharge 2) are
 * recorded but do not hold the clock. Undefined until all of them are sent. A plan with no delivery records
 * keeps its own `deliveredOn` (what the reader found).
 */
export function planDeliveredOn(
  plan: Pick<DischargePlanSummary, 'deliveries' | 'deliveredOn'>,
  referringProviders: readonly string[],
): string | undefined {
  const deliveries = plan.deliveries ?? [];
  if (deliveries.length === 0) return plan.deliveredOn;
  const firstSent = (match: (recipient: string) => boolean) =>
    deliveries
      .filter((d) => d.status === 'sent' && d.sent && match(d.recipient))
      .map((d) => d.sent ?? '')
      .sort()[0];
  const caregiver = firstSent((r) => FAMILY_REFERENCE.test(r));
  if (!caregiver) return undefined;
  const shared = deliveries.some((d) => !FAMILY_REFERENCE.test(d.recipient));
  const providers = shared
    ? referringProviders.filter((r) => !FAMILY_REFERENCE.test(r)).map((r) => firstSent((x) => x === r))
    : [];
  if (providers.some((p) => p === undefined)) return undefined;
  return [caregiver, ...(providers as string[])].sort().at(-1);
}

/** A referral whose discharge can still be finished: services began and it has not ended. */
const DISCHARGE_OPEN = new Set(['accepted', 'in-progress', 'on-hold']);

/**
 * A discharge that is half finished: its plan is in the chart (a current plan naming the referral) while the
 * referral is still open — the EHR took its part of the two-server write and the record store did not (issue
 * 36). Decided from what the servers hold, so any tab or session sees it until it is finished.
 */
export function halfFinishedDischarge(
  referral: { id: string; status: string } | undefined,
  plans: readonly DischargePlanSummary[],
): DischargePlanSummary | undefined {
  if (!referral || !DISCHARGE_OPEN.has(referral.status)) return undefined;
  return plans.find((d) => d.status === 'current' && !d.replaces && d.referralTaskIds.includes(referral.id));
}
