import { useId } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { INCIDENT_CATEGORY_LABEL } from '../../domain/incidents';
import { MEETING_KIND_LABEL } from '../../domain/meetings';
import { ownerOfSignIn, signInAgainText } from '../../domain/outbox';
import type { OutboxEntry } from '../../domain/outbox';
import { Questionnaires } from '../../fhir/codes';
import { formatDateTime } from '../../ui/format';
import { METHOD_LABEL } from '../../ui/labels';
import type { IntentRecords } from './intentWriters';
import { useOnline } from './useOnline';
import { replayNow, resolveEntry, useOutbox } from './outboxState';

/** One line per entry: what it is and when it happened, in the words of the card it will appear on. */
function describe(entry: OutboxEntry, timeZone: string): string {
  switch (entry.kind) {
    case 'contact': {
      const d = entry.record as IntentRecords['contact'];
      const who = d.kind === 'caregiver' ? 'Caregiver' : 'Treating provider';
      return `${formatDateTime(d.sent, timeZone)} · ${who} · ${METHOD_LABEL[d.method]}${d.attemptReason ? ' (attempt)' : ''}`;
    }
    case 'meeting': {
      const { draft } = entry.record as IntentRecords['meeting'];
      return `${formatDateTime(draft.start, timeZone)} · Meeting · ${MEETING_KIND_LABEL[draft.kind]}`;
    }
    case 'incident': {
      const { draft } = entry.record as IntentRecords['incident'];
      return `${formatDateTime(draft.occurredAt, timeZone)} · Incident report · ${INCIDENT_CATEGORY_LABEL[draft.category]}`;
    }
    case 'outcome': {
      const { response } = entry.record as IntentRecords['outcome'];
      return `${formatDateTime(response.authored ?? entry.queuedAt, timeZone)} · Answers · ${outcomeTitle(response)}`;
    }
  }
}

/** The form the answers came from: ours by name, an agency instrument as "instrument". */
function outcomeTitle(r: { questionnaire?: string }): string {
  const url = r.questionnaire?.split('|')[0];
  if (url === Questionnaires.caregiverSatisfaction) return 'Satisfaction survey';
  if (url === Questionnaires.goalAttainment) return 'Goal ratings';
  return 'Agency instrument';
}

/**
 * What this user saved on the device and the servers do not hold yet (issue 38): each pending write, and each
 * one a server refused, under "Needs review" with that server's words. Nothing leaves this list unseen: an
 * entry goes when the server holds it or when the user discards it.
 */
export function OutboxCard() {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities();
  const queryClient = useQueryClient();
  const online = useOnline();
  const id = useId();
  const owner = ownerOfSignIn(session.serverUrl, session.user);
  const box = useOutbox(owner);
  const mine = box.entries.filter((e) => e.patientId === patientId);
  const pending = mine.filter((e) => e.state === 'pending');
  const review = mine.filter((e) => e.state === 'needs-review');
  const tz = session.ehr.timeZone;
  if (!mine.length && !box.others && !box.unavailable) return null;
  return (
    <section className="card wide" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Saved on this device</h2>
      {box.unavailable && (
        <p className="alert alert-warning">This browser does not let the app keep records on the device.</p>
      )}
      {pending.length > 0 && (
        <>
          <p role="status">
            {pending.length} {pending.length === 1 ? 'record is' : 'records are'} pending: saved on this
            device, not yet on the server.{' '}
            {box.last?.stopped === 'signed-out'
              ? signInAgainText(pending.length)
              : !online
                ? 'They are sent when the device is connected.'
                : box.replaying
                  ? 'Sending…'
                  : ''}
          </p>
          <ul className="plain" aria-label="Pending records">
            {pending.map((e) => (
              <li key={e.seq}>
                <span className="badge badge-pending">Pending</span> {describe(e, tz)}
              </li>
            ))}
          </ul>
          {online && !box.replaying && caps.data && owner && (
            <div className="actions">
              <button
                type="button"
                className="secondary"
                onClick={() => void replayNow(session, owner, caps.data, queryClient)}
              >
                Send now
              </button>
            </div>
          )}
        </>
      )}
      {review.length > 0 && (
        <>
          <h3>Needs review</h3>
          <p>The server refused these records. Nothing was stored; read why, then send again or discard.</p>
          <ul className="plain" aria-label="Records that need review">
            {review.map((e) => (
              <li key={e.seq}>
                <span className="badge badge-missed">Needs review</span> {describe(e, tz)}
                {e.review && (
                  <p>
                    {e.review.server} said: <q>{e.review.words}</q>
                  </p>
                )}
                <div className="actions">
                  <button type="button" className="secondary" onClick={() => void resolveEntry(e, 'retry')}>
                    Send again
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      if (window.confirm('Discard this record? It was never stored on the server.'))
                        void resolveEntry(e, 'discard');
                    }}
                  >
                    Discard
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {box.others > 0 && (
        <p className="muted">
          {box.others} {box.others === 1 ? 'record' : 'records'} saved on this device by another sign-in{' '}
          {box.others === 1 ? 'waits' : 'wait'} for that user: they are not shown or sent here.
        </p>
      )}
    </section>
  );
}
