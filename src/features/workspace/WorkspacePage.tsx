import { Link, useLocation, useRoute } from 'wouter';
import type { AdmissionCriterion, CarePlanSummary, ReferralRequest } from '../../domain/model';
import {
  ADMISSION_CRITERIA,
  currentReferral,
  formerPartners,
  isPersonReference,
  PHASE_LABEL,
  statusHistory,
  transfers,
} from '../../domain/referral';
import type { NextSteps, StepCheck } from '../../domain/nextSteps';
import { offered, proposedStartDate, STEP_RULES } from '../../domain/nextSteps';
import { useNextSteps } from './useNextSteps';
import { useReferenceNames } from './useReferenceNames';
import type { AppUser } from '../../domain/permissions';
import { appUserOf } from '../../app/useSignedInUser';
import { ReferralActions } from '../referral/ReferralActions';
import type { Workspace } from '../../fhir/workspace';
import { Alert } from '../../ui/Alert';
import { PatientBanner } from '../../ui/PatientBanner';
import { formatDate, formatDateTime } from '../../ui/format';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { usePendingContacts } from '../offline/outboxState';
import { OutboxSlot } from '../offline/OutboxSlot';
import { useWorkspace } from './useWorkspace';
import { markOnce, MARKS } from '../../app/userTiming';
import { ComplianceCard } from './ComplianceCard';
import { CrisisProtocol } from './CrisisProtocol';
import { LIVED_EXPERIENCE_AREAS } from '../../domain/matching';
import { contactsOfEpisode } from '../../domain/episode';
import { ageOutFlag } from '../../domain/eligibility';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import { useStoreStatus } from '../../app/useStoreStatus';
import { halfFinishedDischarge } from '../../domain/planDelivery';
import { StoreUnavailable } from './StoreUnavailable';
import { lazy, Suspense, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ComponentProps, ReactNode } from 'react';
// What the first commit does not show loads after it (issue 38: the JS the workspace needs before it answers,
// on a phone's network): the cards below the clocks and the referral, each form when it opens.
// Loaded only for a family that has a discharge plan: most families on a caseload have none yet.
const LazyPlanLinks = lazy(() =>
  import('../discharge/DischargePlanLinks').then((m) => ({ default: m.DischargePlanLinks })),
);
function DischargePlanLinks(props: ComponentProps<typeof LazyPlanLinks>) {
  if (props.plans.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <LazyPlanLinks {...props} />
    </Suspense>
  );
}
const MoreCards = lazy(() => import('./MoreCards').then((m) => ({ default: m.MoreCards })));
const ChartCards = lazy(() => import('./MoreCards').then((m) => ({ default: m.ChartCards })));
const loadLogContactForm = () => import('../contacts/LogContactForm');
const LogContactForm = lazy(() => loadLogContactForm().then((m) => ({ default: m.LogContactForm })));
const AssignFamilyPartner = lazy(() =>
  import('../referral/AssignFamilyPartner').then((m) => ({ default: m.AssignFamilyPartner })),
);
const ContinuingStayReview = lazy(() =>
  import('../referral/ContinuingStayReview').then((m) => ({ default: m.ContinuingStayReview })),
);
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
const SurveyForm = lazy(() => import('../outcomes/SurveyForm').then((m) => ({ default: m.SurveyForm })));
const InstrumentForm = lazy(() =>
  import('../outcomes/InstrumentForm').then((m) => ({ default: m.InstrumentForm })),
);
const GoalAttainmentForm = lazy(() =>
  import('../outcomes/GoalAttainmentForm').then((m) => ({ default: m.GoalAttainmentForm })),
);
const HistoryPage = lazy(() => import('../history/HistoryPage').then((m) => ({ default: m.HistoryPage })));

export function WorkspacePage() {
  const query = useWorkspace();
  // After the commit that put the record on screen: from here on, the page answers.
  useEffect(() => {
    if (!query.data) return;
    markOnce(MARKS.workspaceInteractive);
    // The weekly task is tapped most, often where the signal is weak: its form is fetched once the screen is up.
    void loadLogContactForm();
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
  return <WorkspaceScreen ws={query.data} />;
}

function WorkspaceScreen({ ws }: { ws: Workspace }) {
  const session = useSession();
  const [logging, setLogging] = useState(false);
  // A confirmation belongs to the screen it was given on: another address (history, a form, Back) drops it.
  const [location] = useLocation();
  const [saved, setSaved] = useState({ text: '', at: '' });
  // Adjusted while rendering (React's pattern for state that follows a prop): once the address has changed,
  // coming back to it does not bring the old confirmation back.
  if (saved.text && saved.at !== location) setSaved({ text: '', at: location });
  const message = saved.at === location ? saved.text : '';
  const setMessage = (text: string) => setSaved({ text, at: location });
  const [onHistory] = useRoute('/history');
  const [onRefer] = useRoute('/refer');
  const [onServicePlan] = useRoute('/service-plan');
  const [onDischarge] = useRoute('/discharge');
  const [onMeeting] = useRoute('/meeting');
  const [onIncident] = useRoute('/incident');
  const [onSurvey] = useRoute('/outcomes/survey');
  const [onGoalRatings] = useRoute('/outcomes/goals');
  const [onInstrument, instrumentRoute] = useRoute<{ n: string }>('/outcomes/instrument/:n');
  const confirmation = useRef<HTMLParagraphElement>(null);
  // After a save, the confirmation takes the focus the closed form had.
  useEffect(() => {
    if (message) confirmation.current?.focus();
  }, [message]);
  const tz = session.ehr.timeZone;
  const user = useMemo(() => appUserOf(session, ws.user), [session, ws.user]);
  const next = useNextSteps(ws, user);
  const { steps } = next;
  const pendingContacts = usePendingContacts(session, usePatientId());
  const episodeContacts = useMemo(
    () => contactsOfEpisode(ws.contacts, currentReferral(ws.referrals, ws.launchedReferralId), ws.referrals),
    [ws.contacts, ws.referrals, ws.launchedReferralId],
  );
  // The first commit shows what is acted on first: the banner, the toolbar, the clocks (a full-width card, so
  // on top) and the referral (and marks the page interactive); the other cards follow at once in a deferred
  // render, which React may interrupt for a click. They fill the grid after the first two: nothing on screen
  // moves.
  const allCards = useDeferredValue(true, false);
  const ageOut = ageOutFlag(
    ws.youth.birthDate,
    currentReferral(ws.referrals, ws.launchedReferralId),
    civilToIso(civilDateOf(new Date(), tz)),
  );
  const store = useStoreStatus();
  const storeDown = store !== undefined && !store.reachable;
  // While the store is down its parts failed for one reason, said once by StoreUnavailable.
  const problems = storeDown ? ws.problems.filter((p) => !p.message.includes(store.name)) : ws.problems;
  const halfDone = halfFinishedDischarge(
    currentReferral(ws.referrals, ws.launchedReferralId),
    ws.dischargePlans,
  );
  const contact = steps.contact;
  const dischargeStep = steps.discharge.allowed ? steps.discharge : steps['discharge-unsigned'];
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
      {storeDown && <StoreUnavailable name={store.name} reason={store.reason} />}
      {halfDone && !onDischarge && (
        <Alert title="The discharge is half finished">
          <p>
            The signed discharge plan of {formatDate(halfDone.date, tz)} is in the chart, but the referral is
            still open: the FST records that finish the discharge (signatures, consent, deliveries, the
            referral&apos;s end) were not saved{store ? ` in ${store.name}` : ''}. Finalise the discharge
            again to finish it; the plan will not be written twice.
          </p>
          {dischargeStep.allowed ? (
            <Link href="/discharge" className="button-link">
              Finish the discharge
            </Link>
          ) : (
            <p>{dischargeStep.reason ?? 'Ask the assigned Family Partner or a supervisor to finish it.'}</p>
          )}
        </Alert>
      )}
      {problems.length > 0 && (
        <Alert title={`${problems.length} record(s) could not be read`} tone="warning">
          <ul>
            {problems.map((p) => (
              <li key={p.reference + p.message}>{p.message}</li>
            ))}
          </ul>
        </Alert>
      )}
      {ageOut && (
        // Seed 000 overview: FST is for "a youth (under the age of 21)".
        <Alert
          title={ageOut.status === 'due' ? 'Discharge planning due: aged 21' : 'Turns 21 soon'}
          tone="warning"
        >
          <p>{ageOut.message}</p>
        </Alert>
      )}
      {ws.truncated.length > 0 && (
        <Alert title="Some lists are incomplete" tone="warning">
          <p>The server returned more pages than the app reads at once for: {ws.truncated.join(', ')}.</p>
        </Alert>
      )}
      <div className="toolbar">
        <CrisisProtocol ws={ws} />
        {storeDown && !logging ? null : (
          <>
            {/* The weekly task first: in the field it is the one tapped most. */}
            <LogContactButton
              blocker={contact.allowed ? undefined : contact.reason}
              open={logging}
              onOpen={() => {
                setMessage('');
                setLogging(true);
              }}
            />
            <StepLink
              step={steps.refer}
              // A supervisor's referral is the family's own request: the form names the caregiver as requester.
              href={steps.refer.label === STEP_RULES.refer.label ? '/refer' : '/refer?self=1'}
            />
            <StepLink step={steps.meeting} href="/meeting" />
            <StepLink step={steps.incident} href="/incident" />
            <StepLink step={dischargeStep} href="/discharge" label="Plan discharge" />
          </>
        )}
        <p role="status" className="saved-message" tabIndex={-1} ref={confirmation}>
          {message}
        </p>
      </div>
      {logging && (
        <Suspense fallback={<p role="status">Loading the form…</p>}>
          <LogContactForm
            ws={ws}
            onDone={(text) => {
              setLogging(false);
              setMessage(text);
            }}
          />
        </Suspense>
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
        <StepRoute step={steps.refer} title="You cannot refer this youth">
          <ReferForm ws={ws} />
        </StepRoute>
      ) : onIncident ? (
        <StepRoute step={steps.incident} title="You cannot report an incident here">
          <IncidentForm ws={ws} />
        </StepRoute>
      ) : onMeeting ? (
        <StepRoute step={steps.meeting} title="You cannot log a meeting here">
          <MeetingForm ws={ws} />
        </StepRoute>
      ) : onDischarge ? (
        // A correction of a finalised plan opens the same wizard (?correct=…); the wizard checks that step.
        <StepRoute
          step={isCorrection() ? steps['correct-plan'] : dischargeStep}
          title="You cannot discharge this family"
        >
          <DischargeWizard ws={ws} />
        </StepRoute>
      ) : onSurvey ? (
        <StepRoute step={steps.outcomes} title="You cannot record outcomes here">
          <SurveyForm ws={ws} />
        </StepRoute>
      ) : onInstrument ? (
        <StepRoute step={steps.outcomes} title="You cannot record outcomes here">
          <InstrumentForm ws={ws} index={Number(instrumentRoute?.n)} />
        </StepRoute>
      ) : onGoalRatings ? (
        <StepRoute step={steps.outcomes} title="You cannot record outcomes here">
          <GoalAttainmentForm ws={ws} />
        </StepRoute>
      ) : onServicePlan ? (
        <StepRoute step={steps['service-plan']} title="You cannot write the service plan">
          <ServicePlanForm ws={ws} />
        </StepRoute>
      ) : onHistory ? (
        <Suspense fallback={<p role="status">Loading the history…</p>}>
          <HistoryPage ws={ws} />
        </Suspense>
      ) : (
        <div className="workspace-grid">
          {storeDown ? (
            // Only what the EHR holds: the FST cards would pass an unread store for an empty one.
            <Suspense fallback={null}>
              <ChartCards ws={ws} timeZone={tz} />
              <ChartDischargePlans ws={ws} timeZone={tz} />
            </Suspense>
          ) : (
            <>
              <ComplianceCard ws={ws} />
              <OutboxSlot />
              <ReferralCard ws={ws} next={next} user={user} timeZone={tz} />
              {allCards && (
                <Suspense fallback={null}>
                  <MoreCards
                    ws={ws}
                    steps={steps}
                    episodeContacts={episodeContacts}
                    pendingContacts={pendingContacts}
                    timeZone={tz}
                  />
                </Suspense>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * A workflow's entry (src/domain/nextSteps.ts): a link when the user may take the step; a disabled button
 * with the reason beside it when only the sign-in or the server stands in the way; nothing otherwise.
 */
function StepLink({ step, href, label = step.label }: { step: StepCheck; href: string; label?: string }) {
  const id = useId();
  if (!offered(step)) return null;
  if (!step.allowed)
    return (
      <p className="muted">
        <button type="button" disabled aria-describedby={id}>
          {label}
        </button>{' '}
        <span id={id}>{step.reason}</span>
      </p>
    );
  return (
    <Link href={href} className="button-link">
      {label}
    </Link>
  );
}

/**
 * A form's own address: typed, bookmarked or reached by Back, it refuses exactly as its button would. Decided
 * when the address opens: a form's own save changes the episode (a finalised discharge ends it), and its
 * confirmation must stay on screen.
 */
function StepRoute({ step, title, children }: { step: StepCheck; title: string; children: ReactNode }) {
  const [opened] = useState(step);
  if (!opened.allowed)
    return (
      <Alert title={title}>
        <p>{opened.reason}</p>
        <Link href="/">Back to the overview</Link>
      </Alert>
    );
  return <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>;
}

/** The discharge plans the EHR's chart holds, while the store (and so the referral card) cannot be read. */
function ChartDischargePlans({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  const name = useReferenceNames(ws, []);
  if (ws.dischargePlans.length === 0) return null;
  return (
    <section className="card" aria-label="Discharge plans in the chart">
      <DischargePlanLinks plans={ws.dischargePlans} timeZone={timeZone} canCorrect={false} nameOf={name} />
    </section>
  );
}

const isCorrection = () => new URLSearchParams(window.location.search).has('correct');

function ReferralCard({
  ws,
  next,
  user,
  timeZone,
}: {
  ws: Workspace;
  next: NextSteps;
  user: AppUser;
  timeZone: string;
}) {
  const { steps } = next;
  const current = currentReferral(ws.referrals, ws.launchedReferralId);
  const history = current ? statusHistory(current) : [];
  const moves = current ? transfers(current) : [];
  const mine = (ref: string | undefined) => ref !== undefined && user.references.includes(ref);
  const movedAway =
    current && !mine(current.ownerReference) && formerPartners(current).some((f) => mine(f.reference))
      ? moves.filter((m) => mine(m.from)).at(-1)
      : undefined;
  const plans = current ? ws.dischargePlans.filter((d) => d.referralTaskIds.includes(current.id)) : [];
  const name = useReferenceNames(ws, [
    ...history.map((e) => e.by),
    ...moves.flatMap((m) => [m.by, m.from, m.to]),
    current?.ownerReference,
    current?.requesterReference,
    ...plans.flatMap((p) => (p.deliveries ?? []).map((d) => d.recipient)),
    ...(current?.matchOverrides ?? []).map((o) => o.by),
  ]);
  const partnerName = (roleReference: string) =>
    ws.familyPartners.find((p) => p.roleReference === roleReference)?.name ?? name(roleReference);
  if (!current) {
    return (
      <section className="card" aria-labelledby="referral-heading">
        <h2 id="referral-heading">FST referral</h2>
        <p>No FST referral for this youth.</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="referral-heading">
      <h2 id="referral-heading">FST referral</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{next.label}</dd>
        <dt>Referred</dt>
        <dd>
          {formatDate(current.authoredOn, timeZone)}
          {current.requesterReference && (
            <>
              {' '}
              by <bdi>{name(current.requesterReference)}</bdi>
            </>
          )}
        </dd>
        <dt>With</dt>
        <dd>
          <bdi>{ownerName(current.ownerReference, ws, name)}</bdi>
        </dd>
        {current.statusReason && (
          <>
            <dt>Reason</dt>
            <dd>{current.statusReason}</dd>
          </>
        )}
      </dl>
      {movedAway && (
        // The former Family Partner is told why her buttons are gone, by whom and when (issue 35).
        <Alert title="You no longer serve this family" tone="warning">
          <p>
            {formatDateTime(movedAway.at, timeZone)}: moved from you to <bdi>{partnerName(movedAway.to)}</bdi>
            {movedAway.by && (
              <>
                {' '}
                by <bdi>{name(movedAway.by)}</bdi>
              </>
            )}
            {movedAway.reason && <> ({movedAway.reason})</>}. Your contacts and changes to this family are
            refused; ask an FST supervisor if something of yours is missing.
          </p>
        </Alert>
      )}
      <ReferralRequestFacts request={current.request} plans={ws.plans} />
      <h3>Status history</h3>
      <ol className="plain status-history" aria-label="Referral status history">
        {[
          ...history.map((e) => ({ at: e.at, status: e }) as const),
          ...moves.map((m) => ({ at: m.at, move: m }) as const),
        ]
          .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
          .map((item) =>
            'status' in item ? (
              <li key={`${item.status.status}-${item.at}`}>
                {formatDate(item.at, timeZone)} · {PHASE_LABEL[item.status.status]}
                {item.status.by && (
                  <>
                    {' '}
                    · by <bdi>{name(item.status.by)}</bdi>
                  </>
                )}
                {item.status.reason && <> · {item.status.reason}</>}
                {item.status.inferred && <span className="muted"> (from the referral record)</span>}
              </li>
            ) : (
              // Who moved the family, when, from whom, to whom and why (issue 35: a Family Partner who left).
              <li key={`move-${item.at}-${item.move.to}`}>
                {formatDateTime(item.at, timeZone)} ·{' '}
                {isPersonReference(item.move.from) ? (
                  <>
                    Moved from <bdi>{partnerName(item.move.from)}</bdi> to{' '}
                    <bdi>{partnerName(item.move.to)}</bdi>
                  </>
                ) : (
                  <>
                    Assigned to <bdi>{partnerName(item.move.to)}</bdi>
                  </>
                )}
                {item.move.by && (
                  <>
                    {' '}
                    · by <bdi>{name(item.move.by)}</bdi>
                  </>
                )}
                {item.move.reason && <> · {item.move.reason}</>}
              </li>
            ),
          )}
      </ol>
      <DischargePlanLinks
        plans={plans}
        timeZone={timeZone}
        canCorrect={steps['correct-plan'].allowed}
        nameOf={name}
      />
      <ReferralActions
        referral={current}
        next={next}
        user={user}
        proposedStart={proposedStartDate({ referral: current, contacts: ws.contacts }, new Date(), timeZone)}
      />
      {offered(steps['continuing-stay-review']) && (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <ContinuingStayReview referral={current} user={user} step={steps['continuing-stay-review']} />
        </Suspense>
      )}
      {(current.matchOverrides ?? []).map((o) => (
        <p key={`${o.at}-${o.chosen}`} className="muted">
          Matching: <bdi>{partnerName(o.chosen)}</bdi> chosen over the best match,{' '}
          <bdi>{partnerName(o.suggested)}</bdi> — <bdi>{o.reason}</bdi>
          {o.by && (
            <>
              {' '}
              (<bdi>{name(o.by)}</bdi>
              {o.at && `, ${formatDate(o.at, timeZone)}`})
            </>
          )}
        </p>
      ))}
      {steps.assign.allowed && (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <AssignFamilyPartner
            referral={current}
            partners={ws.familyPartners}
            caregiverLanguages={ws.caregivers[0]?.languages ?? ws.youth.languages}
            user={user}
          />
        </Suspense>
      )}
    </section>
  );
}

/**
 * What the referrer sent (seed 000 process 1: the reasons and the initial goals; seed 004 §III: the admission
 * criteria), for everyone who sees the referral: the supervisor decides on it, the Family Partner starts from it.
 */
function ReferralRequestFacts({ request, plans }: { request?: ReferralRequest; plans: CarePlanSummary[] }) {
  if (!request) return null;
  const goal = (id: string) =>
    plans.flatMap((p) => p.goals).find((g) => g.id === id)?.description ??
    'A goal not in the plans read here';
  const criteria = request.criteria;
  return (
    <>
      <h3>What the referrer sent</h3>
      <dl className="facts" aria-label="What the referrer sent">
        <dt>Reason for referral</dt>
        <dd>{request.reason ?? 'No reason recorded'}</dd>
        <dt>Goals for FST</dt>
        <dd>
          {request.goalIds.length + request.newGoals.length === 0 ? (
            'No goal named'
          ) : (
            <ul className="plain">
              {request.goalIds.map((id) => (
                <li key={id}>{goal(id)}</li>
              ))}
              {request.newGoals.map((text, i) => (
                <li key={`new-${i}`}>
                  {text} <span className="muted">(named in the referral, not yet in the plan)</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        {request.matchPreferences && (
          <>
            <dt>The caregiver asked for</dt>
            <dd>
              <ul className="plain">
                {request.matchPreferences.areas.length > 0 && (
                  <li>
                    A Family Partner with lived experience of{' '}
                    {request.matchPreferences.areas.map((a) => LIVED_EXPERIENCE_AREAS[a]).join(', ')}
                  </li>
                )}
                {request.matchPreferences.culture && (
                  <li>
                    Culture or community: <bdi>{request.matchPreferences.culture}</bdi>
                  </li>
                )}
                {request.matchPreferences.ethnicity && (
                  <li>
                    Ethnicity: <bdi>{request.matchPreferences.ethnicity}</bdi>
                  </li>
                )}
                {request.matchPreferences.strengths && (
                  <li>
                    Strengths: <bdi>{request.matchPreferences.strengths}</bdi>
                  </li>
                )}
              </ul>
            </dd>
          </>
        )}
        <dt>Admission criteria</dt>
        <dd>
          {!criteria ? (
            'The checklist could not be read'
          ) : (
            <ul className="plain">
              {(Object.keys(ADMISSION_CRITERIA) as AdmissionCriterion[]).map((k) => (
                <li key={k}>
                  {ADMISSION_CRITERIA[k]}:{' '}
                  {criteria[k] === true
                    ? 'confirmed'
                    : criteria[k] === false
                      ? 'not confirmed'
                      : 'not answered'}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </>
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
function ownerName(reference: string | undefined, ws: Workspace, name: (ref?: string) => string): string {
  if (!reference) return 'not assigned';
  const fp = ws.familyPartners.find((p) => p.roleReference === reference);
  if (fp) return `${fp.name} (Family Partner)`;
  if (reference.startsWith('Organization/')) return 'the FST provider, not yet assigned';
  return name(reference);
}
