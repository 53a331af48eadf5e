/** CarePlan (ICP / treatment plan) with its Goals and CareTeam → CarePlanSummary. */
import { z } from 'zod';
import type { CarePlanSummary, CareTeamMember, Parsed, PlanGoal, PlanKind } from '../../domain/model';
import { CodeSystems } from '../codes';
import { codeableConceptSchema, codeFrom, idFromReference, referenceSchema, textOf } from './datatypes';
import { parseResource } from './parse';

const goalSchema = z
  .object({
    resourceType: z.literal('Goal'),
    id: z.string({ error: 'has no id' }),
    lifecycleStatus: z.string({ error: 'has no lifecycle status' }),
    achievementStatus: codeableConceptSchema.optional(),
    description: codeableConceptSchema,
    startDate: z.string().optional(),
    target: z.array(z.object({ dueDate: z.string().optional() }).loose()).optional(),
    note: z.array(z.object({ text: z.string() }).loose()).optional(),
  })
  .loose();

export function parseGoal(resource: { resourceType: string; id?: string }): Parsed<PlanGoal> {
  return parseResource(goalSchema, resource, (g) => ({
    id: g.id,
    description: textOf(g.description) ?? 'Goal without description',
    caregiverWording: g.note?.[0]?.text,
    lifecycleStatus: g.lifecycleStatus,
    achievementStatus: textOf(g.achievementStatus),
    startDate: g.startDate,
    targetDate: g.target?.map((t) => t.dueDate).find(Boolean),
  }));
}

const careTeamSchema = z
  .object({
    resourceType: z.literal('CareTeam'),
    id: z.string(),
    participant: z
      .array(
        z
          .object({
            role: z.array(codeableConceptSchema).optional(),
            member: referenceSchema.optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

export function careTeamMembers(resource: { resourceType: string; id?: string }): CareTeamMember[] {
  const parsed = careTeamSchema.safeParse(resource);
  if (!parsed.success) return [];
  return (parsed.data.participant ?? [])
    .filter((p) => p.member?.reference)
    .map((p) => ({
      reference: p.member?.reference ?? '',
      role: codeFrom(p.role, CodeSystems.careTeamRole) ?? textOf(p.role?.[0]) ?? 'member',
      roleDisplay: textOf(p.role?.[0]) ?? 'Team member',
    }));
}

const carePlanSchema = z
  .object({
    resourceType: z.literal('CarePlan'),
    id: z.string({ error: 'has no id' }),
    status: z.string({ error: 'has no status' }),
    title: z.string().optional(),
    category: z.array(codeableConceptSchema).optional(),
    period: z.object({ start: z.string().optional() }).loose().optional(),
    author: referenceSchema.optional(),
    goal: z.array(referenceSchema).optional(),
    careTeam: z.array(referenceSchema).optional(),
  })
  .loose();

const PLAN_KINDS: PlanKind[] = ['icp', 'outpatient-treatment-plan', 'iht-treatment-plan'];

/**
 * Joins a plan to its goals and care team from the same search result (`_include`).
 * Goals the plan references but the server did not return are simply absent.
 */
export function parseCarePlan(
  resource: { resourceType: string; id?: string },
  goalsById: Map<string, PlanGoal>,
  teamsById: Map<string, CareTeamMember[]>,
): Parsed<CarePlanSummary> {
  return parseResource(carePlanSchema, resource, (p) => {
    const kindCode = codeFrom(p.category, CodeSystems.planType);
    const kind = PLAN_KINDS.find((k) => k === kindCode) ?? 'other';
    const goals = (p.goal ?? [])
      .map((g) => goalsById.get(idFromReference(g.reference, 'Goal') ?? ''))
      .filter((g): g is PlanGoal => g !== undefined);
    const careTeam = (p.careTeam ?? []).flatMap(
      (t) => teamsById.get(idFromReference(t.reference, 'CareTeam') ?? '') ?? [],
    );
    const categoryText = p.category?.map(textOf).find((t) => t && t !== 'assess-plan');
    return {
      id: p.id,
      kind,
      title: p.title ?? categoryText ?? 'Care plan',
      status: p.status,
      periodStart: p.period?.start,
      authorReference: p.author?.reference,
      goals,
      careTeam,
    };
  });
}

/** A youth's safety plan, as the crisis protocol shows it. */
export interface SafetyPlan {
  id: string;
  title: string;
  description?: string;
  /** The plan's steps (activity descriptions), in order. */
  steps: string[];
}

const safetyPlanSchema = z
  .object({
    resourceType: z.literal('CarePlan'),
    id: z.string(),
    status: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    category: z.array(codeableConceptSchema).optional(),
    activity: z
      .array(
        z.object({ detail: z.object({ description: z.string().optional() }).loose().optional() }).loose(),
      )
      .optional(),
  })
  .loose();

/** A CarePlan categorised as a safety plan (a `safety-plan` code in any system, or those words). */
export function parseSafetyPlan(resource: { resourceType: string }): SafetyPlan | undefined {
  const parsed = safetyPlanSchema.safeParse(resource);
  if (!parsed.success || parsed.data.status === 'entered-in-error' || parsed.data.status === 'revoked')
    return undefined;
  const p = parsed.data;
  const isSafety = (p.category ?? []).some(
    (c) => c.coding?.some((k) => k.code === 'safety-plan') || /safety plan/i.test(textOf(c) ?? ''),
  );
  if (!isSafety) return undefined;
  return {
    id: p.id,
    title: p.title ?? 'Safety plan',
    description: p.description,
    steps: (p.activity ?? []).map((a) => a.detail?.description).filter((d): d is string => Boolean(d)),
  };
}
