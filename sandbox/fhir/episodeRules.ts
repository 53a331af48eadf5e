/**
 * The episode's invariants, enforced on the server for every write whatever its route (create, transaction
 * entry, update, PATCH): judged on what the store holds after the write, inside the request's all-or-nothing
 * section, by the same pure functions the app calls before it sends (src/domain/episodeRules.ts).
 */
import type { Resource } from '@medplum/fhirtypes';
import type { RecordKind } from '../../src/domain/policy';
import type { Interaction } from '../../src/domain/policy';
import type { Referral } from '../../src/domain/model';
import { secondPlanRefusal, secondReferralRefusal } from '../../src/domain/episodeRules';
import { currentReferral, isOpen } from '../../src/domain/referral';
import { parseReferralTask } from '../../src/fhir/mappers/referral';
import type { GuardContext, Refusal } from './guard';

type Loose = Record<string, unknown>;

const referralOf = (r: Resource | undefined): Referral | undefined => {
  if (r?.resourceType !== 'Task') return undefined;
  const parsed = parseReferralTask(r as never);
  return parsed.ok ? parsed.value : undefined;
};

const nameOf =
  (ctx: GuardContext) =>
  (reference: string): string | undefined => {
    const person = ctx.read(reference) as unknown as
      { name?: { text?: string; given?: string[]; family?: string }[] } | undefined;
    const n = person?.name?.[0];
    if (!n) return undefined;
    return n.text ?? ([...(n.given ?? []), n.family].filter(Boolean).join(' ') || undefined);
  };

/** A refusal when the write breaks one of the episode's invariants; undefined when it may stand. */
export async function episodeRuleRefusal(
  ctx: GuardContext,
  kind: RecordKind,
  interaction: Exclude<Interaction, 'delete'>,
  stored: Resource | undefined,
  after: Resource,
  youth: string | undefined,
): Promise<Refusal | undefined> {
  if (!youth || interaction === 'withdraw') return undefined;
  if (kind === 'referral-task') {
    const next = referralOf(after);
    const before = referralOf(stored);
    // Only a write that opens a referral (a new one, or one reopened) can make a second open one: an open
    // duplicate that came from an EHR can still be accepted, declined or cancelled.
    if (!next || !isOpen(next) || (before && isOpen(before))) return undefined;
    const others = (await ctx.referralsOf(youth)).map(referralOf).filter((r): r is Referral => !!r);
    const text = secondReferralRefusal(others, next.id, nameOf(ctx));
    return text ? { status: 403, text } : undefined;
  }
  if (kind === 'service-plan' && ctx.servicePlansOf) {
    const becomesActive =
      (after as unknown as Loose).status === 'active' &&
      (!stored || (stored as unknown as Loose).status !== 'active');
    if (!becomesActive) return undefined;
    const referrals = (await ctx.referralsOf(youth)).map(referralOf).filter((r): r is Referral => !!r);
    const episode = currentReferral(referrals);
    const plans = (await ctx.servicePlansOf(youth)).map((p) => {
      const o = p as unknown as Loose;
      // A plan written outside the app may lack `created`: its start dates it instead.
      const created =
        (o.created as string | undefined) ?? (o.period as { start?: string } | undefined)?.start;
      return { id: String(p.id), status: String(o.status), created };
    });
    const text = secondPlanRefusal(plans, after.id, episode?.authoredOn);
    return text ? { status: 403, text } : undefined;
  }
  return undefined;
}
