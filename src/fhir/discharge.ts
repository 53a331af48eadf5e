/**
 * Finalising a discharge: one transaction — the referral Task completed (or failed, when the caregiver
 * stopped without notice) and its order closed, both If-Match on the versions the user saw; the plan
 * (DocumentReference with the PDF), its signatures (Provenance), the consent if given now, and a
 * Communication per recipient. Servers without transactions get the ordered, retry-safe fallback.
 */
import type { Bundle, CodeableConcept, DocumentReference } from 'fhir/r4';
import type { DischargeReason } from '../domain/discharge';
import { DISCHARGE_REASONS } from '../domain/discharge';
import type { Referral } from '../domain/model';
import type { PlannedTransition } from '../domain/referralTransitions';
import type { ServerCapabilities } from './capabilities';
import { CodeSystems } from './codes';
import { fhirRequest } from './http';
import type { FhirTransport } from './http';
import { dischargeResources } from './mappers/dischargeWrite';
import type { DischargeWrite } from './mappers/dischargeWrite';
import { ReferralConflictError, transitionEntries, writeWithReferral } from './referrals';
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

export async function finaliseDischarge(
  transport: FhirTransport,
  caps: ServerCapabilities,
  referral: Referral,
  planned: PlannedTransition,
  reason: DischargeReason,
  write: DischargeWrite,
  signal?: AbortSignal,
): Promise<FinalisedDischarge> {
  const documentUrl = `urn:uuid:${crypto.randomUUID()}`;
  const r = dischargeResources(write, documentUrl);
  const post = (resource: TransactionEntry['resource'], ifNoneExist: string, fullUrl?: string) =>
    ({
      method: 'POST',
      fullUrl: fullUrl ?? `urn:uuid:${crypto.randomUUID()}`,
      resource,
      ifNoneExist,
    }) as const;
  let updates: TransactionEntry[];
  try {
    updates = await transitionEntries(transport, referral, planned, signal, reasonConcept(reason));
  } catch (err) {
    // A retry after an answer that never arrived: the first attempt completed the Task and wrote the plan.
    const earlier =
      err instanceof ReferralConflictError
        ? await findEarlier(transport, r.queries.document, signal)
        : undefined;
    if (earlier) return { documentId: earlier, written: [`DocumentReference/${earlier}`] };
    throw err;
  }
  const entries: TransactionEntry[] = [
    ...updates,
    post(r.document, r.queries.document, documentUrl),
    ...r.provenances.map((p, i) => post(p, r.queries.provenances[i])),
    ...(r.consent ? [post(r.consent, r.queries.consent)] : []),
    ...r.deliveries.map((c, i) => post(c, r.queries.deliveries[i])),
  ];
  const result = await writeWithReferral(transport, caps, referral, entries, signal);
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
