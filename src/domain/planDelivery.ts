/** When a discharge plan counts as delivered: the 5-business-day clock's moment (seed 000 discharge 5). */
import type { DischargePlanSummary } from './model';

/** The family's own references: a caregiver (RelatedPerson) or the youth's record (Patient.contact). */
export const FAMILY_REFERENCE = /^(RelatedPerson|Patient)\//;

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
