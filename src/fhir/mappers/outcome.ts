/**
 * Outcome measures and the caregiver satisfaction survey as QuestionnaireResponses of our two Questionnaires
 * (src/domain/outcomes.ts holds the instruments; `satisfactionQuestionnaire` is the survey as a FHIR
 * Questionnaire, English with Spanish translations, for an agency's store or a form renderer). Read back with
 * zod into OutcomeRecords; a response that cannot be read is a named problem, never a blank card.
 */
import type { Questionnaire, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { z } from '../../schema/z';
import type { Instrument, OutcomeRecord, SurveyLanguage, Timepoint } from '../../domain/outcomes';
import { AGREEMENT, SATISFACTION_ITEMS, SURVEY_TEXT, TIMEPOINTS } from '../../domain/outcomes';
import { CodeSystems, IdentifierSystems, Questionnaires } from '../codes';
import { idFromReference, referenceSchema } from './datatypes';

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';

const spanish = (text: { en: string; es: string }) => ({
  extension: [
    {
      url: TRANSLATION,
      extension: [
        { url: 'lang', valueCode: 'es' },
        { url: 'content', valueString: text.es },
      ],
    },
  ],
});
const translated = (text: { en: string; es: string }) => ({ text: text.en, _text: spanish(text) });

/** The survey as a Questionnaire (English, with the Spanish in the standard translation extension). */
export function satisfactionQuestionnaire(): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    url: Questionnaires.caregiverSatisfaction,
    version: '1',
    name: 'FSTCaregiverSatisfaction',
    status: 'active',
    subjectType: ['Patient'],
    title: SURVEY_TEXT.title.en,
    _title: spanish(SURVEY_TEXT.title),
    item: [
      ...SATISFACTION_ITEMS.map((i) => ({
        linkId: i.linkId,
        type: 'choice' as const,
        ...translated(i.text),
        answerOption: AGREEMENT.map((a) => ({
          valueCoding: { system: CodeSystems.agreement, code: String(a.value), display: a.text.en },
        })),
      })),
      { linkId: 'comment', type: 'text' as const, ...translated(SURVEY_TEXT.comment) },
    ],
  };
}

export interface SurveyWrite {
  patientId: string;
  serviceRequestId?: string;
  /** The Family Partner (or supervisor) who offered the survey. */
  by: string;
  /** The caregiver who answered. */
  caregiver?: string;
  language: SurveyLanguage;
  at: Date;
  /** linkId → 1–5; unanswered statements are left out. */
  answers: Record<string, number | undefined>;
  comment: string;
  requestId: string;
}

export function surveyResponse(w: SurveyWrite): QuestionnaireResponse {
  const statements: QuestionnaireResponseItem[] = SATISFACTION_ITEMS.flatMap((i) => {
    const value = w.answers[i.linkId];
    const option = AGREEMENT.find((a) => a.value === value);
    return option
      ? [
          {
            linkId: i.linkId,
            text: i.text[w.language],
            answer: [
              {
                valueCoding: {
                  system: CodeSystems.agreement,
                  code: String(option.value),
                  display: option.text.en,
                },
              },
            ],
          },
        ]
      : [];
  });
  return {
    resourceType: 'QuestionnaireResponse',
    identifier: { system: IdentifierSystems.clientRequest, value: w.requestId },
    questionnaire: Questionnaires.caregiverSatisfaction,
    status: 'completed',
    subject: { reference: `Patient/${w.patientId}` },
    basedOn: w.serviceRequestId ? [{ reference: `ServiceRequest/${w.serviceRequestId}` }] : undefined,
    authored: w.at.toISOString(),
    author: { reference: w.by },
    ...(w.caregiver && !w.caregiver.includes('#') ? { source: { reference: w.caregiver } } : {}),
    language: w.language,
    item: [
      ...statements,
      ...(w.comment.trim()
        ? [
            {
              linkId: 'comment',
              text: SURVEY_TEXT.comment[w.language],
              answer: [{ valueString: w.comment.trim() }],
            },
          ]
        : []),
    ],
  };
}

export interface AttainmentWrite {
  patientId: string;
  serviceRequestId?: string;
  by: string;
  at: Date;
  timepoint: Timepoint;
  /** Each goal rated: its id (a Goal of the plan), description and rating 1–5. */
  ratings: { goalId: string; description: string; rating: number }[];
  requestId: string;
}

export function attainmentResponse(w: AttainmentWrite): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    identifier: { system: IdentifierSystems.clientRequest, value: w.requestId },
    questionnaire: Questionnaires.goalAttainment,
    status: 'completed',
    subject: { reference: `Patient/${w.patientId}` },
    basedOn: w.serviceRequestId ? [{ reference: `ServiceRequest/${w.serviceRequestId}` }] : undefined,
    authored: w.at.toISOString(),
    author: { reference: w.by },
    item: [
      {
        linkId: 'timepoint',
        text: 'When in the episode',
        answer: [
          {
            valueCoding: {
              system: CodeSystems.outcomeTimepoint,
              code: w.timepoint,
              display: TIMEPOINTS[w.timepoint],
            },
          },
        ],
      },
      ...w.ratings.map((r) => ({
        linkId: 'goal',
        text: r.description,
        item: [
          {
            linkId: 'goal-ref',
            answer: [{ valueReference: { reference: `Goal/${r.goalId}`, display: r.description } }],
          },
          { linkId: 'rating', answer: [{ valueInteger: r.rating }] },
        ],
      })),
    ],
  };
}

const answerSchema = z.looseObject({
  valueCoding: z.optional(z.looseObject({ system: z.optional(z.string()), code: z.optional(z.string()) })),
  valueInteger: z.optional(z.int()),
  valueString: z.optional(z.string()),
  valueReference: z.optional(referenceSchema),
});

const itemSchema = z.looseObject({
  linkId: z.string(),
  answer: z.optional(z.array(answerSchema)),
  item: z.optional(z.array(z.looseObject({ linkId: z.string(), answer: z.optional(z.array(answerSchema)) }))),
});

const responseSchema = z.looseObject({
  resourceType: z.literal('QuestionnaireResponse'),
  id: z.string(),
  questionnaire: z.string(),
  status: z.string(),
  authored: z.string(),
  language: z.optional(z.string()),
  author: z.optional(referenceSchema),
  basedOn: z.optional(z.array(referenceSchema)),
  item: z.optional(z.array(itemSchema)),
});

const INSTRUMENTS: Record<string, Instrument> = {
  [Questionnaires.caregiverSatisfaction]: 'caregiver-satisfaction',
  [Questionnaires.goalAttainment]: 'goal-attainment',
};

export function isOutcomeResponse(r: { resourceType: string; questionnaire?: unknown }): boolean {
  return (
    r.resourceType === 'QuestionnaireResponse' &&
    typeof r.questionnaire === 'string' &&
    r.questionnaire in INSTRUMENTS
  );
}

const rating = (v: number | undefined) => (v !== undefined && v >= 1 && v <= 5 ? v : undefined);

/** An outcome record, or a reason it cannot be read (undefined for a response of another questionnaire). */
export function parseOutcome(resource: {
  resourceType: string;
}): { ok: true; value: OutcomeRecord } | { ok: false; reason: string } | undefined {
  if (!isOutcomeResponse(resource as never)) return undefined;
  const parsed = responseSchema.safeParse(resource);
  if (!parsed.success) return { ok: false, reason: 'An outcome or survey response could not be read.' };
  const r = parsed.data;
  if (r.status !== 'completed' && r.status !== 'amended') return undefined;
  const instrument = INSTRUMENTS[r.questionnaire];
  const ratings = new Map<string, number>();
  let timepoint: Timepoint | undefined;
  let comment: string | undefined;
  for (const item of r.item ?? []) {
    const first = item.answer?.[0];
    if (instrument === 'caregiver-satisfaction') {
      if (item.linkId === 'comment') comment = first?.valueString;
      else if (first?.valueCoding?.system === CodeSystems.agreement) {
        const value = rating(Number(first.valueCoding.code));
        if (value !== undefined) ratings.set(item.linkId, value);
      }
    } else if (item.linkId === 'timepoint') {
      const code = first?.valueCoding?.code;
      if (code === 'intake' || code === 'review' || code === 'discharge') timepoint = code;
    } else if (item.linkId === 'goal') {
      const goalId = idFromReference(
        item.item?.find((i) => i.linkId === 'goal-ref')?.answer?.[0]?.valueReference?.reference,
        'Goal',
      );
      const value = rating(item.item?.find((i) => i.linkId === 'rating')?.answer?.[0]?.valueInteger);
      if (goalId && value !== undefined) ratings.set(goalId, value);
    }
  }
  const language = r.language?.toLowerCase().split('-')[0];
  return {
    ok: true,
    value: {
      id: r.id,
      instrument,
      authored: r.authored,
      serviceRequestId: idFromReference(r.basedOn?.[0]?.reference, 'ServiceRequest'),
      timepoint,
      language: language === 'es' || language === 'en' ? language : undefined,
      ratings,
      comment,
      authorReference: r.author?.reference,
    },
  };
}
