/**
 * Logging a team meeting: the Encounter and, for a state-agency meeting the caregiver consents to now,
 * the Consent — one transaction of conditional creates, so a retried save never duplicates.
 */
import { clientRequestQuery } from './codes';
import type { Encounter, Reference } from 'fhir/r4';
import type { Meeting, MeetingDraft, MeetingKind } from '../domain/meetings';
import type { ServerCapabilities } from './capabilities';
import { unreadableAnswer } from './http';
import type { FhirTransport } from './http';
import { disclosureConsent } from './mappers/consent';
import { encounterFromMeeting, parseMeeting } from './mappers/meeting';
import { transaction } from './write';
import type { TransactionEntry } from './write';

export interface MeetingConsent {
  caregiver: Reference;
  custodian?: string;
  /** The agency (by name: agencies are rarely in the chart). */
  agency: string;
}

export async function logMeeting(
  transport: FhirTransport,
  caps: ServerCapabilities,
  draft: MeetingDraft & { kind: MeetingKind; durationMinutes: number },
  consent?: MeetingConsent,
  signal?: AbortSignal,
): Promise<Meeting> {
  const entries: TransactionEntry[] = [
    {
      method: 'POST',
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: encounterFromMeeting(draft),
      ifNoneExist: clientRequestQuery(draft.requestId),
    },
  ];
  if (consent)
    entries.push({
      method: 'POST',
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: disclosureConsent({
        identifier: `${draft.requestId}-consent`,
        patientId: draft.patientId,
        performer: consent.caregiver,
        custodian: consent.custodian,
        recipients: [{ display: consent.agency }],
        at: draft.start,
      }),
      ifNoneExist: clientRequestQuery(`${draft.requestId}-consent`),
    });
  const written = await transaction(transport, caps, entries, signal);
  const meeting = parseMeeting(written.resources[0] as Encounter);
  if (!meeting.ok) throw unreadableAnswer(meeting.problem.message);
  return meeting.value;
}
