import { Link } from 'wouter';
import type { StepCheck } from '../../domain/nextSteps';
import { describeSeries, nextPlannedMeeting } from '../../domain/servicePlan';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { formatDate, formatDateTime } from '../../ui/format';
import { calendarFor } from '../../config/config';
import { intensity } from '../../domain/units';
import { currentReferral } from '../../domain/referral';
import { contactsOfEpisode } from '../../domain/episode';
import { useQuery } from '@tanstack/react-query';
import { planShareKey, readPlanShare } from '../../fhir/servicePlans';
import { usePatientId } from '../../app/PatientContext';
import { useReferenceNames } from '../workspace/useReferenceNames';
import { Alert } from '../../ui/Alert';

/**
 * Whether the referring provider has the plan, as the servers hold it: delivered in the EHR, or recorded as
 * not delivered with what the Family Partner does instead (issue 36: never "shared" when nobody received it).
 */
function PlanShareLine({ ws, planId }: { ws: Workspace; planId: string }) {
  const session = useSession();
  const patientId = usePatientId();
  const share = useQuery({
    queryKey: [...planShareKey(session.serverUrl, patientId), planId],
    queryFn: ({ signal }) => readPlanShare(session.transport, patientId, planId, signal),
  });
  const name = useReferenceNames(ws, [share.data?.recipient]);
  if (!share.data) return null;
  const who = name(share.data.recipient);
  if (share.data.delivered)
    return (
      <p>
        Shared with <bdi>{who}</bdi> in {session.ehr.name}
        {share.data.sent ? ` on ${formatDate(share.data.sent, session.ehr.timeZone)}` : ''}.
      </p>
    );
  return (
    <Alert title={`Not shared with ${who}`}>
      <p>{share.data.reason ?? `${session.ehr.name} did not receive it.`}</p>
      <p>
        Send it to <bdi>{who}</bdi> by fax or secure message, or through {session.ehr.name}'s own messages,
        and note it in a collateral contact.
      </p>
    </Alert>
  );
}

/** The FST service plan on the workspace, for everyone on the team; its author revises it. */
export function ServicePlanCard({ ws, step }: { ws: Workspace; step: StepCheck }) {
  const session = useSession();
  const tz = session.ehr.timeZone;
  const plan = ws.servicePlans[0];
  const canWrite = step.allowed;
  if (!plan && !canWrite) return null;
  // Seed 004 II: the intensity delivered against the plan, for the Family Partner and the supervisor alike.
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  const next = plan ? nextPlannedMeeting(plan, new Date(), tz, referral) : undefined;
  const delivered = plan
    ? intensity(
        plan,
        contactsOfEpisode(ws.contacts, referral, ws.referrals),
        new Date(),
        calendarFor(session.ehr),
      )
    : undefined;
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
          {delivered && (
            <p>
              Delivered: <strong>{delivered.delivered.toFixed(1)} hour(s)</strong> per {delivered.planned.per}{' '}
              ({formatDate(delivered.from, tz)} – {formatDate(delivered.to, tz)})
              {delivered.status === 'below'
                ? ' · below the plan'
                : delivered.status === 'above'
                  ? ' · above the plan: the supervisor reviews the intensity'
                  : ' · as planned'}
            </p>
          )}
          {next && <p>Next meeting: {formatDateTime(next.at.toISOString(), tz)}</p>}
          {plan.id && <PlanShareLine ws={ws} planId={plan.id} />}
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
