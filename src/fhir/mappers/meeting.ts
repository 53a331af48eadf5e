/**
 * Team meeting ⇄ Encounter (our FSTTeamMeeting profile). An Encounter because a meeting is an interaction
 * with the youth's care at a time, with participants: R4's Encounter has the participants, the period and
 * `basedOn` the FST order; what it lacks (goal updates, decisions, the next meeting, the youth attending —
 * a Patient cannot be a participant) goes in our extensions. People not in the chart are participants
 * named by `display`.
 */
import type { Encounter, Extension } from 'fhir/r4';
import { z } from '../../schema/z';
import type { Meeting, MeetingDraft, MeetingKind } from '../../domain/meetings';
import type { Parsed } from '../../domain/model';
import { parseResource } from './parse';
import { MEETING_KIND_LABEL } from '../../domain/meetings';
import { CodeSystems, Extensions, IdentifierSystems, Profiles } from '../codes';
import {
  codeFrom,
  codeableConceptSchema,
  extensionSchema,
  idFromReference,
  referenceSchema,
} from './datatypes';

const KINDS = Object.keys(MEETING_KIND_LABEL) as MeetingKind[];

export function isTeamMeeting(resource: { resourceType: string; type?: unknown }): boolean {
  if (resource.resourceType !== 'Encounter') return false;
  const parsed = z.looseObject({ type: z.optional(z.array(codeableConceptSchema)) }).safeParse(resource);
  return parsed.success && codeFrom(parsed.data.type, CodeSystems.meetingKind) !== undefined;
}

export function encounterFromMeeting(
  d: MeetingDraft & { kind: MeetingKind; durationMinutes: number },
): Encounter {
  const end = new Date(Date.parse(d.start) + d.durationMinutes * 60_000).toISOString();
  const extension: Extension[] = [
    ...d.goalUpdates.map((u) => ({
      url: Extensions.goalUpdate,
      extension: [
        { url: 'goal', valueReference: { reference: `Goal/${u.goalId}` } },
        { url: 'update', valueString: u.update.trim() },
      ],
    })),
    ...(d.decisions.trim() ? [{ url: Extensions.meetingDecisions, valueString: d.decisions.trim() }] : []),
    ...(d.nextMeeting ? [{ url: Extensions.nextMeeting, valueDateTime: d.nextMeeting }] : []),
    { url: Extensions.youthAttended, valueBoolean: d.youthAttended },
  ];
  const attended = {
    coding: [{ system: CodeSystems.participationType, code: 'ATND' }],
  };
  return {
    resourceType: 'Encounter',
    meta: { profile: [Profiles.teamMeeting] },
    identifier: [{ system: IdentifierSystems.clientRequest, value: d.requestId }],
    status: 'finished',
    class: { system: CodeSystems.actCode, code: 'FLD', display: 'field' },
    type: [
      { coding: [{ system: CodeSystems.meetingKind, code: d.kind, display: MEETING_KIND_LABEL[d.kind] }] },
    ],
    subject: { reference: `Patient/${d.patientId}` },
    ...(d.serviceRequestId ? { basedOn: [{ reference: `ServiceRequest/${d.serviceRequestId}` }] } : {}),
    // The Family Partner who records it attended; then everyone named.
    participant: [
      { type: [attended], individual: { reference: d.recordedBy } },
      ...d.attendees
        .filter((a) => a.reference !== d.recordedBy)
        .map((a) => ({
          type: [attended],
          individual: a.reference ? { reference: a.reference, display: a.name } : { display: a.name },
        })),
    ],
    period: { start: d.start, end },
    extension,
  };
}

const encounterSchema = z.looseObject({
  resourceType: z.literal('Encounter'),
  id: z.string(),
  type: z.optional(z.array(codeableConceptSchema)),
  period: z.looseObject(
    { start: z.string({ error: 'is a team meeting without a start time' }), end: z.optional(z.string()) },
    { error: 'is a team meeting without a start time' },
  ),
  participant: z.optional(z.array(z.looseObject({ individual: z.optional(referenceSchema) }))),
  extension: z.optional(z.array(extensionSchema)),
});

/** Our meeting, or a problem in words (ParseProblem) when the Encounter has our meeting type but cannot be read. */
export function parseMeeting(resource: { resourceType: string; id?: string }): Parsed<Meeting> {
  return parseResource(encounterSchema, resource, (e) => meetingOf(e));
}

function meetingOf(e: z.infer<typeof encounterSchema>): Meeting {
  const kind = codeFrom(e.type, CodeSystems.meetingKind) as MeetingKind;
  const ext = (url: string) => e.extension?.filter((x) => x.url === url) ?? [];
  const [first, ...attendees] = e.participant ?? [];
  return {
    id: e.id,
    kind: KINDS.includes(kind) ? kind : 'other',
    start: e.period.start,
    end: e.period.end,
    attendees: attendees.flatMap((p) =>
      p.individual
        ? [{ reference: p.individual.reference, name: p.individual.display ?? p.individual.reference ?? '' }]
        : [],
    ),
    youthAttended: ext(Extensions.youthAttended)[0]?.valueBoolean ?? false,
    goalUpdates: ext(Extensions.goalUpdate).flatMap((x) => {
      const goalId = idFromReference(
        x.extension?.find((p) => p.url === 'goal')?.valueReference?.reference,
        'Goal',
      );
      const update = x.extension?.find((p) => p.url === 'update')?.valueString;
      return goalId && update ? [{ goalId, update }] : [];
    }),
    decisions: ext(Extensions.meetingDecisions)[0]?.valueString,
    nextMeeting: ext(Extensions.nextMeeting)[0]?.valueDateTime,
    recordedBy: first?.individual?.reference,
  };
}
