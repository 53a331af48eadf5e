/**
 * "She signs on her own phone" (issue 39), in step 2 of the discharge wizard: the plan as it stands is sent to
 * her as a request with a one-time link (src/fhir/caregiverRequests.ts); she reads it in her language, chooses
 * with whom it is shared and signs; then her signature and consent are read back from the server — never
 * assumed — and the wizard finalises with them. A plan changed after it was sent is sent again
 * (`dischargeProblems`).
 */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useSession } from '../../app/SessionContext';
import { appUserOf } from '../../app/useSignedInUser';
import { requestState } from '../../domain/caregiver';
import type { RemoteSignature } from '../../domain/discharge';
import { planContent } from '../../domain/discharge';
import { readSignedOnHerPhone, sendCaregiverRequest } from '../../fhir/caregiverRequests';
import type { LinkProof, SentLink } from '../../fhir/caregiverRequests';
import type { Workspace } from '../../fhir/workspace';
import { Alert } from '../../ui/Alert';
import { SentLinkView } from '../caregiverRequests/SentLinkView';
import { formatDateTime } from '../../ui/format';
import type { DischargeSetting } from './dischargeSetting';
import { documentFor } from './dischargeSetting';
import type { StepProps } from './stepProps';

const STATE_WORDS = {
  sent: 'sent, not opened yet',
  opened: 'opened, not signed yet',
  done: 'done',
  expired: 'expired: send it again',
  revoked: 'revoked: send it again',
  locked: 'locked after too many wrong answers: send it again',
} as const;

export function RemoteSign({
  draft,
  set,
  setting,
  ws,
}: Pick<StepProps, 'draft' | 'set'> & { setting: DischargeSetting; ws: Workspace }) {
  const session = useSession();
  const sig: RemoteSignature =
    draft.signature?.kind === 'remote' ? draft.signature : { kind: 'remote', request: '', sentContent: '' };
  const caregiver = setting.caregivers.find((c) => c.reference === draft.caregiverReference);
  const [proof, setProof] = useState<LinkProof>('birth-date');
  const [sent, setSent] = useState<SentLink>();
  const [state, setState] = useState<string>();
  const timeZone = session.ehr.timeZone;

  const send = useMutation({
    mutationFn: async () => {
      const document = documentFor(setting, ws, { ...draft, signature: sig }, session.ehr);
      if (!document || !caregiver?.reference.startsWith('RelatedPerson/'))
        throw new Error('Complete step 1 first: the plan is sent as it stands.');
      return sendCaregiverRequest(
        session.transport,
        session.serverUrl,
        {
          requestId: crypto.randomUUID(),
          purpose: 'sign-plan',
          patientId: ws.youth.id,
          caregiver: caregiver.reference,
          requester: appUserOf(session, ws.user).references[0] ?? '',
          at: new Date().toISOString(),
          // What she reads, as the PDF is made (her page makes the same PDF from it when she asks).
          planDocument: JSON.stringify({ ...document, sharedWith: [] }),
          // She chooses among everyone the plan may go to with consent, one by one.
          shareWith: setting.others.map((o) => ({ reference: o.reference, display: o.name })),
        },
        proof,
      );
    },
    onSuccess: (s) => {
      setSent(s);
      setState(undefined);
      set({
        signature: { kind: 'remote', request: s.task, sentContent: JSON.stringify(planContent(draft)) },
      });
    },
  });
  const check = useMutation({
    mutationFn: () => readSignedOnHerPhone(session.transport, sig.request),
    onSuccess: (r) => {
      setState(requestState(r, new Date()));
      set({ signature: { ...sig, signed: r.signed } });
    },
  });

  if (!caregiver?.reference.startsWith('RelatedPerson/'))
    return <p>This caregiver has no record of her own: she signs on this device.</p>;
  const signed = sig.signed;
  return (
    <div className="remote-sign">
      {!sig.request || (state && state !== 'sent' && state !== 'opened' && !signed) ? (
        <>
          <p>
            She gets a one-time link. On her phone she reads the plan in her language, chooses with whom it is
            shared, and signs by typing her name or drawing with her finger.
          </p>
          <fieldset>
            <legend>She opens it with</legend>
            <label className="check">
              <input type="radio" checked={proof === 'birth-date'} onChange={() => setProof('birth-date')} />{' '}
              the youth’s date of birth
            </label>
            <label className="check">
              <input type="radio" checked={proof === 'code'} onChange={() => setProof('code')} /> a code you
              tell her
            </label>
          </fieldset>
          <button type="button" onClick={() => send.mutate()} disabled={send.isPending}>
            {send.isPending ? 'Sending…' : 'Send the plan to her phone'}
          </button>
        </>
      ) : signed ? (
        <p role="status">
          Signed on her phone by <bdi>{caregiver.name.full}</bdi> on {formatDateTime(signed.when, timeZone)} (
          {signed.mark.kind === 'typed' ? (
            <>
              typed: “<bdi>{signed.mark.typedName}</bdi>”
            </>
          ) : (
            'drawn'
          )}
          ).{' '}
          {signed.shareWith.length
            ? `She agreed to share it with: ${signed.shareWith
                .map((r) => setting.others.find((o) => o.reference === r)?.name ?? 'someone not proposed')
                .join(', ')}.`
            : 'She did not agree to share it with anyone else.'}
        </p>
      ) : (
        <>
          <p>
            Sent to her phone
            {state ? `: ${STATE_WORDS[state as keyof typeof STATE_WORDS] ?? state}` : ''}. When she has
            signed, check here.
          </p>
          <button
            type="button"
            className="secondary"
            onClick={() => check.mutate()}
            disabled={check.isPending}
          >
            {check.isPending ? 'Checking…' : 'Check for her signature'}
          </button>
        </>
      )}
      {sent && !signed && <SentLinkView sent={sent} timeZone={timeZone} />}
      {send.isError && <Alert title="The plan was not sent to her phone" error={send.error} />}
      {check.isError && <Alert title="Her signature could not be read" error={check.error} />}
    </div>
  );
}
