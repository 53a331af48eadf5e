import { Link, useRoute } from 'wouter';
import type { CarePlanSummary, Contact } from '../../domain/model';
import {
  currentPlans,
  currentReferral,
  END_KIND_LABEL,
  EPISODE_STATUS_LABEL,
  episodeEnd,
  isOpen,
  statusHistory,
} from '../../domain/referral';
import { decide, isSupervisor } from '../../domain/permissions';
import type { AppUser } from '../../domain/permissions';
import { ReferralActions } from '../referral/ReferralActions';
import { AssignFamilyPartner } from '../referral/AssignFamilyPartner';
import { ServicePlanCard } from '../referral/ServicePlanCard';
import { ContinuingStayReview } from '../referral/ContinuingStayReview';
import { appUserOf } from '../../app/useSignedInUser';
import type { Workspace } from '../../fhir/workspace';
import { Alert } from '../../ui/Alert';
import { PatientBanner } from '../../ui/PatientBanner';
import { formatDate, formatDateTime } from '../../ui/format';
import { languageName } from '../../ui/language';
import { useSession } from '../../app/SessionContext';
import { useWorkspace } from './useWorkspace';
import { markOnce, MARKS } from '../../app/userTiming';
import { ComplianceCard } from './ComplianceCard';
import { CrisisProtocol } from './CrisisProtocol';
import { LogContactForm } from '../contacts/LogContactForm';
import { contactWriteBlocker } from '../../fhir/contacts';
import { useCapabilities } from '../../app/useCapabilities';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { DischargePlanLinks } from '../discharge/DischargePlanLinks';
import { MeetingsCard } from '../meetings/MeetingsCard';
import { IncidentsCard } from '../incidents/IncidentsCard';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { goalActivity, IDLE_GOAL_DAYS } from '../../domain/goalActivity';
import { METHOD_LABEL } from '../../ui/labels';
// The referral form loads when a clinician opens it.
const ReferForm = lazy(() => import('../referral/ReferForm').then((m) => ({ default: m.ReferForm })));
const ServicePlanForm = lazy(() =>
  import('../referral/ServicePlanForm').then((m) => ({ default: m.ServicePlanForm })),
);
const MeetingForm = lazy(() => import('../meetings/MeetingForm').then((m) => ({ default: m.MeetingForm })));
const IncidentForm = lazy(() =>
  import('../incidents/IncidentForm').then((m) => ({ default: m.IncidentForm })),
);
const DischargeWizard = lazy(() =>
  import('../discharge/DischargeWizard').then((m) => ({ default: m.DischargeWizard })),
);
// The history (virtualised timeline, exports) loads when first opened.
const HistoryPage = lazy(() => import('../history/HistoryPage').then((m) => ({ default: m.HistoryPage })));

export function WorkspacePage() {
  const session = useSession();
  const query = useWorkspace();
  const caps = useCapabilities();
  const [logging, setLogging] = useState(false);
  const [message, setMessage] = useState('');
  const [onHistory] = useRoute('/history');
  const [onRefer] = useRoute('/refer');
  const [onServicePlan] = useRoute('/service-plan');
  const [onDischarge] = useRoute('/discharge');
  const [onMeeting] = useRoute('/meeting');
  const [onIncident] = useRoute('/incident');
  const confirmation = useRef<HTMLParagraphElement>(null);
  // After a save, the confirmation takes the focus the closed form had.
  useEffect(() => {
    if (message) confirmation.current?.focus();
  }, [message]);
  // After the commit that put the record on screen: from here on, the page answers.
  useEffect(() => {
    if (query.data) markOnce(MARKS.workspaceInteractive);
  }, [query.data]);
  if (query.isError || !query.data) {
    if (!query.isError) return <p role="status">Loading the family's record…</p>;
    return (
      <Alert title="The family's record could not be loaded" error={query.error}>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </Alert>
    );
  }
  const ws = query.data;
  const tz = session.ehr.timeZone;
  const user = appUserOf(session, ws.user);
  const logDecision = decide(user, 'log-contact');
  const logBlocker =
    contactWriteBlocker(session.scopes, caps.data ?? ASSUMED_CAPABILITIES) ??
    (logDecision.allowed ? undefined : logDecision.reason);
  return (
    <div className="workspace">
      {session.needPatientBanner ? (
        <PatientBanner youth={ws.youth} caregivers={ws.caregivers} today={new Date()} />
      ) : (
        // The EHR shows the banner; the page still has its one heading, for screen readers.
        <h1 className="visually-hidden">
          FST for <bdi>{ws.youth.name.full}</bdi>
        </h1>
      )}
      {ws.problems.length > 0 && (
        <Alert title={`${ws.problems.length} record(s) could not be read`} tone="warning">
          <ul>
            {ws.problems.map((p) => (
              <li key={p.reference + p.message}>{p.message}</li>
            ))}
          </ul>
        </Alert>
      )}
      {ws.truncated.length > 0 && (
        <Alert title="Some lists are incomplete" tone="warning">
          <p>The server returned more pages than the app reads at once for: {ws.truncated.join(', ')}.</p>
        </Alert>
      )}
      <div className="toolbar">
        <CrisisProtocol ws={ws} />
        {/* The weekly task first: in the field it is the one tapped most. */}
        <LogContactButton
          blocker={logBlocker}
          open={logging}
          onOpen={() => {
            setMessage('');
            setLogging(true);
          }}
        />
        <ReferButton ws={ws} user={user} />
        <LogMeetingButton user={user} />
        <ReportIncidentButton user={user} />
        <PlanDischargeButton ws={ws} user={user} />
        <p role="status" className="saved-message" tabIndex={-1} ref={confirmation}>
          {message}
        </p>
      </div>
      {logging && (
        <LogContactForm
          ws={ws}
          onDone={(text) => {
            setLogging(false);
            setMessage(text);
          }}
        />
      )}
      <nav aria-label="Views" className="tabs no-print">
        <Link href="/" aria-current={onHistory ? undefined : 'page'}>
          Overview
        </Link>
        <Link href="/history" aria-current={onHistory ? 'page' : undefined}>
          Contact history
        </Link>
      </nav>
      {onRefer ? (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <ReferForm ws={ws} />
        </Suspense>
      ) : onIncident ? (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <IncidentForm ws={ws} />
        </Suspense>
      ) : onMeeting ? (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <MeetingForm ws={ws} />
        </Suspense>
      ) : onDischarge ? (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <DischargeWizard ws={ws} />
        </Suspense>
      ) : onServicePlan ? (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <ServicePlanForm ws={ws} />
        </Suspense>
      ) : onHistory ? (
        <Suspense fallback={<p role="status">Loading the history…</p>}>
          <HistoryPage ws={ws} />
        </Suspense>
      ) : (
        <div className="workspace-grid">
          <ReferralCard ws={ws} user={user} timeZone={tz} />
          <ServicePlanCard ws={ws} user={user} />
          <MeetingsCard ws={ws} timeZone={tz} />
          <IncidentsCard ws={ws} timeZone={tz} />
          <CaregiversCard ws={ws} />
          <ComplianceCard ws={ws} />
          <PlansCard plans={ws.plans} contacts={ws.contacts} timeZone={tz} />
          <ContactsCard contacts={ws.contacts} timeZone={tz} />
          <EncountersCard ws={ws} timeZone={tz} />
        </div>
      )}
    </div>
  );
}

/**
 * A workflow's entry: a link, or — when the sign-in's scopes do not allow its writes — a disabled button
 * with the reason beside it.
 */
function ActionLink({
  label,
  href,
  blockedLabel = label,
  blocked,
}: {
  label: string;
  href: string;
  blockedLabel?: string;
  blocked?: string;
}) {
  const id = useId();
  if (blocked)
    return (
      <p className="muted">
        <button type="button" disabled aria-describedby={id}>
          {blockedLabel}
        </button>{' '}
        <span id={id}>{blocked}</span>
      </p>
    );
  return (
    <Link href={href} className="button-link">
      {label}
    </Link>
  );
}

/** "Refer to FST" where the youth has no open FST referral: for referrers, or disabled with the reason. */
function ReferButton({ ws, user }: { ws: Workspace; user: AppUser }) {
  const session = useSession();
  const current = currentReferral(ws.referrals, ws.launchedReferralId);
  if (current && isOpen(current)) return null;
  const decision = decide(user, 'refer');
  // The FST provider records a family's own request (a self-referral) with the caregiver as requester.
  const selfReferral = !decision.allowed && isSupervisor(user);
  if (!decision.allowed && !selfReferral) return null;
  const missing = ['Task', 'ServiceRequest', 'QuestionnaireResponse'].filter(
    (t) => !session.scopes.allows(t, 'c'),
  );
  return (
    <ActionLink
      label={selfReferral ? 'Record self-referral' : 'Refer to FST'}
      href={selfReferral ? '/refer?self=1' : '/refer'}
      blockedLabel="Refer to FST"
      blocked={missing.length ? `Your sign-in does not allow creating ${missing.join(', ')}.` : undefined}
    />
  );
}

/** "Log meeting": FST staff who may log contacts, when the sign-in allows creating Encounters. */
function LogMeetingButton({ user }: { user: AppUser }) {
  const session = useSession();
  if (!decide(user, 'log-contact').allowed) return null;
  return (
    <ActionLink
      label="Log meeting"
      href="/meeting"
      blocked={
        !session.scopes.allows('Encounter', 'c')
          ? 'Your sign-in does not allow creating Encounter.'
          : undefined
      }
    />
  );
}

/** "Report incident": FST staff, when the sign-in allows creating the report and its review Task. */
function ReportIncidentButton({ user }: { user: AppUser }) {
  const session = useSession();
  if (!decide(user, 'report-incident').allowed) return null;
  const missing = ['AdverseEvent', 'Task'].filter((t) => !session.scopes.allows(t, 'c'));
  return (
    <ActionLink
      label="Report incident"
      href="/incident"
      blocked={missing.length ? `Your sign-in does not allow creating ${missing.join(', ')}.` : undefined}
    />
  );
}

/** "Plan discharge" while the family is in service: for the assigned Family Partner or a supervisor. */
function PlanDischargeButton({ ws, user }: { ws: Workspace; user: AppUser }) {
  const session = useSession();
  const current = currentReferral(ws.referrals, ws.launchedReferralId);
  if (!current || !['accepted', 'in-progress', 'on-hold'].includes(current.status)) return null;
  const decision = decide(user, 'discharge', {
    assignedReference: current.ownerReference,
    requesterReference: current.requesterReference,
  });
  if (!decision.allowed) return null;
  const missing = [
    ...['DocumentReference', 'Provenance', 'Communication'].filter((t) => !session.scopes.allows(t, 'c')),
    ...(session.scopes.allows('Task', 'u') ? [] : ['Task (update)']),
  ];
  return (
    <ActionLink
      label="Plan discharge"
      href="/discharge"
      blocked={missing.length ? `Your sign-in does not allow writing ${missing.join(', ')}.` : undefined}
    />
  );
}

function ReferralCard({ ws, user, timeZone }: { ws: Workspace; user: AppUser; timeZone: string }) {
  const session = useSession();
  const names = ws.staffNames;
  const current = currentReferral(ws.referrals, ws.launchedReferralId);
  if (!current) {
    return (
      <section className="card" aria-labelledby="referral-heading">
        <h2 id="referral-heading">FST referral</h2>
        <p>No FST referral for this youth.</p>
      </section>
    );
  }
  const history = statusHistory(current);
  const end = episodeEnd(current, history);
  const latest = history[history.length - 1];
  return (
    <section className="card" aria-labelledby="referral-heading">
      <h2 id="referral-heading">FST referral</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{end ? END_KIND_LABEL[end.kind] : EPISODE_STATUS_LABEL[latest.status]}</dd>
        <dt>Referred</dt>
        <dd>{formatDate(current.authoredOn, timeZone)}</dd>
        <dt>With</dt>
        <dd>
          <bdi>{ownerName(current.ownerReference, ws)}</bdi>
        </dd>
        {current.statusReason && (
          <>
            <dt>Reason</dt>
            <dd>{current.statusReason}</dd>
          </>
        )}
      </dl>
      <h3>Status history</h3>
      <ol className="plain status-history" aria-label="Referral status history">
        {history.map((e) => (
          <li key={`${e.status}-${e.at}`}>
            {formatDate(e.at, timeZone)} · {EPISODE_STATUS_LABEL[e.status]}
            {e.by && (
              <>
                {' '}
                · by <bdi>{names.get(e.by) ?? e.by}</bdi>
              </>
            )}
            {e.reason && <> · {e.reason}</>}
            {e.inferred && <span className="muted"> (from the referral record)</span>}
          </li>
        ))}
      </ol>
      <DischargePlanLinks
        plans={ws.dischargePlans.filter((d) => d.referralTaskIds.includes(current.id))}
        timeZone={timeZone}
        canCorrect={
          session.scopes.allows('DocumentReference', 'u') &&
          decide(user, 'discharge', {
            assignedReference: current.ownerReference,
            requesterReference: current.requesterReference,
          }).allowed
        }
      />
      {!end && (
        <>
          <ReferralActions referral={current} user={user} />
          <ContinuingStayReview referral={current} user={user} />
          {decide(user, 'assign-family-partner').allowed && (
            <AssignFamilyPartner
              referral={current}
              partners={ws.familyPartners}
              caregiverLanguages={ws.caregivers[0]?.languages ?? ws.youth.languages}
            />
          )}
        </>
      )}
    </section>
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

function ContactsCard({ contacts, timeZone }: { contacts: Contact[]; timeZone: string }) {
  const recent = [...contacts].sort((a, b) => b.sent.localeCompare(a.sent)).slice(0, 5);
  return (
    <section className="card wide" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">Recent contacts</h2>
      <p className="muted">
        {contacts.length} {contacts.length === 1 ? 'contact' : 'contacts'} recorded.
      </p>
      {recent.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">With</th>
              <th scope="col">Method</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((c) => (
              <tr key={c.id}>
                <td>{formatDateTime(c.sent, timeZone)}</td>
                <td>{c.kind === 'caregiver' ? 'Caregiver' : 'Treating provider'}</td>
                <td>
                  {METHOD_LABEL[c.method]}
                  {c.status === 'not-done' && ' (attempt)'}
                </td>
                <td>{c.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EncountersCard({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="encounters-heading">
      <h2 id="encounters-heading">Encounters</h2>
      {ws.encounters.length === 0 ? (
        <p>No encounters.</p>
      ) : (
        <ul className="plain">
          {ws.encounters.slice(0, 5).map((e) => (
            <li key={e.id}>
              {formatDate(e.start, timeZone)} · {e.type ?? 'Encounter'}{' '}
              <span className="muted">({e.status})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LogContactButton({
  blocker,
  open,
  onOpen,
}: {
  blocker?: string;
  open: boolean;
  onOpen: () => void;
}) {
  if (blocker) {
    return (
      <p className="muted">
        <button type="button" disabled aria-describedby="log-contact-blocked">
          Log contact
        </button>{' '}
        <span id="log-contact-blocked">{blocker}</span>
      </p>
    );
  }
  return (
    <button type="button" onClick={onOpen} disabled={open}>
      Log contact
    </button>
  );
}

/** Who holds the referral: the assigned Family Partner, or the FST provider until one is assigned. */
function ownerName(reference: string | undefined, ws: Workspace): string {
  if (!reference) return 'not assigned';
  const fp = ws.familyPartners.find((p) => p.roleReference === reference);
  if (fp) return `${fp.name} (Family Partner)`;
  return (
    ws.staffNames.get(reference) ??
    (reference.startsWith('Organization/') ? 'the FST provider, not yet assigned' : reference)
  );
}
