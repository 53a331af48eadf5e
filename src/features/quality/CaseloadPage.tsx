import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { routes } from '../../app/routes';
import { calendarFor } from '../../config/config';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import { caseloadWindowStart, nextActionLabel, sortCaseload } from '../../domain/caseload';
import { isFstStaff, isSupervisor, overseesProgram } from '../../domain/permissions';
import { IncidentReviews } from '../incidents/IncidentReviews';
import { OnCallGaps } from './OnCallGaps';
import { MoveCaseload } from './MoveCaseload';
import { nextPlannedMeeting } from '../../domain/servicePlan';
import { nextTeamMeeting } from '../../domain/meetings';
import { useSignedInUserState } from '../../app/useSignedInUser';
import { reportRows, waitlistWait } from '../../domain/quality';
import { loadCaseload } from '../../fhir/caseload';
import { caseloadQualityReport, evaluateCaseload } from './caseloadReport';
import { toMeasureReport } from '../../fhir/mappers/measureReport';
import { fhirKeys } from '../../fhir/queryKeys';
import { useSession } from '../../app/SessionContext';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';
import { PeriodPicker } from '../../ui/PeriodPicker';
import { formatDate } from '../../ui/format';
import { formatDateTime } from '../../ui/format';
import { figuresSource } from '../../domain/storedReports';
import { loadStoredCaseload } from '../../fhir/storedCaseload';
import { CaseloadTable } from './CaseloadTable';
import { QualityTable } from './QualityTable';
import { StoredCaseloadView } from './StoredCaseloadView';
import { qualityToCsv } from './qualityCsv';
import { downloadText } from '../../ui/download';
import { markOnce, MARKS } from '../../app/userTiming';

/**
 * The caseload and quality report. Who oversees the program reads the measures job's stored reports when they
 * are fresh enough (StoredCaseloadView, one search); otherwise, and for a Family Partner's own families, the
 * figures are computed live here from the families' records.
 */
export function CaseloadPage() {
  const { user: me, settled } = useSignedInUserState();
  if (!settled) return <p role="status">Loading the caseload…</p>;
  return me && overseesProgram(me) ? <AgencyCaseload /> : <LiveCaseload />;
}

/** The agency's view: the stored figures when fresh, else live — saying which is shown, and why. */
function AgencyCaseload() {
  const session = useSession();
  const [live, setLive] = useState<'chosen' | undefined>();
  const stored = useQuery({
    queryKey: fhirKeys.stored(session.serverUrl, 'caseload'),
    queryFn: ({ signal }) => loadStoredCaseload(session.transport, signal),
    enabled: live === undefined,
  });
  if (live === undefined && stored.isPending) return <p role="status">Loading the caseload…</p>;
  const source = stored.data
    ? figuresSource(
        { asOf: stored.data.asOf, rows: stored.data.entries.length, unreadable: stored.data.unreadable },
        new Date(),
        session.ehr.storedReportsMaxAgeMinutes,
      )
    : undefined;
  if (live === undefined && source?.source === 'stored' && stored.data)
    return <StoredCaseloadView stored={stored.data} asOf={source.asOf} onLive={() => setLive('chosen')} />;
  const tz = calendarFor(session.ehr).timeZone;
  const why =
    live === 'chosen'
      ? 'You asked for the live computation.'
      : stored.isError
        ? `The stored reports could not be read (${session.transport.serverName ?? session.serverUrl}).`
        : source?.source === 'live' && source.reason === 'stale'
          ? `The measures job's last figures are as of ${formatDateTime(source.asOf, tz)}, older than ${ageLabel(session.ehr.storedReportsMaxAgeMinutes)}.`
          : source?.source === 'live' && source.reason === 'unreadable'
            ? "Some of the measures job's reports could not be read."
            : 'The measures job has not stored any figures yet.';
  return <LiveCaseload notice={`Computed live from every family's records. ${why}`} />;
}

function ageLabel(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;
}

/** The caseload computed in the browser from the families' records. */
function LiveCaseload({ notice }: { notice?: string }) {
  const session = useSession();
  const caps = useCapabilities();
  const cal = calendarFor(session.ehr);
  const today = civilDateOf(new Date(), cal.timeZone);
  const [period, setPeriod] = useState({ from: civilToIso(today - 89), to: civilToIso(today) });
  const [owner, setOwner] = useState('');
  const { user: me, settled: userSettled } = useSignedInUserState();
  // Supervisors and program managers see the agency's families; only a supervisor reviews incidents.
  const agency = me ? overseesProgram(me) : false;
  const supervisor = me ? isSupervisor(me) : false;
  // A Family Partner reads the families they own; a supervisor or program manager the agency's. Contacts
  // from the window's start (or an earlier report period's): the table's cost grows with families, not with years of history.
  const since = caseloadWindowStart(period.from, civilToIso(today));
  const owners = agency ? undefined : me?.references;
  // A new object each render is fine: the query key is compared by value.
  const scope = { since, owners };
  const query = useQuery({
    queryKey: fhirKeys.caseload(session.serverUrl, scope),
    queryFn: ({ signal }) => loadCaseload(session.transport, signal, caps.data, session.ehr.roles, scope),
    // Whose families are read depends on who signs in: wait for the user record (or its failure to read).
    enabled: caps.isSuccess && userSettled,
    // A wider report period reads more: the table stays on screen meanwhile.
    placeholderData: keepPreviousData,
  });
  const evaluated = useMemo(
    () => evaluateCaseload(query.data, new Date(), cal, session.ehr.continuingStayReviewDays),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- cal is derived from session.ehr
    [query.data, session.ehr],
  );
  const report = useMemo(
    () => caseloadQualityReport(evaluated, period, new Date(), cal),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- cal is derived from session.ehr
    [evaluated, period, session.ehr],
  );
  // After the commit that put the families on screen: from here on, the page answers.
  useEffect(() => {
    if (query.data) markOnce(MARKS.caseloadInteractive);
  }, [query.data]);
  if (query.isPending) return <p role="status">Loading the caseload…</p>;
  if (query.isError) return <Alert title="The caseload could not be loaded" error={query.error} />;
  const entries = sortCaseload(evaluated.map((e) => e.entry));
  const partners = query.data.staff?.familyPartners ?? [];
  const ownerLabel = (ref: string | undefined) =>
    partners.find((p) => p.roleReference === ref)?.name ??
    (ref?.startsWith('Organization/') ? 'Not assigned' : (ref ?? 'Not assigned'));
  // A Family Partner sees the families they own; the agency's view shows all, or one Family Partner's.
  const mine = (ref: string | undefined) => ref !== undefined && (me?.references ?? []).includes(ref);
  const shown = entries.filter((e) =>
    agency ? !owner || e.referral.ownerReference === owner : mine(e.referral.ownerReference),
  );
  const awaiting = entries.filter((e) => e.referral.status === 'requested');
  // The next meeting of each family's service plan, in the provider's time zone.
  const nextMeeting = new Map(
    evaluated.flatMap((e) => {
      const plan = e.family.servicePlans[0];
      const next = plan ? nextPlannedMeeting(plan, new Date(), cal.timeZone) : undefined;
      const team = nextTeamMeeting(e.family.meetings, new Date());
      const labels = [
        ...(next ? [next.label] : []),
        ...(team ? [`team meeting ${formatDate(team, cal.timeZone)}`] : []),
      ];
      return labels.length ? [[e.family.referral.id, labels.join('; ')] as const] : [];
    }),
  );
  const waitlist = evaluated
    .flatMap((e) => {
      const wait = waitlistWait(e.family.referral, e.compliance, today, cal);
      return wait ? [{ entry: e.entry, ...wait }] : [];
    })
    .sort((a, b) => b.days - a.days);
  const fileBase = `FST-quality-${period.from}-to-${period.to}`;

  return (
    <div className="caseload">
      <h1 className="page-title">
        {agency ? 'Caseload and quality report' : 'My families and quality report'}
      </h1>
      {notice && (
        <p className="figures-source" role="note">
          {notice}
        </p>
      )}
      {query.data.problems.length > 0 && (
        <Alert title={`${query.data.problems.length} record(s) could not be read`} tone="warning">
          <ul>
            {query.data.problems.map((p) => (
              <li key={p.reference + p.message}>{p.message}</li>
            ))}
          </ul>
        </Alert>
      )}
      {query.data.truncated && (
        <Alert title="Not every record was read" tone="warning">
          <p>
            The server holds more pages than the app reads at once, so some families or contacts are missing
            here and the figures below may be low. Choose a shorter report period, or ask for the agency's
            report from the FHIR store's population export (docs/deploy.md).
          </p>
        </Alert>
      )}
      <section className="card wide" aria-labelledby="quality-heading">
        <h2 id="quality-heading">Quality report</h2>
        <PeriodPicker period={period} onChange={setPeriod} />
        {query.isPlaceholderData && (
          <p role="status">Reading the contacts since {formatDate(scope.since, cal.timeZone)}…</p>
        )}
        <QualityTable rows={reportRows(report)} />
        <div className="actions no-print">
          <button
            type="button"
            onClick={() => downloadText(`${fileBase}.csv`, qualityToCsv(report), 'text/csv;charset=utf-8')}
          >
            Export CSV
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() =>
              downloadText(
                `${fileBase}.MeasureReport.json`,
                JSON.stringify(
                  toMeasureReport(report, {
                    date: new Date().toISOString(),
                    reporter: session.ehr.providerOrganization,
                  }),
                  null,
                  2,
                ),
                'application/fhir+json',
              )
            }
          >
            Export MeasureReport
          </button>
        </div>
      </section>
      {agency ? (
        <p className="no-print">
          <Link href={`~${routes.claims}`}>H2014 claim lines: preview and export</Link>
          {' · '}
          <Link href={`~${routes.staff}`}>Staff compliance: supervision, training and credentials</Link>
        </p>
      ) : (
        me &&
        isFstStaff(me) && (
          <p className="no-print">
            <Link href={`~${routes.staff}`}>Your supervision, training and credentials</Link>
          </p>
        )
      )}
      {supervisor && me && (
        <IncidentReviews
          reviews={query.data?.incidentReviews ?? []}
          timeZone={cal.timeZone}
          by={me.references[0] ?? ''}
        />
      )}
      {supervisor && me && partners.length > 1 && (
        <MoveCaseload families={query.data.families} partners={partners} user={me} />
      )}
      {agency && query.data.staff && (
        <OnCallGaps
          families={query.data.families}
          staff={query.data.staff}
          period={period}
          timeZone={cal.timeZone}
          today={civilToIso(today)}
        />
      )}
      {agency && awaiting.length > 0 && (
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
                · referred {formatDate(e.referral.authoredOn, cal.timeZone)}
                {e.attention && <> · {nextActionLabel(e.attention)}</>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card wide" aria-labelledby="caseload-heading">
        <h2 id="caseload-heading">
          {agency ? 'Caseload' : 'My families'} <span className="muted">({shown.length})</span>
        </h2>
        {agency && (
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
        )}
        <CaseloadTable
          label={agency ? 'Caseload' : 'My families'}
          entries={shown}
          ownerLabel={ownerLabel}
          nextMeeting={nextMeeting}
          // Weeks before the window were not read: the count says from when it counts.
          missedWeeksHeading={`Missed weeks since ${formatDate(since, cal.timeZone)}`}
          timeZone={cal.timeZone}
        />
      </section>
      <section className="card wide" aria-labelledby="waitlist-heading">
        <h2 id="waitlist-heading">
          Waitlist <span className="muted">({waitlist.length})</span>
        </h2>
        {waitlist.length === 0 ? (
          <p>No family is waiting.</p>
        ) : (
          <table aria-label="Waitlist">
            <thead>
              <tr>
                <th scope="col">Youth</th>
                <th scope="col">Waiting since</th>
                <th scope="col">Days waiting</th>
                <th scope="col" className="phone-hide">
                  Reason
                </th>
              </tr>
            </thead>
            <tbody>
              {waitlist.map((w) => (
                <tr key={w.entry.referral.id}>
                  <th scope="row">
                    <Link href={routes.overview(w.entry.youth.id)}>
                      <bdi>{w.entry.youth.name.full}</bdi>
                    </Link>
                  </th>
                  <td>{formatDate(w.since, cal.timeZone)}</td>
                  <td>{w.days}</td>
                  <td className="phone-hide">{w.reason ?? 'No reason recorded'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
