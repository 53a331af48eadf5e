/**
 * What each write makes stale, declared once: the workspace parts (src/fhir/workspace.ts) a written
 * resource type appears in. A write refreshes those parts only, never the whole patient, and the caseload
 * (which summarises every family).
 */
import type { QueryClient } from '@tanstack/react-query';
import type { Contact, Referral } from '../domain/model';
import type { ContactsRead, PartResult } from './workspace';
import type { PartName } from './workspaceReads';
import { PART_READS } from './workspaceReads';
import { fhirKeys } from './queryKeys';

export type WrittenType =
  | 'Communication'
  | 'Task'
  | 'ServiceRequest'
  | 'DocumentReference'
  | 'Provenance'
  | 'CarePlan'
  | 'Consent'
  | 'Encounter'
  | 'AdverseEvent'
  | 'QuestionnaireResponse';

export const INVALIDATES: Record<WrittenType, readonly PartName[]> = {
  // Contacts, and the delivery records of discharge plans.
  Communication: ['contacts', 'dischargePlans'],
  // Corrections arrive with the contacts they correct (_revinclude).
  Provenance: ['contacts'],
  Task: ['referrals', 'incidents'],
  ServiceRequest: ['referrals'],
  DocumentReference: ['dischargePlans'],
  CarePlan: ['plans'],
  Consent: ['dischargePlans'],
  Encounter: ['encounters'],
  AdverseEvent: ['incidents'],
  QuestionnaireResponse: ['reviews', 'outcomes', 'agencyOutcomes'],
};

export function partKey(serverUrl: string, patientId: string, name: PartName) {
  return fhirKeys.patientPart(serverUrl, patientId, PART_READS[name].type, name);
}

export async function invalidateAfterWrite(
  client: QueryClient,
  types: WrittenType | readonly WrittenType[],
  serverUrl: string,
  patientId: string,
): Promise<void> {
  const names = new Set((Array.isArray(types) ? types : [types]).flatMap((t: WrittenType) => INVALIDATES[t]));
  await Promise.all([
    ...[...names].map((name) => client.invalidateQueries({ queryKey: partKey(serverUrl, patientId, name) })),
    client.invalidateQueries({ queryKey: fhirKeys.caseload(serverUrl) }),
  ]);
}

/**
 * The whole contact history (the history screen's read), under the contacts part's key: whatever
 * invalidates the contacts invalidates it too.
 */
export function contactHistoryKey(serverUrl: string, patientId: string) {
  return [...partKey(serverUrl, patientId, 'contacts'), 'all'] as const;
}

/**
 * Puts a contact the server returned into the contacts part and the history (a create or a correction): no
 * refetch. The contact's corrections are kept from the cache unless it brings its own.
 */
export async function storeContact(
  client: QueryClient,
  serverUrl: string,
  patientId: string,
  contact: Contact,
): Promise<void> {
  const put = (old: PartResult<ContactsRead> | undefined) => {
    if (!old) return old;
    const kept = old.value.list.find((c) => c.id === contact.id)?.corrections;
    const list = [
      { ...contact, corrections: contact.corrections ?? kept },
      ...old.value.list.filter((c) => c.id !== contact.id),
    ];
    return { ...old, value: { ...old.value, list } };
  };
  client.setQueryData(partKey(serverUrl, patientId, 'contacts'), put);
  client.setQueryData(contactHistoryKey(serverUrl, patientId), put);
  await client.invalidateQueries({ queryKey: fhirKeys.caseload(serverUrl) });
}

/** Puts a referral the server returned into the referrals part: the card shows the new status at once. */
export async function storeReferral(
  client: QueryClient,
  serverUrl: string,
  patientId: string,
  referral: Referral,
): Promise<void> {
  client.setQueryData<PartResult<Referral[]>>(partKey(serverUrl, patientId, 'referrals'), (old) => {
    if (!old) return old;
    // A Task written back carries no order: what the referrer sent stays as read (it does not change).
    const request = referral.request ?? old.value.find((r) => r.id === referral.id)?.request;
    return {
      ...old,
      value: [
        { ...referral, ...(request ? { request } : {}) },
        ...old.value.filter((r) => r.id !== referral.id),
      ],
    };
  });
  await client.invalidateQueries({ queryKey: fhirKeys.caseload(serverUrl) });
}

/**
 * A staff record changed (a Practitioner's on-call hours): the staff page, the caseload (its on-call flags)
 * and the session's staff list read it.
 */
export async function invalidateStaffRecords(client: QueryClient, serverUrl: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: [...fhirKeys.server(serverUrl), 'staff-compliance'] }),
    client.invalidateQueries({ queryKey: fhirKeys.caseload(serverUrl) }),
    client.invalidateQueries({ queryKey: fhirKeys.sessionPart(serverUrl, PART_READS.staff.type, 'staff') }),
  ]);
}
