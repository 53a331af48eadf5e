/**
 * Saving the FST service plan: the CarePlan and the note sharing it with the referring provider (or the
 * Care Planning Team) in one transaction. A first save is a conditional create; a revision is an If-Match
 * update of the same plan, so nobody's edit is overwritten.
 */
import type { CarePlan } from 'fhir/r4';
import type { ServicePlan } from '../domain/servicePlan';
import type { ServerCapabilities } from './capabilities';
import { unreadableAnswer } from './http';
import type { FhirTransport } from './http';
import { clientRequestQuery } from './codes';
import { parseServicePlan, servicePlanResource, shareServicePlan } from './mappers/servicePlan';
import { transaction } from './write';
import type { TransactionEntry } from './write';

export async function saveServicePlan(
  transport: FhirTransport,
  caps: ServerCapabilities,
  plan: ServicePlan,
  ctx: { patientId: string; requestId: string; now: Date; sender: string; shareWith?: string },
  signal?: AbortSignal,
): Promise<ServicePlan> {
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
      resource: shareServicePlan({ ...ctx, planReference: planUrl, recipient: ctx.shareWith }),
      ifNoneExist: query('-share'),
    });
  const written = await transaction(transport, caps, entries, signal);
  const parsed = parseServicePlan(written.resources[0] as CarePlan);
  if (!parsed.ok) throw unreadableAnswer(parsed.problem.message);
  return parsed.value;
}
