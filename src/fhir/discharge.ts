/**
 * Finalising a discharge: one transaction — the referral Task completed (or failed, when the caregiver
 * stopped without notice) and its order closed, both If-Match on the versions the user saw; the plan
 * (DocumentReference with the PDF), its signatures (Provenance), the consent if given now, and a
 * Communication per recipient. Servers without transactions get the ordered, retry-safe fallback.
 */
import type { Bundle, CodeableConcept, Communication, DocumentReference } from 'fhir/r4';
import type { DischargeReason } from '../domain/discharge';
import { DISCHARGE_REASONS } from '../domain/discharge';
import type { DeliveryMethod, PlanDelivery, Referral } from '../domain/model';
import type { PlannedTransition } from '../domain/referralTransitions';
import type { ServerCapabilities } from './capabilities';
import { CodeSystems } from './codes';
import { FhirError, fhirRequest, VERSION_CONFLICT } from './http';
import type { FhirTransport } from './http';
import { deliveredCommunication, dischargeResources } from './mappers/dischargeWrite';
import type { DischargeWrite } from './mappers/dischargeWrite';
import { ReferralConflictError, transitionEntries, writeWithReferral } from './referrals';
import { transaction, updateIfMatch } from './write';
import type { IfMatchResult } from './write';
import type { TransactionEntry } from './write';

export interface FinalisedDischarge {
  documentId: string;
  /** Every resource the transaction wrote, as `Type/id`. */
  written: string[];
}

const reasonConcept = (reason: DischargeReason): CodeableConcept => ({
  coding: [{ system: CodeSystems.dischargeReason, code: reason }],
  text: DISCHARGE_REASONS[reason],
});

/**
 * What the discharge changes besides creating: the referral's last step (a new plan), or the plan it
 * replaces marked superseded (a corrected plan). Either is an If-Match update on the version the user saw,
 * so a concurrent change is refused, never overwritten, and a retry of a write that landed is found.
 */
export type DischargeGuard =
  | { kind: 'referral'; referral: Referral; planned: PlannedTransition; reason: DischargeReason }
  | { kind: 'correction'; previous: { id: string; versionId?: string } };

/** The plan being corrected changed since the user opened it. */
export class PlanConflictError extends FhirError {
  override name = 'PlanConflictError';
  constructor() {
    super(412, VERSION_CONFLICT);
    this.message = 'The discharge plan was changed by someone else since you opened it. Reload to see it.';
  }
}

async function guardEntries(
  transport: FhirTransport,
  guard: DischargeGuard,
  signal?: AbortSignal,
): Promise<TransactionEntry[]> {
  if (guard.kind === 'referral')
    return transitionEntries(transport, guard.referral, guard.planned, signal, reasonConcept(guard.reason));
  const path = `DocumentReference/${encodeURIComponent(guard.previous.id)}`;
  const stored = (await fhirRequest<DocumentReference>(transport, path, { signal }))
    .body as DocumentReference & {
    id: string;
  };
  if (stored.meta?.versionId !== guard.previous.versionId || stored.status !== 'current')
    throw new PlanConflictError();
  const superseded: DocumentReference & { id: string } = { ...stored, status: 'superseded' };
  return [{ method: 'PUT', resource: superseded, ifMatch: guard.previous.versionId ?? '' }];
}

export async function finaliseDischarge(
  transport: FhirTransport,
  caps: ServerCapabilities,
  guard: DischargeGuard,
  write: DischargeWrite,
  signal?: AbortSignal,
): Promise<FinalisedDischarge> {
  const documentUrl = `urn:uuid:${crypto.randomUUID()}`;
  const r = dischargeResources(
    guard.kind === 'correction' ? { ...write, replaces: guard.previous.id } : write,
    documentUrl,
  );
  const post = (resource: TransactionEntry['resource'], ifNoneExist: string, fullUrl?: string) =>
    ({
      method: 'POST',
      fullUrl: fullUrl ?? `urn:uuid:${crypto.randomUUID()}`,
      resource,
      ifNoneExist,
    }) as const;
  // A retry after an answer that never arrived: the first attempt already wrote the plan.
  const earlier = async (err: unknown) => {
    const conflict = err instanceof ReferralConflictError || err instanceof PlanConflictError;
    const found = conflict ? await findEarlier(transport, r.queries.document, signal) : undefined;
    if (found) return { documentId: found, written: [`DocumentReference/${found}`] };
    throw err;
  };
  let updates: TransactionEntry[];
  try {
    updates = await guardEntries(transport, guard, signal);
  } catch (err) {
    return earlier(err);
  }
  const entries: TransactionEntry[] = [
    ...updates,
    post(r.document, r.queries.document, documentUrl),
    ...r.provenances.map((p, i) => post(p, r.queries.provenances[i])),
    ...(r.consent ? [post(r.consent, r.queries.consent)] : []),
    ...r.deliveries.map((c, i) => post(c, r.queries.deliveries[i])),
  ];
  // A stale version is the referral's conflict (with the stored referral read back to show), or the plan's —
  // unless the version moved because an earlier attempt of this very finalisation landed: then it is done.
  let result: Awaited<ReturnType<typeof transaction>>;
  try {
    result =
      guard.kind === 'referral'
        ? await writeWithReferral(transport, caps, guard.referral, entries, signal)
        : await transaction(transport, caps, entries, signal).catch((err: unknown) => {
            if (err instanceof FhirError && (err.status === 412 || err.status === 409))
              throw new PlanConflictError();
            throw err;
          });
  } catch (err) {
    return earlier(err);
  }
  const written = result.resources.map((res) => `${res.resourceType}/${res.id ?? ''}`);
  const document = result.resources[updates.length] as DocumentReference;
  return { documentId: document.id ?? '', written };
}

async function findEarlier(
  transport: FhirTransport,
  query: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const found = await fhirRequest<Bundle>(transport, `DocumentReference?${query}`, { signal });
  return found.body.entry?.find((e) => e.resource?.resourceType === 'DocumentReference')?.resource?.id;
}

/**
 * A planned delivery, delivered: when and how the plan reached that recipient (If-Match on the version shown,
 * so two people recording the same delivery never overwrite each other).
 */
export async function recordDelivery(
  transport: FhirTransport,
  delivery: PlanDelivery,
  sent: string,
  method: DeliveryMethod,
  signal?: AbortSignal,
): Promise<IfMatchResult<Communication>> {
  return updateIfMatch<Communication>(
    transport,
    `Communication/${encodeURIComponent(delivery.id)}`,
    delivery.versionId ?? '',
    (stored) => deliveredCommunication(stored, sent, method),
    signal,
  );
}
