/** FST discharge plan DocumentReference → DischargePlanSummary. */
import { z } from '../../schema/z';
import type { DischargePlanContent } from '../../domain/discharge';
import type { DischargePlanSummary, Parsed } from '../../domain/model';
import { idFromReference, referenceSchema } from './datatypes';
import { parseResource } from './parse';

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
        attachment: z.looseObject({ contentType: z.optional(z.string()), data: z.optional(z.string()) }),
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
  status: z.string(),
  sent: z.optional(z.string()),
  recipient: z.optional(z.array(referenceSchema)),
  payload: z.optional(z.array(z.looseObject({ contentReference: z.optional(referenceSchema) }))),
});

/**
 * Adds to each plan when it was delivered: the delivery Communications (one per recipient, category
 * discharge-plan-delivery) whose payload is the plan. The plan reached everyone on the latest `sent`.
 */
export function withDeliveries(
  plans: readonly DischargePlanSummary[],
  communications: readonly { resourceType: string }[],
): DischargePlanSummary[] {
  const byPlan = new Map<string, { sent: string; to: string[] }[]>();
  for (const resource of communications) {
    const parsed = deliverySchema.safeParse(resource);
    if (!parsed.success || parsed.data.status !== 'completed' || !parsed.data.sent) continue;
    const c = parsed.data;
    for (const p of c.payload ?? []) {
      const id = idFromReference(p.contentReference?.reference, 'DocumentReference');
      if (!id || !c.sent) continue;
      const to = (c.recipient ?? []).map((r) => r.reference ?? r.display ?? '').filter(Boolean);
      byPlan.set(id, [...(byPlan.get(id) ?? []), { sent: c.sent, to }]);
    }
  }
  return plans.map((plan) => {
    const deliveries = byPlan.get(plan.id);
    if (!deliveries?.length) return plan;
    return {
      ...plan,
      deliveredOn: deliveries
        .map((d) => d.sent)
        .sort()
        .at(-1),
      deliveredTo: deliveries.flatMap((d) => d.to),
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
    const parsed = consentSchema.safeParse(resource);
    if (!parsed.success || parsed.data.status !== 'active') return false;
    const provision = parsed.data.provision;
    const end = provision?.period?.end;
    return provision?.type !== 'deny' && (!end || new Date(end) >= now);
  });
}
