/**
 * The H2014 claim-line preview (issue 40) for supervisors and program managers: a month's lines as the measures
 * job stored them (one search), narrowed by payer and Family Partner, each with its source contacts — and what
 * would be denied listed first, before anything is exported. The CSV is what a clearinghouse takes.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { routes } from '../../app/routes';
import { useSession } from '../../app/SessionContext';
import { useSignedInUserState } from '../../app/useSignedInUser';
import { useFamilyPartners } from '../quality/useFamilyPartners';
import { calendarFor } from '../../config/config';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import { CLAIM_PROBLEM_LABEL, previewClaims, problemsBeforeExport } from '../../domain/claims';
import { decide } from '../../domain/permissions';
import { fhirKeys } from '../../fhir/queryKeys';
import { loadStoredClaims } from '../../fhir/storedCaseload';
import { Alert } from '../../ui/Alert';
import { downloadText } from '../../ui/download';
import { claimsToCsv } from './claimsCsv';

/** The month before `month` (YYYY-MM). */
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function ClaimsPage() {
  const session = useSession();
  const { user: me, settled } = useSignedInUserState();
  const cal = calendarFor(session.ehr);
  // The last complete month: what a biller prepares.
  const [month, setMonth] = useState(() =>
    previousMonth(civilToIso(civilDateOf(new Date(), cal.timeZone)).slice(0, 7)),
  );
  const [payerId, setPayerId] = useState('');
  const [partner, setPartner] = useState('');
  const allowed = me ? decide(me, 'review-claims') : undefined;
  const claims = useQuery({
    queryKey: fhirKeys.stored(session.serverUrl, 'claims', month),
    queryFn: ({ signal }) => loadStoredClaims(session.transport, month, signal),
    enabled: allowed?.allowed === true,
  });
  const partners = useFamilyPartners(allowed?.allowed === true);
  if (!settled) return <p role="status">Loading…</p>;
  if (!allowed?.allowed)
    return (
      <Alert title="Claim lines are not shown to you">
        <p>{allowed?.reason ?? 'Your user record could not be read.'}</p>
      </Alert>
    );
  const nameOf = (ref: string | undefined) =>
    partners.find((p) => p.practitionerReference === ref || p.roleReference === ref)?.name ?? ref ?? '—';
  const chosen = partners.find((p) => p.roleReference === partner);
  const drafts = claims.data
    ? previewClaims(claims.data.drafts, {
        payerId: payerId || undefined,
        rendering: chosen
          ? [chosen.roleReference, ...(chosen.practitionerReference ? [chosen.practitionerReference] : [])]
          : undefined,
      })
    : [];
  const problems = problemsBeforeExport(drafts);
  const lines = drafts.reduce((n, d) => n + d.lines.length, 0);
  const units = drafts.reduce((n, d) => n + d.lines.reduce((u, l) => u + l.units, 0), 0);
  const youthName = (d: (typeof drafts)[number]) => d.patientName ?? d.patientId;

  return (
    <div className="claims">
      <h1 className="page-title">H2014 claim lines</h1>
      <p>
        As the measures job built them from the month&apos;s completed FST contacts (it builds the last
        complete month and the current one). Review what would be denied before you export.
      </p>
      <div className="form-grid filters no-print">
        <label>
          Month
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
        <label>
          Payer
          <select value={payerId} onChange={(e) => setPayerId(e.target.value)}>
            <option value="">All</option>
            {session.ehr.payers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Family Partner
          <select value={partner} onChange={(e) => setPartner(e.target.value)}>
            <option value="">All</option>
            {partners.map((p) => (
              <option key={p.roleReference} value={p.roleReference}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {claims.isPending && <p role="status">Reading the claim lines…</p>}
      {claims.isError && <Alert title="The claim lines could not be read" error={claims.error} />}
      {claims.data && (
        <>
          {claims.data.unreadable > 0 && (
            <Alert title={`${claims.data.unreadable} stored claim(s) could not be read`} tone="warning" />
          )}
          <p role="status">
            {lines === 0
              ? `No claim lines stored for ${month}${payerId || partner ? ' with these choices' : ''}.`
              : `${drafts.length} claim(s), ${lines} line(s), ${units} unit(s); ${problems.length} problem(s) to resolve.`}
          </p>
          <section className="card wide" aria-labelledby="problems-heading">
            <h2 id="problems-heading">
              Before export: what would be denied <span className="muted">({problems.length})</span>
            </h2>
            {problems.length === 0 ? (
              <p>No line has a problem.</p>
            ) : (
              <ul className="claim-problems">
                {problems.map(({ draft, line, problem }, i) => (
                  <li key={`${draft.patientId}-${draft.payerId}-${line.sequence}-${i}`}>
                    <strong>{CLAIM_PROBLEM_LABEL[problem.kind]}</strong>: <bdi>{youthName(draft)}</bdi>,{' '}
                    {line.day} — {problem.text}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {lines > 0 && (
            <section className="card wide" aria-labelledby="lines-heading">
              <h2 id="lines-heading">Claim lines</h2>
              <div className="actions no-print">
                <button
                  type="button"
                  onClick={() =>
                    downloadText(
                      `FST-H2014-claims-${month}.csv`,
                      claimsToCsv(drafts, nameOf),
                      'text/csv;charset=utf-8',
                    )
                  }
                >
                  Export CSV
                </button>
              </div>
              <div className="table-scroller">
                <table aria-label="Claim lines">
                  <thead>
                    <tr>
                      <th scope="col">Youth</th>
                      <th scope="col">Payer</th>
                      <th scope="col">Date of service</th>
                      <th scope="col">Units</th>
                      <th scope="col">Modifiers</th>
                      <th scope="col">Place</th>
                      <th scope="col">Family Partner</th>
                      <th scope="col">Source contacts</th>
                      <th scope="col">Problems</th>
                    </tr>
                  </thead>
                  <tbody>
                    {drafts.flatMap((d) =>
                      d.lines.map((l) => (
                        <tr key={`${d.payerId}-${d.patientId}-${l.sequence}`}>
                          <th scope="row">
                            <Link href={routes.history(d.patientId)}>
                              <bdi>{youthName(d)}</bdi>
                            </Link>
                            {d.memberId ? <span className="muted"> · {d.memberId}</span> : null}
                          </th>
                          <td>
                            {d.payerName}
                            {d.authorization ? <span className="muted"> · {d.authorization}</span> : null}
                          </td>
                          <td>{l.day}</td>
                          <td>
                            {l.units}
                            {l.unitsEarned !== l.units && (
                              <span className="muted"> of {l.unitsEarned} earned</span>
                            )}
                          </td>
                          <td>{l.modifiers.join(' ') || '—'}</td>
                          <td>{l.placeOfService ?? '—'}</td>
                          <td>
                            <bdi>{nameOf(l.renderingReference)}</bdi>
                          </td>
                          <td>
                            <ul className="plain">
                              {l.contactIds.map((id, i) => (
                                <li key={id}>
                                  <Link href={routes.history(d.patientId)}>
                                    Contact {i + 1}
                                    {l.contactMinutes?.[i] ? `, ${l.contactMinutes[i]} min` : ''}
                                  </Link>
                                </li>
                              ))}
                            </ul>
                          </td>
                          <td>
                            {l.problems.length === 0 ? (
                              'None'
                            ) : (
                              <ul className="plain">
                                {l.problems.map((p, i) => (
                                  <li key={i}>{p.text}</li>
                                ))}
                              </ul>
                            )}
                          </td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}
