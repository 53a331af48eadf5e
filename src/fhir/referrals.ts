/**
 * Writing referrals. A new referral is one transaction (checklist, order, Task). A status change is one
 * transaction too: the Task updated with If-Match on the version the user saw — status, business status,
 * reason and the status-history entry together — and, when the table says so, its ServiceRequest revoked
 * or completed. A stale version is refused with the other version, never overwritten.
 */
import type { CodeableConcept, ServiceRequest, Task } from 'fhir/r4';
import type { Referral, ReferralDraft } from '../domain/model';
import type { PlannedTransition } from '../domain/referralTransitions';
import type { ServerCapabilities } from './capabilities';
import { CodeSystems } from './codes';
import { FhirError, fhirRequest, unreadableAnswer } from './http';
import type { FhirTransport } from './http';
import { matchOverrideNote, parseReferralTask, statusHistoryExtension } from './mappers/referral';
import { referralResources } from './mappers/referralWrite';
import { transaction } from './write';
import { ReferralConflictError } from './referralConflict';
import type { TransactionEntry, TransactionResult } from './write';

export { ReferralConflictError };

export function toReferral(task: Task): Referral {
  const parsed = parseReferralTask(task);
  if (!parsed.ok) throw unreadableAnswer(parsed.problem.message);
  return parsed.value;
}

/** Sends a referral: checklist, order and Task, all or nothing; a retry finds the first attempt's. */
export async function createReferral(
  transport: FhirTransport,
  caps: ServerCapabilities,
  draft: ReferralDraft,
  signal?: AbortSignal,
): Promise<Referral> {
  const urls = { checklist: `urn:uuid:${crypto.randomUUID()}`, order: `urn:uuid:${crypto.randomUUID()}` };
  const r = referralResources(draft, urls);
  const written = await transaction(
    transport,
    caps,
    [
      { method: 'POST', fullUrl: urls.checklist, resource: r.checklist, ifNoneExist: r.query },
      { method: 'POST', fullUrl: urls.order, resource: r.order, ifNoneExist: r.query },
      { method: 'POST', fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource: r.task, ifNoneExist: r.query },
    ],
    signal,
  );
  return toReferral(written.resources[2] as Task);
}

async function currentTask(
  transport: FhirTransport,
  referral: Referral,
  signal?: AbortSignal,
): Promise<Task & { id: string }> {
  const task = (await fhirRequest<Task>(transport, `Task/${encodeURIComponent(referral.id)}`, { signal }))
    .body;
  if (task.meta?.versionId !== undefined && task.meta.versionId !== referral.versionId)
    throw new ReferralConflictError(toReferral(task));
  return task as Task & { id: string };
}

/**
 * Writes `entries` (the Task's If-Match update first) all or nothing; a stale Task version is refused as a
 * conflict carrying the stored referral, never overwritten.
 */
export async function writeWithReferral(
  transport: FhirTransport,
  caps: ServerCapabilities,
  referral: Referral,
  entries: TransactionEntry[],
  signal?: AbortSignal,
): Promise<TransactionResult> {
  try {
    return await transaction(transport, caps, entries, signal);
  } catch (err) {
    if (err instanceof FhirError && (err.status === 412 || err.status === 409)) {
      const task = (await fhirRequest<Task>(transport, `Task/${encodeURIComponent(referral.id)}`, { signal }))
        .body;
      throw new ReferralConflictError(toReferral(task));
    }
    throw err;
  }
}

/**
 * The If-Match updates a planned status change makes: the Task (status, business status, reason, the
 * status-history entry) and, when the table says so, its order. Refused as a conflict if the Task changed
 * since the user read it.
 */
export async function transitionEntries(
  transport: FhirTransport,
  referral: Referral,
  planned: PlannedTransition,
  signal?: AbortSignal,
  statusReason?: CodeableConcept,
): Promise<TransactionEntry[]> {
  const task = await currentTask(transport, referral, signal);
  const updated: Task & { id: string } = {
    ...task,
    status: planned.status,
    businessStatus: {
      coding: [{ system: CodeSystems.referralStatus, code: planned.stage }],
      text: planned.stage,
    },
    statusReason: statusReason ?? (planned.reason ? { text: planned.reason } : undefined),
    lastModified: planned.change.at,
    extension: [...(task.extension ?? []), statusHistoryExtension(planned.change)],
  };
  const entries: TransactionEntry[] = [
    { method: 'PUT', resource: updated, ifMatch: referral.versionId ?? '' },
  ];
  if (planned.order && referral.serviceRequestId) {
    const path = `ServiceRequest/${encodeURIComponent(referral.serviceRequestId)}`;
    const order = (await fhirRequest<ServiceRequest>(transport, path, { signal })).body as ServiceRequest & {
      id: string;
    };
    const changed: ServiceRequest & { id: string } = { ...order, status: planned.order };
    entries.push({ method: 'PUT', resource: changed, ifMatch: order.meta?.versionId ?? '' });
  }
  return entries;
}

/** Applies a planned status change (src/domain/referralTransitions.ts) to the stored Task and its order. */
export async function applyTransition(
  transport: FhirTransport,
  caps: ServerCapabilities,
  referral: Referral,
  planned: PlannedTransition,
  signal?: AbortSignal,
): Promise<Referral> {
  const entries = await transitionEntries(transport, referral, planned, signal);
  const written = await writeWithReferral(transport, caps, referral, entries, signal);
  return toReferral(written.resources[0] as Task);
}

/**
 * Makes a Family Partner (their PractitionerRole) the Task's owner. Chosen over the best match, the Task keeps
 * the supervisor's reason in the same write (seed 000 process 7).
 */
export async function assignFamilyPartner(
  transport: FhirTransport,
  caps: ServerCapabilities,
  referral: Referral,
  roleReference: string,
  now: Date,
  override?: { suggested: string; reason: string; by?: string },
  signal?: AbortSignal,
): Promise<Referral> {
  const task = await currentTask(transport, referral, signal);
  const updated = {
    ...task,
    owner: { reference: roleReference },
    lastModified: now.toISOString(),
    ...(override
      ? {
          note: [
            ...(task.note ?? []),
            matchOverrideNote({ ...override, chosen: roleReference, at: now.toISOString() }),
          ],
        }
      : {}),
  };
  const written = await writeWithReferral(
    transport,
    caps,
    referral,
    [{ method: 'PUT', resource: updated, ifMatch: referral.versionId ?? '' }],
    signal,
  );
  return toReferral(written.resources[0] as Task);
}
