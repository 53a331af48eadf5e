import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ContactMethod } from '../../domain/model';
import type { Workspace } from '../../fhir/workspace';
import { createContact } from '../../fhir/contacts';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { storeContact } from '../../fhir/invalidation';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { currentGoals, currentReferral, episodeEnd } from '../../domain/referral';
import { CONTACT_MINUTES } from '../../domain/units';
import { appUserOf } from '../../app/useSignedInUser';
import { zoneLabel } from '../../ui/format';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';
import { PURPOSE_LABEL } from '../../ui/labels';
import type { ContactFormState, FormErrors } from './contactForm';
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
  const [errors, setErrors] = useState<FormErrors>({});
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
    mutationFn: (draft: ReturnType<typeof toDraft>) =>
      createContact(session.transport, caps.data ?? ASSUMED_CAPABILITIES, draft),
    onSuccess: async (result) => {
      clearDraft(key);
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
      setErrors(result.errors);
      // After React paints the summary: the user hears what to fix, and can jump to each field.
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setErrors({});
    save.mutate(
      toDraft(state, recipients, {
        patientId,
        senderReference: sender,
        timeZone,
        referralTaskId: referral?.id,
        serviceRequestId: referral?.serviceRequestId,
      }),
    );
  };

  const errorId = (field: keyof ContactFormState) => (errors[field] ? `${id}-${field}-error` : undefined);
  const fieldError = (field: keyof ContactFormState) =>
    errors[field] ? (
      <p className="field-error" id={`${id}-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  const errorCount = Object.keys(errors).length;

  return (
    <form className="card wide contact-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>Log contact</h2>
      {errorCount > 0 && (
        <div role="alert" className="alert alert-error error-summary" tabIndex={-1} ref={summary}>
          <strong>
            Check {errorCount} {errorCount === 1 ? 'field' : 'fields'} before saving:
          </strong>
          <ul>
            {(Object.keys(errors) as (keyof ContactFormState)[]).map((field) => (
              <li key={field}>
                <a href={`#${id}-${field}`}>
                  {FIELD_LABEL[field]}: {errors[field]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {save.isError && (
        <Alert title="The contact was not saved" error={save.error}>
          <p>Everything you typed is kept. Press “Save contact” to try again; it will not be saved twice.</p>
        </Alert>
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
        <div className="field">
          <label>
            Contact with
            <select
              id={`${id}-recipient`}
              ref={firstField}
              value={state.recipient}
              onChange={(e) => update({ recipient: e.target.value })}
              aria-invalid={!!errors.recipient}
              aria-describedby={errorId('recipient')}
            >
              {recipients.length === 0 && <option value="">No caregiver or provider on record</option>}
              {recipients.map((r) => (
                <option key={r.reference} value={r.reference}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          {fieldError('recipient')}
        </div>
        <div className="field">
          <label>
            Method
            <select
              id={`${id}-method`}
              value={state.method}
              onChange={(e) => update({ method: e.target.value as ContactMethod })}
              aria-invalid={!!errors.method}
              aria-describedby={errorId('method')}
            >
              <option value="">Choose…</option>
              {METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          {fieldError('method')}
        </div>
        <div className="field">
          <label>
            Date and time
            <input
              id={`${id}-when`}
              type="datetime-local"
              value={state.when}
              onChange={(e) => update({ when: e.target.value })}
              aria-invalid={!!errors.when}
              aria-describedby={[`${id}-zone`, errorId('when')].filter(Boolean).join(' ')}
            />
          </label>
          <span className="muted" id={`${id}-zone`}>
            Provider time ({zoneLabel(timeZone)})
          </span>
          {fieldError('when')}
        </div>
        <div className="field">
          <label>
            Duration (minutes)
            <input
              id={`${id}-duration`}
              type="number"
              inputMode="numeric"
              min={CONTACT_MINUTES.min}
              max={CONTACT_MINUTES.max}
              value={state.duration}
              disabled={state.attemptOnly}
              onChange={(e) => update({ duration: e.target.value })}
              aria-invalid={!!errors.duration}
              aria-describedby={errorId('duration')}
            />
          </label>
          {fieldError('duration')}
        </div>
      </div>
      {state.method === 'video' && (
        <label className="check">
          <input
            type="checkbox"
            checked={state.telehealthRequested}
            onChange={(e) => update({ telehealthRequested: e.target.checked })}
          />
          Telehealth requested by family
        </label>
      )}
      <fieldset id={`${id}-purposes`} tabIndex={-1} aria-describedby={errorId('purposes')}>
        <legend>Purpose</legend>
        {fieldError('purposes')}
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
      <fieldset id={`${id}-goalIds`} tabIndex={-1} aria-describedby={errorId('goalIds')}>
        <legend>Goals addressed</legend>
        {fieldError('goalIds')}
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
      <div className="field block">
        <label>
          Progress note
          <textarea
            id={`${id}-note`}
            rows={5}
            value={state.note}
            onChange={(e) => update({ note: e.target.value })}
            aria-invalid={!!errors.note}
            aria-describedby={errorId('note')}
          />
        </label>
        {fieldError('note')}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={state.attemptOnly}
          onChange={(e) => update({ attemptOnly: e.target.checked })}
        />
        Attempt only (no contact made)
      </label>
      {state.attemptOnly && (
        <div className="field">
          <label>
            Reason
            <select
              id={`${id}-attemptReason`}
              value={state.attemptReason}
              onChange={(e) => update({ attemptReason: e.target.value })}
              aria-invalid={!!errors.attemptReason}
              aria-describedby={errorId('attemptReason')}
            >
              <option value="">Choose…</option>
              {ATTEMPT_REASONS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          {fieldError('attemptReason')}
        </div>
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
