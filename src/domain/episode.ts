/**
 * Which records make up one referral episode for the compliance clocks: the referral's own contacts
 * (or, for contacts filed without a referral link, every contact of the youth), the goals of the active
 * plans, and — once the referral is closed — its discharge plan.
 */
import type { Episode } from './compliance';
import type { CarePlanSummary, Contact, DischargePlanSummary, Referral } from './model';

const CLOSED = new Set(['completed', 'cancelled', 'failed']);

export interface EpisodeSources {
  referral: Referral;
  contacts: readonly Contact[];
  plans: readonly CarePlanSummary[];
  dischargePlans: readonly DischargePlanSummary[];
}

export function episodeFor({ referral, contacts, plans, dischargePlans }: EpisodeSources): Episode {
  const own = contacts.filter((c) => c.referralTaskId === undefined || c.referralTaskId === referral.id);
  const activePlans = plans.filter((p) => p.status === 'active');
  const goalSource = activePlans.length ? activePlans : plans;
  const planGoalIds = new Set(goalSource.flatMap((p) => p.goals.map((g) => g.id)));
  const closed = CLOSED.has(referral.status) || referral.stage === 'discharged';
  const plan = dischargePlans
    .filter((d) => d.status !== 'entered-in-error' && d.referralTaskIds.includes(referral.id))
    .sort((a, b) => (a.date < b.date ? -1 : 1))[0];
  return {
    referral,
    contacts: own,
    planGoalIds,
    ended: closed
      ? {
          lastServiceDate: plan?.lastServiceDate,
          dischargePlanDeliveredOn: plan?.date,
          dischargePlanReference: plan ? `DocumentReference/${plan.id}` : undefined,
        }
      : undefined,
  };
}
