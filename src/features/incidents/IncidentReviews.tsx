/** Open incident reviews on the supervisor's caseload: flagged when an authority report is overdue; closed with a note. */
import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useSession } from '../../app/SessionContext';
import { routes } from '../../app/routes';
import type { AuthorityDecision } from '../../domain/incidents';
import {
  authorityDecisionOverdue,
  closeReviewProblem,
  relevantAuthority,
  INCIDENT_CATEGORY_LABEL,
} from '../../domain/incidents';
import { instantOfWallClock, wallClockOf } from '../../domain/calendar';
import type { OpenIncidentReview } from '../../fhir/caseload';
import { closeIncidentReview } from '../../fhir/incidents';
import { fhirKeys } from '../../fhir/queryKeys';
import { Alert } from '../../ui/Alert';
import { formatDateTime } from '../../ui/format';

export function IncidentReviews({
  reviews,
  timeZone,
  by,
}: {
  reviews: OpenIncidentReview[];
  timeZone: string;
  /** The supervisor closing them (`Practitioner/…`). */
  by: string;
}) {
  if (reviews.length === 0) return null;
  const now = new Date();
  return (
    <section className="card wide" aria-labelledby="incident-reviews-heading">
      <h2 id="incident-reviews-heading">Incident reviews ({reviews.length})</h2>
      <ul className="plain">
        {reviews.map((r) => (
          <li key={r.review.id}>
            {r.incident ? (
              <>
                <strong>{INCIDENT_CATEGORY_LABEL[r.incident.category]}</strong>
                {r.incident.seriousness === 'serious' && ' (serious)'} ·{' '}
                {formatDateTime(r.incident.occurredAt, timeZone)}
                {authorityDecisionOverdue(r.incident, r.review, now) && (
                  <span className="badge badge-overdue">Authority report missing after 24 hours</span>
                )}
              </>
            ) : (
              <strong>Incident report (could not be read)</strong>
            )}
            {' · '}
            {r.review.patientId ? (
              <Link href={`~${routes.overview(r.review.patientId)}`}>
                <bdi>{r.youth?.name.full ?? 'Open the youth'}</bdi>
              </Link>
            ) : null}
            {r.incident && <p className="timeline-note">{r.incident.whatHappened}</p>}
            <CloseReview review={r} by={by} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function CloseReview({ review, by }: { review: OpenIncidentReview; by: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const id = useId();
  const tz = session.ehr.timeZone;
  const [note, setNote] = useState('');
  const [who, setWho] = useState('');
  const [when, setWhen] = useState(() => wallClockOf(new Date(), tz));
  const [problem, setProblem] = useState<string>();
  const incident = review.incident;
  const reported = incident?.notifications.some((n) => n.party === 'authority') ?? true;
  // Seed 000 quality management 4 ("any adverse incidents … to the relevant authorities"): with no authority
  // report on the incident, the supervisor records to which authority it was reported, and when.
  const decision = (): AuthorityDecision | undefined =>
    reported
      ? undefined
      : { kind: 'reported', report: { who, at: instantOfWallClock(when, tz)?.toISOString() ?? '' } };
  const close = useMutation({
    mutationFn: () =>
      closeIncidentReview(session.transport, review.review, note, by, new Date(), undefined, decision()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: fhirKeys.caseload(session.serverUrl) }),
  });
  return (
    <form
      className="correct-form"
      aria-label={`Close the review of ${review.youth?.name.full ?? 'this incident'}`}
      onSubmit={(e) => {
        e.preventDefault();
        const found = closeReviewProblem(incident, note, decision(), new Date());
        setProblem(found);
        if (!found) close.mutate();
      }}
      noValidate
    >
      <label htmlFor={`${id}-note`}>Review note</label>
      {problem && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {problem}
        </p>
      )}
      <textarea
        id={`${id}-note`}
        rows={2}
        value={note}
        aria-describedby={problem ? `${id}-error` : undefined}
        onChange={(e) => setNote(e.target.value)}
      />
      {!reported && (
        <fieldset>
          <legend>Report to the relevant authority</legend>
          {incident && (
            <p className="muted" id={`${id}-authority`}>
              For this incident: {relevantAuthority(incident)}.
            </p>
          )}
          <label htmlFor={`${id}-who`}>Reported to (agency, report number)</label>
          <input
            id={`${id}-who`}
            value={who}
            aria-describedby={incident ? `${id}-authority` : undefined}
            onChange={(e) => setWho(e.target.value)}
          />
          <label htmlFor={`${id}-when`}>When</label>
          <input
            id={`${id}-when`}
            type="datetime-local"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
          />
        </fieldset>
      )}
      <button type="submit" disabled={close.isPending}>
        {close.isPending ? 'Closing…' : 'Close review'}
      </button>
      {close.isError && <Alert title="The review was not closed" error={close.error} />}
    </form>
  );
}
