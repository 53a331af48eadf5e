/**
 * The family's outcomes (seed 000 quality 2–3): goal attainment over the episode — a small chart and the
 * scores with their timepoints — and the caregiver's satisfaction surveys. The chart has its numbers in words
 * beside it; nothing is shown only as a line.
 */
import { useMemo } from 'react';
import { Link } from 'wouter';
import type { StepCheck } from '../../domain/nextSteps';
import { attainmentChange, outcomesOfEpisode, series, TIMEPOINTS } from '../../domain/outcomes';
import { currentReferral } from '../../domain/referral';
import type { Workspace } from '../../fhir/workspace';
import { formatDate } from '../../ui/format';
import { AgencyInstruments } from './AgencyInstruments';

const score = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(1));

/** Scores 1–5 as a line, oldest first (at least two points). */
function Trend({ values, label }: { values: number[]; label: string }) {
  if (values.length < 2) return null;
  const w = 160;
  const h = 48;
  const x = (i: number) => 6 + (i * (w - 12)) / (values.length - 1);
  const y = (v: number) => h - 6 - ((v - 1) * (h - 12)) / 4;
  return (
    <svg className="trend" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <line x1="0" x2={w} y1={y(3)} y2={y(3)} className="trend-mid" />
      <polyline points={values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} className="trend-line" />
      {values.map((v, i) => (
        <circle key={i} cx={x(i)} cy={y(v)} r="3" className="trend-dot" />
      ))}
    </svg>
  );
}

export function OutcomesCard({ ws, step, timeZone }: { ws: Workspace; step: StepCheck; timeZone: string }) {
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  // This episode's own records: a re-referred youth's earlier survey and ratings stay with their episode.
  const own = useMemo(
    () => (referral ? outcomesOfEpisode(ws.outcomes, referral, ws.referrals) : ws.outcomes),
    [ws.outcomes, ws.referrals, referral],
  );
  const goals = useMemo(() => series(own, 'goal-attainment'), [own]);
  const surveys = useMemo(() => series(own, 'caregiver-satisfaction'), [own]);
  const change = attainmentChange(own);
  const scored = goals.filter((g) => g.score !== undefined).map((g) => g.score as number);
  return (
    <section className="card" aria-labelledby="outcomes-heading">
      <h2 id="outcomes-heading">Outcomes</h2>
      <h3>Goal attainment (1 not begun – 5 achieved)</h3>
      {goals.length === 0 ? (
        <p>No goal ratings in this episode yet{step.allowed ? ': rate the goals at intake.' : '.'}</p>
      ) : (
        <>
          <Trend
            values={scored}
            label={`Goal attainment over the episode: ${scored.map(score).join(', ')}`}
          />
          <ul className="plain" aria-label="Goal attainment">
            {goals.map(({ record, score: s }) => (
              <li key={record.id}>
                {record.timepoint ? TIMEPOINTS[record.timepoint] : 'Rating'} ·{' '}
                {formatDate(record.authored, timeZone)} · <strong>{score(s)}</strong> of 5
              </li>
            ))}
          </ul>
          {change !== undefined && (
            <p>
              Change since intake:{' '}
              <strong>
                {change > 0 ? '+' : ''}
                {change.toFixed(1)}
              </strong>
            </p>
          )}
        </>
      )}
      <h3>Caregiver satisfaction (1–5)</h3>
      {surveys.length === 0 ? (
        <p>No survey answered in this episode yet.</p>
      ) : (
        <ul className="plain" aria-label="Caregiver satisfaction surveys">
          {surveys.map(({ record, score: s }) => (
            <li key={record.id}>
              {formatDate(record.authored, timeZone)} · <strong>{score(s)}</strong> of 5
              {record.language === 'es' ? ' · answered in Spanish' : ''}
              {record.comment ? (
                <>
                  {' '}
                  · “<bdi>{record.comment}</bdi>”
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <AgencyInstruments ws={ws} canRecord={step.allowed} timeZone={timeZone} />
      {step.allowed && (
        <p className="actions">
          <Link href="/outcomes/goals" className="button-link secondary">
            Rate goals
          </Link>{' '}
          <Link href="/outcomes/survey" className="button-link secondary">
            Caregiver survey
          </Link>
        </p>
      )}
      {!step.allowed && step.blocker === 'grant' && <p className="muted">{step.reason}</p>}
    </section>
  );
}
