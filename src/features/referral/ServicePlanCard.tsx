import { Link } from 'wouter';
import type { StepCheck } from '../../domain/nextSteps';
import { describeSeries, nextPlannedMeeting } from '../../domain/servicePlan';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { formatDate, formatDateTime } from '../../ui/format';

/** The FST service plan on the workspace, for everyone on the team; its author revises it. */
export function ServicePlanCard({ ws, step }: { ws: Workspace; step: StepCheck }) {
  const session = useSession();
  const tz = session.ehr.timeZone;
  const plan = ws.servicePlans[0];
  const canWrite = step.allowed;
  if (!plan && !canWrite) return null;
  const next = plan ? nextPlannedMeeting(plan, new Date(), tz) : undefined;
  const goal = (id: string) => ws.plans.flatMap((p) => p.goals).find((g) => g.id === id)?.description ?? id;
  return (
    <section className="card" aria-labelledby="service-plan-heading">
      <h2 id="service-plan-heading">FST service plan</h2>
      {!plan ? (
        <p>No service plan yet: agree the meeting schedule, hours and goal targets with the caregiver.</p>
      ) : (
        <>
          <ul className="plain">
            {plan.meetings.map((m) => (
              <li key={`${m.day}-${m.time}-${m.frequency}`}>{describeSeries(m)}</li>
            ))}
          </ul>
          <p>
            {plan.hours.amount} hour(s) per {plan.hours.per} · from {formatDate(plan.start, tz)}
          </p>
          {next && <p>Next meeting: {formatDateTime(next.at.toISOString(), tz)}</p>}
          {plan.goalTargets.length > 0 && (
            <ul className="plain" aria-label="Goal targets">
              {plan.goalTargets.map((t) => (
                <li key={t.goalId}>
                  {goal(t.goalId)} — by {formatDate(t.targetDate, tz)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {canWrite && (
        <Link href="/service-plan" className="button-link">
          {plan ? 'Revise service plan' : 'Write service plan'}
        </Link>
      )}
    </section>
  );
}
