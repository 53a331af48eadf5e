/**
 * Care Planning Team and treatment-team meetings (seed 000 process 2–4, linkages 2–4): what a Family
 * Partner records, the rules for recording it, and when a meeting stands in for the week's collateral
 * contact (process 9: a meeting at which the youth's ICC, IHT or outpatient provider was present and an
 * update was given). Pure.
 */
import type { CarePlanSummary, EncounterSummary, FieldProblem, Referral } from './model';

export type MeetingKind = 'cpt' | 'treatment-team' | 'school-iep' | 'state-agency' | 'other';

export const MEETING_KIND_LABEL: Record<MeetingKind, string> = {
  cpt: 'Care Planning Team (ICC)',
  'treatment-team': 'Treatment team',
  'school-iep': 'School / IEP (DESE / LEA)',
  'state-agency': 'State agency (DCF, DMH, DYS, DPH, probation, court)',
  other: 'Other',
};

/**
 * Seed 000 linkages 4: "When state agencies (e.g., DMH, DCF, DYS, DPH, DESE/LEA, DMR, MRC, ORI, probation
 * office, the courts, etc.) are involved and consent is given" — the school district (DESE/LEA) is one of
 * them, so a school or IEP meeting needs the caregiver's consent like any state agency's.
 */
const CONSENT_KINDS: ReadonlySet<MeetingKind> = new Set(['school-iep', 'state-agency']);

export function meetingNeedsConsent(kind: MeetingKind | undefined): boolean {
  return kind !== undefined && CONSENT_KINDS.has(kind);
}

export interface Attendee {
  /** A chart reference (Practitioner, PractitionerRole, RelatedPerson) when the person is in the chart. */
  reference?: string;
  /** The name as written (people not in the chart: natural supports, agency representatives). */
  name: string;
}

export interface GoalUpdate {
  goalId: string;
  /** The update the Family Partner gave on this goal. */
  update: string;
}

export interface Meeting {
  id: string;
  kind: MeetingKind;
  /** ISO instants. */
  start: string;
  end?: string;
  attendees: Attendee[];
  /** The youth attended. */
  youthAttended: boolean;
  goalUpdates: GoalUpdate[];
  decisions?: string;
  /** When the team meets next (ISO). */
  nextMeeting?: string;
  recordedBy?: string;
}

export interface MeetingDraft {
  /** Client-generated, stable across retries. */
  requestId: string;
  patientId: string;
  kind?: MeetingKind;
  /** ISO instant. */
  start: string;
  durationMinutes?: number;
  attendees: Attendee[];
  youthAttended: boolean;
  goalUpdates: GoalUpdate[];
  decisions: string;
  nextMeeting?: string;
  recordedBy: string;
  referralTaskId?: string;
  serviceRequestId?: string;
  /** A state-agency meeting: the caregiver consents now (none on file). */
  consentGivenNow: boolean;
}

export type MeetingField =
  'kind' | 'start' | 'durationMinutes' | 'attendees' | 'goalUpdates' | 'consent' | 'nextMeeting';

export type MeetingProblem = FieldProblem<MeetingField>;

/** Longest meeting we accept: a full working day. */
export const MAX_MEETING_MINUTES = 480;

/**
 * Seed 000 linkages 4: FST takes part in state-agency (school included) meetings only "when … consent is given by
 * the parent/guardian/caregiver". The form and the server (sandbox/fhir/seedRules.ts) both ask this.
 */
export function meetingConsentProblem(kind: MeetingKind | undefined, consented: boolean): string | undefined {
  if (!meetingNeedsConsent(kind) || consented) return undefined;
  return kind === 'school-iep'
    ? "A school / IEP meeting needs the caregiver's consent (the school district is a state agency): record it, or do not log FST's part."
    : "A state-agency meeting needs the caregiver's consent: record it, or do not log FST's part.";
}

export function meetingProblems(
  d: MeetingDraft,
  ctx: { now: Date; consentOnFile: boolean },
): MeetingProblem[] {
  const problems: MeetingProblem[] = [];
  const add = (field: MeetingField, message: string) => problems.push({ field, message });
  if (!d.kind) add('kind', 'Choose the kind of meeting.');
  const start = Date.parse(d.start);
  if (Number.isNaN(start)) add('start', 'Enter the date and time of the meeting.');
  else if (start > ctx.now.getTime() + 5 * 60_000) add('start', 'A meeting is logged after it took place.');
  const minutes = d.durationMinutes;
  if (minutes === undefined || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MEETING_MINUTES)
    add('durationMinutes', `Enter the duration in minutes (1 to ${MAX_MEETING_MINUTES}).`);
  if (d.attendees.length === 0 && !d.youthAttended) add('attendees', 'Say who attended.');
  if (d.goalUpdates.some((u) => !u.update.trim()))
    add('goalUpdates', 'Write the update you gave on each goal discussed.');
  const consent = meetingConsentProblem(d.kind, ctx.consentOnFile || d.consentGivenNow);
  if (consent) add('consent', consent);
  if (d.nextMeeting && !Number.isNaN(start) && Date.parse(d.nextMeeting) <= start)
    add('nextMeeting', 'The next meeting comes after this one.');
  return problems;
}

/** The roles of the youth's own providers on the care team (not FST's). */
const TREATER_ROLES = new Set(['icc-care-coordinator', 'outpatient-clinician', 'iht-clinician']);

/**
 * The youth's ICC, IHT or outpatient providers: the care-team members of the current plans in those
 * roles, the plans' authors and the clinician who referred.
 */
export function treatersOf(plans: readonly CarePlanSummary[], referral?: Referral): Set<string> {
  const refs = new Set<string>();
  for (const plan of plans) {
    if (plan.authorReference) refs.add(plan.authorReference);
    for (const m of plan.careTeam) if (TREATER_ROLES.has(m.role)) refs.add(m.reference);
  }
  const requester = referral?.requesterReference;
  if (requester && /^(Practitioner|PractitionerRole)\//.test(requester)) refs.add(requester);
  return refs;
}

/** Process 9: the meeting counts as the week's collateral contact. */
export function countsAsCollateral(
  m: Pick<Meeting, 'attendees' | 'goalUpdates'>,
  treaters: ReadonlySet<string>,
) {
  const providerPresent = m.attendees.some((a) => a.reference !== undefined && treaters.has(a.reference));
  return providerPresent && m.goalUpdates.some((u) => u.update.trim() !== '');
}

/** The next meeting the team set, if it is still ahead. */
export function nextTeamMeeting(meetings: readonly Meeting[], now: Date): string | undefined {
  return meetings
    .map((m) => m.nextMeeting)
    .filter((t): t is string => t !== undefined && Date.parse(t) >= now.getTime())
    .sort()[0];
}

/** A meeting the clinic recorded itself (an Encounter whose type says it was a team meeting). */
const CLINIC_MEETING = /\b(care planning team|team meeting|treatment team|cpt)\b/i;

export function isClinicMeeting(visit: EncounterSummary): boolean {
  return visit.type !== undefined && CLINIC_MEETING.test(visit.type);
}

/** One entry of the youth's meetings, whoever recorded them. */
export type MeetingListEntry =
  | { id: string; start: string; by: 'fst'; meeting: Meeting }
  | { id: string; start: string; by: 'clinic'; visit: EncounterSummary };

/**
 * Every team meeting of the youth, newest first: those FST logged (FST attended: the Family Partner recorded
 * being there) and those the clinic recorded as visits, where FST's attendance is not on record. Seed 000
 * process 2–3: the Family Partner attends all CPT / treatment team meetings while providing FST, so the
 * clinic's meetings belong in the same list.
 */
export function meetingList(
  fst: readonly Meeting[],
  visits: readonly EncounterSummary[],
): MeetingListEntry[] {
  const entries: MeetingListEntry[] = [
    ...fst.map((m) => ({ id: `fst-${m.id}`, start: m.start, by: 'fst' as const, meeting: m })),
    ...visits
      .filter((v) => isClinicMeeting(v) && v.start !== undefined && v.status !== 'entered-in-error')
      .map((v) => ({ id: `clinic-${v.id}`, start: v.start ?? '', by: 'clinic' as const, visit: v })),
  ];
  return entries.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
}

/**
 * Seed 000 process 2–3, "attend all CPT meetings that occur while they are providing FST" / "attend all treatment
 * team meetings": every team meeting known from the servers since the episode began, meeting by meeting. A
 * meeting FST logged is attended; a meeting the clinic recorded is attended when FST logged a team meeting on the
 * same day (in the agency's time zone, `dayOf`), else it is missed — nothing on record says FST was there.
 */
export function meetingAttendance(
  fst: readonly Meeting[],
  visits: readonly EncounterSummary[],
  since: string,
  dayOf: (instant: string) => string,
): { attended: number; missed: EncounterSummary[]; total: number } {
  const ours = fst.filter((m) => dayOf(m.start) >= since);
  const loggedDays = new Set(ours.map((m) => dayOf(m.start)));
  const clinic = visits.filter(
    (v) =>
      isClinicMeeting(v) &&
      v.start !== undefined &&
      v.status !== 'entered-in-error' &&
      dayOf(v.start) >= since,
  );
  const missed = clinic.filter((v) => !loggedDays.has(dayOf(v.start ?? '')));
  const matched = clinic.length - missed.length;
  // A clinic meeting FST also logged is one meeting, not two.
  const total = ours.length + clinic.length - matched;
  return { attended: total - missed.length, missed, total };
}
