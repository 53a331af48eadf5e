/**
 * "Log meeting": a Care Planning Team, treatment-team, school or state-agency meeting the Family Partner
 * attended — who was there, the update given on each goal discussed, decisions, the next meeting. Says
 * on screen when the meeting stands in for the week's collateral contact.
 */
import { useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { saveOrQueue } from '../offline/outboxState';
import { useLocation } from 'wouter';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { appUserOf } from '../../app/useSignedInUser';
import { routes } from '../../app/routes';
import { instantOfWallClock, wallClockOf } from '../../domain/calendar';
import type {
  Attendee,
  MeetingDraft,
  MeetingField,
  MeetingKind,
  MeetingProblem,
} from '../../domain/meetings';
import {
  countsAsCollateral,
  MEETING_KIND_LABEL,
  meetingNeedsConsent,
  meetingProblems,
  treatersOf,
} from '../../domain/meetings';
import { currentGoals, currentPlans, currentReferral } from '../../domain/referral';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import { logMeeting } from '../../fhir/meetings';
import type { Workspace } from '../../fhir/workspace';
import { SaveFailed } from '../../ui/SaveFailed';
import { FormActions } from '../../ui/FormActions';
import { draftKey, useFormDraft } from '../../ui/drafts';
import { useReferenceNames } from '../workspace/useReferenceNames';
import { ChoiceSelect } from '../../ui/ChoiceSelect';
import { Field } from '../../ui/Field';
import { DateTimeField } from '../../ui/DateTimeField';
import { ErrorSummary, fieldErrors } from '../../ui/FormErrors';

const FIELD_LABEL: Record<MeetingField, string> = {
  kind: 'Kind of meeting',
  start: 'Date and time',
  durationMinutes: 'Duration',
  attendees: 'Attendees',
  goalUpdates: 'Goals discussed',
  consent: 'Consent',
  nextMeeting: 'Next meeting',
};

export function MeetingForm({ ws }: { ws: Workspace }) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const id = useId();
  const tz = session.ehr.timeZone;
  const user = appUserOf(session, ws.user);
  const me = user.references[0] ?? '';
  // What the user types is kept as a draft (reload, Back, an expired session) until it is saved.
  const saved = useFormDraft(draftKey('meeting', session.serverUrl, me, patientId));
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  const plans = useMemo(() => currentPlans(ws.plans), [ws.plans]);
  const goals = useMemo(() => currentGoals(ws.plans), [ws.plans]);
  const treaters = treatersOf(plans, referral);
  // Everyone in the chart who could be there: the care team (not the user), then the caregivers — by name.
  const nameOf = useReferenceNames(
    ws,
    plans.flatMap((p) => p.careTeam.map((m) => m.reference)),
  );
  const people = (() => {
    const seen = new Set<string>(user.references);
    const list: (Attendee & { role: string })[] = [];
    for (const m of plans.flatMap((p) => p.careTeam)) {
      if (seen.has(m.reference)) continue;
      seen.add(m.reference);
      list.push({
        reference: m.reference,
        name: nameOf(m.reference),
        role: m.roleDisplay,
      });
    }
    for (const c of ws.caregivers)
      if (c.reference.startsWith('RelatedPerson/') && !seen.has(c.reference))
        list.push({ reference: c.reference, name: c.name.full, role: c.relationship });
    return list;
  })();

  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [kind, setKind] = saved.useField<MeetingKind | ''>('kind', '');
  const [when, setWhen] = saved.useField('when', () => wallClockOf(new Date(), tz));
  const [minutes, setMinutes] = saved.useField('minutes', '60');
  const [present, setPresent] = saved.useField<Set<string>>('present', new Set());
  const [others, setOthers] = saved.useField('others', '');
  const [youth, setYouth] = saved.useField('youth', false);
  const [discussed, setDiscussed] = saved.useField<Record<string, string | undefined>>('discussed', {});
  const [decisions, setDecisions] = saved.useField('decisions', '');
  const [next, setNext] = saved.useField('next', '');
  const [agency, setAgency] = saved.useField('agency', '');
  const [consentNow, setConsentNow] = saved.useField('consentNow', false);
  const [shown, setShown] = useState<MeetingProblem[]>([]);
  const summary = useRef<HTMLDivElement>(null);

  const draft: MeetingDraft = {
    requestId,
    patientId,
    kind: kind || undefined,
    start: instantOfWallClock(when, tz)?.toISOString() ?? '',
    durationMinutes: minutes.trim() === '' ? undefined : Number(minutes),
    attendees: [
      ...people
        .filter((p) => p.reference && present.has(p.reference))
        .map(({ reference, name }) => ({ reference, name })),
      ...others
        .split('\n')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((name) => ({ name })),
    ],
    youthAttended: youth,
    goalUpdates: Object.entries(discussed)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([goalId, update]) => ({ goalId, update })),
    decisions,
    nextMeeting: next ? instantOfWallClock(next, tz)?.toISOString() : undefined,
    recordedBy: me,
    referralTaskId: referral?.id,
    serviceRequestId: referral?.serviceRequestId,
    consentGivenNow: consentNow,
  };
  const consentOnFile = ws.consentOnFile === true;
  const collateral = countsAsCollateral(draft, treaters);
  const caregiver = ws.caregivers.find((c) => c.reference.startsWith('RelatedPerson/')) ?? ws.caregivers[0];

  const save = useMutation({
    mutationFn: () => {
      const { kind: k, durationMinutes: d } = draft;
      if (!k || d === undefined) throw new Error('The meeting is incomplete.');
      const record = {
        draft: { ...draft, kind: k, durationMinutes: d },
        consent:
          meetingNeedsConsent(k) && consentNow && caregiver
            ? {
                caregiver: caregiver.reference.startsWith('RelatedPerson/')
                  ? { reference: caregiver.reference, display: caregiver.name.full }
                  : { display: caregiver.name.full },
                custodian: session.ehr.providerOrganization,
                agency: agency.trim() || (k === 'school-iep' ? 'School district (LEA)' : 'State agency'),
              }
            : undefined,
      };
      // Without a connection the meeting is kept on the device and sent later (issue 38).
      return saveOrQueue(session, patientId, 'meeting', record, draft.requestId, () =>
        logMeeting(session.transport, caps, record.draft, record.consent),
      );
    },
    onSuccess: async (result) => {
      saved.clear();
      if (result !== 'queued')
        await invalidateAfterWrite(queryClient, ['Encounter', 'Consent'], session.serverUrl, patientId);
      navigate(`~${routes.overview(patientId)}`);
    },
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const problems = meetingProblems(draft, { now: new Date(), consentOnFile });
    setShown(problems);
    if (problems.length) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    save.mutate();
  };
  const fieldId = (f: MeetingField) => `${id}-${f}`;
  const { error, described } = fieldErrors(shown, fieldId);

  return (
    <form className="card wide contact-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>Log meeting</h2>
      <ErrorSummary problems={shown} labels={FIELD_LABEL} fieldId={fieldId} ref={summary} />
      {save.isError && (
        <SaveFailed title="The meeting was not saved" error={save.error} saveLabel="Save meeting" />
      )}
      <div className="form-grid">
        <Field label="Kind of meeting" id={fieldId('kind')} error={error('kind')}>
          <ChoiceSelect
            id={fieldId('kind')}
            labels={MEETING_KIND_LABEL}
            value={kind}
            describedBy={described('kind')}
            onChange={setKind}
          />
        </Field>
        <DateTimeField
          label="Date and time"
          id={fieldId('start')}
          value={when}
          onChange={setWhen}
          timeZone={tz}
          error={error('start')}
          describedBy={described('start')}
        />
        <Field label="Duration (minutes)" id={fieldId('durationMinutes')} error={error('durationMinutes')}>
          <input
            id={fieldId('durationMinutes')}
            type="number"
            inputMode="numeric"
            min={1}
            max={480}
            value={minutes}
            aria-describedby={described('durationMinutes')}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </Field>
      </div>
      <fieldset id={fieldId('attendees')} aria-describedby={described('attendees')}>
        <legend>Attendees (besides you)</legend>
        {error('attendees')}
        {people.map((p) => (
          <label key={p.reference} className="check">
            <input
              type="checkbox"
              checked={present.has(p.reference ?? '')}
              onChange={(e) =>
                setPresent((s) => {
                  const n = new Set(s);
                  if (e.target.checked) n.add(p.reference ?? '');
                  else n.delete(p.reference ?? '');
                  return n;
                })
              }
            />
            <bdi>{p.name}</bdi> ({p.role})
          </label>
        ))}
        <label className="check">
          <input type="checkbox" checked={youth} onChange={(e) => setYouth(e.target.checked)} />
          The youth, <bdi>{ws.youth.name.full}</bdi>
        </label>
        <label>
          Others not in the chart (one per line: natural supports, agency or school staff)
          <textarea rows={2} value={others} onChange={(e) => setOthers(e.target.value)} />
        </label>
      </fieldset>
      <fieldset id={fieldId('goalUpdates')} aria-describedby={described('goalUpdates')}>
        <legend>Goals discussed, with the update you gave</legend>
        {error('goalUpdates')}
        {goals.length === 0 && <p>The plan has no goals on record.</p>}
        {goals.map((g) => (
          <div key={g.id} className="field">
            <label className="check">
              <input
                type="checkbox"
                checked={discussed[g.id] !== undefined}
                onChange={(e) => setDiscussed((d) => ({ ...d, [g.id]: e.target.checked ? '' : undefined }))}
              />
              <bdi>{g.description}</bdi>
            </label>
            {discussed[g.id] !== undefined && (
              <label>
                Update given
                <textarea
                  rows={2}
                  value={discussed[g.id]}
                  onChange={(e) => setDiscussed((d) => ({ ...d, [g.id]: e.target.value }))}
                />
              </label>
            )}
          </div>
        ))}
      </fieldset>
      {meetingNeedsConsent(kind || undefined) && !consentOnFile && (
        <fieldset id={fieldId('consent')} aria-describedby={described('consent')}>
          <legend>Caregiver's consent</legend>
          {error('consent')}
          <label>
            Agency
            <input value={agency} onChange={(e) => setAgency(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={consentNow} onChange={(e) => setConsentNow(e.target.checked)} />
            The caregiver consents to FST taking part in this meeting
          </label>
        </fieldset>
      )}
      <label>
        Decisions
        <textarea rows={2} value={decisions} onChange={(e) => setDecisions(e.target.value)} />
      </label>
      <div className="form-grid">
        <DateTimeField
          label="Next meeting"
          id={fieldId('nextMeeting')}
          value={next}
          onChange={setNext}
          timeZone={tz}
          error={error('nextMeeting')}
          describedBy={described('nextMeeting')}
        />
      </div>
      <p role="status" className="muted">
        {collateral
          ? "This meeting counts as this week's collateral contact: the youth's provider was present and you gave an update."
          : "To count as this week's collateral contact, the youth's ICC, IHT or outpatient provider must be present and you must give an update on a goal."}
      </p>
      <FormActions label="Save meeting" pending={save.isPending} cancelHref="/" onCancel={saved.clear} />
    </form>
  );
}
