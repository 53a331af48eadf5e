/** The team meetings FST attended for the youth, newest first, and when the team meets next. */
import { useMemo } from 'react';
import { countsAsCollateral, MEETING_KIND_LABEL, nextTeamMeeting, treatersOf } from '../../domain/meetings';
import { currentPlans, currentReferral } from '../../domain/referral';
import type { Workspace } from '../../fhir/workspace';
import { formatDateTime } from '../../ui/format';

const SHOWN = 5;

export function MeetingsCard({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  const treaters = useMemo(
    () => treatersOf(currentPlans(ws.plans), currentReferral(ws.referrals, ws.launchedReferralId)),
    [ws.plans, ws.referrals, ws.launchedReferralId],
  );
  const next = nextTeamMeeting(ws.meetings, new Date());
  const goalText = new Map(ws.plans.flatMap((p) => p.goals.map((g) => [g.id, g.description] as const)));
  return (
    <section className="card" aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">Team meetings</h2>
      <p>
        Next meeting: <strong>{next ? formatDateTime(next, timeZone) : 'not set'}</strong>
      </p>
      {ws.meetings.length === 0 ? (
        <p>No meeting logged yet.</p>
      ) : (
        <ul className="plain">
          {ws.meetings.slice(0, SHOWN).map((m) => (
            <li key={m.id}>
              <strong>{MEETING_KIND_LABEL[m.kind]}</strong> · {formatDateTime(m.start, timeZone)}
              {countsAsCollateral(m, treaters) && (
                <span className="badge badge-met">Counts as collateral contact</span>
              )}
              <br />
              <span className="muted">
                With{' '}
                <bdi>
                  {[...m.attendees.map((a) => a.name), ...(m.youthAttended ? [ws.youth.name.full] : [])].join(
                    ', ',
                  ) || 'no one recorded'}
                </bdi>
              </span>
              {m.goalUpdates.length > 0 && (
                <ul>
                  {m.goalUpdates.map((u) => (
                    <li key={u.goalId}>
                      <bdi>{goalText.get(u.goalId) ?? 'A goal'}</bdi>: {u.update}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
