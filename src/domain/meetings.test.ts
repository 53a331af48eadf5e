import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from './calendar';
import { evaluateEpisode } from './compliance';
import {
  countsAsCollateral,
  MEETING_KIND_LABEL,
  meetingAttendance,
  meetingList,
  meetingNeedsConsent,
  meetingProblems,
  nextTeamMeeting,
  treatersOf,
} from './meetings';
import type { MeetingDraft } from './meetings';
import type { CarePlanSummary, Contact, Referral } from './model';

const plan: CarePlanSummary = {
  id: 'icp',
  kind: 'icp',
  title: 'ICP',
  status: 'active',
  authorReference: 'Practitioner/icc-marcus',
  goals: [],
  careTeam: [
    { reference: 'Practitioner/icc-marcus', role: 'icc-care-coordinator', roleDisplay: 'ICC' },
    { reference: 'Practitioner/fp-rosa', role: 'family-partner', roleDisplay: 'FP' },
    { reference: 'Practitioner/iht-samuel', role: 'iht-clinician', roleDisplay: 'IHT' },
  ],
};
const treaters = treatersOf([plan]);

describe('a team meeting as the week’s collateral contact (process 9)', () => {
  it("the youth's provider present and an update given: counts", () => {
    expect(
      countsAsCollateral(
        {
          attendees: [{ reference: 'Practitioner/icc-marcus', name: 'Marcus' }],
          goalUpdates: [{ goalId: 'g1', update: 'Two good weeks' }],
        },
        treaters,
      ),
    ).toBe(true);
  });

  it('no provider present, or no update given, or only FST staff: does not count', () => {
    expect(treaters.has('Practitioner/fp-rosa')).toBe(false);
    const update = [{ goalId: 'g1', update: 'Better' }];
    expect(
      countsAsCollateral({ attendees: [{ name: 'School counsellor' }], goalUpdates: update }, treaters),
    ).toBe(false);
    expect(
      countsAsCollateral(
        { attendees: [{ reference: 'Practitioner/fp-rosa', name: 'Rosa' }], goalUpdates: update },
        treaters,
      ),
    ).toBe(false);
    expect(
      countsAsCollateral(
        { attendees: [{ reference: 'Practitioner/iht-samuel', name: 'Samuel' }], goalUpdates: [] },
        treaters,
      ),
    ).toBe(false);
  });

  it('fills a week without a collateral call in the compliance clock, and says so', () => {
    const referral: Referral = {
      id: 't',
      status: 'in-progress',
      authoredOn: '2026-10-01T14:00:00Z',
      fstMarks: ['profile'],
    };
    const session: Contact = {
      id: 'visit',
      kind: 'caregiver',
      status: 'completed',
      method: 'face-to-face',
      sent: '2026-10-05T15:00:00Z',
      goalIds: [],
      purposes: [],
    };
    // Monday Oct 12 2026, 10:00 in Massachusetts; "now" is the Wednesday of that week.
    const result = evaluateEpisode(
      {
        referral,
        contacts: [session],
        collateralMeetings: [{ id: 'm1', start: '2026-10-12T14:00:00Z' }],
        treaters: new Set(['Practitioner/op-helen']),
      },
      new Date('2026-10-14T16:00:00Z'),
      DEFAULT_CALENDAR,
    );
    const clock = result.clocks['weekly-collateral-contact'];
    expect(clock.status).toBe('met');
    expect(clock.evidence).toEqual(['Encounter/m1']);
    expect(clock.summary).toContain("by a team meeting with the youth's provider");
  });
});

describe('meeting rules', () => {
  const now = new Date('2026-11-20T20:00:00Z');
  const draft = (extra: Partial<MeetingDraft> = {}): MeetingDraft => ({
    requestId: 'r',
    patientId: 'p',
    kind: 'cpt',
    start: '2026-11-20T15:00:00Z',
    durationMinutes: 60,
    attendees: [{ reference: 'Practitioner/icc-marcus', name: 'Marcus' }],
    youthAttended: false,
    goalUpdates: [],
    decisions: '',
    recordedBy: 'Practitioner/fp-rosa',
    consentGivenNow: false,
    ...extra,
  });
  const fields = (d: MeetingDraft, consentOnFile = false) =>
    meetingProblems(d, { now, consentOnFile }).map((p) => p.field);

  it('a complete meeting has no problems', () => expect(fields(draft())).toEqual([]));
  it('seed 000 linkages 4 lists "DESE/LEA", "probation office, the courts": a school / IEP meeting needs consent too', () => {
    expect(fields(draft({ kind: 'school-iep' }))).toEqual(['consent']);
    expect(fields(draft({ kind: 'school-iep' }), true)).toEqual([]);
    expect(fields(draft({ kind: 'school-iep', consentGivenNow: true }))).toEqual([]);
    expect(meetingNeedsConsent('school-iep')).toBe(true);
    expect(meetingNeedsConsent('treatment-team')).toBe(false);
    expect(MEETING_KIND_LABEL['state-agency']).toMatch(/probation/);
  });

  it('a state-agency meeting needs consent, on file or given now', () => {
    expect(fields(draft({ kind: 'state-agency' }))).toEqual(['consent']);
    expect(fields(draft({ kind: 'state-agency' }), true)).toEqual([]);
    expect(fields(draft({ kind: 'state-agency', consentGivenNow: true }))).toEqual([]);
  });
  it('future meetings, impossible durations, silent goals and a next meeting before this one are refused', () => {
    expect(fields(draft({ start: '2026-11-21T15:00:00Z' }))).toEqual(['start']);
    expect(fields(draft({ durationMinutes: 0 }))).toEqual(['durationMinutes']);
    expect(fields(draft({ durationMinutes: 481 }))).toEqual(['durationMinutes']);
    expect(fields(draft({ goalUpdates: [{ goalId: 'g', update: ' ' }] }))).toEqual(['goalUpdates']);
    expect(fields(draft({ nextMeeting: '2026-11-19T15:00:00Z' }))).toEqual(['nextMeeting']);
    expect(fields(draft({ attendees: [] }))).toEqual(['attendees']);
  });
  it('the next team meeting is the earliest one still ahead', () => {
    const m = (id: string, next?: string) => ({
      id,
      kind: 'cpt' as const,
      start: '2026-11-01T15:00:00Z',
      attendees: [],
      youthAttended: false,
      goalUpdates: [],
      nextMeeting: next,
    });
    expect(
      nextTeamMeeting([m('a', '2026-11-10T15:00:00Z'), m('b', '2026-12-04T15:00:00Z'), m('c')], now),
    ).toBe('2026-12-04T15:00:00Z');
  });
});

describe('one list of meetings, whoever recorded them', () => {
  it("merges FST's meetings and the clinic's team-meeting visits newest first; other visits stay out", () => {
    const fst = {
      id: 'm1',
      kind: 'cpt' as const,
      start: '2026-11-20T15:00:00Z',
      attendees: [],
      youthAttended: false,
      goalUpdates: [],
    };
    const visits = [
      { id: 'e1', status: 'finished', type: 'Care Planning Team meeting', start: '2026-11-27T14:00:00Z' },
      { id: 'e2', status: 'finished', type: 'Therapy session', start: '2026-11-28T14:00:00Z' },
      { id: 'e3', status: 'entered-in-error', type: 'Treatment team meeting', start: '2026-11-29T14:00:00Z' },
    ];
    expect(meetingList([fst], visits).map((e) => `${e.by}:${e.id}`)).toEqual([
      'clinic:clinic-e1',
      'fst:fst-m1',
    ]);
  });
});

// Seed 000 process 2: "the Family Partner must coordinate with and attend all CPT meetings that occur while they
// are providing FST"; process 3: "attend all treatment team meetings".
describe('attendance of every team meeting, meeting by meeting', () => {
  const dayOf = (instant: string) => instant.slice(0, 10);
  const logged = (id: string, start: string) => ({
    id,
    kind: 'cpt' as const,
    start,
    attendees: [],
    youthAttended: false,
    goalUpdates: [],
  });
  const visit = (id: string, start: string, type = 'Care Planning Team meeting') => ({
    id,
    status: 'finished',
    type,
    start,
  });
  it('counts the meetings FST logged and the clinic’s it also logged as attended, and lists the others as missed', () => {
    const result = meetingAttendance(
      [logged('m1', '2026-11-20T15:00:00Z'), logged('m2', '2026-11-06T15:00:00Z')],
      [
        visit('e1', '2026-11-20T14:00:00Z'), // the same meeting, recorded by the clinic too
        visit('e2', '2026-11-27T14:00:00Z'), // FST logged nothing that day: missed
        visit('e3', '2026-11-13T14:00:00Z', 'Treatment team meeting'),
        visit('e4', '2026-11-28T14:00:00Z', 'Therapy session'), // not a team meeting
        visit('e0', '2026-09-01T14:00:00Z'), // before FST began
      ],
      '2026-10-01',
      dayOf,
    );
    expect(result.missed.map((v) => v.id)).toEqual(['e2', 'e3']);
    expect(result).toMatchObject({ attended: 2, total: 4 });
  });
});
