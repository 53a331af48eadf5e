/**
 * The workspace's cards below the clocks and the referral: rendered in the deferred pass after the first
 * commit (WorkspacePage), and loaded lazily, so the JS the workspace needs before it answers stays small on a
 * phone's network (issue 38).
 */
import { lazy, Suspense } from 'react';
import type { CarePlanSummary, Contact } from '../../domain/model';
import type { PendingContact } from '../../domain/outbox';
import { currentPlans } from '../../domain/referral';
import type { NextSteps } from '../../domain/nextSteps';
import { telehealthWithoutRequest } from '../../domain/compliance';
import { isClinicMeeting } from '../../domain/meetings';
import { goalActivity, IDLE_GOAL_DAYS } from '../../domain/goalActivity';
import type { Workspace } from '../../fhir/workspace';
import { formatDate, formatDateTime } from '../../ui/format';
import { languageName } from '../../ui/language';
import { formerLabel } from '../../domain/caregivers';
import { METHOD_LABEL } from '../../ui/labels';
import { ServicePlanCard } from '../referral/ServicePlanCard';
import { MeetingsCard } from '../meetings/MeetingsCard';
import { IncidentsCard } from '../incidents/IncidentsCard';
import { OutcomesCard } from '../outcomes/OutcomesCard';

const CaregiverRequestsCard = lazy(() =>
  import('../caregiverRequests/CaregiverRequestsCard').then((m) => ({ default: m.CaregiverRequestsCard })),
);

export function MoreCards({
  ws,
  steps,
  episodeContacts,
  pendingContacts,
  timeZone,
}: {
  ws: Workspace;
  steps: NextSteps['steps'];
  /** The current episode's contacts (WorkspacePage computes them for the first commit too). */
  episodeContacts: Contact[];
  /** Saved on this device, not yet stored (issue 38). */
  pendingContacts: PendingContact[];
  timeZone: string;
}) {
  return (
    <>
      <ServicePlanCard ws={ws} step={steps['service-plan']} />
      <MeetingsCard ws={ws} timeZone={timeZone} />
      <IncidentsCard ws={ws} timeZone={timeZone} />
      <OutcomesCard ws={ws} step={steps.outcomes} timeZone={timeZone} />
      {steps.outcomes.allowed && (
        <Suspense fallback={null}>
          <CaregiverRequestsCard ws={ws} timeZone={timeZone} />
        </Suspense>
      )}
      <CaregiversCard ws={ws} />
      <PlansCard plans={ws.plans} contacts={episodeContacts} timeZone={timeZone} />
      <ContactsCard
        contacts={episodeContacts}
        pending={pendingContacts}
        earlier={ws.contacts.length - episodeContacts.length}
        timeZone={timeZone}
      />
      <EncountersCard ws={ws} timeZone={timeZone} />
    </>
  );
}

/** What the EHR holds, alone: the workspace while the agency's record store cannot be reached (issue 36). */
export function ChartCards({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  return (
    <>
      <CaregiversCard ws={ws} />
      <PlansCard plans={ws.plans} contacts={[]} timeZone={timeZone} />
      <EncountersCard ws={ws} timeZone={timeZone} />
    </>
  );
}

function CaregiversCard({ ws }: { ws: Workspace }) {
  return (
    <section className="card" aria-labelledby="caregivers-heading">
      <h2 id="caregivers-heading">Caregivers</h2>
      {ws.caregivers.length === 0 ? (
        <p>No caregiver recorded.</p>
      ) : (
        <ul className="plain">
          {ws.caregivers.map((c) => (
            <li key={c.reference}>
              <strong>
                <bdi>{c.name.full}</bdi>
              </strong>
              , {c.relationship}
              {c.former && (
                <>
                  {' '}
                  · <span className="badge badge-not-applicable">{formerLabel(c)}</span>
                </>
              )}
              {c.languages.length > 0 && <> · speaks {c.languages.map(languageName).join(', ')}</>}
              {c.phone && <> · {c.phone}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PlansCard({
  plans,
  contacts,
  timeZone,
}: {
  plans: CarePlanSummary[];
  contacts: Contact[];
  timeZone: string;
}) {
  const shown = currentPlans(plans);
  const activity = goalActivity(
    shown.flatMap((p) => p.goals),
    contacts,
    new Date(),
  );
  return (
    <section className="card wide" aria-labelledby="plan-heading">
      <h2 id="plan-heading">Plan goals</h2>
      {shown.length === 0 && <p>No ICP or treatment plan found.</p>}
      {shown.map((plan) => (
        <div key={plan.id}>
          <h3>
            {plan.title} <span className="muted">({plan.status})</span>
          </h3>
          {plan.goals.length === 0 ? (
            <p>This plan has no goals.</p>
          ) : (
            <ul className="goals" aria-label={`Goals of ${plan.title}`}>
              {plan.goals.map((g) => {
                const a = activity.get(g.id);
                return (
                  <li key={g.id} className={a?.idle ? 'goal-idle' : undefined}>
                    <span className="goal-text">{g.description}</span>
                    {g.caregiverWording && <span className="caregiver-words">“{g.caregiverWording}”</span>}
                    <span className="muted">
                      {g.lifecycleStatus}
                      {g.targetDate && ` · target ${formatDate(g.targetDate, timeZone)}`}
                      {` · ${a?.count ?? 0} contact(s)`}
                      {a?.lastSent && `, last ${formatDate(a.lastSent, timeZone)}`}
                    </span>
                    {a?.idle && (
                      <strong className="goal-warning">No activity in {IDLE_GOAL_DAYS} days</strong>
                    )}
                    {a && a.trail.length > 0 && (
                      <details>
                        <summary>Contacts on this goal</summary>
                        <ul className="plain">
                          {a.trail.slice(0, 10).map((c) => (
                            <li key={c.id}>
                              {formatDate(c.sent, timeZone)} · {METHOD_LABEL[c.method]} · {c.note}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}

/** The current episode's contacts; a re-referred family's earlier episodes stay in the contact history. */
function ContactsCard({
  contacts,
  pending,
  earlier,
  timeZone,
}: {
  contacts: Contact[];
  /** Saved on this device, not yet stored (issue 38): listed, marked, never counted as recorded. */
  pending: PendingContact[];
  earlier: number;
  timeZone: string;
}) {
  const recent = [...pending, ...[...contacts].sort((a, b) => b.sent.localeCompare(a.sent)).slice(0, 5)];
  return (
    <section className="card wide" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">Recent contacts</h2>
      <p className="muted">
        {contacts.length} {contacts.length === 1 ? 'contact' : 'contacts'} recorded
        {earlier > 0 ? ` in this episode; ${earlier} of earlier episodes are in the contact history.` : '.'}
      </p>
      {recent.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">With</th>
              <th scope="col">Method</th>
              <th scope="col" className="phone-hide">
                Note
              </th>
            </tr>
          </thead>
          <tbody>
            {recent.map((c) => (
              <tr key={c.id}>
                <td>
                  {formatDateTime(c.sent, timeZone)}
                  {'pending' in c && <span className="badge badge-pending"> Pending: not yet sent</span>}
                </td>
                <td>{c.kind === 'caregiver' ? 'Caregiver' : 'Treating provider'}</td>
                <td>
                  {METHOD_LABEL[c.method]}
                  {c.status === 'not-done' && ' (attempt)'}
                  {telehealthWithoutRequest(c) && (
                    <strong className="flag"> · telehealth not requested by the family: not counted</strong>
                  )}
                </td>
                <td className="phone-hide">{c.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The youth's other visits: the clinic's team meetings are in the meetings card, one list of meetings. */
function EncountersCard({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  const visits = ws.encounters.filter((e) => !isClinicMeeting(e));
  return (
    <section className="card" aria-labelledby="encounters-heading">
      <h2 id="encounters-heading">Visits</h2>
      {visits.length === 0 ? (
        <p>No other visits.</p>
      ) : (
        <ul className="plain">
          {visits.slice(0, 5).map((e) => (
            <li key={e.id}>
              {formatDate(e.start, timeZone)} · <bdi>{e.type ?? 'Encounter'}</bdi>{' '}
              <span className="muted">({e.status})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
