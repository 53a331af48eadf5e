import { useId, useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ContactMethod } from '../../domain/model';
import type { Workspace } from '../../fhir/workspace';
import { createContact } from '../../fhir/contacts';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { storeContact } from '../../fhir/invalidation';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { currentGoals, currentReferral } from '../../domain/referral';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';
import { PURPOSE_LABEL } from '../../ui/labels';
import type { ContactFormState, FormErrors } from './contactForm';
import {
  clearDraft,
  defaultForm,
  draftKey,
  loadDraft,
  recipientsFor,
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

export function LogContactForm({ ws, onDone }: { ws: Workspace; onDone: (message: string) => void }) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities();
  const queryClient = useQueryClient();
  const id = useId();
  const key = draftKey(session.serverUrl, patientId);
  const recipients = useMemo(() => recipientsFor(ws.caregivers, ws.plans, ws.staffNames), [ws]);
  const goals = useMemo(() => currentGoals(ws.plans), [ws.plans]);
  const [state, setState] = useState<ContactFormState>(
    () => loadDraft(key) ?? defaultForm(recipients, ws.contacts, new Date()),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const referral = currentReferral(ws.referrals);

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
    const now = new Date();
    const result = validate(state, recipients, now);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    save.mutate(
      toDraft(state, recipients, {
        patientId,
        senderReference: session.user
          ? `${session.user.resourceType}/${session.user.id}`
          : (ws.user?.references[0] ?? ''),
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
        <div role="alert" className="alert alert-error">
          <strong>Check {errorCount} field(s) before saving.</strong>
        </div>
      )}
      {save.isError && (
        <Alert title="The contact was not saved" error={save.error}>
          <p>Everything you typed is kept. Press “Save contact” to try again; it will not be saved twice.</p>
        </Alert>
      )}
      <div className="form-grid">
        <label>
          Contact with
          <select
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
          {fieldError('recipient')}
        </label>
        <label>
          Method
          <select value={state.method} onChange={(e) => update({ method: e.target.value as ContactMethod })}>
            {METHODS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Date and time
          <input
            type="datetime-local"
            value={state.when}
            onChange={(e) => update({ when: e.target.value })}
            aria-invalid={!!errors.when}
            aria-describedby={errorId('when')}
          />
          {fieldError('when')}
        </label>
        <label>
          Duration (minutes)
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={600}
            value={state.duration}
            disabled={state.attemptOnly}
            onChange={(e) => update({ duration: e.target.value })}
            aria-invalid={!!errors.duration}
            aria-describedby={errorId('duration')}
          />
          {fieldError('duration')}
        </label>
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
      <fieldset>
        <legend>Purpose</legend>
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
      <fieldset>
        <legend>Goals addressed</legend>
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
      <label className="block">
        Progress note
        <textarea
          rows={5}
          value={state.note}
          onChange={(e) => update({ note: e.target.value })}
          aria-invalid={!!errors.note}
          aria-describedby={errorId('note')}
        />
        {fieldError('note')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={state.attemptOnly}
          onChange={(e) => update({ attemptOnly: e.target.checked })}
        />
        Attempt only (no contact made)
      </label>
      {state.attemptOnly && (
        <label>
          Reason
          <select
            value={state.attemptReason}
            onChange={(e) => update({ attemptReason: e.target.value })}
            aria-invalid={!!errors.attemptReason}
            aria-describedby={errorId('attemptReason')}
          >
            {ATTEMPT_REASONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          {fieldError('attemptReason')}
        </label>
      )}
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
