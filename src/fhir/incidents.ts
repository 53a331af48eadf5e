/**
 * Incident reports: the report (AdverseEvent) and the supervisor's review (Task) in one transaction; the
 * review closed with an If-Match update (updateIfMatch), so two supervisors never overwrite each other's
 * note.
 */
import type { AdverseEvent, Task } from 'fhir/r4';
import type { Incident, IncidentDraft } from '../domain/incidents';
import type { ServerCapabilities } from './capabilities';
import { FhirError, unreadableAnswer, VERSION_CONFLICT } from './http';
import type { FhirTransport } from './http';
import { closedReview, incidentResources, parseIncident } from './mappers/incident';
import { transaction, updateIfMatch } from './write';
import type { AuthorityDecision } from '../domain/incidents';

export async function reportIncident(
  transport: FhirTransport,
  caps: ServerCapabilities,
  draft: IncidentDraft & Required<Pick<IncidentDraft, 'category' | 'seriousness'>>,
  now: Date,
  signal?: AbortSignal,
): Promise<Incident> {
  const reportUrl = `urn:uuid:${crypto.randomUUID()}`;
  const r = incidentResources(draft, reportUrl, now);
  const written = await transaction(
    transport,
    caps,
    [
      { method: 'POST', fullUrl: reportUrl, resource: r.report, ifNoneExist: r.queries.report },
      {
        method: 'POST',
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        resource: r.review,
        ifNoneExist: r.queries.review,
      },
    ],
    signal,
  );
  const incident = parseIncident(written.resources[0] as AdverseEvent);
  if (!incident.ok) throw unreadableAnswer(incident.problem.message);
  return incident.value;
}

/** Closes the review with the supervisor's note; refused (412) when someone changed it since it was read. */
export async function closeIncidentReview(
  transport: FhirTransport,
  review: { id: string; versionId?: string },
  note: string,
  by: string,
  now: Date,
  signal?: AbortSignal,
  decision?: AuthorityDecision,
): Promise<void> {
  const result = await updateIfMatch<Task>(
    transport,
    `Task/${encodeURIComponent(review.id)}`,
    review.versionId ?? '',
    (task) => closedReview(task, note, by, now, decision),
    signal,
  );
  if (!result.ok) throw new FhirError(412, VERSION_CONFLICT);
}
