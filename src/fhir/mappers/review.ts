/**
 * The continuing-stay review (Arkansas CP.BH.AR.1600 §IV) as a QuestionnaireResponse based on the
 * referral's order: the admission criteria still hold, progress notes document progress, goals remain.
 * Read back as the dates the clock counts from.
 */
import type { QuestionnaireResponse } from 'fhir/r4';
import { z } from '../../schema/z';
import { IdentifierSystems, Questionnaires } from '../codes';
import { idFromReference, referenceSchema } from './datatypes';

export const REVIEW_QUESTIONS = {
  criteria: 'The admission criteria (A–C) still hold',
  progress: 'Progress notes document progress toward the goals',
  open: 'Not all goals have been achieved yet',
} as const;
export type ReviewAnswers = Record<keyof typeof REVIEW_QUESTIONS, boolean>;

export interface Review {
  at: string;
  serviceRequestId?: string;
  by?: string;
  /** The answers, when recorded: the admission criteria still hold; goals remain. */
  criteriaHold?: boolean;
  goalsRemain?: boolean;
}

const reviewSchema = z.looseObject({
  resourceType: z.literal('QuestionnaireResponse'),
  questionnaire: z.optional(z.string()),
  status: z.string(),
  authored: z.string(),
  author: z.optional(referenceSchema),
  basedOn: z.optional(z.array(referenceSchema)),
  item: z.optional(
    z.array(
      z.looseObject({
        linkId: z.string(),
        answer: z.optional(z.array(z.looseObject({ valueBoolean: z.optional(z.boolean()) }))),
      }),
    ),
  ),
});

export function parseReviews(resources: readonly { resourceType: string }[]): Review[] {
  return resources.flatMap((r) => {
    const parsed = reviewSchema.safeParse(r);
    if (!parsed.success || parsed.data.questionnaire !== Questionnaires.continuingStay) return [];
    if (parsed.data.status !== 'completed') return [];
    const answer = (linkId: keyof typeof REVIEW_QUESTIONS) =>
      parsed.data.item?.find((i) => i.linkId === linkId)?.answer?.[0]?.valueBoolean;
    return [
      {
        at: parsed.data.authored,
        serviceRequestId: idFromReference(parsed.data.basedOn?.[0]?.reference, 'ServiceRequest'),
        by: parsed.data.author?.reference,
        criteriaHold: answer('criteria'),
        goalsRemain: answer('open'),
      },
    ];
  });
}

export function reviewResource(ctx: {
  patientId: string;
  serviceRequestId?: string;
  by: string;
  at: Date;
  answers: ReviewAnswers;
  requestId: string;
}): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    identifier: { system: IdentifierSystems.clientRequest, value: ctx.requestId },
    questionnaire: Questionnaires.continuingStay,
    status: 'completed',
    subject: { reference: `Patient/${ctx.patientId}` },
    basedOn: ctx.serviceRequestId ? [{ reference: `ServiceRequest/${ctx.serviceRequestId}` }] : undefined,
    authored: ctx.at.toISOString(),
    author: { reference: ctx.by },
    item: (Object.keys(REVIEW_QUESTIONS) as (keyof typeof REVIEW_QUESTIONS)[]).map((k) => ({
      linkId: k,
      text: REVIEW_QUESTIONS[k],
      answer: [{ valueBoolean: ctx.answers[k] }],
    })),
  };
}
