import { useId, useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { z } from '../../schema/z';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import { currentGoals, currentPlans, currentReferral } from '../../domain/referral';
import type { MeetingFrequency, MeetingSeries, MeetingSetting, Weekday } from '../../domain/servicePlan';
import { DAY_NAME, FREQUENCY_LABEL, servicePlanBoundsProblems, WEEKDAYS } from '../../domain/servicePlan';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import { planShareKey, saveServicePlan, shareReachesReferrer } from '../../fhir/servicePlans';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { appUserOf } from '../../app/useSignedInUser';
import { routes } from '../../app/routes';
import { Alert } from '../../ui/Alert';
import { FormActions } from '../../ui/FormActions';
import { draftKey, useFormDraft } from '../../ui/drafts';
import { useReferenceNames } from '../workspace/useReferenceNames';

const SETTINGS: [MeetingSetting, string][] = [
  ['home', 'Home'],
  ['community', 'Community'],
  ['telehealth', 'Telehealth (the family asked)'],
];

const planSchema = z.object({
  meetings: z
    .array(z.looseObject({ time: z.string().check(z.regex(/^\d{2}:\d{2}$/, 'Give each meeting a time.')) }))
    .check(z.minLength(1, 'Plan at least one meeting series.')),
  hours: z
    .number({ error: 'Give the hours per week or month.' })
    .check(z.positive('Give the hours per week or month.')),
  start: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the date the plan starts.')),
  targets: z.record(
    z.string(),
    z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Give a target date for every goal.')),
  ),
});

/** The FST service plan made with the caregiver (seed 000 process 2-3), shared with the referring provider. */
export function ServicePlanForm({ ws }: { ws: Workspace }) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const id = useId();
  const tz = session.ehr.timeZone;
  const existing = ws.servicePlans[0];
  const plan = currentPlans(ws.plans)[0];
  const goals = useMemo(() => currentGoals(ws.plans), [ws.plans]);
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  const referrer = referral?.requesterReference;
  const name = useReferenceNames(ws, [referrer]);
  // What the user types is kept as a draft (reload, Back, an expired session) until it is saved.
  const saved = useFormDraft(
    draftKey('service-plan', session.serverUrl, appUserOf(session, ws.user).references[0] ?? '', patientId),
  );
  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [meetings, setMeetings] = saved.useField<MeetingSeries[]>(
    'meetings',
    existing?.meetings ?? [{ frequency: 'weekly', day: 'tue', time: '17:00', setting: 'home' }],
  );
  const [hours, setHours] = saved.useField('hours', existing ? String(existing.hours.amount) : '');
  const [per, setPer] = saved.useField<'week' | 'month'>('per', existing?.hours.per ?? 'week');
  const [start, setStart] = saved.useField(
    'start',
    existing?.start ?? civilToIso(civilDateOf(new Date(), tz)),
  );
  const [targets, setTargets] = saved.useField<Record<string, string>>(
    'targets',
    Object.fromEntries(
      goals.map((g) => [g.id, existing?.goalTargets.find((t) => t.goalId === g.id)?.targetDate ?? '']),
    ),
  );
  const [share, setShare] = saved.useField('share', Boolean(referrer));
  const [errors, setErrors] = useState<string[]>([]);
  const me = appUserOf(session, ws.user).references[0] ?? '';
  const save = useMutation({
    mutationFn: () =>
      saveServicePlan(
        session.transport,
        caps,
        {
          id: existing?.id,
          versionId: existing?.versionId,
          basedOnPlanId: plan?.id ?? '',
          meetings,
          hours: { amount: Number(hours), per },
          goalTargets: goals.map((g) => ({ goalId: g.id, targetDate: targets[g.id] })),
          start,
          authorReference: me,
        },
        {
          patientId,
          requestId,
          now: new Date(),
          sender: me,
          shareWith: share ? referrer : undefined,
          shareDelivered: shareReachesReferrer(session, caps),
          ehrName: session.ehr.name,
        },
      ),
    onSuccess: async () => {
      saved.clear();
      await invalidateAfterWrite(queryClient, 'CarePlan', session.serverUrl, patientId);
      await queryClient.invalidateQueries({ queryKey: planShareKey(session.serverUrl, patientId) });
      navigate(`~${routes.overview(patientId)}`);
    },
  });
  if (!plan)
    return (
      <Alert title="No plan to serve">
        An FST service plan serves the youth's ICP or treatment plan; none is on record.
      </Alert>
    );
  const update = (i: number, patch: Partial<MeetingSeries>) =>
    setMeetings((list) => list.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = planSchema.safeParse({
      meetings,
      hours: hours === '' ? undefined : Number(hours),
      start,
      targets,
    });
    const bounds = servicePlanBoundsProblems(
      {
        hours: { amount: Number(hours), per },
        start,
        goalTargets: goals.map((g) => ({ goalId: g.id, targetDate: targets[g.id] ?? '' })),
      },
      (goalId) => goals.find((g) => g.id === goalId)?.description ?? goalId,
      session.ehr.servicePlanHoursCap,
    );
    if (!parsed.success || bounds.length) {
      setErrors([...new Set([...(parsed.error?.issues.map((i) => i.message) ?? []), ...bounds])]);
      return;
    }
    setErrors([]);
    save.mutate();
  };
  return (
    <form className="card wide contact-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>FST service plan</h2>
      <p className="muted">Agreed with the caregiver; based on {plan.title}.</p>
      {errors.length > 0 && (
        <div role="alert" className="alert alert-error">
          <ul>
            {errors.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {save.isError && <Alert title="The service plan was not saved" error={save.error} />}
      {meetings.map((m, i) => (
        <fieldset key={i}>
          <legend>Meeting series {i + 1}</legend>
          <label>
            Frequency
            <select
              value={m.frequency}
              onChange={(e) => update(i, { frequency: e.target.value as MeetingFrequency })}
            >
              {Object.entries(FREQUENCY_LABEL).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            Day
            <select value={m.day} onChange={(e) => update(i, { day: e.target.value as Weekday })}>
              {WEEKDAYS.map((d) => (
                <option key={d} value={d}>
                  {DAY_NAME[d]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Time
            <input type="time" value={m.time} onChange={(e) => update(i, { time: e.target.value })} />
          </label>
          <label>
            Setting
            <select
              value={m.setting}
              onChange={(e) => update(i, { setting: e.target.value as MeetingSetting })}
            >
              {SETTINGS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          {meetings.length > 1 && (
            <button
              type="button"
              className="secondary"
              onClick={() => setMeetings((l) => l.filter((_, j) => j !== i))}
            >
              Remove this series
            </button>
          )}
        </fieldset>
      ))}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            setMeetings((l) => [...l, { frequency: 'weekly', day: 'thu', time: '17:00', setting: 'home' }])
          }
        >
          Add a meeting series
        </button>
      </div>
      <div className="form-grid">
        <label>
          Hours
          <input
            type="number"
            min={0.5}
            step={0.5}
            value={hours}
            onChange={(e) => setHours(e.target.value)}
          />
        </label>
        <label>
          Per
          <select value={per} onChange={(e) => setPer(e.target.value as 'week' | 'month')}>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
        <label>
          Plan starts
          <input type="date" value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
      </div>
      <fieldset>
        <legend>Target date per goal</legend>
        {goals.map((g) => (
          <label key={g.id}>
            {g.description}
            <input
              type="date"
              value={targets[g.id] ?? ''}
              onChange={(e) => setTargets((t) => ({ ...t, [g.id]: e.target.value }))}
            />
          </label>
        ))}
      </fieldset>
      {referrer && (
        <label className="check">
          <input type="checkbox" checked={share} onChange={(e) => setShare(e.target.checked)} />
          Share with the referring provider (<bdi>{name(referrer)}</bdi>)
        </label>
      )}
      {referrer && share && !shareReachesReferrer(session, caps) && (
        <p className="muted">
          {session.ehr.name} accepts no messages from FST Companion: the plan will be recorded as not yet
          shared, and you send it to <bdi>{name(referrer)}</bdi> yourself.
        </p>
      )}
      <FormActions
        label="Save service plan"
        pending={save.isPending}
        cancelHref={`~${routes.overview(patientId)}`}
        onCancel={saved.clear}
      />
    </form>
  );
}
