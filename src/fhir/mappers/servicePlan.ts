/** The FST service plan ⇄ CarePlan (profile fst-service-plan), and the Communication that shares it. */
import type { CarePlan, Communication, Extension } from 'fhir/r4';
import { z } from '../../schema/z';
import type { Parsed } from '../../domain/model';
import type {
  MeetingFrequency,
  MeetingSeries,
  MeetingSetting,
  ServicePlan,
  Weekday,
} from '../../domain/servicePlan';
import { WEEKDAYS } from '../../domain/servicePlan';
import { CodeSystems, Extensions, IdentifierSystems, Profiles } from '../codes';
import { codeableConceptSchema, codeFrom, idFromReference, metaSchema, referenceSchema } from './datatypes';
import { parseResource } from './parse';

const UCUM = 'http://unitsofmeasure.org';
const TIMING: Record<MeetingFrequency, { period: number; periodUnit: 'wk' | 'mo' }> = {
  weekly: { period: 1, periodUnit: 'wk' },
  'every-2-weeks': { period: 2, periodUnit: 'wk' },
  monthly: { period: 1, periodUnit: 'mo' },
};

export function isServicePlan(resource: { resourceType: string; category?: unknown }): boolean {
  const parsed = z.array(codeableConceptSchema).safeParse((resource as { category?: unknown }).category);
  return (
    resource.resourceType === 'CarePlan' &&
    parsed.success &&
    codeFrom(parsed.data, CodeSystems.planType) === 'fst-service-plan'
  );
}

const subExt = z.looseObject({
  url: z.string(),
  valueReference: z.optional(referenceSchema),
  valueDate: z.optional(z.string()),
});
const carePlanSchema = z.looseObject({
  resourceType: z.literal('CarePlan'),
  id: z.string({ error: 'has no id' }),
  meta: z.optional(metaSchema),
  basedOn: z.optional(z.array(referenceSchema)),
  author: z.optional(referenceSchema),
  period: z.optional(z.looseObject({ start: z.optional(z.string()) })),
  extension: z.optional(
    z.array(
      z.looseObject({
        url: z.string(),
        extension: z.optional(z.array(subExt)),
        valueQuantity: z.optional(
          z.looseObject({ value: z.optional(z.number()), code: z.optional(z.string()) }),
        ),
      }),
    ),
  ),
  activity: z.optional(
    z.array(
      z.looseObject({
        detail: z.optional(
          z.looseObject({
            extension: z.optional(
              z.array(z.looseObject({ url: z.string(), valueCode: z.optional(z.string()) })),
            ),
            scheduledTiming: z.optional(
              z.looseObject({
                repeat: z.optional(
                  z.looseObject({
                    period: z.optional(z.number()),
                    periodUnit: z.optional(z.string()),
                    dayOfWeek: z.optional(z.array(z.string())),
                    timeOfDay: z.optional(z.array(z.string())),
                  }),
                ),
              }),
            ),
          }),
        ),
      }),
    ),
  ),
});

export function parseServicePlan(resource: { resourceType: string; id?: string }): Parsed<ServicePlan> {
  return parseResource(carePlanSchema, resource, (p) => {
    const meetings: MeetingSeries[] = (p.activity ?? []).flatMap((a) => {
      const repeat = a.detail?.scheduledTiming?.repeat;
      const day = repeat?.dayOfWeek?.[0] as Weekday | undefined;
      const time = repeat?.timeOfDay?.[0]?.slice(0, 5);
      const setting = a.detail?.extension?.find((e) => e.url === Extensions.meetingSetting)?.valueCode as
        MeetingSetting | undefined;
      if (!day || !WEEKDAYS.includes(day) || !time || !setting) return [];
      const frequency: MeetingFrequency =
        repeat?.periodUnit === 'mo' ? 'monthly' : repeat?.period === 2 ? 'every-2-weeks' : 'weekly';
      return [{ frequency, day, time, setting }];
    });
    const hours = p.extension?.find((e) => e.url === Extensions.plannedHours)?.valueQuantity;
    return {
      id: p.id,
      versionId: p.meta?.versionId,
      basedOnPlanId: idFromReference(p.basedOn?.[0]?.reference, 'CarePlan') ?? '',
      meetings,
      hours: { amount: hours?.value ?? 0, per: hours?.code === 'h/mo' ? 'month' : 'week' },
      goalTargets: (p.extension ?? [])
        .filter((e) => e.url === Extensions.goalTarget)
        .flatMap((e) => {
          const goalId = idFromReference(
            e.extension?.find((x) => x.url === 'goal')?.valueReference?.reference,
            'Goal',
          );
          const targetDate = e.extension?.find((x) => x.url === 'dueDate')?.valueDate;
          return goalId && targetDate ? [{ goalId, targetDate }] : [];
        }),
      start: p.period?.start?.slice(0, 10) ?? '',
      authorReference: p.author?.reference,
    };
  });
}

/** The CarePlan for a service plan; `requestId` makes a retried save find the first one. */
export function servicePlanResource(
  plan: ServicePlan,
  ctx: { patientId: string; requestId: string; now: Date },
): CarePlan {
  const extension: Extension[] = [
    ...plan.goalTargets.map((t): Extension => ({
      url: Extensions.goalTarget,
      extension: [
        { url: 'goal', valueReference: { reference: `Goal/${t.goalId}` } },
        { url: 'dueDate', valueDate: t.targetDate },
      ],
    })),
    {
      url: Extensions.plannedHours,
      valueQuantity: {
        value: plan.hours.amount,
        unit: plan.hours.per === 'week' ? 'hours per week' : 'hours per month',
        system: UCUM,
        code: plan.hours.per === 'week' ? 'h/wk' : 'h/mo',
      },
    },
  ];
  return {
    resourceType: 'CarePlan',
    ...(plan.id ? { id: plan.id } : {}),
    meta: { profile: [Profiles.servicePlan] },
    identifier: [{ system: IdentifierSystems.clientRequest, value: ctx.requestId }],
    extension,
    status: 'active',
    intent: 'plan',
    category: [
      { coding: [{ system: CodeSystems.planType, code: 'fst-service-plan', display: 'FST service plan' }] },
    ],
    title: 'FST service plan',
    subject: { reference: `Patient/${ctx.patientId}` },
    basedOn: [{ reference: `CarePlan/${plan.basedOnPlanId}` }],
    period: { start: plan.start },
    created: ctx.now.toISOString(),
    author: plan.authorReference ? { reference: plan.authorReference } : undefined,
    goal: plan.goalTargets.map((t) => ({ reference: `Goal/${t.goalId}` })),
    activity: plan.meetings.map((m) => ({
      detail: {
        extension: [{ url: Extensions.meetingSetting, valueCode: m.setting }],
        kind: 'Appointment',
        code: { text: 'FST meeting with the caregiver' },
        status: 'scheduled',
        scheduledTiming: {
          repeat: { frequency: 1, ...TIMING[m.frequency], dayOfWeek: [m.day], timeOfDay: [`${m.time}:00`] },
        },
      },
    })),
  };
}

/** A note to the referring provider (or the Care Planning Team) that the plan is made, pointing at it. */
export function shareServicePlan(ctx: {
  patientId: string;
  planReference: string;
  recipient: string;
  sender: string;
  now: Date;
  requestId: string;
  /** False where the message cannot reach the referrer (the EHR takes none): recorded as not done. */
  delivered?: boolean;
  ehrName?: string;
}): Communication {
  const delivered = ctx.delivered ?? true;
  return {
    resourceType: 'Communication',
    identifier: [{ system: IdentifierSystems.clientRequest, value: `${ctx.requestId}-share` }],
    // Never "completed" when nobody received it (issue 36).
    ...(delivered
      ? { status: 'completed' as const, sent: ctx.now.toISOString() }
      : {
          status: 'not-done' as const,
          statusReason: {
            text: `Not delivered: ${ctx.ehrName ?? 'the EHR'} accepts no messages from FST Companion. The Family Partner sends the plan to the referring provider another way.`,
          },
        }),
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' },
        ],
      },
    ],
    subject: { reference: `Patient/${ctx.patientId}` },
    recipient: [{ reference: ctx.recipient }],
    sender: { reference: ctx.sender },
    about: [{ reference: ctx.planReference }],
    payload: [
      {
        contentString:
          'The FST service plan with the caregiver is made: meeting schedule, hours and goal targets.',
      },
      { contentReference: { reference: ctx.planReference } },
    ],
  };
}
