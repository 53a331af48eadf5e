/** FST discharge plan DocumentReference → DischargePlanSummary. */
import { z } from '../../schema/z';
import type { DischargePlanContent } from '../../domain/discharge';
import type { DeliveryMethod, DischargePlanSummary, Parsed, PlanDelivery } from '../../domain/model';
import { CodeSystems } from '../codes';
import { codeableConceptSchema, codeFrom, idFromReference, referenceSchema } from './datatypes';
import { parseResource } from './parse';
import { recordKindOf } from '../recordKind';

const documentSchema = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  id: z.string({ error: 'has no id' }),
  status: z.string(),
  date: z.string({ error: 'has no date' }),
  meta: z.optional(z.looseObject({ versionId: z.optional(z.string()) })),
  relatesTo: z.optional(z.array(z.looseObject({ code: z.string(), target: referenceSchema }))),
  content: z.optional(
    z.array(
      z.looseObject({
        attachment: z.looseObject({
          contentType: z.optional(z.string()),
          data: z.optional(z.string()),
          language: z.optional(z.string()),
        }),
      }),
    ),
  ),
  context: z.optional(
    z.looseObject({
      related: z.optional(z.array(referenceSchema)),
      period: z.optional(z.looseObject({ end: z.optional(z.string()) })),
    }),
  ),
});

export function parseDischargePlan(resource: {
  resourceType: string;
  id?: string;
}): Parsed<DischargePlanSummary> {
  return parseResource(documentSchema, resource, (d) => ({
    id: d.id,
    status: d.status,
    date: d.date,
    lastServiceDate: d.context?.period?.end,
    referralTaskIds: (d.context?.related ?? [])
      .map((r) => idFromReference(r.reference, 'Task'))
      .filter((id): id is string => id !== undefined),
    versionId: d.meta?.versionId,
    content: contentOf(
      d.content?.find((c) => c.attachment.contentType === PLAN_CONTENT_TYPE)?.attachment.data,
    ),
    copies: (d.content ?? [])
      .filter((c) => c.attachment.contentType === 'application/pdf')
      .map((c) => c.attachment.language ?? ''),
    replaces: idFromReference(
      d.relatesTo?.find((r) => r.code === 'replaces')?.target.reference,
      'DocumentReference',
    ),
  }));
}

/** The structured copy of the plan travels as a second attachment of the DocumentReference. */
export const PLAN_CONTENT_TYPE = 'application/vnd.fst-companion.discharge-plan+json';

const text = z.string().check(z.maxLength(20_000));
const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$|^$/));
const contentSchema = z.object({
  caregiverReference: z.string(),
  meetingDate: day,
  participants: text,
  reason: z.optional(
    z.enum(['caregiver-declined', 'no-longer-needed', 'goals-met', 'terminated-without-notice']),
  ),
  criteria: z.object({ A: z.boolean(), B: z.boolean(), C: z.boolean(), D: z.boolean(), E: z.boolean() }),
  goalOutcomes: z.record(z.string(), z.optional(z.enum(['achieved', 'partially-achieved', 'not-achieved']))),
  strategies: text,
  supports: text,
  servicesInPlace: text,
  resources: text,
  followUpPlan: text,
  lastServiceDate: day,
  shareWith: z.object({ 'referring-provider': z.boolean(), 'care-planning-team': z.boolean() }),
  fewerAttemptsReason: z.optional(text),
});

/** Unreadable or foreign content is no content: the correction then starts empty. */
function contentOf(base64: string | undefined): DischargePlanContent | undefined {
  if (!base64) return undefined;
  try {
    const json: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))),
    );
    const parsed = contentSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const deliverySchema = z.looseObject({
  resourceType: z.literal('Communication'),
  id: z.string(),
  status: z.string(),
  sent: z.optional(z.string()),
  medium: z.optional(z.array(codeableConceptSchema)),
  recipient: z.optional(z.array(referenceSchema)),
  payload: z.optional(z.array(z.looseObject({ contentReference: z.optional(referenceSchema) }))),
  meta: z.optional(z.looseObject({ versionId: z.optional(z.string()) })),
});

/** How each delivery method is coded (v3 ParticipationMode). */
export const DELIVERY_MEDIUM: Record<DeliveryMethod, string> = {
  'in-person': 'FACE',
  mail: 'MAILWRIT',
  'secure-message': 'EMAILWRIT',
  fax: 'FAXWRIT',
  portal: 'ONLINEWRIT',
};

const METHOD_OF_MEDIUM = new Map(
  Object.entries(DELIVERY_MEDIUM).map(([method, code]) => [code, method as DeliveryMethod]),
);

/**
 * Adds to each plan its deliveries (one Communication per recipient, category discharge-plan-delivery, whose
 * payload is the plan): planned until sent. The plan is delivered when every planned delivery was sent, on the
 * latest `sent`; a delivery withdrawn (entered in error) or not done does not count either way.
 */
export function withDeliveries(
  plans: readonly DischargePlanSummary[],
  communications: readonly { resourceType: string }[],
): DischargePlanSummary[] {
  const byPlan = new Map<string, PlanDelivery[]>();
  for (const resource of communications) {
    const parsed = deliverySchema.safeParse(resource);
    if (!parsed.success) continue;
    const c = parsed.data;
    const status =
      c.status === 'completed' && c.sent ? 'sent' : c.status === 'preparation' ? 'planned' : undefined;
    if (!status) continue;
    const medium = codeFrom(c.medium, CodeSystems.participationMode);
    for (const p of c.payload ?? []) {
      const id = idFromReference(p.contentReference?.reference, 'DocumentReference');
      if (!id) continue;
      const delivery: PlanDelivery = {
        id: c.id,
        versionId: c.meta?.versionId,
        recipient: c.recipient?.[0]?.reference ?? c.recipient?.[0]?.display ?? '',
        status,
        ...(status === 'sent' ? { sent: c.sent } : {}),
        ...(medium && METHOD_OF_MEDIUM.get(medium) ? { method: METHOD_OF_MEDIUM.get(medium) } : {}),
      };
      byPlan.set(id, [...(byPlan.get(id) ?? []), delivery]);
    }
  }
  return plans.map((plan) => {
    const deliveries = byPlan.get(plan.id);
    if (!deliveries?.length) return plan;
    const sent = deliveries.filter((d) => d.status === 'sent');
    return {
      ...plan,
      deliveries,
      deliveredOn:
        sent.length === deliveries.length
          ? sent
              .map((d) => d.sent ?? '')
              .sort()
              .at(-1)
          : undefined,
      deliveredTo: sent.map((d) => d.recipient),
    };
  });
}

const consentSchema = z.looseObject({
  resourceType: z.literal('Consent'),
  status: z.string(),
  provision: z.optional(
    z.looseObject({
      type: z.optional(z.string()),
      period: z.optional(z.looseObject({ end: z.optional(z.string()) })),
    }),
  ),
});

/** An active Consent that permits (and has not lapsed by `now`): the plan may go beyond the caregiver. */
export function hasActiveConsent(resources: readonly { resourceType: string }[], now: Date): boolean {
  return resources.some((resource) => {
    // Only a consent the guard judges as one (src/fhir/recordKind.ts): one classification for both.
    if (recordKindOf(resource) !== 'consent') return false;
    const parsed = consentSchema.safeParse(resource);
    if (!parsed.success || parsed.data.status !== 'active') return false;
    const provision = parsed.data.provision;
    const end = provision?.period?.end;
    return provision?.type !== 'deny' && (!end || new Date(end) >= now);
  });
}
