/**
 * Staff compliance (seed 000 "Staffing requirements"): Family Partner qualifications (1: a and b, with c or d), driver's licence
 * and auto insurance (2), ICC and competency training (4, 5), the annual training course topics a–r (6),
 * and the two weekly supervisions (8): individual with a Senior Family Partner, and individual, group or
 * dyad with a licensed clinician. Weeks are the contact clocks' weeks (same calendar, same week start).
 * Pure.
 */
import type { CalendarConfig, CivilDate } from './calendar';
import type { FieldProblem } from './model';
import type { StaffRole } from './permissions';
import { civilDateOf, civilFromIso, civilToIso, weekStart } from './calendar';
import type { LivedExperienceArea } from './matching';
import { LIVED_EXPERIENCE_CODES } from './matching';

/** Seed 000 staffing 6, a–r: upon employment and annually thereafter. */
export const TRAINING_TOPICS = {
  'topic-a': 'Clinical and psychosocial needs of the target population',
  'topic-b': 'Systems of Care principles and philosophy',
  'topic-c': 'The four phases and ten principles of Wraparound',
  'topic-d': 'Their role within a CPT',
  'topic-e': 'Ethnic, cultural and linguistic considerations',
  'topic-f': 'Community resources and services',
  'topic-g': 'Family-centered practice',
  'topic-h': 'Behavior management coaching',
  'topic-i': 'Social skills training',
  'topic-j': 'Psychotropic medications and side effects',
  'topic-k': 'Risk management / safety planning',
  'topic-l': 'Crisis management',
  'topic-m': 'Child-serving systems (DCF, DYS, DMH, DESE)',
  'topic-n': 'Basic IEP and special education',
  'topic-o': 'CHINS / juvenile court issues',
  'topic-p': 'MCE performance specifications and medical necessity',
  'topic-q': 'Child and adolescent development, including sexuality',
  'topic-r': 'Conflict resolution',
} as const;
export type TrainingTopic = keyof typeof TRAINING_TOPICS;
export const TOPICS = Object.keys(TRAINING_TOPICS) as TrainingTopic[];

export const CREDENTIALS = {
  'lived-experience': 'Lived experience as a caregiver of a youth with special needs (1a)',
  'systems-navigation': 'Experience navigating child- and family-serving systems (1b)',
  'drivers-licence': "Driver's licence",
  'auto-insurance': 'Auto insurance',
  'icc-training': 'State ICC training',
  'competency-training': 'Skill- and competency-based training to provide ICC services',
  'supervision-training': 'Skill- and competency-based training to supervise Family Partners',
  'independent-licence': 'Licence at the independent practice level (e.g. LICSW, LMHC)',
  'bachelor-degree': "Bachelor's degree (human services) + 1 year",
  'associate-degree': "Associate's degree (human services) + 1 year",
  'diploma-experience': 'High school diploma / GED + 2 years',
} as const;
export type CredentialKind = keyof typeof CREDENTIALS;

export const QUALIFICATION_BASES: readonly CredentialKind[] = [
  'bachelor-degree',
  'associate-degree',
  'diploma-experience',
];

export interface Qualification {
  code: TrainingTopic | CredentialKind;
  /** YYYY-MM-DD: completed or issued. */
  start?: string;
  /** YYYY-MM-DD: expires (licence, insurance). */
  end?: string;
  issuer?: string;
}

export interface StaffMember {
  /** `Practitioner/…`. */
  reference: string;
  name: string;
  /**
   * Staffing 5–6 cover supervisory staff too: the FST supervisor (a licensed clinician) is listed with them;
   * staffing 6 also covers program managers.
   */
  role: 'family-partner' | 'senior-family-partner' | 'fst-supervisor' | 'program-manager';
  /** YYYY-MM-DD: when they took up the FST role (PractitionerRole.period.start). */
  hiredOn?: string;
  /** Areas of their own lived experience, matched against a caregiver's wishes (seed 000 process 7). */
  livedExperience?: LivedExperienceArea[];
  qualifications: Qualification[];
  versionId?: string;
}

/** to-confirm: held, but with no expiry date on record (seed 000 staffing 2: "current/valid" is to be confirmed). */
export type ItemStatus = 'current' | 'due-soon' | 'expired' | 'missing' | 'to-confirm';

export interface StaffItem {
  code: TrainingTopic | CredentialKind;
  label: string;
  status: ItemStatus;
  /** YYYY-MM-DD: expiry or next due date. */
  due?: string;
  /** YYYY-MM-DD: last completion or issue. */
  last?: string;
}

/** Days before a due date when an item shows as due soon. */
export const DUE_SOON_DAYS = 30;

/**
 * One year on, as a civil date: 29 February falls on 28 February in a common year (the duty is annual, so
 * it must not slip into March).
 */
export function oneYearAfter(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap(y + 1) ? 28 : d;
  return `${String(y + 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function statusOf(due: string | undefined, today: CivilDate): ItemStatus {
  if (!due) return 'current';
  const days = civilFromIso(due) - today;
  if (days < 0) return 'expired';
  return days <= DUE_SOON_DAYS ? 'due-soon' : 'current';
}

const latest = (qs: readonly Qualification[], code: string) =>
  qs
    .filter((q) => q.code === code && q.start)
    .sort((a, b) => ((a.start ?? '') < (b.start ?? '') ? 1 : -1))[0];

/**
 * The day the initial training course (topics a–r) was complete: the latest of each topic's first completion;
 * undefined while a topic was never completed.
 */
export function initialTrainingCompletedOn(member: Pick<StaffMember, 'qualifications'>): string | undefined {
  let last: string | undefined;
  for (const topic of TOPICS) {
    const first = member.qualifications
      .filter((q) => q.code === topic && q.start)
      .map((q) => q.start as string)
      .sort()[0];
    if (!first) return undefined;
    if (!last || first > last) last = first;
  }
  return last;
}

/**
 * Seed 000 staffing 6: the training course is completed "upon employment … before assuming their duties". A
 * Family Partner or Senior Family Partner who served families (their first FST contact, `firstServedOn`) before
 * the course was complete is flagged, with the dates; undefined when nothing says so.
 */
export function servedBeforeTrainingProblem(
  member: Pick<StaffMember, 'qualifications'>,
  firstServedOn: string | undefined,
): string | undefined {
  if (!firstServedOn) return undefined;
  const done = initialTrainingCompletedOn(member);
  if (done && done <= firstServedOn) return undefined;
  return done
    ? `Served families from ${firstServedOn}, before completing the initial training course (complete on ${done}); it is required before assuming duties (staffing 6).`
    : `Serves families (from ${firstServedOn}) without the initial training course complete (topics a–r); it is required before assuming duties (staffing 6).`;
}

/** Everything an auditor checks for one person, worst first (expired, missing, due soon, current). */
export function staffItems(member: StaffMember, today: CivilDate): StaffItem[] {
  const items: StaffItem[] = [];
  const q = member.qualifications;
  // Supervisory staff: the ICC and competency training to supervise (staffing 5) and the course (staffing 6);
  // the Family Partner qualifications (staffing 1) and the driving credentials are not theirs.
  // Staffing 9: the clinician on call is "licensed at the independent practice level".
  if (member.role === 'fst-supervisor')
    return [
      expiringItem(q, 'independent-licence', today),
      ...trainingItems(q, ['icc-training', 'supervision-training']),
      ...courseItems(q, today),
    ].sort(byWorst);
  // Program managers: the course only (staffing 6); staffing 5's training to supervise is not theirs.
  if (member.role === 'program-manager') return courseItems(q, today).sort(byWorst);
  // Staffing 1: a) and b) are both required, with c) or d) — a degree alone does not qualify.
  for (const kind of ['lived-experience', 'systems-navigation'] as const) {
    const held = latest(q, kind);
    items.push(
      held
        ? { code: kind, label: CREDENTIALS[kind], status: 'current', last: held.start }
        : { code: kind, label: CREDENTIALS[kind], status: 'missing' },
    );
  }
  const basis = QUALIFICATION_BASES.map((k) => latest(q, k)).find(Boolean);
  items.push(
    basis
      ? {
          code: basis.code,
          label: CREDENTIALS[basis.code as CredentialKind],
          status: 'current',
          last: basis.start,
        }
      : {
          code: 'bachelor-degree',
          label: 'Qualification basis (degree or diploma and experience)',
          status: 'missing',
        },
  );
  for (const kind of ['drivers-licence', 'auto-insurance'] as const) items.push(expiringItem(q, kind, today));
  // Staffing 4: the state ICC training and the training "to provide ICC services". Staffing 5: Senior Family
  // Partners also complete the training "to supervise Family Partners" — a Senior Family Partner is a Family
  // Partner (4) who supervises (5), so both apply.
  const training: CredentialKind[] = ['icc-training', 'competency-training'];
  if (member.role === 'senior-family-partner') training.push('supervision-training');
  items.push(...trainingItems(q, training), ...courseItems(q, today));
  return items.sort(byWorst);
}

/** A licence or policy with an expiry (staffing 2, 9): the one that runs longest. */
function expiringItem(
  q: readonly Qualification[],
  kind: 'drivers-licence' | 'auto-insurance' | 'independent-licence',
  today: CivilDate,
): StaffItem {
  const held = q.filter((x) => x.code === kind).sort((a, b) => ((a.end ?? '') < (b.end ?? '') ? 1 : -1))[0];
  return held
    ? {
        code: kind,
        label: CREDENTIALS[kind],
        // Seed 000 staffing 2, "current/valid": a licence or policy with no expiry on record is not current
        // forever — it is to be confirmed.
        status: held.end ? statusOf(held.end, today) : 'to-confirm',
        due: held.end,
        last: held.start,
      }
    : { code: kind, label: CREDENTIALS[kind], status: 'missing' };
}

/** Trainings completed once (staffing 4–5): held, or missing. */
function trainingItems(q: readonly Qualification[], kinds: readonly CredentialKind[]): StaffItem[] {
  return kinds.map((kind) => {
    const done = latest(q, kind);
    return { code: kind, label: CREDENTIALS[kind], status: done ? 'current' : 'missing', last: done?.start };
  });
}

/** The course of topics a–r, on taking up the role and yearly (staffing 6). */
function courseItems(q: readonly Qualification[], today: CivilDate): StaffItem[] {
  const items: StaffItem[] = [];
  for (const topic of TOPICS) {
    const done = latest(q, topic);
    const due = done?.start ? oneYearAfter(done.start) : undefined;
    items.push({
      code: topic,
      label: `${topic.slice(-1)}) ${TRAINING_TOPICS[topic]}`,
      status: done ? statusOf(due, today) : 'missing',
      due,
      last: done?.start,
    });
  }
  return items;
}

const RANK: Record<ItemStatus, number> = {
  expired: 0,
  missing: 1,
  'to-confirm': 2,
  'due-soon': 3,
  current: 4,
};
/** Worst first: expired, missing, due soon, current; then by due date. */
const byWorst = (a: StaffItem, b: StaffItem) =>
  RANK[a.status] - RANK[b.status] || (a.due ?? '').localeCompare(b.due ?? '');

/** Needs attention: something expired, missing, or due within 30 days. */
export const needsAttention = (items: readonly StaffItem[]) => items.some((i) => i.status !== 'current');

export type SupervisionKind =
  'senior-fp-individual' | 'clinician-individual' | 'clinician-group' | 'clinician-dyad';

export const SUPERVISION_KIND_LABEL: Record<SupervisionKind, string> = {
  'senior-fp-individual': 'Individual, with a Senior Family Partner',
  'clinician-individual': 'Individual, with a licensed clinician',
  'clinician-group': 'Group, with a licensed clinician',
  'clinician-dyad': 'Dyad (two supervisees), with a licensed clinician',
};

export interface SupervisionSession {
  id: string;
  kind: SupervisionKind;
  /** ISO instant. */
  start: string;
  minutes?: number;
  supervisor: string;
  supervisees: string[];
  topics: string[];
}

export type Requirement = 'senior-fp' | 'clinician';

/**
 * Seed 000 staffing 8 requires weekly supervision of Family Partners. A Senior Family Partner supervises; what
 * applies to them is the ICC and competency training to supervise (staffing 5) and the annual topics (6).
 */
export function weeklySupervisionApplies(member: Pick<StaffMember, 'role'>): boolean {
  return member.role === 'family-partner';
}

/** Weeks of the grid with a requirement missed (the week in progress is never missed). */
export function missedWeeks(weeks: readonly SupervisionWeek[]): number {
  return weeks.filter((w) => w['senior-fp'].status === 'missed' || w.clinician.status === 'missed').length;
}

/** Seed 000 staffing 8: which requirement a session meets. A dyad is clinician supervision, never the Senior FP's. */
export function requirementOf(kind: SupervisionKind): Requirement {
  return kind === 'senior-fp-individual' ? 'senior-fp' : 'clinician';
}

/**
 * Seed 000 staffing 8: who may give each requirement's supervision — a Senior Family Partner, or a licensed
 * clinician (the FST clinical supervisor). The form offers only them, and the server refuses anyone else.
 */
export const SUPERVISOR_ROLE: Record<Requirement, StaffRole> = {
  'senior-fp': 'senior-family-partner',
  clinician: 'fst-supervisor',
};

/** Why someone with these roles may not supervise a session of this kind, or undefined when they may. */
export function supervisorProblem(kind: SupervisionKind, roles: ReadonlySet<StaffRole>): string | undefined {
  if (roles.has(SUPERVISOR_ROLE[requirementOf(kind)])) return undefined;
  return requirementOf(kind) === 'clinician'
    ? 'This kind of supervision is given by a licensed clinician: choose one.'
    : 'This kind of supervision is given by a Senior Family Partner: choose one.';
}

export interface SupervisionDraft {
  requestId: string;
  kind?: SupervisionKind;
  start: string;
  minutes?: number;
  supervisor: string;
  supervisees: string[];
  topics: string[];
}

export type SupervisionField = 'kind' | 'start' | 'minutes' | 'supervisor' | 'supervisees';

/**
 * What stops a supervision session from being logged. `rolesOf` gives a supervisor's FST roles: a session of a
 * clinician kind is given by a licensed clinician, a Senior Family Partner's by a Senior Family Partner.
 */
export function supervisionProblems(
  d: SupervisionDraft,
  now: Date,
  rolesOf?: (reference: string) => ReadonlySet<StaffRole>,
): FieldProblem<SupervisionField>[] {
  const out: FieldProblem<SupervisionField>[] = [];
  if (!d.kind) out.push({ field: 'kind', message: 'Choose the kind of supervision.' });
  else if (d.supervisor && rolesOf) {
    const problem = supervisorProblem(d.kind, rolesOf(d.supervisor));
    if (problem) out.push({ field: 'supervisor', message: problem });
  }
  const at = Date.parse(d.start);
  if (Number.isNaN(at)) out.push({ field: 'start', message: 'Enter the date and time.' });
  else if (at > now.getTime() + 5 * 60_000)
    out.push({ field: 'start', message: 'Supervision is logged after it took place.' });
  if (!d.supervisor) out.push({ field: 'supervisor', message: 'Choose the supervisor.' });
  const n = d.supervisees.length;
  if (d.kind === 'clinician-dyad' && n !== 2)
    out.push({ field: 'supervisees', message: 'A dyad has exactly two supervisees.' });
  else if (d.kind === 'clinician-group' && n < 2)
    out.push({ field: 'supervisees', message: 'A group has two or more supervisees.' });
  else if ((d.kind === 'senior-fp-individual' || d.kind === 'clinician-individual') && n !== 1)
    out.push({ field: 'supervisees', message: 'Individual supervision has one supervisee.' });
  else if (n === 0) out.push({ field: 'supervisees', message: 'Choose who was supervised.' });
  if (d.supervisees.includes(d.supervisor))
    out.push({ field: 'supervisees', message: 'The supervisor cannot supervise themselves.' });
  if (d.minutes === undefined || !Number.isInteger(d.minutes) || d.minutes < 1 || d.minutes > 480)
    out.push({ field: 'minutes', message: 'Enter the duration in minutes (1 to 480).' });
  return out;
}

/** A training or credential being recorded for a staff member (dates YYYY-MM-DD, or empty). */
export interface QualificationDraft {
  member: string;
  code: string;
  start: string;
  end: string;
}

export type QualificationField = 'member' | 'code' | 'start' | 'end';

export function qualificationProblems(d: QualificationDraft): FieldProblem<QualificationField>[] {
  const out: FieldProblem<QualificationField>[] = [];
  if (!d.member) out.push({ field: 'member', message: 'Choose the person.' });
  if (!d.code) out.push({ field: 'code', message: 'Choose the training or credential.' });
  // An area of lived experience (for matching, seed 000 process 7) has no date.
  if (!d.start && !d.end && !(LIVED_EXPERIENCE_CODES as readonly string[]).includes(d.code))
    out.push({ field: 'start', message: 'Enter the completion, issue or expiry date.' });
  else if (d.start && d.end && d.end < d.start)
    out.push({ field: 'end', message: 'The expiry comes after the issue date.' });
  return out;
}

export type SupervisionCellStatus = 'met' | 'missed' | 'due';

export interface SupervisionCell {
  status: SupervisionCellStatus;
  /** Session ids and their supervisors. */
  sessions: { id: string; supervisor: string }[];
  /** Sessions of this requirement in the week given by someone who may not give it: shown, never counted. */
  notCounted?: { id: string; supervisor: string; reason: string }[];
}

export interface SupervisionWeek {
  weekStart: string;
  weekEnd: string;
  'senior-fp': SupervisionCell;
  clinician: SupervisionCell;
}

/**
 * Week by week from `from` to `to` (YYYY-MM-DD, both within the grid): each week met when a session of
 * that requirement had this person among its supervisees and was given by someone who may give it (staffing 8:
 * "from a Senior Family Partner", "with a licensed behavioral health clinician" — `rolesOf` gives a supervisor's
 * FST roles, whatever system wrote the session); the week containing today is due until it ends.
 */
export function supervisionGrid(
  sessions: readonly SupervisionSession[],
  supervisee: string,
  period: { from: string; to: string },
  now: Date,
  cal: CalendarConfig,
  rolesOf: (reference: string) => ReadonlySet<StaffRole>,
): SupervisionWeek[] {
  const today = civilDateOf(now, cal.timeZone);
  const end = Math.min(civilFromIso(period.to), today);
  const mine = sessions
    .filter((s) => s.supervisees.includes(supervisee))
    .map((s) => ({ s, day: civilDateOf(s.start, cal.timeZone) }));
  const weeks: SupervisionWeek[] = [];
  for (let ws = weekStart(civilFromIso(period.from), cal.weekStartsOn); ws <= end; ws += 7) {
    const we = ws + 6;
    const cell = (req: Requirement): SupervisionCell => {
      const inWeek = mine.filter((m) => m.day >= ws && m.day <= we && requirementOf(m.s.kind) === req);
      const judged = inWeek.map((m) => ({
        m,
        problem: supervisorProblem(m.s.kind, rolesOf(m.s.supervisor)),
      }));
      const hits = judged.filter((j) => !j.problem).map((j) => j.m);
      const notCounted = judged
        .filter((j) => j.problem)
        .map((j) => ({ id: j.m.s.id, supervisor: j.m.s.supervisor, reason: j.problem as string }));
      const extra = notCounted.length ? { notCounted } : {};
      const sessionsHere = hits.map((m) => ({ id: m.s.id, supervisor: m.s.supervisor }));
      if (hits.length) return { status: 'met', sessions: sessionsHere, ...extra };
      return { status: we >= today ? 'due' : 'missed', sessions: [], ...extra };
    };
    weeks.push({
      weekStart: civilToIso(ws),
      weekEnd: civilToIso(we),
      'senior-fp': cell('senior-fp'),
      clinician: cell('clinician'),
    });
  }
  return weeks;
}

/**
 * The day the sessions of a period are read from: the first day of the week containing the period's start. A
 * week partly before the period is judged on the whole week (its sessions on the days before the period count),
 * never a false "missed" for sessions that were simply not read.
 */
export function supervisionReadFrom(periodFrom: string, cal: Pick<CalendarConfig, 'weekStartsOn'>): string {
  return civilToIso(weekStart(civilFromIso(periodFrom), cal.weekStartsOn));
}

/** The first day of the calendar quarter containing `day` (YYYY-MM-DD): the audit period a supervisor reviews. */
export function quarterStart(day: string): string {
  const [y, m] = day.split('-').map(Number);
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  return `${y}-${String(q).padStart(2, '0')}-01`;
}

/** Credentials that lapse on a date (staffing 2: a valid driver's licence and auto insurance). */
const EXPIRING_CREDENTIALS = ['drivers-licence', 'auto-insurance'] as const;

/**
 * Why a contact on `day` (YYYY-MM-DD) would be denied for its Family Partner's credentials: one that lapsed
 * before that day, with no other of the same kind covering it. Undefined when every credential on record held.
 * A credential never recorded is the staff page's finding ("missing"), not a reason to deny one day.
 */
export function lapsedCredentialOn(
  member: Pick<StaffMember, 'name' | 'qualifications'>,
  day: string,
): string | undefined {
  for (const kind of EXPIRING_CREDENTIALS) {
    const held = member.qualifications.filter((q) => q.code === kind);
    if (!held.length) continue;
    const covering = held.some((q) => (!q.start || q.start <= day) && (!q.end || day <= q.end));
    if (covering) continue;
    const lapsed = held
      .filter((q) => q.end && q.end < day)
      .sort((a, b) => ((a.end ?? '') < (b.end ?? '') ? 1 : -1))[0];
    if (lapsed) return `${member.name}'s ${CREDENTIALS[kind].toLowerCase()} expired on ${lapsed.end}`;
  }
  return undefined;
}
