import { useEpisodeCompliance } from './useEpisodeCompliance';
import type { ClockId, ClockResult, ClockStatus } from '../../domain/compliance';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { formatDate } from '../../ui/format';

const CLOCK_LABEL: Record<ClockId, string> = {
  'first-caregiver-call': 'Caregiver called within 5 days',
  'service-initiation': 'Services started within 14 days',
  waitlist: 'Waitlist when start is delayed',
  'weekly-caregiver-contact': 'Weekly caregiver contact',
  'weekly-collateral-contact': 'Weekly provider contact',
  'discharge-plan': 'Discharge plan within 5 business days',
  'continuing-stay': 'Notes linked to plan goals',
  'continuing-stay-review': 'Continuing-stay review',
};

export const STATUS_LABEL: Record<ClockStatus, string> = {
  met: 'Met',
  late: 'Late',
  due: 'Due',
  overdue: 'Overdue',
  missed: 'Missed',
  'on-hold': 'On hold',
  'not-applicable': 'Not applicable',
  'not-loaded': 'Not loaded',
  pending: 'Pending: not yet sent',
};

export function StatusBadge({ status }: { status: ClockStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABEL[status]}</span>;
}

/** What a clock's status rests on (the reason, the day), in words: the Details column, or under the name on a phone. */
function clockDetails(c: ClockResult): string {
  return `${c.summary}${c.attempts.length > 0 ? ` ${c.attempts.length} attempt(s) recorded.` : ''}`;
}

/** The compliance clocks of the current referral, computed by src/domain (the same code as every report). */
export function ComplianceCard({ ws }: { ws: Workspace }) {
  const session = useSession();
  const result = useEpisodeCompliance(ws);
  if (!result) return null;
  const shown = (Object.values(result.clocks) as ClockResult[]).filter((c) => c.status !== 'not-applicable');
  return (
    <section className="card wide" aria-labelledby="compliance-heading">
      <h2 id="compliance-heading">Compliance</h2>
      {shown.length === 0 ? (
        <p>No timelines apply yet.</p>
      ) : (
        <table aria-label="Compliance clocks">
          <thead>
            <tr>
              <th scope="col">Requirement</th>
              <th scope="col">Status</th>
              <th scope="col">Due</th>
              <th scope="col" className="phone-hide">
                Details
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.clock}>
                <th scope="row">
                  {CLOCK_LABEL[c.clock]}
                  {/* On a phone the Details column folds away; its words (why, since when) move under the name. */}
                  <span className="phone-only clock-details">{clockDetails(c)}</span>
                </th>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>{c.dueDate ? formatDate(c.dueDate, session.ehr.timeZone) : '—'}</td>
                <td className="phone-hide">{clockDetails(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
