/**
 * The agency's own instruments on the outcomes card (config.json `instruments`): each with how often this
 * family answered it and when last, read in one search only when the agency has configured any.
 */
import { useQuery } from '@tanstack/react-query';
import type { Bundle } from 'fhir/r4';
import { Link } from 'wouter';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { fhirRequest } from '../../fhir/http';
import { partKey } from '../../fhir/invalidation';
import { instrumentResponses } from '../../fhir/mappers/instrument';
import { formatDate } from '../../ui/format';

export function AgencyInstruments({ canRecord, timeZone }: { canRecord: boolean; timeZone: string }) {
  const session = useSession();
  const patientId = usePatientId();
  const instruments = session.ehr.instruments;
  const urls = instruments.map((q) => q.url);
  // Responses name the Questionnaire with its version (url|version); a server may match canonicals exactly.
  const searched = instruments.flatMap((q) =>
    typeof q.version === 'string' ? [q.url, `${q.url}|${q.version}`] : [q.url],
  );
  const responses = useQuery({
    // Under the outcomes part: a saved response invalidates it with the rest (src/fhir/invalidation.ts).
    queryKey: [...partKey(session.serverUrl, patientId, 'outcomes'), 'agency', ...urls],
    enabled: urls.length > 0,
    queryFn: async ({ signal }) =>
      instrumentResponses(
        (
          (
            await fhirRequest<Bundle>(
              session.transport,
              `QuestionnaireResponse?subject=Patient/${encodeURIComponent(patientId)}&questionnaire=${encodeURIComponent(searched.join(','))}&_count=200`,
              { signal },
            )
          ).body.entry ?? []
        ).map((e) => e.resource),
      ),
  });
  if (urls.length === 0) return null;
  const title = (q: (typeof instruments)[number]) => (typeof q.title === 'string' ? q.title : q.url);
  return (
    <>
      <h3>The agency’s instruments</h3>
      {responses.isError && <p className="muted">The answers given so far could not be read.</p>}
      <ul className="plain" aria-label="The agency’s instruments">
        {instruments.map((q, n) => {
          const mine = (responses.data ?? []).filter((r) => r.questionnaire === q.url);
          return (
            <li key={q.url}>
              <bdi>{title(q)}</bdi> ·{' '}
              {responses.isPending
                ? 'reading…'
                : mine.length === 0
                  ? 'not answered yet'
                  : `answered ${mine.length} ${mine.length === 1 ? 'time' : 'times'}, last on ${formatDate(mine[0].authored, timeZone)}`}
              {canRecord && (
                <>
                  {' '}
                  <Link href={`/outcomes/instrument/${n}`} className="button-link secondary">
                    Fill in
                  </Link>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
