import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Contact } from '../../domain/model';
import { amendContactNote, markEnteredInError } from '../../fhir/contacts';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import { fhirKeys } from '../../fhir/queryKeys';
import { usePatientSession } from '../../app/SessionContext';
import { Alert } from '../../ui/Alert';

/**
 * Corrections never delete: amend the note (a new version, written only if nobody changed the contact
 * since it was read) or withdraw it as entered in error, with a reason.
 */
export function CorrectContact({ contact }: { contact: Contact }) {
  const session = usePatientSession();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'idle' | 'amend' | 'withdraw'>('idle');
  const [text, setText] = useState(contact.note ?? '');
  const [reason, setReason] = useState('');
  const [reloading, setReloading] = useState(false);
  const done = async () => {
    setMode('idle');
    await invalidateAfterWrite(queryClient, 'Communication', session.serverUrl, session.patientId);
  };
  const amend = useMutation({
    mutationFn: () => amendContactNote(session.transport, contact.id, contact.versionId ?? '', text),
    onSuccess: done,
  });
  const withdraw = useMutation({
    mutationFn: () => markEnteredInError(session.transport, contact.id, contact.versionId ?? '', reason),
    onSuccess: done,
  });
  if (!session.scopes.allows('Communication', 'u') || contact.status === 'entered-in-error') return null;
  const error = amend.error ?? withdraw.error;
  if (mode === 'idle') {
    return (
      <div className="correct-actions no-print">
        <button type="button" className="link" onClick={() => setMode('amend')}>
          Amend note
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
          <button
            type="button"
            disabled={reloading}
            onClick={async () => {
              // Fetch the other person's version first; the typed text stays, to be applied on top of it.
              setReloading(true);
              await queryClient.refetchQueries({
                queryKey: fhirKeys.patient(session.serverUrl, session.patientId),
              });
              amend.reset();
              withdraw.reset();
              setReloading(false);
            }}
          >
            Reload the latest version
          </button>
        </Alert>
      )}
      {mode === 'amend' ? (
        <label>
          Amended note
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      ) : (
        <label>
          Reason it was entered in error
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={
            amend.isPending || withdraw.isPending || (mode === 'amend' ? !text.trim() : !reason.trim())
          }
          onClick={() => (mode === 'amend' ? amend.mutate() : withdraw.mutate())}
        >
          {mode === 'amend' ? 'Save amendment' : 'Withdraw contact'}
        </button>
        <button type="button" className="secondary" onClick={() => setMode('idle')}>
          Cancel
        </button>
      </div>
    </div>
  );
}
