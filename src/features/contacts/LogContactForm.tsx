import { PLACE_OF_SERVICE_LABEL, PLACES_OF_SERVICE } from '../../domain/placeOfService';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ContactMethod } from '../../domain/model';
import type { Workspace } from '../../fhir/workspace';
import { createContact } from '../../fhir/contacts';
import type { SaveResult } from '../../fhir/contacts';
import { QUEUED_TEXT, saveOrQueue } from '../offline/outboxState';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { storeContact } from '../../fhir/invalidation';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { currentGoals, currentReferral, episodeEnd } from '../../domain/referral';
import { CONTACT_MINUTES } from '../../domain/units';
import { appUserOf } from '../../app/useSignedInUser';
import { Field } from '../../ui/Field';
import { DateTimeField } from '../../ui/DateTimeField';
import { ErrorSummary, fieldErrors } from '../../ui/FormErrors';
import { useCapabilities } from '../../app/useCapabilities';
import { SaveFailed } from '../../ui/SaveFailed';
import { PURPOSE_LABEL } from '../../ui/labels';
import type { ContactFormProblem, ContactFormState } from './contactForm';
import {
  clearDraft,
  defaultForm,
  draftKey,
  formWarnings,
  loadDraft,
  recipientsFor,
  sameAsLast,
  saveDraft,
  toDraft,
  validate,
} from './contactForm';

const METHODS: { value: ContactMethod; label: string }[] = [
  { value: 'phone', label: 'Phone' },
  { value: 'face-to-face', label: 'Face-to-face' },
  { value: 'video', label: 'Telehealth video' },
  { value: 'other', label: 'Other (written, text, email)' },
];

const ATTEMPT_REASONS = [
  { value: 'no-answer', label: 'No answer' },
  { value: 'voicemail', label: 'Voicemail left' },
  { value: 'wrong-number', label: 'Wrong or disconnected number' },
  { value: 'declined', label: 'Caregiver declined the call' },
  { value: 'rescheduled', label: 'Rescheduled by the family' },
  { value: 'other', label: 'Other' },
];

/** Seed 000 service component 5: an in-person contact says where; telehealth is the phone and video methods'. */
const IN_PERSON_PLACES = PLACES_OF_SERVICE.filter((p) => p !== 'telehealth');

const FIELD_LABEL: Record<keyof ContactFormState, string> = {
  requestId: 'Request',
  recipient: 'Contact with',
  method: 'Method',
  when: 'Date and time',
  duration: 'Duration (minutes)',
  purposes: 'Purpose',
  goalIds: 'Goals addressed',
  note: 'Progress note',
  telehealthRequested: 'Telehealth requested by family',
  attemptOnly: 'Attempt only',
  attemptReason: 'Reason',
  place: 'Place of service',
};

export function LogContactForm({ ws, onDone }: { ws: Workspace; onDone: (message: string) => void }) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities();
  const queryClient = useQueryClient();
  const id = useId();
  const timeZone = session.ehr.timeZone;
  const sender = appUserOf(session, ws.user).references[0] ?? '';
  const key = draftKey(session.serverUrl, sender, patientId);
  const recipients = useMemo(() => recipientsFor(ws.caregivers, ws.plans, ws.staffNames), [ws]);
  const goals = useMemo(() => currentGoals(ws.plans), [ws.plans]);
  const referral = useMemo(
    () => currentReferral(ws.referrals, ws.launchedReferralId),
    [ws.referrals, ws.launchedReferralId],
  );
  const [state, setState] = useState<ContactFormState>(
    () => loadDraft(key) ?? defaultForm(recipients, new Date(), timeZone),
  );
  const [problems, setProblems] = useState<ContactFormProblem[]>([]);
  const firstField = useRef<HTMLSelectElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const ended = referral ? episodeEnd(referral) : undefined;
  const formContext = (now: Date) => ({
    recipients,
    now,
    timeZone,
    referredOn: referral?.authoredOn,
    endedOn: ended?.at,
    goalsAvailable: goals.length > 0,
  });
  const warnings = formWarnings(state, formContext(new Date()));
  const last = sameAsLast(
    recipients.find((r) => r.reference === state.recipient),
    ws.contacts,
  );

  // Opening the form puts the user in its first field.
  useEffect(() => firstField.current?.focus(), []);

  const save = useMutation({
    mutationFn: (draft: ReturnType<typeof toDraft>): Promise<SaveResult | 'queued'> =>
      // Without a connection the contact is kept on the device as an intent and sent later (issue 38).
      saveOrQueue(session, patientId, 'contact', draft, draft.requestId, () =>
        createContact(session.transport, caps.data ?? ASSUMED_CAPABILITIES, draft),
      ),
    onSuccess: async (result) => {
      clearDraft(key);
      if (result === 'queued') {
        onDone(QUEUED_TEXT);
        return;
      }
      // The answer holds the stored contact: it goes into the cache, no read needed.
      await storeContact(queryClient, session.serverUrl, patientId, result.contact);
      onDone(result.created ? 'Contact saved.' : 'Contact was already saved.');
    },
  });

  const update = (patch: Partial<ContactFormState>) => {
    setState((prev) => {
      const next = { ...prev, ...patch };
      saveDraft(key, next);
      return next;
    });
  };

  const toggle = (list: string[], value: string) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const result = validate(state, formContext(new Date()));
    if (!result.ok) {
      setProblems(result.problems);
      // After React paints the summary: the user hears what to fix, and can jump to each field.
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setProblems([]);
    save.mutate(
      toDraft(state, recipients, {
        patientId,
        senderReference: sender,
        timeZone,
        telehealthPlatform: session.ehr.telehealthPlatform,
        referralTaskId: referral?.id,
        serviceRequestId: referral?.serviceRequestId,
      }),
    );
  };

  const fieldId = (field: keyof ContactFormState) => `${id}-${field}`;
  const { error, described, invalid } = fieldErrors(problems, fieldId);

  return (
    <form className="card wide contact-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>Log contact</h2>
      <ErrorSummary problems={problems} labels={FIELD_LABEL} fieldId={fieldId} ref={summary} />
      {save.isError && (
        <SaveFailed title="The contact was not saved" error={save.error} saveLabel="Save contact" />
      )}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={!last}
          title={last ? undefined : 'No earlier contact of this kind'}
          onClick={() => last && update(last)}
        >
          Same as last contact
        </button>
      </div>
      <div className="form-grid">
        <Field label="Contact with" id={fieldId('recipient')} error={error('recipient')}>
          <select
            id={fieldId('recipient')}
            ref={firstField}
            value={state.recipient}
            onChange={(e) => update({ recipient: e.target.value })}
            aria-invalid={invalid('recipient')}
            aria-describedby={described('recipient')}
          >
            {recipients.length === 0 && <option value="">No caregiver or provider on record</option>}
            {recipients.map((r) => (
              <option key={r.reference} value={r.reference}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Method" id={fieldId('method')} error={error('method')}>
          <select
            id={fieldId('method')}
            value={state.method}
            onChange={(e) => update({ method: e.target.value as ContactMethod })}
            aria-invalid={invalid('method')}
            aria-describedby={described('method')}
          >
            <option value="">Choose…</option>
            {METHODS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </Field>
        <DateTimeField
          label="Date and time"
          id={fieldId('when')}
          value={state.when}
          onChange={(when) => update({ when })}
          timeZone={timeZone}
          error={error('when')}
          describedBy={described('when')}
        />
        <Field label="Duration (minutes)" id={fieldId('duration')} error={error('duration')}>
          <input
            id={fieldId('duration')}
            type="number"
            inputMode="numeric"
            min={CONTACT_MINUTES.min}
            max={CONTACT_MINUTES.max}
            value={state.duration}
            disabled={state.attemptOnly}
            onChange={(e) => update({ duration: e.target.value })}
            aria-invalid={invalid('duration')}
            aria-describedby={described('duration')}
          />
        </Field>
      </div>
      {state.method === 'face-to-face' && !state.attemptOnly && (
        <Field label="Place of service" id={fieldId('place')} error={error('place')}>
          <select
            id={fieldId('place')}
            value={state.place}
            onChange={(e) => update({ place: e.target.value as ContactFormState['place'] })}
            aria-invalid={invalid('place')}
            aria-describedby={described('place')}
          >
            <option value="">Choose…</option>
            {IN_PERSON_PLACES.map((p) => (
              <option key={p} value={p}>
                {PLACE_OF_SERVICE_LABEL[p]}
              </option>
            ))}
          </select>
        </Field>
      )}
      {(state.method === 'phone' || state.method === 'video') && !state.attemptOnly && (
        <p className="muted">Place of service: {PLACE_OF_SERVICE_LABEL.telehealth}</p>
      )}
      {state.method === 'video' && (
        <label className="check">
          <input
            type="checkbox"
            checked={state.telehealthRequested}
            onChange={(e) => update({ telehealthRequested: e.target.checked })}
          />
          Telehealth requested by family
          {session.ehr.telehealthPlatform && (
            <span className="muted"> · held on {session.ehr.telehealthPlatform}</span>
          )}
        </label>
      )}
      <fieldset id={fieldId('purposes')} tabIndex={-1} aria-describedby={described('purposes')}>
        <legend>Purpose</legend>
        {error('purposes')}
        {Object.entries(PURPOSE_LABEL).map(([value, label]) => (
          <label key={value} className="check">
            <input
              type="checkbox"
              checked={state.purposes.includes(value)}
              onChange={() => update({ purposes: toggle(state.purposes, value) })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <fieldset id={fieldId('goalIds')} tabIndex={-1} aria-describedby={described('goalIds')}>
        <legend>Goals addressed</legend>
        {error('goalIds')}
        {goals.length === 0 && <p className="muted">The plan has no active goals.</p>}
        {goals.map((g) => (
          <label key={g.id} className="check">
            <input
              type="checkbox"
              checked={state.goalIds.includes(g.id)}
              onChange={() => update({ goalIds: toggle(state.goalIds, g.id) })}
            />
            {g.description}
          </label>
        ))}
      </fieldset>
      <Field label="Progress note" id={fieldId('note')} error={error('note')} wide>
        <textarea
          id={fieldId('note')}
          rows={5}
          value={state.note}
          onChange={(e) => update({ note: e.target.value })}
          aria-invalid={invalid('note')}
          aria-describedby={described('note')}
        />
      </Field>
      <label className="check">
        <input
          type="checkbox"
          checked={state.attemptOnly}
          onChange={(e) => update({ attemptOnly: e.target.checked })}
        />
        Attempt only (no contact made)
      </label>
      {state.attemptOnly && (
        <Field label="Reason" id={fieldId('attemptReason')} error={error('attemptReason')}>
          <select
            id={fieldId('attemptReason')}
            value={state.attemptReason}
            onChange={(e) => update({ attemptReason: e.target.value })}
            aria-invalid={invalid('attemptReason')}
            aria-describedby={described('attemptReason')}
          >
            <option value="">Choose…</option>
            {ATTEMPT_REASONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
      )}
      {warnings.map((w) => (
        <p key={w} role="status" className="alert alert-warning">
          {w}
        </p>
      ))}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save contact'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            clearDraft(key);
            onDone('');
          }}
        >
          Discard
        </button>
      </div>
      <p className="muted">The draft is kept in this tab until it is saved or discarded.</p>
    </form>
  );
}
