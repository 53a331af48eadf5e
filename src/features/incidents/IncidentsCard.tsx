/** The youth's incident reports on the overview: review open or closed, and the 24-hour authority flag. */
import { authorityReportOverdue, INCIDENT_CATEGORY_LABEL } from '../../domain/incidents';
import type { Workspace } from '../../fhir/workspace';
import { formatDateTime } from '../../ui/format';

export function IncidentsCard({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  if (ws.incidents.length === 0) return null;
  const now = new Date();
  return (
    <section className="card" aria-labelledby="incidents-heading">
      <h2 id="incidents-heading">Incident reports</h2>
      <ul className="plain">
        {ws.incidents.map((i) => (
          <li key={i.id}>
            <strong>{INCIDENT_CATEGORY_LABEL[i.category]}</strong>
            {i.seriousness === 'serious' && ' (serious)'} · {formatDateTime(i.occurredAt, timeZone)}
            {' · '}
            {i.review?.status === 'completed' ? 'Review closed' : 'Waiting for supervisor review'}
            {authorityReportOverdue(i, now) && (
              <span className="badge badge-overdue">Authority report missing after 24 hours</span>
            )}
            <p className="timeline-note">{i.whatHappened}</p>
            {i.review?.note && <p className="muted">Supervisor: {i.review.note}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
