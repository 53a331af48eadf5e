/** The FST referral Task ⇄ Referral, with the marks that make it ours and its recorded status history. */
import type { Annotation, Extension } from 'fhir/r4';
import { z } from '../../schema/z';
import type {
  AdmissionCriterion,
  FstMark,
  MatchOverride,
  Parsed,
  RecordedStatusChange,
  Referral,
  ReferralRequest,
  ReferralStage,
} from '../../domain/model';
import type { LivedExperienceArea, MatchPreferences } from '../../domain/matching';
import { LIVED_EXPERIENCE_CODES } from '../../domain/matching';
import { CodeSystems, Extensions, H2014, IdentifierSystems, Profiles, Questionnaires } from '../codes';
import {
  codeableConceptSchema,
  codeFrom,
  codingSchema,
  idFromReference,
  metaSchema,
  referenceSchema,
  textOf,
} from './datatypes';
import { parseResource } from './parse';

const STAGES: ReferralStage[] = [
  'referred',
  'contacted',
  'waitlisted',
  'active',
  'stopped',
  'discharged',
  'declined',
  'cancelled',
];
const stageOf = (code: string | undefined) => STAGES.find((s) => s === code);

const subExtensionSchema = z.looseObject({
  url: z.string(),
  valueCode: z.optional(z.string()),
  valueCoding: z.optional(codingSchema),
  valueDateTime: z.optional(z.string()),
  valueReference: z.optional(referenceSchema),
  valueString: z.optional(z.string()),
});
const taskExtensionSchema = z.looseObject({
  url: z.string(),
  extension: z.optional(z.array(subExtensionSchema)),
});

const taskSchema = z.looseObject({
  resourceType: z.literal('Task'),
  id: z.string({ error: 'has no id' }),
  meta: z.optional(metaSchema),
  identifier: z.optional(z.array(z.looseObject({ system: z.optional(z.string()) }))),
  extension: z.optional(z.array(taskExtensionSchema)),
  status: z.string({ error: 'has no status' }),
  businessStatus: z.optional(codeableConceptSchema),
  statusReason: z.optional(codeableConceptSchema),
  authoredOn: z.string({ error: 'has no referral date (authoredOn)' }),
  lastModified: z.optional(z.string()),
  focus: z.optional(referenceSchema),
  requester: z.optional(referenceSchema),
  owner: z.optional(referenceSchema),
  note: z.optional(
    z.array(
      z.looseObject({
        text: z.optional(z.string()),
        time: z.optional(z.string()),
        authorReference: z.optional(referenceSchema),
        extension: z.optional(z.array(taskExtensionSchema)),
      }),
    ),
  ),
});

const orderSchema = z.looseObject({
  resourceType: z.literal('ServiceRequest'),
  id: z.string(),
  reasonCode: z.optional(z.array(codeableConceptSchema)),
  note: z.optional(z.array(z.looseObject({ text: z.optional(z.string()) }))),
  supportingInfo: z.optional(z.array(referenceSchema)),
  orderDetail: z.optional(z.array(codeableConceptSchema)),
  contained: z.optional(
    z.array(
      z.looseObject({
        resourceType: z.string(),
        id: z.optional(z.string()),
        description: z.optional(z.looseObject({ text: z.optional(z.string()) })),
      }),
    ),
  ),
});
const checklistSchema = z.looseObject({
  resourceType: z.literal('QuestionnaireResponse'),
  id: z.string(),
  questionnaire: z.optional(z.string()),
  item: z.optional(
    z.array(
      z.looseObject({
        linkId: z.string(),
        answer: z.optional(z.array(z.looseObject({ valueBoolean: z.optional(z.boolean()) }))),
      }),
    ),
  ),
});

/**
 * What each order says the referrer asked for (by ServiceRequest id): the reason, the goals among its
 * supportingInfo, and the answers of the admission checklist it names, when that checklist is among
 * `resources`. An unreadable order or checklist is left out (the card then shows less, never fails).
 */
export function referralRequests(
  resources: readonly { resourceType: string; id?: string }[],
): Map<string, ReferralRequest> {
  const checklists = new Map<string, Partial<Record<AdmissionCriterion, boolean>>>();
  for (const r of resources) {
    const parsed = checklistSchema.safeParse(r);
    if (!parsed.success || parsed.data.questionnaire !== Questionnaires.admissionCriteria) continue;
    const answers: Partial<Record<AdmissionCriterion, boolean>> = {};
    for (const item of parsed.data.item ?? []) {
      const answer = item.answer?.[0]?.valueBoolean;
      if ((item.linkId === 'A' || item.linkId === 'B' || item.linkId === 'C') && answer !== undefined)
        answers[item.linkId] = answer;
    }
    checklists.set(parsed.data.id, answers);
  }
  const requests = new Map<string, ReferralRequest>();
  for (const r of resources) {
    const parsed = orderSchema.safeParse(r);
    if (!parsed.success) continue;
    const o = parsed.data;
    const refs = (o.supportingInfo ?? []).map((s) => s.reference ?? '');
    const checklist = refs.map((ref) => idFromReference(ref, 'QuestionnaireResponse')).find(Boolean);
    // New initial goals travel inside the order (contained Goals), named from its supportingInfo.
    const named = new Map(
      (o.contained ?? [])
        .filter((c) => c.resourceType === 'Goal' && c.id && c.description?.text)
        .map((c): [string, string] => [`#${c.id ?? ''}`, c.description?.text ?? '']),
    );
    requests.set(o.id, {
      reason: o.reasonCode?.map(textOf).filter(Boolean).join('; ') || o.note?.[0]?.text || undefined,
      goalIds: refs.map((ref) => idFromReference(ref, 'Goal')).filter((id): id is string => Boolean(id)),
      newGoals: refs.map((ref) => named.get(ref)).filter((text): text is string => Boolean(text)),
      criteria: checklist ? checklists.get(checklist) : undefined,
      matchPreferences: matchPreferencesOf(o.orderDetail ?? []),
    });
  }
  return requests;
}

/** The caregiver's wishes among an order's details (our codes); undefined when it names none. */
function matchPreferencesOf(
  details: readonly z.infer<typeof codeableConceptSchema>[],
): MatchPreferences | undefined {
  const codes = details.map((d) => ({ code: codeFrom(d, CodeSystems.matchPreference), text: d.text }));
  const areas = codes
    .map((c) => c.code)
    .filter((c): c is LivedExperienceArea => LIVED_EXPERIENCE_CODES.includes(c as LivedExperienceArea));
  const words = (code: string) => codes.find((c) => c.code === code)?.text?.trim() || undefined;
  const culture = words('culture');
  const ethnicity = words('ethnicity');
  const strengths = words('strengths');
  return areas.length || culture || ethnicity || strengths
    ? {
        areas,
        ...(culture ? { culture } : {}),
        ...(ethnicity ? { ethnicity } : {}),
        ...(strengths ? { strengths } : {}),
      }
    : undefined;
}

/** The ServiceRequest ids among `resources` that order FST (HCPCS H2014). */
export function fstOrderIds(resources: readonly { resourceType: string; id?: string }[]): Set<string> {
  const ids = new Set<string>();
  for (const r of resources) {
    if (r.resourceType !== 'ServiceRequest' || !r.id) continue;
    const code = codeableConceptSchema.safeParse((r as { code?: unknown }).code);
    if (code.success && code.data.coding?.some((c) => c.system === H2014.system && c.code === H2014.code))
      ids.add(r.id);
  }
  return ids;
}

/** A history entry that moves the family: to whom, and from whom when someone held it. */
const transferOf = (from: string | undefined, to: string | undefined) =>
  to ? { transfer: from ? { from, to } : { to } } : {};

function recordedHistory(
  extensions: z.infer<typeof taskExtensionSchema>[] | undefined,
): RecordedStatusChange[] {
  const out: RecordedStatusChange[] = [];
  for (const ext of extensions ?? []) {
    if (ext.url !== Extensions.statusHistory) continue;
    const part = (url: string) => ext.extension?.find((e) => e.url === url);
    const status = part('status')?.valueCode;
    const at = part('at')?.valueDateTime;
    // A change without its status or date cannot be placed in time: skipped, the Task's own status remains.
    if (!status || !at) continue;
    out.push({
      status,
      stage: stageOf(part('businessStatus')?.valueCoding?.code),
      at,
      by: part('by')?.valueReference?.reference,
      reason: part('reason')?.valueString,
      ...transferOf(part('fromOwner')?.valueReference?.reference, part('toOwner')?.valueReference?.reference),
    });
  }
  return out;
}

/**
 * @param fstOrders ServiceRequest ids known to order H2014 (from `_include=Task:focus`): a Task focused on
 *   one is an FST referral even without our profile.
 */
export function parseReferralTask(
  resource: { resourceType: string; id?: string },
  fstOrders: ReadonlySet<string> = new Set(),
): Parsed<Referral> {
  return parseResource(taskSchema, resource, (t) => {
    const serviceRequestId = idFromReference(t.focus?.reference, 'ServiceRequest');
    const fstMarks: FstMark[] = [];
    if (t.meta?.profile?.includes(Profiles.referralTask)) fstMarks.push('profile');
    if (t.identifier?.some((i) => i.system === IdentifierSystems.clientRequest)) fstMarks.push('identifier');
    if (serviceRequestId && fstOrders.has(serviceRequestId)) fstMarks.push('service-code');
    const overrides = (t.note ?? []).flatMap((n): MatchOverride[] => {
      const parts = n.extension?.find((e) => e.url === Extensions.matchOverride)?.extension ?? [];
      const ref = (url: string) => parts.find((p) => p.url === url)?.valueReference?.reference;
      const suggested = ref('suggested');
      const chosen = ref('chosen');
      return suggested && chosen && n.text
        ? [{ suggested, chosen, reason: n.text, by: n.authorReference?.reference, at: n.time }]
        : [];
    });
    return {
      id: t.id,
      status: t.status,
      stage: stageOf(codeFrom(t.businessStatus, CodeSystems.referralStatus)),
      statusReason: textOf(t.statusReason),
      authoredOn: t.authoredOn,
      lastModified: t.lastModified,
      serviceRequestId,
      requesterReference: t.requester?.reference,
      ownerReference: t.owner?.reference,
      versionId: t.meta?.versionId,
      fstMarks,
      recordedHistory: recordedHistory(t.extension),
      ...(overrides.length ? { matchOverrides: overrides } : {}),
    };
  });
}

/** A note recording a Family Partner chosen over the best match (seed 000 process 7), with the reason. */
export function matchOverrideNote(o: MatchOverride): Annotation {
  return {
    extension: [
      {
        url: Extensions.matchOverride,
        extension: [
          { url: 'suggested', valueReference: { reference: o.suggested } },
          { url: 'chosen', valueReference: { reference: o.chosen } },
        ],
      },
    ],
    ...(o.by ? { authorReference: { reference: o.by } } : {}),
    ...(o.at ? { time: o.at } : {}),
    text: o.reason,
  };
}

/** The status-history extension for one change (appended to Task.extension with the change itself). */
export function statusHistoryExtension(change: RecordedStatusChange): Extension {
  const extension: Extension[] = [
    { url: 'status', valueCode: change.status },
    { url: 'at', valueDateTime: change.at },
  ];
  if (change.stage)
    extension.push({
      url: 'businessStatus',
      valueCoding: { system: CodeSystems.referralStatus, code: change.stage },
    });
  if (change.by) extension.push({ url: 'by', valueReference: { reference: change.by } });
  if (change.reason) extension.push({ url: 'reason', valueString: change.reason });
  if (change.transfer?.from)
    extension.push({ url: 'fromOwner', valueReference: { reference: change.transfer.from } });
  if (change.transfer) extension.push({ url: 'toOwner', valueReference: { reference: change.transfer.to } });
  return { url: Extensions.statusHistory, extension };
}
