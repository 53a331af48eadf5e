/**
 * The agency's own instruments on the outcomes card (config.json `instruments`): each with how often this
 * family answered it and when last, every answer set and each numeric answer's trend. The responses come with the workspace's one batch (part `agencyOutcomes`).
 */
import { Link } from 'wouter';
import { useSession } from '../../app/SessionContext';
import type { Workspace } from '../../fhir/workspace';
import { formatDate } from '../../ui/format';
import { answerTrends } from '../../domain/instruments';
import type { InstrumentResponseSummary } from '../../fhir/mappers/instrument';

const shown = (v: string | number | boolean) => (v === true ? 'yes' : v === false ? 'no' : String(v));

/** Each answer set as the server holds it, newest first, and each numeric answer's trend (issue 36). */
function AnswerSets({
  responses,
  title,
  timeZone,
}: {
  responses: InstrumentResponseSummary[];
  title: string;
  timeZone: string;
}) {
  const trends = answerTrends(responses);
  const textOf = (linkId: string) =>
    responses.flatMap((r) => r.answers).find((a) => a.linkId === linkId)?.text ?? linkId;
  return (
    <>
      {trends.length > 0 && (
        <ul className="plain" aria-label={`Trend: ${title}`}>
          {trends.map((t) => (
            <li key={t.linkId}>
              <bdi>{textOf(t.linkId)}</bdi>: {t.first} → <strong>{t.latest}</strong> (
              {t.change === 0 ? 'no change' : `${t.change > 0 ? 'up' : 'down'} ${Math.abs(t.change)}`} over{' '}
              {t.count} answer sets)
            </li>
          ))}
        </ul>
      )}
      <ol className="plain" aria-label={`Answers: ${title}`}>
        {responses.map((r) => (
          <li key={r.id}>
            {formatDate(r.authored, timeZone)}:{' '}
            {r.answers.length === 0
              ? 'no answer readable'
              : r.answers.map((a, i) => (
                  <span key={a.linkId}>
                    {i > 0 && ' · '}
                    <bdi>{a.text}</bdi>: <bdi>{shown(a.value)}</bdi>
                  </span>
                ))}
          </li>
        ))}
      </ol>
    </>
  );
}

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
              {mine.length > 0 && <AnswerSets responses={mine} title={title(q)} timeZone={timeZone} />}
            </li>
          );
        })}
      </ul>
    </>
  );
}
