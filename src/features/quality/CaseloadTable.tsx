import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { routes } from '../../app/routes';
import type { CaseloadEntry } from '../../domain/caseload';
import { nextActionLabel } from '../../domain/caseload';
import { PHASE_LABEL, phaseOf } from '../../domain/referral';
import { formatDate } from '../../ui/format';
import { StatusBadge } from '../workspace/ComplianceCard';

/** The caseload's rows, live or from the stored reports: one table, one way of showing a row. */
export function CaseloadTable({
  label,
  entries,
  ownerLabel,
  nextMeeting,
  missedWeeksHeading,
  timeZone,
}: {
  label: string;
  entries: readonly CaseloadEntry[];
  ownerLabel: (ref: string | undefined) => string;
  nextMeeting?: ReadonlyMap<string, string>;
  missedWeeksHeading: ReactNode;
  timeZone: string;
}) {
  return (
    <div className="table-scroller">
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Youth</th>
            <th scope="col" className="narrow-hide">
              Family Partner
            </th>
            <th scope="col">Referral</th>
            <th scope="col">Next action</th>
            <th scope="col">Due</th>
            <th scope="col" className="narrow-hide">
              {missedWeeksHeading}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.referral.id}>
              <th scope="row">
                <Link href={routes.overview(e.youth.id)}>
                  <bdi>{e.youth.name.full}</bdi>
                </Link>
              </th>
              <td className="narrow-hide">
                <bdi>{ownerLabel(e.referral.ownerReference)}</bdi>
              </td>
              <td>{PHASE_LABEL[phaseOf(e.referral)]}</td>
              <td>
                {e.onHoldSince && (
                  <span className="on-hold">
                    On hold since {formatDate(e.onHoldSince, timeZone)}
                    {e.attention ? ' · ' : ''}
                  </span>
                )}
                {e.attention ? (
                  <>
                    <StatusBadge status={e.attention.status} /> {nextActionLabel(e.attention)}
                  </>
                ) : e.onHoldSince ? null : (
                  'No open deadline'
                )}
                {e.ageOut && (
                  <span className="age-out">
                    {' '}
                    · <strong>{e.ageOut.message}</strong>
                  </span>
                )}
                {nextMeeting?.get(e.referral.id) && (
                  <span className="muted next-meeting"> · Next meeting {nextMeeting.get(e.referral.id)}</span>
                )}
              </td>
              <td>{e.attention?.dueDate ? formatDate(e.attention.dueDate, timeZone) : '—'}</td>
              <td className="narrow-hide">{e.pastMissedWeeks}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
