import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Contact } from '../../domain/model';
import type { AppUser } from '../../domain/permissions';
import { decideWrite } from '../../domain/policy';
import { amendContact, ContactConflictError, markEnteredInError } from '../../fhir/contacts';
import type { ContactAmendment } from '../../fhir/contacts';
import { calendarFor } from '../../config/config';
import { instantOfWallClock, wallClockOf } from '../../domain/calendar';
import { contactDateProblem } from '../../domain/contactDates';
import { DateTimeField } from '../../ui/DateTimeField';
import { formatDateTime } from '../../ui/format';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { storeContact } from '../../fhir/invalidation';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';

/**
 * Corrections never delete: amend the note or the contact's date and time (a new version, written only if nobody changed the contact
 * since it was read) or withdraw it as entered in error, with a reason and a confirmation. Each records
 * who and when (Provenance). Offered to the contact's author and FST supervisors only.
 */
export function CorrectContact({ contact, user }: { contact: Contact; user: AppUser }) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'idle' | 'amend' | 'withdraw' | 'confirm-withdraw'>('idle');
  const [text, setText] = useState(contact.note ?? '');
  const timeZone = calendarFor(session.ehr).timeZone;
  const shownWhen = wallClockOf(new Date(contact.sent), timeZone);
  const [when, setWhen] = useState(shownWhen);
  const [reason, setReason] = useState('');
  // The version the change applies to: the one shown, or after a conflict the other person's version.
  const [conflictBase, setConflictBase] = useState<Contact>();
  const base = conflictBase ?? contact;
  const request = () => ({
    id: contact.id,
    versionId: base.versionId ?? '',
    by: user.references[0] ?? '',
    now: new Date(),
    corrections: contact.corrections,
  });
  const done = async (saved: Contact) => {
    setMode('idle');
    setConflictBase(undefined);
    // The answer plus the correction just written: the cache holds what a read would return.
    await storeContact(queryClient, session.serverUrl, patientId, saved);
  };
  // Only what the user changed is written; a new date is checked here as the server checks it (no future date).
  const newSent = when === shownWhen ? undefined : instantOfWallClock(when, timeZone)?.toISOString();
  const dateProblem =
    when === shownWhen
      ? undefined
      : newSent
        ? contactDateProblem(newSent, new Date())
        : 'Enter a valid date and time.';
  const amendment: ContactAmendment = {
    ...(text !== (contact.note ?? '') ? { note: text } : {}),
    ...(newSent ? { sent: newSent } : {}),
  };
  const changed = amendment.note !== undefined || amendment.sent !== undefined;
  // The audit trail says which date was replaced: the Provenance's reason, read in the history and the CSV.
  const amendReason = () =>
    amendment.sent
      ? `Date corrected from ${formatDateTime(contact.sent, timeZone)}: ${reason.trim()}`
      : reason.trim();
  const amend = useMutation({
    mutationFn: () => amendContact(session.transport, caps, request(), amendment, amendReason()),
    onSuccess: done,
  });
  const withdraw = useMutation({
    mutationFn: () => markEnteredInError(session.transport, caps, request(), reason),
    onSuccess: done,
  });
  if (contact.status === 'entered-in-error') return null;
  if (!session.scopes.allows('Communication', 'u')) return null;
  const decision = decideWrite(user, 'fst-contact', 'change', { authorReference: contact.senderReference });
  if (!decision.allowed) {
    return <p className="muted correct-actions no-print">{decision.reason}</p>;
  }
  const error = amend.error ?? withdraw.error;
  const conflict = error instanceof ContactConflictError ? error.current : undefined;
  if (mode === 'idle') {
    return (
      <div className="correct-actions no-print">
        <button type="button" className="link" onClick={() => setMode('amend')}>
          Amend note or date
        </button>
        <button type="button" className="link" onClick={() => setMode('withdraw')}>
          Mark entered in error
        </button>
      </div>
    );
  }
  return (
    <div className="correct-form no-print">
      {error && (
        <Alert title="The correction was not saved" error={error}>
          {conflict && (
            <>
              <p>Their version, dated {formatDateTime(conflict.sent, timeZone)}:</p>
              <blockquote className="note">{conflict.note ?? '(no note)'}</blockquote>
              <button
                type="button"
                onClick={() => {
                  // Your text stays; it is applied on top of their version when you save again.
                  setConflictBase(conflict);
                  amend.reset();
                  withdraw.reset();
                }}
              >
                Apply my change to their version
              </button>
            </>
          )}
        </Alert>
      )}
      {mode === 'amend' ? (
        <>
          <DateTimeField
            label="Date and time of the contact"
            id={`amend-when-${contact.id}`}
            value={when}
            onChange={setWhen}
            timeZone={timeZone}
            error={
              dateProblem && (
                <p className="field-error" id={`amend-when-${contact.id}-error`}>
                  {dateProblem}
                </p>
              )
            }
            describedBy={dateProblem ? `amend-when-${contact.id}-error` : undefined}
          />
          <label>
            Amended note
            <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <label>
            Reason for the amendment
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        </>
      ) : (
        <label>
          Reason it was entered in error
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      {mode === 'confirm-withdraw' && (
        <p role="alert">
          Withdraw this contact? It stays in the record as entered in error, with your reason, and no longer
          counts toward any clock.
        </p>
      )}
      <div className="actions">
        {mode === 'amend' && (
          <button
            type="button"
            disabled={amend.isPending || !changed || !!dateProblem || !text.trim() || !reason.trim()}
            onClick={() => amend.mutate()}
          >
            Save amendment
          </button>
        )}
        {mode === 'withdraw' && (
          <button type="button" disabled={!reason.trim()} onClick={() => setMode('confirm-withdraw')}>
            Withdraw contact
          </button>
        )}
        {mode === 'confirm-withdraw' && (
          <button
            type="button"
            disabled={withdraw.isPending || !reason.trim()}
            onClick={() => withdraw.mutate()}
          >
            Yes, withdraw it
          </button>
        )}
        <button type="button" className="secondary" onClick={() => setMode('idle')}>
          Cancel
        </button>
      </div>
    </div>
  );
}
