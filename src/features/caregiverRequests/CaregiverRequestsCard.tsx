/**
 * The Family Partner's side of the caregiver's own way in (issue 39): send her a one-time link to answer the
 * survey, see each request and its state with dates (sent, opened, answered/signed, expired, revoked) as the
 * server holds it (the Task for her), and revoke one still open. Loaded lazily with the workspace's later cards,
 * and read only when opened.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Bundle, Task } from 'fhir/r4';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import type { RequestState } from '../../domain/caregiver';
import { requestState } from '../../domain/caregiver';
import { appUserOf } from '../../app/useSignedInUser';
import { CodeSystems, Questionnaires } from '../../fhir/codes';
import { fhirRequest, outcomeText, FhirError } from '../../fhir/http';
import type { CaregiverRequest } from '../../fhir/mappers/caregiverRequest';
import { parseCaregiverRequest, REQUEST_CODE } from '../../fhir/mappers/caregiverRequest';
import { sendCaregiverRequest } from '../../fhir/caregiverRequests';
import type { LinkProof, SentLink } from '../../fhir/caregiverRequests';
import type { Workspace } from '../../fhir/workspace';
import { formatDateTime } from '../../ui/format';
import { SentLinkView } from './SentLinkView';

const STATE_LABEL: Record<RequestState, string> = {
  sent: 'Sent, not opened yet',
  opened: 'Opened',
  done: 'Done',
  expired: 'Expired',
  revoked: 'Revoked',
  locked: 'Locked (too many wrong answers)',
};
const PURPOSE_LABEL = { 'sign-plan': 'Sign the plan', 'answer-survey': 'Answer the survey' } as const;

const codes = Object.values(REQUEST_CODE)
  .map((c) => `${CodeSystems.fstTaskCode}|${c}`)
  .join(',');

export function CaregiverRequestsCard({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  const session = useSession();
  const patientId = usePatientId();
  const queryClient = useQueryClient();
  const me = appUserOf(session, ws.user).references[0] ?? '';
  const caregiver = ws.caregivers.find((c) => c.reference.startsWith('RelatedPerson/'));
  const key = ['caregiver-requests', session.serverUrl, patientId];
  // Read when opened: the workspace's first screen stays its one batch.
  const [open, setOpen] = useState(false);
  const requests = useQuery({
    enabled: open,
    queryKey: key,
    queryFn: async () => {
      const res = await fhirRequest<Bundle<Task>>(
        session.transport,
        `Task?patient=${encodeURIComponent(`Patient/${patientId}`)}&code=${encodeURIComponent(codes)}&_sort=-authored-on&_count=50`,
      );
      return (res.body.entry ?? [])
        .map((e) => (e.resource ? parseCaregiverRequest(e.resource) : undefined))
        .filter((r): r is CaregiverRequest => r !== undefined);
    },
  });
  const [sent, setSent] = useState<SentLink>();
  const [proof, setProof] = useState<LinkProof>('birth-date');
  const send = useMutation({
    mutationFn: async () => {
      if (!caregiver) throw new Error('No caregiver with a record to send to.');
      return sendCaregiverRequest(
        session.transport,
        session.serverUrl,
        {
          requestId: crypto.randomUUID(),
          purpose: 'answer-survey',
          patientId,
          caregiver: caregiver.reference,
          requester: me,
          at: new Date().toISOString(),
          questionnaires: [Questionnaires.caregiverSatisfaction],
        },
        proof,
      );
    },
    onSuccess: (s) => setSent(s),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const current = await fhirRequest<Task>(session.transport, `Task/${id}`);
      await fhirRequest(session.transport, `Task/${id}`, {
        method: 'PUT',
        body: { ...current.body, status: 'cancelled', lastModified: new Date().toISOString() },
        headers: current.etag ? { 'if-match': current.etag } : {},
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const errorText = (e: unknown) =>
    e instanceof FhirError
      ? (outcomeText(e.outcome) ?? e.message)
      : e instanceof Error
        ? e.message
        : String(e);
  const now = new Date();
  const at = (iso?: string) => (iso ? formatDateTime(iso, timeZone) : undefined);
  return (
    <section className="card" aria-labelledby="cg-requests-heading">
      <h2 id="cg-requests-heading">On the caregiver’s phone</h2>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Links for the caregiver: send one, see their state</summary>
        {caregiver ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setSent(undefined);
              send.mutate();
            }}
          >
            <p>
              Send <bdi>{caregiver.name.full}</bdi> a one-time link to answer the satisfaction survey herself.
            </p>
            <fieldset>
              <legend>She opens it with</legend>
              <label>
                <input
                  type="radio"
                  checked={proof === 'birth-date'}
                  onChange={() => setProof('birth-date')}
                />{' '}
                the youth’s date of birth
              </label>
              <label>
                <input type="radio" checked={proof === 'code'} onChange={() => setProof('code')} /> a code you
                tell her
              </label>
            </fieldset>
            <button type="submit" disabled={send.isPending}>
              {send.isPending ? 'Sending…' : 'Send the survey link'}
            </button>
          </form>
        ) : (
          <p>No caregiver with a record of her own: the link cannot be sent.</p>
        )}
        {send.isError && <p role="alert">{errorText(send.error)}</p>}
        {sent && <SentLinkView sent={sent} timeZone={timeZone} />}
        {requests.isError && <p role="alert">The requests could not be read: {errorText(requests.error)}</p>}
        {requests.data && requests.data.length > 0 && (
          <table>
            <caption>Requests to the caregiver</caption>
            <thead>
              <tr>
                <th scope="col">Asked</th>
                <th scope="col">State</th>
                <th scope="col">Dates</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {requests.data.map((r) => {
                const state = requestState(r, now);
                return (
                  <tr key={r.id} data-testid={`cg-request-${r.id}`}>
                    <td>{PURPOSE_LABEL[r.purpose]}</td>
                    <td>
                      {state === 'done'
                        ? r.purpose === 'sign-plan'
                          ? 'Signed'
                          : 'Answered'
                        : STATE_LABEL[state]}
                    </td>
                    <td>
                      Sent {at(r.sentAt)}
                      {r.openedAt && <>; opened {at(r.openedAt)}</>}
                      {r.doneAt && <>; done {at(r.doneAt)}</>}
                      {!r.doneAt && r.expiresAt && (
                        <>
                          ; {state === 'expired' ? 'expired' : 'expires'} {at(r.expiresAt)}
                        </>
                      )}
                      {state === 'revoked' && r.lastModified && <>; revoked {at(r.lastModified)}</>}
                    </td>
                    <td>
                      {(state === 'sent' || state === 'opened') && (
                        <button type="button" onClick={() => revoke.mutate(r.id)} disabled={revoke.isPending}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {revoke.isError && <p role="alert">Not revoked: {errorText(revoke.error)}</p>}
      </details>
    </section>
  );
}
