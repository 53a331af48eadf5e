import { LIVED_EXPERIENCE_AREAS, LIVED_EXPERIENCE_CODES } from '../../domain/matching';
import { secondReferralRefusal } from '../../domain/episodeRules';
import { useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { z } from '../../schema/z';
import { fstProvidersOf } from '../../config/config';
import type { AdmissionCriterion } from '../../domain/model';
import { ADMISSION_CRITERIA, openGoals, planInForce } from '../../domain/referral';
import { overAgeProblem } from '../../domain/eligibility';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { storeReferral } from '../../fhir/invalidation';
import { createReferral } from '../../fhir/referrals';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { appUserOf } from '../../app/useSignedInUser';
import { routes } from '../../app/routes';
import { Alert } from '../../ui/Alert';
import { FormActions } from '../../ui/FormActions';
import { draftKey, useFormDraft } from '../../ui/drafts';

const CRITERIA = Object.keys(ADMISSION_CRITERIA) as AdmissionCriterion[];

/** One initial goal per line of the text box. */
const goalLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const referSchema = z
  .object({
    goalIds: z.array(z.string()),
    newGoals: z.string(),
    // What the caregiver would like in a Family Partner (seed 000 process 7); optional.
    areas: z.optional(z.array(z.string())),
    culture: z.optional(z.string()),
    ethnicity: z.optional(z.string()),
    strengths: z.optional(z.string()),
    reason: z.string().check(z.trim()).check(z.minLength(1, 'Say why the family is referred.')),
    provider: z.string().check(z.minLength(1, 'Choose the FST provider.')),
    criteria: z
      .record(z.enum(['A', 'B', 'C']), z.boolean())
      .check(
        z.refine(
          (c) => CRITERIA.every((k) => c[k]),
          'All three admission criteria must be confirmed to refer.',
        ),
      ),
  })
  .check(
    // Seed 000 process 1: the referrer communicates the initial goals — chosen from the plan, or in words.
    z.refine((s) => s.goalIds.length > 0 || goalLines(s.newGoals).length > 0, {
      message: 'Name at least one initial goal: choose one of the plan or write it.',
      path: ['goalIds'],
    }),
  );
type ReferState = z.infer<typeof referSchema>;
type ReferErrors = Partial<Record<keyof ReferState, string>>;

/**
 * "Refer to FST" (seed 000 process 1: the referring provider communicates the reasons and initial goals;
 * seed 004 §III: the admission criteria). One transaction writes the checklist, the order and its Task.
 */
export function ReferForm({ ws }: { ws: Workspace }) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const id = useId();
  const summary = useRef<HTMLDivElement>(null);
  const providers = fstProvidersOf(session.ehr);
  // A self-referral: the caregiver asked the FST provider directly; they are the requester.
  const selfReferral = new URLSearchParams(useSearch()).get('self') === '1';
  const caregivers = ws.caregivers.filter((c) => c.reference.startsWith('RelatedPerson/'));
  // What the user types is kept as a draft (reload, Back, an expired session) until it is saved.
  const saved = useFormDraft(
    draftKey('referral', session.serverUrl, appUserOf(session, ws.user).references[0] ?? '', patientId),
  );
  const [requester, setRequester] = saved.useField('requester', caregivers[0]?.reference ?? '');
  const plan = planInForce(ws.plans);
  const goals = useMemo(() => (plan ? openGoals(plan) : []), [plan]);
  // One request id per form: a retried send finds the first attempt's resources.
  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [state, setState] = saved.useField<ReferState>('state', {
    goalIds: [],
    newGoals: '',
    reason: '',
    provider: providers[0]?.reference ?? '',
    criteria: { A: false, B: false, C: false },
  });
  const [errors, setErrors] = useState<ReferErrors>({});
  const me = appUserOf(session, ws.user).references[0] ?? '';
  const send = useMutation({
    mutationFn: () =>
      createReferral(session.transport, caps, {
        requestId,
        patientId,
        planId: plan?.id ?? '',
        // A goal the plan has since closed is not sent (the draft may be older than the plan).
        goalIds: state.goalIds.filter((g) => goals.some((o) => o.id === g)),
        newGoals: goalLines(state.newGoals ?? ''),
        reason: state.reason.trim(),
        providerReference: state.provider,
        requesterReference: selfReferral ? requester : me,
        recordedBy: me,
        criteria: state.criteria as Record<AdmissionCriterion, boolean>,
        matchPreferences: {
          areas: LIVED_EXPERIENCE_CODES.filter((a) => state.areas?.includes(a)),
          culture: state.culture?.trim() || undefined,
          ethnicity: state.ethnicity?.trim() || undefined,
          strengths: state.strengths?.trim() || undefined,
        },
        authoredOn: new Date().toISOString(),
      }),
    onSuccess: async (referral) => {
      saved.clear();
      await storeReferral(queryClient, session.serverUrl, patientId, referral);
      // Back to the overview, by its own address (a nested "/" would leave a trailing slash).
      navigate(`~${routes.overview(patientId)}`);
    },
  });
  // Issue 35: the server refuses a second open FST referral; say so before the user fills the form in.
  const alreadyOpen = secondReferralRefusal(ws.referrals);
  if (alreadyOpen)
    return (
      <Alert title="This youth already has an open FST referral">
        <p>{alreadyOpen}</p>
      </Alert>
    );
  if (!plan)
    return (
      <Alert title="No plan in force to refer from">
        <p>
          An FST referral is based on the youth's ICP or treatment plan in force;{' '}
          {ws.plans.length === 0
            ? 'none is on record.'
            : `the plans on record are closed (${ws.plans.map((p) => `${p.title}: ${p.status}`).join('; ')}).`}{' '}
          Record the plan in the EHR, then refer.
        </p>
      </Alert>
    );
  // Seed 000 overview: FST is for "a youth (under the age of 21)"; the server refuses it too.
  const tooOld = overAgeProblem(
    ws.youth.birthDate,
    civilToIso(civilDateOf(new Date(), session.ehr.timeZone)),
  );
  if (tooOld)
    return (
      <Alert title="This youth cannot be referred to FST">
        <p>{tooOld}</p>
      </Alert>
    );
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = referSchema.safeParse(state);
    if (selfReferral && !requester) {
      setErrors({ reason: 'A self-referral names the caregiver who asked.' });
      return;
    }
    if (!parsed.success) {
      const next: ReferErrors = {};
      for (const issue of parsed.error.issues) next[issue.path[0] as keyof ReferState] ??= issue.message;
      setErrors(next);
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setErrors({});
    send.mutate();
  };
  const errorCount = Object.keys(errors).length;
  return (
    <form className="card wide contact-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>{selfReferral ? 'Record self-referral' : 'Refer to FST'}</h2>
      <p className="muted">Based on {plan.title}.</p>
      {errorCount > 0 && (
        <div role="alert" className="alert alert-error error-summary" tabIndex={-1} ref={summary}>
          <ul>
            {Object.values(errors).map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {send.isError && (
        <Alert title="The referral was not sent" error={send.error}>
          <p>Everything you entered is kept. Sending again is safe: the referral will not be made twice.</p>
        </Alert>
      )}
      {selfReferral && (
        <div className="field">
          <label>
            Referred by (caregiver)
            <select value={requester} onChange={(e) => setRequester(e.target.value)}>
              {caregivers.map((c) => (
                <option key={c.reference} value={c.reference}>
                  {c.name.full} ({c.relationship})
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <fieldset aria-invalid={!!errors.goalIds}>
        <legend>Initial goals for FST</legend>
        {goals.length === 0 && <p className="muted">The plan has no open goals: write them below.</p>}
        {goals.map((g) => (
          <label key={g.id} className="check">
            <input
              type="checkbox"
              checked={state.goalIds.includes(g.id)}
              onChange={() =>
                setState((s) => ({
                  ...s,
                  goalIds: s.goalIds.includes(g.id)
                    ? s.goalIds.filter((x) => x !== g.id)
                    : [...s.goalIds, g.id],
                }))
              }
            />
            {g.description}
          </label>
        ))}
        <div className="field block">
          <label>
            Other initial goals, one per line
            <textarea
              rows={2}
              value={state.newGoals ?? ''}
              onChange={(e) => setState((s) => ({ ...s, newGoals: e.target.value }))}
            />
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>What the caregiver would like in a Family Partner (optional)</legend>
        <p className="muted">In the caregiver’s own words; the FST supervisor matches on it.</p>
        {LIVED_EXPERIENCE_CODES.map((a) => (
          <label key={a} className="check">
            <input
              type="checkbox"
              checked={state.areas?.includes(a) ?? false}
              onChange={() =>
                setState((s) => ({
                  ...s,
                  areas: s.areas?.includes(a) ? s.areas.filter((x) => x !== a) : [...(s.areas ?? []), a],
                }))
              }
            />
            Lived experience of {LIVED_EXPERIENCE_AREAS[a]}
          </label>
        ))}
        <div className="field block">
          <label>
            Culture or community to share or know
            <input
              value={state.culture ?? ''}
              maxLength={200}
              onChange={(e) => setState((s) => ({ ...s, culture: e.target.value }))}
            />
          </label>
        </div>
        <div className="field block">
          <label>
            Ethnicity, in the caregiver’s words
            <input
              value={state.ethnicity ?? ''}
              maxLength={200}
              onChange={(e) => setState((s) => ({ ...s, ethnicity: e.target.value }))}
            />
          </label>
        </div>
        <div className="field block">
          <label>
            The caregiver’s strengths to build on
            <textarea
              rows={2}
              value={state.strengths ?? ''}
              maxLength={500}
              onChange={(e) => setState((s) => ({ ...s, strengths: e.target.value }))}
            />
          </label>
        </div>
      </fieldset>
      <div className="field block">
        <label>
          Reason for referral
          <textarea
            rows={3}
            value={state.reason}
            onChange={(e) => setState((s) => ({ ...s, reason: e.target.value }))}
            aria-invalid={!!errors.reason}
          />
        </label>
      </div>
      <div className="field">
        <label>
          FST provider
          <select
            value={state.provider}
            onChange={(e) => setState((s) => ({ ...s, provider: e.target.value }))}
          >
            {providers.map((p) => (
              <option key={p.reference} value={p.reference}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset aria-invalid={!!errors.criteria}>
        <legend>Admission criteria</legend>
        {CRITERIA.map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={state.criteria[k] ?? false}
              onChange={(e) =>
                setState((s) => ({ ...s, criteria: { ...s.criteria, [k]: e.target.checked } }))
              }
            />
            {ADMISSION_CRITERIA[k]}
          </label>
        ))}
      </fieldset>
      <FormActions
        label="Send referral"
        pendingLabel="Sending…"
        pending={send.isPending}
        cancelHref="/"
        onCancel={saved.clear}
      />
    </form>
  );
}
