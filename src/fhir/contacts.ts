/**
 * Writing FST contacts. A save is idempotent: the draft's client-generated identifier goes on the
 * Communication and the create is conditional (If-None-Exist), or — on servers without conditional
 * create — preceded by a search for that identifier. A retried save therefore never duplicates.
 * Corrections are versioned (If-Match): a concurrent edit is refused (412), never overwritten.
 */
import type { Bundle, Communication } from 'fhir/r4';
import type { Contact, ContactDraft } from '../domain/model';
import type { ServerCapabilities } from './capabilities';
import { supports } from './capabilities';
import { FhirError, fhirRequest } from './http';
import type { FhirTransport } from './http';
import {
  amendCommunication,
  communicationFromDraft,
  draftIdentifierQuery,
  parseContact,
} from './mappers/contact';
import type { GrantedScopes } from './smartScopes';

/** Why a write is not offered, in words for the user; undefined when it is. */
export function contactWriteBlocker(scopes: GrantedScopes, caps: ServerCapabilities): string | undefined {
  if (!scopes.allows('Communication', 'c'))
    return 'Your sign-in does not allow recording contacts (no Communication create permission).';
  if (!supports(caps, 'Communication', 'create'))
    return 'This FHIR server does not accept new Communications.';
  return undefined;
}

function toContact(resource: Communication): Contact {
  const parsed = parseContact(resource);
  if (!parsed.ok) {
    throw new FhirError(502, {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'processing',
          details: { text: `The server returned a contact the app cannot read: ${parsed.problem.message}` },
        },
      ],
    });
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
  const query = draftIdentifierQuery(draft);
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

/**
 * Reads the current version, changes it, and writes it back only if it is still the version the user
 * saw (`versionId`): a concurrent edit gets 412, never a silent overwrite.
 */
async function rewrite(
  transport: FhirTransport,
  id: string,
  versionId: string,
  change: (current: Communication) => Communication,
  signal?: AbortSignal,
): Promise<Contact> {
  const path = `Communication/${encodeURIComponent(id)}`;
  const current = await fhirRequest<Communication>(transport, path, { signal });
  const response = await fhirRequest<Communication>(transport, path, {
    method: 'PUT',
    body: change(current.body),
    headers: { 'if-match': `W/"${versionId}"` },
    signal,
  });
  return toContact(response.body);
}

/** Applies a whole draft to an existing contact; elements the app does not manage are kept. */
export function amendContact(
  transport: FhirTransport,
  id: string,
  versionId: string,
  draft: ContactDraft,
  signal?: AbortSignal,
): Promise<Contact> {
  return rewrite(transport, id, versionId, (current) => amendCommunication(current, draft), signal);
}

/** Replaces the progress note only. */
export function amendContactNote(
  transport: FhirTransport,
  id: string,
  versionId: string,
  note: string,
  signal?: AbortSignal,
): Promise<Contact> {
  return rewrite(
    transport,
    id,
    versionId,
    (current) => ({ ...current, payload: [{ contentString: note }] }),
    signal,
  );
}

/** Withdraws a contact recorded by mistake: status entered-in-error with the reason; never deleted. */
export function markEnteredInError(
  transport: FhirTransport,
  id: string,
  versionId: string,
  reason: string,
  signal?: AbortSignal,
): Promise<Contact> {
  return rewrite(
    transport,
    id,
    versionId,
    (current) => ({
      ...current,
      status: 'entered-in-error',
      note: [
        ...(current.note ?? []),
        { text: `Entered in error: ${reason}`, time: new Date().toISOString() },
      ],
    }),
    signal,
  );
}
