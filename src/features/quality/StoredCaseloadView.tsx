/**
 * The agency's caseload and quality report from what the measures job stored (issue 40): the rows are the
 * episode reports' (one search), the quality report the agency's monthly summaries (one search for any span of
 * months — a past quarter is one read), each saying as of when. A supervisor can ask for a fresh run (a Task the
 * job completes, docs/deploy.md), or switch to the live computation for what only it shows.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { routes } from '../../app/routes';
import { useSession } from '../../app/SessionContext';
import { useSignedInUserState } from '../../app/useSignedInUser';
import { calendarFor } from '../../config/config';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import { nextActionLabel, sortCaseload } from '../../domain/caseload';
import { decide } from '../../domain/permissions';
import { monthsOfPeriod, storedQualityRows } from '../../domain/storedReports';
import { fhirKeys } from '../../fhir/queryKeys';
import type { StoredCaseload } from '../../fhir/storedCaseload';
import { latestRunRequest, loadStoredQuality, requestMeasuresRun } from '../../fhir/storedCaseload';
import { Alert } from '../../ui/Alert';
import { downloadText } from '../../ui/download';
import { formatDate, formatDateTime } from '../../ui/format';
import { CaseloadTable } from './CaseloadTable';
import { qualityRowsToCsv } from './qualityCsv';
import { QualityTable } from './QualityTable';
import { useFamilyPartners } from './useFamilyPartners';

export function StoredCaseloadView({
  stored,
  asOf,
  onLive,
}: {
  stored: StoredCaseload;
  asOf: string;
  onLive: () => void;
}) {
  const session = useSession();
  const client = useQueryClient();
  const { user: me } = useSignedInUserState();
  const cal = calendarFor(session.ehr);
  const tz = cal.timeZone;
  const today = civilDateOf(new Date(), cal.timeZone);
  // The stored summaries are per calendar month: the report covers whole months, the last three by default.
  const [span, setSpan] = useState(() => ({
    from: civilToIso(today - 89).slice(0, 7),
    to: civilToIso(today).slice(0, 7),
  }));
  const [owner, setOwner] = useState('');
  const months = span.from <= span.to ? monthsOfPeriod({ from: `${span.from}-01`, to: `${span.to}-01` }) : [];
  const quality = useQuery({
    queryKey: fhirKeys.stored(session.serverUrl, 'quality', months.join(',')),
    queryFn: ({ signal }) => loadStoredQuality(session.transport, months, signal),
    enabled: months.length > 0,
  });
  const runKey = fhirKeys.stored(session.serverUrl, 'run-request');
  const run = useQuery({
    queryKey: runKey,
    queryFn: ({ signal }) => latestRunRequest(session.transport, signal),
  });
  const mayAsk = me ? decide(me, 'request-measures-run') : undefined;
  const ask = useMutation({
    mutationFn: () => requestMeasuresRun(session.transport, me?.references[0] ?? '', new Date()),
    onSuccess: (request) => client.setQueryData(runKey, request),
  });

  const partners = useFamilyPartners();
  const ownerLabel = (ref: string | undefined) =>
    partners.find((p) => p.roleReference === ref)?.name ??
    (ref?.startsWith('Organization/') ? 'Not assigned' : (ref ?? 'Not assigned'));
  const entries = sortCaseload([...stored.entries]);
  const shown = entries.filter((e) => !owner || e.referral.ownerReference === owner);
  const awaiting = entries.filter((e) => e.referral.status === 'requested');
  const rows = storedQualityRows(quality.data?.counts ?? []);
  const missing = quality.data ? months.filter((m) => !quality.data.months.includes(m)) : [];
  const request = run.data;

  return (
    <div className="caseload">
      <h1 className="page-title">Caseload and quality report</h1>
      <section className="figures-source" aria-label="Where these figures come from">
        <p role="note">
          Figures as of <strong>{formatDateTime(asOf, tz)}</strong>, from the measures job&apos;s last run
          (stored on {session.transport.serverName ?? session.serverUrl}).
        </p>
        {request?.status === 'requested' ? (
          <p role="status">
            A fresh run was asked for at {formatDateTime(request.authoredOn, tz)}; the job has not run it yet.
          </p>
        ) : request?.status === 'completed' ? (
          <p className="muted">
            The last fresh run asked for was done at {formatDateTime(request.completedAt, tz)}.
          </p>
        ) : null}
        <div className="actions no-print">
          {mayAsk?.allowed && request?.status !== 'requested' && (
            <button type="button" onClick={() => ask.mutate()} disabled={ask.isPending}>
              Ask for a fresh run
            </button>
          )}
          <button type="button" className="secondary" onClick={onLive}>
            Compute live instead
          </button>
        </div>
        {ask.isError && <Alert title="The fresh run could not be asked for" error={ask.error} />}
        <p className="muted">
          Incident reviews, moving families between Family Partners, on-call gaps and the waitlist are shown
          with the live computation.
        </p>
      </section>
      <section className="card wide" aria-labelledby="quality-heading">
        <h2 id="quality-heading">Quality report</h2>
        <div className="form-grid filters no-print">
          <label>
            From month
            <input
              type="month"
              value={span.from}
              onChange={(e) => e.target.value && setSpan({ ...span, from: e.target.value })}
            />
          </label>
          <label>
            To month
            <input
              type="month"
              value={span.to}
              onChange={(e) => e.target.value && setSpan({ ...span, to: e.target.value })}
            />
          </label>
        </div>
        {months.length === 0 && <p role="alert">The first month comes after the last.</p>}
        {quality.isPending && months.length > 0 && <p role="status">Reading the stored reports…</p>}
        {quality.isError && (
          <Alert title="The stored quality report could not be read" error={quality.error} />
        )}
        {quality.data && (
          <>
            <p>
              Whole months {months[0]} to {months[months.length - 1]}
              {quality.data.asOf ? <>, as of {formatDateTime(quality.data.asOf, tz)}</> : null}.
              {missing.length > 0 && <> No stored figures for {missing.join(', ')}.</>}
            </p>
            <QualityTable rows={rows} />
            <div className="actions no-print">
              <button
                type="button"
                onClick={() =>
                  downloadText(
                    `FST-quality-${months[0]}-to-${months[months.length - 1]}.csv`,
                    qualityRowsToCsv(rows),
                    'text/csv;charset=utf-8',
                  )
                }
              >
                Export CSV
              </button>
            </div>
          </>
        )}
      </section>
      <p className="no-print">
        <Link href={`~${routes.claims}`}>H2014 claim lines: preview and export</Link>
        {' · '}
        <Link href={`~${routes.staff}`}>Staff compliance: supervision, training and credentials</Link>
      </p>
      {awaiting.length > 0 && (
        <section className="card wide" aria-labelledby="new-heading">
          <h2 id="new-heading">
            New referrals awaiting acceptance <span className="muted">({awaiting.length})</span>
          </h2>
          <ul className="plain">
            {awaiting.map((e) => (
              <li key={e.referral.id}>
                <Link href={routes.overview(e.youth.id)}>
                  <bdi>{e.youth.name.full}</bdi>
                </Link>{' '}
                · referred {formatDate(e.referral.authoredOn, tz)}
                {e.attention && <> · {nextActionLabel(e.attention)}</>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card wide" aria-labelledby="caseload-heading">
        <h2 id="caseload-heading">
          Caseload <span className="muted">({shown.length})</span>
        </h2>
        <label className="no-print">
          Family Partner
          <select value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">All</option>
            {partners.map((p) => (
              <option key={p.roleReference} value={p.roleReference}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <CaseloadTable
          label="Caseload"
          entries={shown}
          ownerLabel={ownerLabel}
          missedWeeksHeading="Missed weeks in the episode"
          timeZone={tz}
        />
      </section>
    </div>
  );
}
