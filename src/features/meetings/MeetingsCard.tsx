/**
 * The youth's team meetings, newest first, whoever recorded them (src/domain/meetings.ts meetingList): those
 * FST logged are marked as attended; the clinic's own say FST's attendance is not on record. And when the team
 * meets next.
 */
import { useMemo } from 'react';
import {
  countsAsCollateral,
  MEETING_KIND_LABEL,
  meetingAttendance,
  meetingList,
  nextTeamMeeting,
  treatersOf,
} from '../../domain/meetings';
import { currentPlans, currentReferral } from '../../domain/referral';
import type { Workspace } from '../../fhir/workspace';
import { formatDateTime } from '../../ui/format';
import { civilDateOf, civilToIso } from '../../domain/calendar';

const SHOWN = 5;

export function MeetingsCard({ ws, timeZone }: { ws: Workspace; timeZone: string }) {
  const treaters = useMemo(
    () => treatersOf(currentPlans(ws.plans), currentReferral(ws.referrals, ws.launchedReferralId)),
    [ws.plans, ws.referrals, ws.launchedReferralId],
  );
  const list = useMemo(() => meetingList(ws.meetings, ws.encounters), [ws.meetings, ws.encounters]);
  const next = nextTeamMeeting(ws.meetings, new Date());
  // Seed 000 process 2–3: every CPT / treatment-team meeting since the episode began, attended or missed.
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  const attendance = useMemo(() => {
    const dayOf = (instant: string) => civilToIso(civilDateOf(instant, timeZone));
    return meetingAttendance(ws.meetings, ws.encounters, referral ? dayOf(referral.authoredOn) : '', dayOf);
  }, [ws.meetings, ws.encounters, referral, timeZone]);
  const goalText = new Map(ws.plans.flatMap((p) => p.goals.map((g) => [g.id, g.description] as const)));
  return (
    <section className="card" aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">Team meetings</h2>
      <p>
        Next meeting: <strong>{next ? formatDateTime(next, timeZone) : 'not set'}</strong>
      </p>
      {attendance.total > 0 && (
        <p>
          Attended {attendance.attended} of {attendance.total} team meetings since the referral
          {attendance.missed.length > 0 && (
            <>
              ; missed {attendance.missed.length}:{' '}
              {attendance.missed.map((v) => formatDateTime(v.start ?? '', timeZone)).join(', ')} (no FST
              record of being there)
            </>
          )}
          .
        </p>
      )}
      {list.length === 0 ? (
        <p>No meeting recorded yet.</p>
      ) : (
        <ul className="plain" aria-label="Team meetings">
          {list.slice(0, SHOWN).map((entry) =>
            entry.by === 'clinic' ? (
              <li key={entry.id}>
                <strong>
                  <bdi>{entry.visit.type}</bdi>
                </strong>{' '}
                · {formatDateTime(entry.start, timeZone)}
                <br />
                <span className="muted">Recorded by the clinic; FST attendance not recorded.</span>
              </li>
            ) : (
              <li key={entry.id}>
                <strong>{MEETING_KIND_LABEL[entry.meeting.kind]}</strong> ·{' '}
                {formatDateTime(entry.start, timeZone)} <span className="badge badge-met">FST attended</span>
                {countsAsCollateral(entry.meeting, treaters) && (
                  <span className="badge badge-met">Counts as collateral contact</span>
                )}
                <br />
                <span className="muted">
                  With{' '}
                  <bdi>
                    {[
                      ...entry.meeting.attendees.map((a) => a.name),
                      ...(entry.meeting.youthAttended ? [ws.youth.name.full] : []),
                    ].join(', ') || 'no one recorded'}
                  </bdi>
                </span>
                {entry.meeting.goalUpdates.length > 0 && (
                  <ul>
                    {entry.meeting.goalUpdates.map((u) => (
                      <li key={u.goalId}>
                        <bdi>{goalText.get(u.goalId) ?? 'A goal'}</bdi>: {u.update}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ),
          )}
        </ul>
      )}
      {list.length > SHOWN && <p className="muted">{list.length - SHOWN} earlier meeting(s) not shown.</p>}
    </section>
  );
}
