/** How much FST work addressed each plan goal: contacts, last date, and goals left idle. */
import type { Contact, PlanGoal } from './model';
import { noFstPurpose } from './purposes';

/** A goal without a contact in this many days stands out. */
export const IDLE_GOAL_DAYS = 30;

export interface GoalActivity {
  goalId: string;
  count: number;
  lastSent?: string;
  /** Completed contacts that addressed the goal, newest first. */
  trail: Contact[];
  idle: boolean;
}

export function goalActivity(
  goals: readonly PlanGoal[],
  contacts: readonly Contact[],
  now: Date,
): Map<string, GoalActivity> {
  const byGoal = new Map<string, Contact[]>();
  for (const c of contacts) {
    // Seed 000 service component 3b: a contact with no FST purpose (only "crisis") is not work toward the goal.
    if (c.status !== 'completed' || noFstPurpose(c)) continue;
    for (const id of c.goalIds) {
      const list = byGoal.get(id) ?? [];
      list.push(c);
      byGoal.set(id, list);
    }
  }
  const cutoff = now.getTime() - IDLE_GOAL_DAYS * 86_400_000;
  const out = new Map<string, GoalActivity>();
  for (const g of goals) {
    const trail = (byGoal.get(g.id) ?? []).sort((a, b) => (a.sent < b.sent ? 1 : -1));
    const lastSent = trail[0]?.sent;
    const active =
      g.lifecycleStatus === 'active' || g.lifecycleStatus === 'accepted' || g.lifecycleStatus === 'planned';
    out.set(g.id, {
      goalId: g.id,
      count: trail.length,
      lastSent,
      trail,
      idle: active && (!lastSent || Date.parse(lastSent) < cutoff),
    });
  }
  return out;
}
