/**
 * The agency's own instruments on the outcomes card (config.json `instruments`): each with how often this
 * family answered it and when last. The responses come with the workspace's one batch (part `agencyOutcomes`).
 */
import { Link } from 'wouter';
import { useSession } from '../../app/SessionContext';
import type { Workspace } from '../../fhir/workspace';
import { formatDate } from '../../ui/format';

export function AgencyInstruments({
  ws,
  canRecord,
  timeZone,
}: {
  ws: Workspace;
  canRecord: boolean;
  timeZone: string;
}) {
  const instruments = useSession().ehr.instruments;
  if (instruments.length === 0) return null;
  const title = (q: (typeof instruments)[number]) => (typeof q.title === 'string' ? q.title : q.url);
  return (
    <>
      <h3>The agency’s instruments</h3>
      <ul className="plain" aria-label="The agency’s instruments">
        {instruments.map((q, n) => {
          const mine = ws.agencyOutcomes.filter((r) => r.questionnaire === q.url);
          return (
            <li key={q.url}>
              <bdi>{title(q)}</bdi> ·{' '}
              {mine.length === 0
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
