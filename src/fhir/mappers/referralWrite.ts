/**
 * ReferralDraft → the resources of a new FST referral: the answered admission checklist
 * (QuestionnaireResponse), the order (ServiceRequest, H2014) and its tracking Task. The checklist is a
 * QuestionnaireResponse because that is what FHIR keeps answered checklists in: each criterion with its
 * words, the answer, who answered and when, readable by an auditor long after — referenced from the
 * order's supportingInfo beside the goals.
 */
import type { QuestionnaireResponse, ServiceRequest, Task } from 'fhir/r4';
import type { AdmissionCriterion, ReferralDraft } from '../../domain/model';
import { ADMISSION_CRITERIA } from '../../domain/referral';
import { LIVED_EXPERIENCE_AREAS } from '../../domain/matching';
import {
  clientRequestQuery,
  CodeSystems,
  H2014,
  IdentifierSystems,
  Profiles,
  Questionnaires,
} from '../codes';
import { statusHistoryExtension } from './referral';

const DAY = 86_400_000;

export interface ReferralResources {
  checklist: QuestionnaireResponse;
  order: ServiceRequest;
  task: Task;
  /** `identifier=system|value`: finds an earlier save of the same referral. */
  query: string;
}

/** The three resources, linked by urn:uuid full URLs (the transaction resolves them). */
export function referralResources(
  d: ReferralDraft,
  urls: { checklist: string; order: string },
): ReferralResources {
  const identifier = [{ system: IdentifierSystems.clientRequest, value: d.requestId }];
  const patient = { reference: `Patient/${d.patientId}` };
  const checklist: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    identifier: identifier[0],
    questionnaire: Questionnaires.admissionCriteria,
    status: 'completed',
    subject: patient,
    authored: d.authoredOn,
    author: { reference: d.recordedBy },
    item: (Object.keys(ADMISSION_CRITERIA) as AdmissionCriterion[]).map((k) => ({
      linkId: k,
      text: ADMISSION_CRITERIA[k],
      answer: [{ valueBoolean: d.criteria[k] }],
    })),
  };
  // Initial goals named in words live inside the order (seed 000 process 1: the referrer communicates them):
  // the app writes no Goal into the EHR's plan, which is the clinic's to change.
  const newGoals = d.newGoals.map((text, i) => ({
    resourceType: 'Goal' as const,
    id: `initial-goal-${i + 1}`,
    lifecycleStatus: 'proposed' as const,
    description: { text },
    subject: patient,
  }));
  const orderDetail = [
    ...(d.matchPreferences?.areas ?? []).map((code) => ({
      coding: [{ system: CodeSystems.matchPreference, code, display: LIVED_EXPERIENCE_AREAS[code] }],
    })),
    // Seed 000 process 7: "ethnicity, culture, language, needs, and strengths", each in words.
    ...(
      [
        ['culture', 'Culture or community', d.matchPreferences?.culture],
        ['ethnicity', 'Ethnicity', d.matchPreferences?.ethnicity],
        ['strengths', 'Strengths', d.matchPreferences?.strengths],
      ] as const
    )
      .filter(([, , text]) => text?.trim())
      .map(([code, display, text]) => ({
        coding: [{ system: CodeSystems.matchPreference, code, display }],
        text: text?.trim(),
      })),
  ];
  const order: ServiceRequest = {
    resourceType: 'ServiceRequest',
    meta: { profile: [Profiles.referralServiceRequest] },
    ...(newGoals.length ? { contained: newGoals } : {}),
    identifier,
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: CodeSystems.snomed, code: '386229000', display: 'Caregiver support' }] }],
    code: {
      coding: [
        H2014,
        { system: CodeSystems.snomed, code: '461481000124109', display: 'Referral to peer support' },
      ],
      text: 'Family Support and Training',
    },
    subject: patient,
    basedOn: [{ reference: `CarePlan/${d.planId}` }],
    authoredOn: d.authoredOn,
    requester: { reference: d.requesterReference },
    performer: [{ reference: d.providerReference }],
    reasonCode: [{ text: d.reason }],
    // The caregiver's wishes for a Family Partner (seed 000 process 7): order details the supervisor matches on.
    ...(orderDetail.length ? { orderDetail } : {}),
    supportingInfo: [
      ...d.goalIds.map((id) => ({ reference: `Goal/${id}` })),
      ...newGoals.map((g) => ({ reference: `#${g.id}`, display: g.description.text })),
      { reference: urls.checklist, display: 'Admission criteria (CP.BH.AR.1600 §III)' },
    ],
  };
  const task: Task = {
    resourceType: 'Task',
    meta: { profile: [Profiles.referralTask] },
    identifier,
    extension: [
      statusHistoryExtension({ status: 'requested', stage: 'referred', at: d.authoredOn, by: d.recordedBy }),
    ],
    status: 'requested',
    businessStatus: { coding: [{ system: CodeSystems.referralStatus, code: 'referred' }], text: 'referred' },
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: CodeSystems.taskCode, code: 'fulfill' }] },
    focus: { reference: urls.order },
    for: patient,
    authoredOn: d.authoredOn,
    lastModified: d.authoredOn,
    requester: { reference: d.requesterReference },
    owner: { reference: d.providerReference },
    // The first deadline: call the caregiver within 5 calendar days (seed 000 process 4).
    restriction: { period: { end: new Date(Date.parse(d.authoredOn) + 5 * DAY).toISOString() } },
  };
  return {
    checklist,
    order,
    task,
    query: clientRequestQuery(d.requestId),
  };
}
