/**
 * Saving the FST service plan: the CarePlan and the note sharing it with the referring provider (or the
 * Care Planning Team) in one transaction. A first save is a conditional create; a revision is an If-Match
 * update of the same plan, so nobody's edit is overwritten.
 */
import type { Bundle, CarePlan, Communication } from 'fhir/r4';
import type { ServicePlan } from '../domain/servicePlan';
import type { ServerCapabilities } from './capabilities';
import { supports } from './capabilities';
import { fhirRequest, unreadableAnswer } from './http';
import { fhirKeys } from './queryKeys';
import type { FhirTransport } from './http';
import { clientRequestQuery } from './codes';
import { idFromReference } from './mappers/datatypes';
import { parseServicePlan, servicePlanResource, shareServicePlan } from './mappers/servicePlan';
import { transaction } from './write';
import type { TransactionEntry } from './write';
import type { SmartSession } from './session';

/** What the server holds of the share, as written: delivered in the EHR, or recorded as not delivered. */
export interface PlanShare {
  delivered: boolean;
  recipient: string;
  /** Why not, in the written record's words. */
  reason?: string;
}

/**
 * Whether a message to the referring provider reaches her: only when it is written in the EHR she works in
 * (a record in the agency's store reaches nobody there).
 */
export function shareReachesReferrer(
  session: Pick<SmartSession, 'recordStore'>,
  caps: ServerCapabilities,
): boolean {
  const router = session.recordStore?.router;
  if (router) return router.writeSideOfType('Communication') === 'ehr';
  return supports(caps, 'Communication', 'create');
}

export async function saveServicePlan(
  transport: FhirTransport,
  caps: ServerCapabilities,
  plan: ServicePlan,
  ctx: {
    patientId: string;
    requestId: string;
    now: Date;
    sender: string;
    shareWith?: string;
    /** shareReachesReferrer: otherwise the share is recorded as not delivered, never as sent. */
    shareDelivered?: boolean;
    /** The EHR's name, for the record of a share it could not take. */
    ehrName?: string;
  },
  signal?: AbortSignal,
): Promise<{ plan: ServicePlan; share?: PlanShare }> {
  const planUrl = plan.id ? `CarePlan/${plan.id}` : `urn:uuid:${crypto.randomUUID()}`;
  const resource = servicePlanResource(plan, ctx);
  const query = (suffix = '') => clientRequestQuery(`${ctx.requestId}${suffix}`);
  const entries: TransactionEntry[] = [
    plan.id
      ? { method: 'PUT', resource: { ...resource, id: plan.id }, ifMatch: plan.versionId ?? '' }
      : { method: 'POST', fullUrl: planUrl, resource, ifNoneExist: query() },
  ];
  if (ctx.shareWith)
    entries.push({
      method: 'POST',
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: shareServicePlan({
        ...ctx,
        planReference: planUrl,
        recipient: ctx.shareWith,
        delivered: ctx.shareDelivered ?? true,
      }),
      ifNoneExist: query('-share'),
    });
  const written = await transaction(transport, caps, entries, signal);
  const parsed = parseServicePlan(written.resources[0] as CarePlan);
  if (!parsed.ok) throw unreadableAnswer(parsed.problem.message);
  const note = written.resources[1] as Communication | undefined;
  return {
    plan: parsed.value,
    share: note && {
      delivered: note.status === 'completed',
      recipient: note.recipient?.[0]?.reference ?? '',
      reason: note.statusReason?.text,
    },
  };
}

/**
 * The latest share of the service plan as the servers hold it (the EHR's and the store's answers merged by
 * the record router): what the plan card says, whatever the save meant to write.
 */
export async function readPlanShare(
  transport: FhirTransport,
  patientId: string,
  planId: string,
  signal?: AbortSignal,
): Promise<(PlanShare & { sent?: string }) | undefined> {
  const query = `Communication?patient=${encodeURIComponent(`Patient/${patientId}`)}&category=${encodeURIComponent(NOTIFICATION)}&_count=50`;
  const answer = await fhirRequest<Bundle>(transport, query, { signal });
  const about = (c: Communication) =>
    (c.about ?? []).some((a) => idFromReference(a.reference, 'CarePlan') === planId);
  const notes = (answer.body.entry ?? [])
    .map((e) => e.resource as Communication | undefined)
    .filter((c): c is Communication => c?.resourceType === 'Communication' && about(c))
    .sort((a, b) => (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''));
  const note = notes[0];
  return (
    note && {
      delivered: note.status === 'completed',
      recipient: note.recipient?.[0]?.reference ?? '',
      reason: note.statusReason?.text,
      sent: note.sent,
    }
  );
}

/** The query key of the plan's latest share (the form invalidates it after a save). */
export const planShareKey = (serverUrl: string, patientId: string) =>
  fhirKeys.patientPart(serverUrl, patientId, 'Communication', 'plan-share');

const NOTIFICATION = 'http://terminology.hl7.org/CodeSystem/communication-category|notification';
