/** CarePlan (ICP / treatment plan) with its Goals and CareTeam → CarePlanSummary. */
import { z } from '../../schema/z';
import type { CarePlanSummary, CareTeamMember, Parsed, PlanGoal, PlanKind } from '../../domain/model';
import { CodeSystems } from '../codes';
import { codeableConceptSchema, codeFrom, idFromReference, referenceSchema, textOf } from './datatypes';
import { parseResource } from './parse';

const goalSchema = z.looseObject({
  resourceType: z.literal('Goal'),
  id: z.string({ error: 'has no id' }),
  lifecycleStatus: z.string({ error: 'has no lifecycle status' }),
  achievementStatus: z.optional(codeableConceptSchema),
  description: codeableConceptSchema,
  startDate: z.optional(z.string()),
  target: z.optional(z.array(z.looseObject({ dueDate: z.optional(z.string()) }))),
  note: z.optional(z.array(z.looseObject({ text: z.string() }))),
});

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

const careTeamSchema = z.looseObject({
  resourceType: z.literal('CareTeam'),
  id: z.string(),
  participant: z.optional(
    z.array(
      z.looseObject({
        role: z.optional(z.array(codeableConceptSchema)),
        member: z.optional(referenceSchema),
      }),
    ),
  ),
});

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

const carePlanSchema = z.looseObject({
  resourceType: z.literal('CarePlan'),
  id: z.string({ error: 'has no id' }),
  status: z.string({ error: 'has no status' }),
  title: z.optional(z.string()),
  category: z.optional(z.array(codeableConceptSchema)),
  period: z.optional(z.looseObject({ start: z.optional(z.string()) })),
  author: z.optional(referenceSchema),
  goal: z.optional(z.array(referenceSchema)),
  careTeam: z.optional(z.array(referenceSchema)),
});

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

const safetyPlanSchema = z.looseObject({
  resourceType: z.literal('CarePlan'),
  id: z.string(),
  status: z.optional(z.string()),
  title: z.optional(z.string()),
  description: z.optional(z.string()),
  category: z.optional(z.array(codeableConceptSchema)),
  activity: z.optional(
    z.array(z.looseObject({ detail: z.optional(z.looseObject({ description: z.optional(z.string()) })) })),
  ),
});

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

/**
 * The youth's plans FST serves (ICP / treatment plans) with their goals and care teams, from a search result's
 * CarePlans, Goals and CareTeams: one reading for the workspace and the server's discharge rule. A plan that is
 * the FST service plan or a safety plan is not among them (`excluded`).
 */
export function plansWithGoalsAndTeams(
  resources: readonly { resourceType: string; id?: string }[],
  excluded: (plan: { resourceType: string; id?: string }) => boolean,
): { plans: Parsed<CarePlanSummary>[]; goals: Parsed<PlanGoal>[] } {
  const goals = resources.filter((r) => r.resourceType === 'Goal').map(parseGoal);
  const goalsById = new Map<string, PlanGoal>(goals.flatMap((g) => (g.ok ? [[g.value.id, g.value]] : [])));
  const teamsById = new Map<string, CareTeamMember[]>(
    resources.filter((r) => r.resourceType === 'CareTeam').map((t) => [t.id ?? '', careTeamMembers(t)]),
  );
  const plans = resources
    .filter((r) => r.resourceType === 'CarePlan' && !excluded(r))
    .map((p) => parseCarePlan(p, goalsById, teamsById));
  return { plans, goals };
}
