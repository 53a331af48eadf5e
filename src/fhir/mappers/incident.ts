/**
 * Incident report ⇄ AdverseEvent (actuality actual; our FSTIncidentReport profile) and its review ⇄ Task
 * (FSTIncidentReview). R4's AdverseEvent has no narrative and no notifications: our extensions carry
 * what happened, the immediate actions and who was told when.
 */
import type { AdverseEvent, Extension, Task } from 'fhir/r4';
import { z } from '../../schema/z';
import type {
  AuthorityDecision,
  Incident,
  IncidentCategory,
  IncidentDraft,
  IncidentReview,
  Notification,
  NotifiedParty,
} from '../../domain/incidents';
import { INCIDENT_CATEGORY_LABEL, NOTIFIED_LABEL } from '../../domain/incidents';
import type { Parsed } from '../../domain/model';
import { parseResource } from './parse';
import { clientRequestQuery, CodeSystems, Extensions, IdentifierSystems, Profiles } from '../codes';
import {
  codeFrom,
  codeableConceptSchema,
  extensionSchema,
  idFromReference,
  referenceSchema,
} from './datatypes';

const SERIOUS = { serious: 'Serious', 'non-serious': 'Non-serious' } as const;

export function incidentResources(
  d: IncidentDraft & Required<Pick<IncidentDraft, 'category' | 'seriousness'>>,
  reportUrl: string,
  now: Date,
): { report: AdverseEvent; review: Task; queries: { report: string; review: string } } {
  const narrative: Extension[] = [
    { url: Extensions.incidentWhatHappened, valueString: d.whatHappened.trim() },
    ...(d.immediateActions.trim()
      ? [{ url: Extensions.incidentActions, valueString: d.immediateActions.trim() }]
      : []),
  ];
  const notifications: Extension[] = d.notifications.map(notificationExtension);
  const report: AdverseEvent = {
    resourceType: 'AdverseEvent',
    meta: { profile: [Profiles.incidentReport] },
    identifier: { system: IdentifierSystems.clientRequest, value: d.requestId },
    actuality: 'actual',
    category: [
      {
        coding: [
          {
            system: CodeSystems.incidentCategory,
            code: d.category,
            display: INCIDENT_CATEGORY_LABEL[d.category],
          },
        ],
      },
    ],
    event: { text: INCIDENT_CATEGORY_LABEL[d.category] },
    subject: { reference: `Patient/${d.patientId}` },
    date: d.occurredAt,
    recordedDate: now.toISOString(),
    recorder: { reference: d.recordedBy },
    seriousness: { coding: [{ system: CodeSystems.adverseEventSeriousness, code: SERIOUS[d.seriousness] }] },
    extension: [...narrative, ...notifications],
  };
  const review: Task = {
    resourceType: 'Task',
    meta: { profile: [Profiles.incidentReview] },
    identifier: [{ system: IdentifierSystems.clientRequest, value: `${d.requestId}-review` }],
    status: 'requested',
    intent: 'order',
    priority: d.seriousness === 'serious' ? 'urgent' : 'routine',
    code: { coding: [{ system: CodeSystems.fstTaskCode, code: 'incident-review' }] },
    description: 'Review the incident report and close it with a note.',
    focus: { reference: reportUrl },
    for: { reference: `Patient/${d.patientId}` },
    authoredOn: now.toISOString(),
    requester: { reference: d.recordedBy },
  };
  return {
    report,
    review,
    queries: {
      report: clientRequestQuery(d.requestId),
      review: clientRequestQuery(`${d.requestId}-review`),
    },
  };
}

const adverseEventSchema = z.looseObject({
  resourceType: z.literal('AdverseEvent'),
  id: z.string(),
  date: z.string({ error: 'is an incident report without a date' }),
  recordedDate: z.optional(z.string()),
  category: z.optional(z.array(codeableConceptSchema)),
  seriousness: z.optional(codeableConceptSchema),
  recorder: z.optional(referenceSchema),
  meta: z.optional(z.looseObject({ versionId: z.optional(z.string()) })),
  extension: z.optional(z.array(extensionSchema)),
});

const CATEGORIES = Object.keys(INCIDENT_CATEGORY_LABEL) as IncidentCategory[];
const PARTIES = Object.keys(NOTIFIED_LABEL) as NotifiedParty[];

export function isIncidentReport(resource: { resourceType: string }): boolean {
  if (resource.resourceType !== 'AdverseEvent') return false;
  const parsed = z.looseObject({ category: z.optional(z.array(codeableConceptSchema)) }).safeParse(resource);
  return parsed.success && codeFrom(parsed.data.category, CodeSystems.incidentCategory) !== undefined;
}

export function parseIncident(resource: { resourceType: string; id?: string }): Parsed<Incident> {
  return parseResource(adverseEventSchema, resource, (e) => incidentOf(e));
}

function incidentOf(e: z.infer<typeof adverseEventSchema>): Incident {
  const text = (url: string) => e.extension?.find((x) => x.url === url)?.valueString;
  const category = codeFrom(e.category, CodeSystems.incidentCategory) as IncidentCategory;
  return {
    id: e.id,
    occurredAt: e.date,
    recordedAt: e.recordedDate,
    category: CATEGORIES.includes(category) ? category : 'other',
    seriousness:
      codeFrom(e.seriousness, CodeSystems.adverseEventSeriousness) === 'Non-serious'
        ? 'non-serious'
        : 'serious',
    whatHappened: text(Extensions.incidentWhatHappened) ?? '',
    immediateActions: text(Extensions.incidentActions) ?? '',
    notifications: notificationsOf(e.extension),
    recordedBy: e.recorder?.reference,
    versionId: e.meta?.versionId,
  };
}

const reviewSchema = z.looseObject({
  resourceType: z.literal('Task'),
  id: z.string(),
  status: z.string(),
  code: z.optional(codeableConceptSchema),
  focus: z.optional(referenceSchema),
  for: z.optional(referenceSchema),
  note: z.optional(z.array(z.looseObject({ text: z.string() }))),
  statusReason: z.optional(codeableConceptSchema),
  extension: z.optional(z.array(extensionSchema)),
  meta: z.optional(z.looseObject({ versionId: z.optional(z.string()) })),
});

/** A notification (to the caregiver, the supervisor or an authority), as the report and the review carry it. */
function notificationExtension(n: Notification): Extension {
  return {
    url: Extensions.incidentNotification,
    extension: [
      { url: 'party', valueCoding: { system: CodeSystems.notifiedParty, code: n.party } },
      { url: 'who', valueString: n.who.trim() },
      { url: 'at', valueDateTime: n.at },
    ],
  };
}

/** The notifications an extension list carries (the report's, or the review's authority report). */
function notificationsOf(extensions: readonly z.infer<typeof extensionSchema>[] | undefined): Notification[] {
  return (extensions ?? [])
    .filter((x) => x.url === Extensions.incidentNotification)
    .flatMap((x) => {
      const party = x.extension?.find((p) => p.url === 'party')?.valueCoding?.code as NotifiedParty;
      const who = x.extension?.find((p) => p.url === 'who')?.valueString;
      const at = x.extension?.find((p) => p.url === 'at')?.valueDateTime;
      return PARTIES.includes(party) && who && at ? [{ party, who, at }] : [];
    });
}

/** The determination that no authority must be told, kept as the review's status reason. */
const NO_REPORT = 'No authority report needed: ';

export function isIncidentReview(resource: { resourceType: string }): boolean {
  if (resource.resourceType !== 'Task') return false;
  const parsed = z.looseObject({ code: z.optional(codeableConceptSchema) }).safeParse(resource);
  return parsed.success && codeFrom(parsed.data.code, CodeSystems.fstTaskCode) === 'incident-review';
}

export function parseIncidentReview(resource: { resourceType: string }): IncidentReview | undefined {
  const parsed = reviewSchema.safeParse(resource);
  if (!parsed.success) return undefined;
  const t = parsed.data;
  const incidentId = idFromReference(t.focus?.reference, 'AdverseEvent');
  if (!incidentId) return undefined;
  return {
    id: t.id,
    incidentId,
    status: t.status,
    patientId: idFromReference(t.for?.reference, 'Patient'),
    note: t.note?.at(-1)?.text,
    authorityReport: notificationsOf(t.extension).find((n) => n.party === 'authority'),
    noReportReason: t.statusReason?.text?.startsWith(NO_REPORT)
      ? t.statusReason.text.slice(NO_REPORT.length)
      : undefined,
    versionId: t.meta?.versionId,
  };
}

/** The review closed by a supervisor: completed, with the note, and the determination when no report was made. */
export function closedReview(
  task: Task,
  note: string,
  by: string,
  now: Date,
  decision?: AuthorityDecision,
): Task {
  return {
    ...task,
    status: 'completed',
    ...(decision?.kind === 'reported'
      ? {
          extension: [
            ...(task.extension ?? []),
            notificationExtension({ party: 'authority', ...decision.report }),
          ],
        }
      : {}),
    ...(decision?.kind === 'not-needed'
      ? { statusReason: { text: `${NO_REPORT}${decision.reason.trim()}` } }
      : {}),
    lastModified: now.toISOString(),
    owner: { reference: by },
    note: [
      ...(task.note ?? []),
      { text: note.trim(), authorReference: { reference: by }, time: now.toISOString() },
    ],
  };
}
