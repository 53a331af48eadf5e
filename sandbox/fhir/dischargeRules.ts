/**
 * Seed 000 discharge 1–5 and 004 §V on the server (issue 37: "the guard refuses a plan/delivery set that the
 * domain would refuse"). The plan's structured content (the attachment beside its PDF) is judged by the
 * domain's own `dischargeProblems` against what the servers hold — the plans' goals, ICC or not, the consent on
 * file, the documented attempts to reach the caregiver, the signer's role — and its deliveries by
 * `deliverySetProblems` against the recipients the domain decides (`recipientsOf`, `planRecipients`).
 *
 * When each part is judged: a new plan, on its content (its signature too when the request carries it); the
 * request that finalises it (writes the plan, or the caregiver's signature of it) with its deliveries, on
 * everything — content, signature and who receives it — once. Our servers take a plan's deliveries in that one
 * request (the app writes the discharge as one transaction; with the FST records in a store, the plan goes to the
 * EHR first and the signatures, consent and deliveries to the store together), so the set is judged whole. Any
 * other new delivery reaches nobody beyond the family without consent. A plan with no deliveries yet is the first
 * half of the two-server write: the clock shows it undelivered and the workspace offers to finish it
 * (`halfFinishedDischarge`). Reading: a plan without our structured copy is not judged (the domain cannot read it).
 */
import type { Resource } from '@medplum/fhirtypes';
import { civilDateOf, civilToIso, DEFAULT_CALENDAR } from '../../src/domain/calendar';
import type { DischargeContext, DischargeDraft } from '../../src/domain/discharge';
import {
  deliverySetProblems,
  dischargeProblems,
  emptyDischargeDraft,
  planRecipients,
} from '../../src/domain/discharge';
import { FAMILY_REFERENCE } from '../../src/domain/planDelivery';
import { countsForEpisode } from '../../src/domain/episode';
import { isFstStaff, isSupervisor } from '../../src/domain/permissions';
import { currentGoals, currentPlans } from '../../src/domain/referral';
import { parseContact } from '../../src/fhir/mappers/contact';
import { hasActiveConsent, parseDischargePlan } from '../../src/fhir/mappers/dischargePlan';
import { CAREGIVER_SIGNATURE_CODE, UNSIGNED_PREFIX } from '../../src/fhir/mappers/dischargeWrite';
import { plansWithGoalsAndTeams, parseSafetyPlan } from '../../src/fhir/mappers/plan';
import { parseReferralTask } from '../../src/fhir/mappers/referral';
import { isServicePlan } from '../../src/fhir/mappers/servicePlan';
import { recordKindOf } from '../../src/fhir/recordKind';
import type { Interaction, RecordKind } from '../../src/domain/policy';
import type { GuardContext, Refusal } from './guard';

type Loose = Record<string, unknown>;
const refOf = (v: unknown): string | undefined => (v as { reference?: string } | undefined)?.reference;
const forbidden = (text: string): Refusal => ({ status: 403, text });
const invalid = (text: string): Refusal => ({ status: 400, text });

/** The discharge rule a new plan or delivery breaks, or undefined (called by the guard, judgeWrite). */
export async function dischargeRuleRefusal(
  kind: RecordKind,
  interaction: Exclude<Interaction, 'delete'>,
  after: Resource,
  ctx: GuardContext,
  youth: string | undefined,
): Promise<Refusal | undefined> {
  if (interaction !== 'create') return undefined;
  if (kind === 'discharge-plan') return planRefusal(after, ctx, youth);
  if (kind === 'discharge-delivery') return deliveryRefusal(after, ctx, youth);
  return undefined;
}

/** A new discharge plan, judged on its content (and its signature when this request carries it). */
async function planRefusal(
  plan: Resource,
  ctx: GuardContext,
  youth: string | undefined,
): Promise<Refusal | undefined> {
  if ((plan as unknown as Loose).status !== 'current') return undefined;
  const planRef = `DocumentReference/${plan.id ?? ''}`;
  // Written with its deliveries: judged whole with them (deliveryRefusal), once.
  const delivered = (ctx.journal ?? []).some(
    (e) =>
      e.after &&
      recordKindOf(e.after, ctx.read) === 'discharge-delivery' &&
      payloadOf(e.after, ctx) === planRef,
  );
  return delivered ? undefined : judge(plan, planRef, ctx, youth, undefined);
}

/**
 * A new delivery of a plan. Nobody beyond the family receives it without the caregiver's consent (on file on
 * either server, or given in this request). In the request that finalises the plan — it writes the plan, or the
 * caregiver's signature of it — the plan and every delivery of it this request writes are judged as one set.
 */
async function deliveryRefusal(
  delivery: Resource,
  ctx: GuardContext,
  youth: string | undefined,
): Promise<Refusal | undefined> {
  const written = (ctx.journal ?? []).map((e) => e.after).filter((r): r is Resource => r !== undefined);
  const recipientsOf = (r: Resource) =>
    ((r as unknown as Loose).recipient as { reference?: string }[] | undefined)?.map((to) =>
      to.reference ? (ctx.resolve(to.reference) ?? to.reference) : undefined,
    ) ?? [];
  const beyond = recipientsOf(delivery).filter(
    (r): r is string => r !== undefined && !FAMILY_REFERENCE.test(r),
  );
  if (beyond.length && youth) {
    const consents = ctx.consentsOf ? await ctx.consentsOf(youth) : [];
    if (!hasActiveConsent(consents, ctx.now?.() ?? new Date()))
      return forbidden(
        `Without the caregiver's consent the plan goes to the caregiver only, not to ${beyond.join(', ')}.`,
      );
  }
  const planRef = payloadOf(delivery, ctx);
  const plan = planRef ? ctx.read(planRef) : undefined;
  if (!planRef || !plan || recordKindOf(plan, ctx.read) !== 'discharge-plan') return undefined;
  const finalising = written.some(
    (r) =>
      (r.resourceType === 'DocumentReference' && `DocumentReference/${r.id ?? ''}` === planRef) ||
      signs(r, planRef, ctx),
  );
  if (!finalising) return undefined;
  const recipients = written
    .filter((r) => recordKindOf(r, ctx.read) === 'discharge-delivery' && payloadOf(r, ctx) === planRef)
    .flatMap((r) => {
      const to = recipientsOf(r);
      return to.length ? to : [undefined];
    });
  // Every delivery of the set asks the same question: answered once per request.
  const key = ctx.journal ?? [];
  const asked = judged.get(key) ?? new Map<string, Promise<Refusal | undefined>>();
  judged.set(key, asked);
  const answer = asked.get(planRef) ?? judge(plan, planRef, ctx, youth, recipients);
  asked.set(planRef, answer);
  return answer;
}

const judged = new WeakMap<object, Map<string, Promise<Refusal | undefined>>>();

/** The caregiver's signature of the plan (a Provenance with the ASTM consent signature targeting it). */
function signs(r: Resource, planRef: string, ctx: GuardContext): boolean {
  return (
    r.resourceType === 'Provenance' &&
    Boolean(
      ((r as unknown as Loose).target as { reference?: string }[] | undefined)?.some(
        (t) => t.reference && (ctx.resolve(t.reference) ?? t.reference) === planRef,
      ),
    ) &&
    Boolean(
      ((r as unknown as Loose).signature as { type?: { code?: string }[] }[] | undefined)?.some((s) =>
        s.type?.some((t) => t.code === CAREGIVER_SIGNATURE_CODE),
      ),
    )
  );
}

/** The plan a delivery carries, read as the guard reads references (this server's `Type/id`, or absolute). */
function payloadOf(c: Resource, ctx: GuardContext): string | undefined {
  const ref = refOf(
    ((c as unknown as Loose).payload as { contentReference?: unknown }[] | undefined)?.[0]?.contentReference,
  );
  return ref ? (ctx.resolve(ref) ?? ref) : undefined;
}

async function judge(
  plan: Resource,
  planRef: string,
  ctx: GuardContext,
  youth: string | undefined,
  /** The deliveries' recipients, when the request writes them; undefined when only the plan is judged. */
  recipients: readonly (string | undefined)[] | undefined,
): Promise<Refusal | undefined> {
  const parsed = parseDischargePlan(plan);
  const content = parsed.ok ? parsed.value.content : undefined;
  // Reading: a plan without our structured copy (another system's discharge summary, or ours where the EHR
  // takes only the PDF: config `chartAttachments`) is judged on nothing it cannot read — its content is not
  // judged, its deliveries still are. Another system's document with no delivery written is kept as is.
  if (!content && !recipients) return undefined;
  const taskRef = (
    (plan as unknown as Loose).context as { related?: { reference?: string }[] } | undefined
  )?.related
    ?.map((r) => r.reference && (ctx.resolve(r.reference) ?? r.reference))
    .find((r) => r && /(^|\/)Task\/[^/]+$/.test(r));
  const task = taskRef ? ctx.read(taskRef) : undefined;
  const referral = task ? parseReferralTask(task) : undefined;
  if (!referral?.ok || !youth) return invalid('A discharge plan names the FST referral it ends.');
  const now = ctx.now?.() ?? new Date();
  const dayOf = (instant: string) => civilToIso(civilDateOf(instant, DEFAULT_CALENDAR.timeZone));

  const records = async (type: string) => (ctx.recordsOf ? ctx.recordsOf(type, youth) : []);
  const [carePlans, goals, teams, communications, consents] = await Promise.all([
    records('CarePlan'),
    records('Goal'),
    records('CareTeam'),
    records('Communication'),
    ctx.consentsOf ? ctx.consentsOf(youth) : Promise.resolve([]),
  ]);
  const plans = currentPlans(
    plansWithGoalsAndTeams(
      [...goals, ...teams, ...carePlans],
      (p) => isServicePlan(p as Resource) || parseSafetyPlan(p) !== undefined,
    ).plans.flatMap((p) => (p.ok ? [p.value] : [])),
  );
  const attempts = communications
    .map(parseContact)
    .flatMap((c) => (c.ok ? [c.value] : []))
    .filter(
      (c) => c.kind === 'caregiver' && c.status === 'not-done' && countsForEpisode(c, referral.value.id),
    )
    .map((c) => ({ day: dayOf(c.sent), method: c.method }));
  const dctx: DischargeContext = {
    goals: currentGoals(plans),
    today: dayOf(now.toISOString()),
    episodeStart: dayOf(referral.value.authoredOn),
    inIcc: plans.some((p) => p.kind === 'icp'),
    consentOnFile: hasActiveConsent(consents, now),
    attempts,
    mayWaiveOutreach: ctx.user ? isSupervisor(ctx.user) : false,
  };

  // The caregiver's signature: the plan says why there is none, or this request signs it.
  const written = (ctx.journal ?? []).map((e) => e.after).filter((r): r is Resource => r !== undefined);
  const description = String((plan as unknown as Loose).description ?? '');
  const signed = written.some((r) => signs(r, planRef, ctx));
  const signature: DischargeDraft['signature'] = description.startsWith(UNSIGNED_PREFIX)
    ? { kind: 'unsigned', reason: description.slice(UNSIGNED_PREFIX.length) }
    : signed
      ? { kind: 'typed', typedName: 'signed', confirmed: true }
      : undefined;
  const consentNow = written.some((r) => recordKindOf(r, ctx.read) === 'consent');
  const draft: DischargeDraft = {
    ...(content ?? emptyDischargeDraft('')),
    requestId: '',
    signature,
    consent: consentNow ? 'given-now' : dctx.consentOnFile ? 'on-file' : 'not-given',
  };
  // Only the plan is written here: its signature comes with its deliveries (the two-server write).
  const signatureKnown = signature !== undefined || recipients !== undefined;
  const problems = content
    ? dischargeProblems(draft, dctx)
        .filter((p) => signatureKnown || (p.field !== 'signature' && p.field !== 'consent'))
        .map((p) => p.message)
    : [];
  // A corrected plan goes where the correction sends it: the set owed was judged when the plan it replaces
  // was finalised (its deliveries stand), so only a first plan's set is judged here.
  const replaces = ((plan as unknown as Loose).relatesTo as { code?: string }[] | undefined)?.some(
    (r) => r.code === 'replaces',
  );
  if (recipients && !replaces) {
    const fst = new Set<string>();
    for (const m of plans.flatMap((p) => p.careTeam))
      // FST's own staff, as the workspace reads them: a treating clinician with an app role is still a treater.
      if (isFstStaff({ roles: await ctx.rolesOf(m.reference) })) fst.add(m.reference);
    const expected = planRecipients(
      referral.value.requesterReference,
      plans.flatMap((p) => p.careTeam),
      (r) => fst.has(r),
    );
    problems.push(...deliverySetProblems(draft, dctx, expected, recipients));
  }
  return problems.length ? forbidden(`The discharge plan cannot be kept: ${problems.join(' ')}`) : undefined;
}
