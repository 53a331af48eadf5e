/**
 * Writing FST contacts. A save is idempotent: the draft's client-generated identifier goes on the
 * Communication and the create is conditional (If-None-Exist), or — on servers without conditional
 * create — preceded by a search for that identifier. A retried save therefore never duplicates.
 * Corrections are versioned (If-Match): a concurrent edit is refused (412), never overwritten.
 */
import { clientRequestQuery } from './codes';
import type { Bundle, Communication } from 'fhir/r4';
import type { Contact, ContactDraft } from '../domain/model';
import type { ServerCapabilities } from './capabilities';
import { FhirError, fhirRequest, unreadableAnswer, VERSION_CONFLICT } from './http';
import type { FhirTransport } from './http';
import { communicationFromDraft, parseContact } from './mappers/contact';
import { correctionProvenance, correctionQuery } from './mappers/provenance';
import { transaction } from './write';

function toContact(resource: Communication): Contact {
  const parsed = parseContact(resource);
  if (!parsed.ok) {
    throw unreadableAnswer(`The server returned a contact the app cannot read: ${parsed.problem.message}`);
  }
  return parsed.value;
}

export interface SaveResult {
  contact: Contact;
  /** False when an earlier attempt of the same draft had already been stored. */
  created: boolean;
}

export async function createContact(
  transport: FhirTransport,
  caps: ServerCapabilities,
  draft: ContactDraft,
  signal?: AbortSignal,
): Promise<SaveResult> {
  const resource = communicationFromDraft(draft);
  const query = clientRequestQuery(draft.requestId);
  if (caps.assumed || caps.conditionalCreate.has('Communication')) {
    const response = await fhirRequest<Communication>(transport, 'Communication', {
      method: 'POST',
      body: resource,
      headers: { 'if-none-exist': query },
      signal,
    });
    return { contact: toContact(response.body), created: response.status === 201 };
  }
  // No conditional create: look for an earlier save of this draft first.
  const existing = await fhirRequest<Bundle>(transport, `Communication?${query}`, { signal });
  const found = existing.body.entry?.find((e) => e.resource?.resourceType === 'Communication')?.resource as
    Communication | undefined;
  if (found) return { contact: toContact(found), created: false };
  const response = await fhirRequest<Communication>(transport, 'Communication', {
    method: 'POST',
    body: resource,
    signal,
  });
  return { contact: toContact(response.body), created: true };
}

/** Someone changed the contact since the user read it: their version, to show and re-apply on. */
export class ContactConflictError extends FhirError {
  override name = 'ContactConflictError';
  constructor(readonly current: Contact) {
    super(412, VERSION_CONFLICT);
  }
}

export interface CorrectionRequest {
  id: string;
  /** The version the user saw. */
  versionId: string;
  /** Who corrects (`Practitioner/…`): recorded on the Provenance. */
  by: string;
  now: Date;
  /** The corrections already known (the new one is added to them in the returned contact). */
  corrections?: Contact['corrections'];
}

/**
 * A correction is one transaction: the Communication updated with If-Match on the version the user saw,
 * and a Provenance (UPDATE or NULLIFY) naming who, when, why and the version replaced. A stale version is
 * refused before anything is written; a 412 from the server comes back as ContactConflictError.
 */
async function correct(
  transport: FhirTransport,
  caps: ServerCapabilities,
  req: CorrectionRequest,
  kind: 'amended' | 'withdrawn',
  change: (current: Communication) => Communication,
  reason: string | undefined,
  signal?: AbortSignal,
): Promise<Contact> {
  const path = `Communication/${encodeURIComponent(req.id)}`;
  const stored = (await fhirRequest<Communication>(transport, path, { signal })).body;
  if (stored.meta?.versionId !== undefined && stored.meta.versionId !== req.versionId)
    throw new ContactConflictError(toContact(stored));
  const target = `Communication/${req.id}`;
  const correction = {
    target,
    replacedVersion: req.versionId,
    kind,
    by: req.by,
    at: req.now.toISOString(),
    reason,
  };
  try {
    const written = await transaction(
      transport,
      caps,
      [
        { method: 'PUT', resource: { ...change(stored), id: req.id }, ifMatch: req.versionId },
        {
          method: 'POST',
          fullUrl: `urn:uuid:${crypto.randomUUID()}`,
          resource: correctionProvenance(correction),
          ifNoneExist: correctionQuery(correction),
        },
      ],
      signal,
    );
    // The stored contact with its audit trail, as the next read would show it: no read needed.
    const saved = toContact(written.resources[0] as Communication);
    return {
      ...saved,
      corrections: [...(req.corrections ?? []), { kind, at: correction.at, by: req.by, reason }],
    };
  } catch (err) {
    if (err instanceof FhirError && (err.status === 412 || err.status === 409)) {
      const current = (await fhirRequest<Communication>(transport, path, { signal })).body;
      throw new ContactConflictError(toContact(current));
    }
    throw err;
  }
}

/** What an amendment changes: the progress note, the date and time of the contact, or both. */
export interface ContactAmendment {
  note?: string;
  /** ISO instant: a wrong date fixed without withdrawing the contact (the server judges it as on a create). */
  sent?: string;
}

/**
 * Replaces the progress note and / or the contact's date; everything else on the Communication is kept as
 * stored. Why it was amended goes on the Provenance, as a withdrawal's reason does (an auditor reads both).
 */
export function amendContact(
  transport: FhirTransport,
  caps: ServerCapabilities,
  req: CorrectionRequest,
  amendment: ContactAmendment,
  reason: string,
  signal?: AbortSignal,
): Promise<Contact> {
  return correct(
    transport,
    caps,
    req,
    'amended',
    (current) => ({
      ...current,
      ...(amendment.note !== undefined ? { payload: [{ contentString: amendment.note }] } : {}),
      ...(amendment.sent !== undefined ? { sent: amendment.sent } : {}),
    }),
    reason,
    signal,
  );
}

/** Replaces the progress note only. */
export function amendContactNote(
  transport: FhirTransport,
  caps: ServerCapabilities,
  req: CorrectionRequest,
  note: string,
  reason: string,
  signal?: AbortSignal,
): Promise<Contact> {
  return amendContact(transport, caps, req, { note }, reason, signal);
}

/** Withdraws a contact recorded by mistake: status entered-in-error with the reason; never deleted. */
export function markEnteredInError(
  transport: FhirTransport,
  caps: ServerCapabilities,
  req: CorrectionRequest,
  reason: string,
  signal?: AbortSignal,
): Promise<Contact> {
  return correct(
    transport,
    caps,
    req,
    'withdrawn',
    (current) => ({
      ...current,
      status: 'entered-in-error',
      note: [...(current.note ?? []), { text: `Entered in error: ${reason}`, time: req.now.toISOString() }],
    }),
    reason,
    signal,
  );
}
