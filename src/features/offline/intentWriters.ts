/**
 * The one write of each outbox kind (issue 38): the same call a form makes online, so a replayed meeting,
 * outcome or incident goes through the same FHIR layer, record router and server guard as one saved with a
 * signal. Every one is a transaction of conditional creates on the client request id: a replay of a write
 * that had landed before its answer was lost stores nothing twice.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { QuestionnaireResponse } from 'fhir/r4';
import type { IncidentDraft } from '../../domain/incidents';
import type { MeetingDraft, MeetingKind } from '../../domain/meetings';
import type { ContactDraft } from '../../domain/model';
import type { IntentKind } from '../../domain/outbox';
import type { ServerCapabilities } from '../../fhir/capabilities';
import { clientRequestQuery } from '../../fhir/codes';
import { createContact } from '../../fhir/contacts';
import { reportIncident } from '../../fhir/incidents';
import { invalidateAfterWrite, storeContact } from '../../fhir/invalidation';
import { logMeeting } from '../../fhir/meetings';
import type { MeetingConsent } from '../../fhir/meetings';
import type { SmartSession } from '../../fhir/session';
import { transaction } from '../../fhir/write';

/** What each kind of intent holds: the arguments of its write, as plain data (sealed on the device). */
export interface IntentRecords {
  contact: ContactDraft;
  meeting: { draft: MeetingDraft & { kind: MeetingKind; durationMinutes: number }; consent?: MeetingConsent };
  outcome: { response: QuestionnaireResponse; requestId: string };
  incident: {
    draft: IncidentDraft & Required<Pick<IncidentDraft, 'category' | 'seriousness'>>;
    /** When the user saved the report: the review's clock runs from then, not from the replay. */
    reportedAt: string;
  };
}

type Writer<K extends IntentKind> = (
  session: SmartSession,
  caps: ServerCapabilities,
  record: IntentRecords[K],
  signal?: AbortSignal,
) => Promise<unknown>;

export const WRITE: { [K in IntentKind]: Writer<K> } = {
  contact: (session, caps, draft) => createContact(session.transport, caps, draft),
  meeting: (session, caps, r, signal) => logMeeting(session.transport, caps, r.draft, r.consent, signal),
  outcome: (session, caps, r, signal) =>
    transaction(
      session.transport,
      caps,
      [
        {
          method: 'POST',
          fullUrl: `urn:uuid:${crypto.randomUUID()}`,
          resource: r.response,
          ifNoneExist: clientRequestQuery(r.requestId),
        },
      ],
      signal,
    ),
  incident: (session, caps, r, signal) =>
    reportIncident(session.transport, caps, r.draft, new Date(r.reportedAt), signal),
};

/** After a write of this kind is stored: what the screens read again (a contact goes into the cache as is). */
export async function afterStored<K extends IntentKind>(
  kind: K,
  result: unknown,
  queryClient: QueryClient,
  serverUrl: string,
  patientId: string,
): Promise<void> {
  switch (kind) {
    case 'contact':
      return storeContact(
        queryClient,
        serverUrl,
        patientId,
        (result as Awaited<ReturnType<typeof createContact>>).contact,
      );
    case 'meeting':
      return invalidateAfterWrite(queryClient, ['Encounter', 'Consent'], serverUrl, patientId);
    case 'outcome':
      return invalidateAfterWrite(queryClient, 'QuestionnaireResponse', serverUrl, patientId);
    case 'incident':
      return invalidateAfterWrite(queryClient, ['AdverseEvent', 'Task'], serverUrl, patientId);
  }
}

/** Writes one intent of any kind (the replay's side; a form calls its own write with the same data). */
export function writeIntent(
  kind: IntentKind,
  record: unknown,
  session: SmartSession,
  caps: ServerCapabilities,
  signal?: AbortSignal,
): Promise<unknown> {
  // The record was sealed by the form of this very kind: its shape is the kind's (IntentRecords).
  const write = WRITE[kind] as Writer<IntentKind>;
  return write(session, caps, record as never, signal);
}
