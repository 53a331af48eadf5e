/**
 * "Plan discharge": the end of the FST episode in three steps — the plan, the signature and consent, the
 * review — then one transaction. Everything typed (the signature's strokes too) is kept as the tab's form draft
 * (src/ui/drafts.ts) across steps, failed attempts, retries, reload and Back, and cleared once finalised or
 * cancelled. The 5-business-day delivery deadline shows throughout.
 */
import { lazy, Suspense, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import type { PointGroup } from 'signature_pad';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { appUserOf } from '../../app/useSignedInUser';
import { civilFromIso, civilLabel } from '../../domain/calendar';
import type { DischargeDraft, DischargeField, DischargeProblem } from '../../domain/discharge';
import {
  daysUntil,
  dischargeProblems,
  emptyDischargeDraft,
  stoppedWithoutNotice,
} from '../../domain/discharge';
import { decideWrite } from '../../domain/policy';
import { currentReferral, phaseOf } from '../../domain/referral';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import type { DischargePlanSummary } from '../../domain/model';
import type { Workspace } from '../../fhir/workspace';
import { PartlyWrittenError } from '../../fhir/partlyWritten';
import { Alert, errorMessage } from '../../ui/Alert';
import { draftKey, useFormDraft } from '../../ui/drafts';
import { ErrorSummary, fieldErrors } from '../../ui/FormErrors';
import { formatDate } from '../../ui/format';
import type { DischargeSetting } from './dischargeSetting';
import {
  deadlineFor,
  dischargeSetting,
  documentFor,
  recipientReferences,
  recipientsFor,
} from './dischargeSetting';
import { useReadNames } from '../workspace/useReferenceNames';
import { PlanStep } from './PlanStep';
import { RemoteSign } from './RemoteSign';
import { SignStep } from './SignStep';
import type { SignMode } from './SignStep';
import type { StepProps } from './stepProps';

const DischargePreview = lazy(() =>
  import('./DischargePreview').then((m) => ({ default: m.DischargePreview })),
);
/** pdfkit, the fonts and the write: fetched when the user opens the PDF or finalises. */
const loadSubmit = () => Promise.all([import('./submitDischarge'), import('./pdf/fonts')]);

type Step = 1 | 2 | 3;
const STEP_TITLE: Record<Step, string> = {
  1: 'The plan',
  2: 'Signature and consent',
  3: 'Review and finalise',
};
const STEP_FIELDS: Record<Step, readonly DischargeField[]> = {
  1: [
    'reason',
    'meetingDate',
    'participants',
    'criteria',
    'goalOutcomes',
    'sustain',
    'followUpPlan',
    'lastServiceDate',
    'caregiver',
    'outreach',
  ],
  2: ['consent', 'signature'],
  3: [],
};
const FIELD_LABEL: Record<DischargeField, string> = {
  reason: 'Reason for discharge',
  meetingDate: 'Meeting date',
  participants: 'Participants',
  criteria: 'Discharge criteria',
  goalOutcomes: 'Goal outcomes',
  sustain: 'To sustain the gains',
  followUpPlan: 'Follow-up plan',
  lastServiceDate: 'Last date of service',
  caregiver: 'Caregiver',
  outreach: 'Outreach attempts',
  consent: 'Consent',
  signature: 'Caregiver signature',
};
const stepOf = (field: DischargeField): Step => (STEP_FIELDS[1].includes(field) ? 1 : 2);

export function DischargeWizard({ ws }: { ws: Workspace }) {
  // Every recipient by name in the wizard, the consent and the PDF: those the workspace did not read first.
  const recipientNames = useReadNames(ws, recipientReferences(ws));
  if (recipientNames.pending) return <p role="status">Reading who the plan can be shared with…</p>;
  return <OpenWizard ws={ws} names={recipientNames.names} />;
}

function OpenWizard({ ws, names }: { ws: Workspace; names: ReadonlyMap<string, string> }) {
  const session = useSession();
  const search = useSearch();
  // Decided once, when the wizard opens: after finalising, the refreshed record shows the episode ended,
  // and the confirmation must stay on screen.
  const [start] = useState((): Start => {
    const correctId = new URLSearchParams(search).get('correct');
    const user = appUserOf(session, ws.user);
    const refused = (title: string, why: string): Start => ({ kind: 'refused', title, why });
    let referral = currentReferral(ws.referrals, ws.launchedReferralId);
    let previous: DischargePlanSummary | undefined;
    if (correctId) {
      previous = ws.dischargePlans.find((d) => d.id === correctId && d.status === 'current');
      const taskIds = previous?.referralTaskIds ?? [];
      referral = ws.referrals.find((r) => taskIds.includes(r.id));
      if (!previous || !referral)
        return refused(
          'Nothing to correct',
          'This discharge plan is not the current one (or no longer exists).',
        );
    } else if (!referral) return refused('Nothing to discharge', 'This youth has no FST referral.');
    // Whether this episode may be discharged now was decided by the route (src/domain/nextSteps.ts); a
    // correction is judged on the referral of the plan it corrects.
    const decision = decideWrite(user, 'discharge-plan', previous ? 'change' : 'create', {
      assignedReference: referral.ownerReference,
      requesterReference: referral.requesterReference,
    });
    if (!decision.allowed) return refused('You cannot discharge this family', decision.reason);
    if (!ws.user) return refused('You cannot discharge this family', 'Your user record could not be read.');
    return {
      kind: 'ready',
      setting: dischargeSetting(ws, referral, session.ehr, new Date(), ws.user, names),
      previous,
    };
  });
  if (start.kind === 'refused')
    return (
      <Alert title={start.title}>
        <p>{start.why}</p>
        <Link href="/">Back to the overview</Link>
      </Alert>
    );
  return <Wizard ws={ws} setting={start.setting} previous={start.previous} />;
}

type Start =
  | { kind: 'refused'; title: string; why: string }
  | { kind: 'ready'; setting: DischargeSetting; previous?: DischargePlanSummary };

function Wizard({
  ws,
  setting,
  previous,
}: {
  ws: Workspace;
  setting: DischargeSetting;
  /** The plan being corrected: the wizard starts from its content and supersedes it. */
  previous?: DischargePlanSummary;
}) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const id = useId();
  const ehr = session.ehr;
  const signedIn = ws.user;
  // Everything typed — the signature's strokes too — survives a reload or Back (this tab only), with the
  // finalisation's idempotency key and the moment of its first attempt: a retry writes the very same resources.
  const saved = useFormDraft(
    draftKey(
      previous ? `discharge-correction-${previous.id}` : 'discharge',
      session.serverUrl,
      signedIn?.references[0] ?? '',
      patientId,
    ),
  );
  const [draft, setDraft] = saved.useField<DischargeDraft>('draft', () => ({
    ...emptyDischargeDraft(
      crypto.randomUUID(),
      // The plan goes to the current caregiver (and is written in their language) when there is exactly one.
      setting.caregivers.filter((c) => !c.former).length === 1
        ? (setting.caregivers.find((c) => !c.former)?.reference ?? '')
        : '',
      setting.defaultLastServiceDate ?? '',
    ),
    // A family that stopped without notice is closed as such (seed 000 discharge 4).
    ...(phaseOf(setting.referral) === 'stopped' ? { reason: 'terminated-without-notice' as const } : {}),
    ...previous?.content,
  }));
  const title = previous ? 'Correct the discharge plan' : 'Plan discharge';
  const [signMode, setSignMode] = saved.useField<SignMode>('signMode', 'type');
  const [strokes, setStrokes] = saved.useField<PointGroup[]>('strokes', []);
  const [step, setStep] = saved.useField<Step>('step', 1);
  const [attemptAt, setAttemptAt] = saved.useField<string>('attemptAt', '', { keep: true });
  const [shown, setShown] = useState<DischargeProblem[]>([]);
  const summary = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // One finalisation in flight: a double click must not start a second one before the first re-renders.
  const inFlight = useRef(false);
  const set = (patch: Partial<DischargeDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const problems = useMemo(() => dischargeProblems(draft, setting.ctx), [draft, setting.ctx]);
  const deadline = deadlineFor(draft, ehr);
  const document = useMemo(() => documentFor(setting, ws, draft, ehr), [setting, ws, draft, ehr]);
  const recipients = recipientsFor(setting, draft);
  const noNotice = stoppedWithoutNotice(draft);
  const caregiver = setting.caregivers.find((c) => c.reference === draft.caregiverReference);

  const finalise = useMutation({
    mutationFn: async () => {
      const [{ submitDischarge }, { loadPdfFonts }] = await loadSubmit();
      const at = attemptAt || new Date().toISOString();
      setAttemptAt(at);
      if (!signedIn) throw new Error('Your user record could not be read.');
      return submitDischarge(
        { transport: session.transport, caps, fonts: loadPdfFonts },
        setting,
        ws,
        draft,
        ehr,
        signedIn,
        new Date(at),
        previous && { id: previous.id, versionId: previous.versionId },
      );
    },
    onSuccess: () => {
      saved.clear();
      return invalidateAfterWrite(
        queryClient,
        ['Task', 'DocumentReference', 'Communication', 'Consent'],
        session.serverUrl,
        patientId,
      );
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });
  const openPdf = useMutation({
    mutationFn: async () => {
      const [{ buildPlanPdf }, { loadPdfFonts }] = await loadSubmit();
      const { pdf } = await buildPlanPdf({ fonts: loadPdfFonts }, setting, ws, draft, ehr);
      const url = URL.createObjectURL(new Blob([pdf as BlobPart], { type: 'application/pdf' }));
      const a = window.document.createElement('a');
      a.href = url;
      // No name, date or id of the family in the file name.
      a.download = 'discharge-plan.pdf';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });

  const go = (to: Step) => {
    setShown([]);
    setStep(to);
    requestAnimationFrame(() => heading.current?.focus());
  };
  const next = () => {
    const here = problems.filter((p) => STEP_FIELDS[step].includes(p.field));
    if (here.length) {
      setShown(here);
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    go((step + 1) as Step);
  };
  const submit = () => {
    if (problems.length) {
      const first = stepOf(problems[0].field);
      setStep(first);
      setShown(problems.filter((p) => stepOf(p.field) === first));
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    if (inFlight.current) return;
    inFlight.current = true;
    finalise.mutate();
  };

  const fieldId = (f: DischargeField) => `${id}-${f}`;
  const { error, described } = fieldErrors(shown, fieldId);
  const stepProps: StepProps = { draft, set, setting, fieldId, error, described };

  if (finalise.isSuccess)
    return (
      <section className="card wide" aria-labelledby={`${id}-done`}>
        <h2 id={`${id}-done`} tabIndex={-1} ref={(el) => el?.focus()}>
          {previous ? 'Corrected plan saved' : 'Discharge finalised'}
        </h2>
        <p role="status">
          The signed plan is in the chart.{' '}
          {previous
            ? 'It replaces the earlier plan, which stays in the chart marked superseded.'
            : `The referral is ${noNotice ? 'closed as stopped without notice' : 'completed'}.`}
        </p>
        <WrittenDeliveries
          plan={ws.dischargePlans.find((d) => d.id === finalise.data.documentId)}
          nameOf={(ref) =>
            recipients.find((r) => r.reference === ref)?.name ?? (ref.includes('/') ? 'unknown' : ref)
          }
          timeZone={ehr.timeZone}
        />
        <Link href="/">Back to the overview</Link>
      </section>
    );

  return (
    <form
      className="card wide contact-form discharge-wizard"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (step === 3) submit();
        else next();
      }}
      noValidate
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="deadline" role="note">
        {deadline ? (
          <>
            Deliver the signed plan by <strong>{civilLabel(civilFromIso(deadline))}</strong>
            {' — '}
            {deadlineWords(daysUntil(deadline, setting.ctx.today))} (5 business days after the last date of
            service).
          </>
        ) : (
          'Enter the last date of service: the plan is due 5 business days after it.'
        )}
      </p>
      <ol className="steps" aria-label="Steps">
        {([1, 2, 3] as Step[]).map((s) => (
          <li key={s} aria-current={s === step ? 'step' : undefined}>
            {s}. {STEP_TITLE[s]}
          </li>
        ))}
      </ol>
      <h3 tabIndex={-1} ref={heading}>
        Step {step} of 3: {STEP_TITLE[step]}
      </h3>
      <ErrorSummary problems={shown} labels={FIELD_LABEL} fieldId={fieldId} focusRef={summary} when="" />

      {step === 1 && <PlanStep {...stepProps} />}

      {step === 2 && (
        <SignStep
          {...stepProps}
          consentUnknown={ws.consentOnFile === undefined}
          recipients={recipients}
          caregiverName={caregiver?.name.full}
          signMode={signMode}
          onSignMode={setSignMode}
          strokes={strokes}
          onStrokes={setStrokes}
          remote={
            caregiver?.reference.startsWith('RelatedPerson/') ? (
              <RemoteSign draft={draft} set={set} setting={setting} ws={ws} />
            ) : undefined
          }
        />
      )}

      {step === 3 && (
        <>
          <p>
            Check the plan with the caregiver. It is written in{' '}
            {document?.locale === 'es' ? 'Spanish' : 'English'}, the caregiver's language.
          </p>
          {document ? (
            <Suspense fallback={<p role="status">Loading the preview…</p>}>
              <DischargePreview document={document} />
            </Suspense>
          ) : (
            <p>Complete steps 1 and 2 to see the plan.</p>
          )}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={!document || openPdf.isPending}
              onClick={() => openPdf.mutate()}
            >
              {openPdf.isPending ? 'Making the PDF…' : 'Download the PDF'}
            </button>
          </div>
          {openPdf.isError && <Alert title="The PDF could not be made" error={openPdf.error} />}
          {finalise.isError &&
            (finalise.error instanceof PartlyWrittenError ? (
              // The screen says what the servers hold: the plan is in the chart, the rest is not.
              <Alert title="The discharge is half finished" error={undefined}>
                <p>
                  The signed plan is in the chart; the FST records were not saved in{' '}
                  {finalise.error.storeName}
                  {finalise.error.cause instanceof Error ? ` (${errorMessage(finalise.error.cause)})` : ''}.
                  The referral is still open. Press “Finalise discharge” again to finish: nothing will be
                  written twice, and everything you entered is kept.
                </p>
              </Alert>
            ) : (
              <Alert title="The discharge was not finalised" error={finalise.error}>
                <p>
                  Nothing was changed in the chart and everything you entered is kept. Press “Finalise
                  discharge” to try again; nothing will be written twice.
                </p>
              </Alert>
            ))}
        </>
      )}

      <div className="actions">
        {step > 1 && (
          <button type="button" className="secondary" onClick={() => go((step - 1) as Step)}>
            Back
          </button>
        )}
        {step < 3 ? (
          <button type="submit">Next</button>
        ) : (
          <button type="submit" disabled={finalise.isPending}>
            {finalise.isPending ? 'Saving…' : previous ? 'Save the corrected plan' : 'Finalise discharge'}
          </button>
        )}
        <Link href="/" className="button-link secondary" onClick={saved.clear}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

function deadlineWords(days: number): string {
  if (days > 1) return `in ${days} days`;
  if (days === 1) return 'tomorrow';
  if (days === 0) return 'today';
  return `${-days} ${days === -1 ? 'day' : 'days'} overdue`;
}

/**
 * Per recipient, what the chart holds for the plan just written (read back after the write, never what the
 * wizard meant to send): planned until a delivery is recorded with its day (invariant 8).
 */
function WrittenDeliveries({
  plan,
  nameOf,
  timeZone,
}: {
  plan: DischargePlanSummary | undefined;
  nameOf: (reference: string) => string;
  timeZone: string;
}) {
  if (!plan) return <p className="muted">Reading the plan's deliveries back from the chart…</p>;
  const deliveries = plan.deliveries ?? [];
  if (deliveries.length === 0) return <p>The chart holds no delivery of this plan.</p>;
  return (
    <ul className="plain" aria-label="Deliveries of the plan, as the chart holds them">
      {deliveries.map((d) => (
        <li key={d.id}>
          <bdi>{nameOf(d.recipient)}</bdi>:{' '}
          {d.status === 'sent' ? (
            <>delivered {formatDate(d.sent, timeZone)}</>
          ) : (
            <>
              <span className="badge badge-due">planned</span> not yet delivered — record the delivery on the
              referral card once the plan is given
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
