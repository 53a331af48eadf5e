/**
 * The FST compliance clocks, from the MassHealth FST performance specification (seed 000, "Process
 * specifications" 4, 5, 6, 8, 9 and "Discharge" 5) and the Arkansas continuing-stay criterion (seed 004, IV.B).
 * Pure functions over a referral, its contacts and the provider's calendar. Every result names its evidence.
 * The patient view, the caseload list and the quality report all call these; there is no second copy.
 *
 * Statuses: met (on time) · late (done, after the deadline) · due (not yet done, time left) ·
 * overdue (not done, deadline passed) · missed (a required week or note without what it needed) ·
 * on-hold (a weekly clock while services are paused: neither met nor missed) ·
 * not-applicable (the clock has not started or does not apply) · not-loaded (it depends on contacts the
 * workspace did not read — the middle of a very long history; the history screen reads them all).
 */
import type { CalendarConfig, CivilDate } from './calendar';
import {
  addBusinessDays,
  civilDateOf,
  civilDateText,
  civilFromIso,
  civilLabel,
  civilToIso,
  weekStart,
} from './calendar';
import type { Contact, ContactGap, Referral } from './model';
import type { EpisodeEndKind, StatusEntry } from './referral';
import { noFstPurpose } from './purposes';
import { statusHistory, waitlistedOn } from './referral';

/** `pending`: met only by records saved on the device and not yet sent (issue 38): never met until stored. */
export type ClockStatus =
  'met' | 'late' | 'due' | 'overdue' | 'missed' | 'on-hold' | 'not-applicable' | 'not-loaded' | 'pending';

export type ClockId =
  | 'first-caregiver-call'
  | 'service-initiation'
  | 'waitlist'
  | 'weekly-caregiver-contact'
  | 'weekly-collateral-contact'
  | 'discharge-plan'
  | 'continuing-stay'
  | 'continuing-stay-review';

export interface ClockResult {
  clock: ClockId;
  status: ClockStatus;
  /** Last civil day (YYYY-MM-DD, provider time zone) on which the requirement is met on time. */
  dueDate?: string;
  /** Whole days from today to dueDate (negative once passed). */
  daysLeft?: number;
  /** When it was satisfied. */
  satisfiedOn?: string;
  /** References of the resources that satisfy (or, for missed items, fail) the requirement. */
  evidence: string[];
  /** Attempts (not-done contacts) seen: shown, never counted as met. */
  attempts: string[];
  /** One plain sentence for the user. */
  summary: string;
  /** Weekly clocks: past weeks without the required contact, apart from this week's state. */
  pastMissed?: number;
  /** Weekly clocks: past weeks whose contacts were not read (see Episode.contactsGap). */
  notLoaded?: number;
}

export interface Episode {
  referral: Referral;
  /** The referral's status history (defaults to the one recorded on the Task). */
  history?: readonly StatusEntry[];
  /** The referral's contacts, any order. Entered-in-error contacts are ignored. */
  contacts: readonly Contact[];
  /**
   * Contacts saved on this device and not yet sent (the offline outbox): a clock or week they alone would
   * meet is `pending`, never met, until the server holds them.
   */
  pendingContacts?: readonly Contact[];
  /** Contacts that exist but were not read: a clock that needs them says "not loaded", never guesses. */
  contactsGap?: ContactGap;
  /** Goal ids of the youth's current plan, for the continuing-stay check. */
  planGoalIds?: ReadonlySet<string>;
  /** Dates (ISO) of the continuing-stay reviews recorded for this referral. */
  reviews?: readonly string[];
  /** Days between continuing-stay reviews (config); RULES.continuingStayReviewDays by default. */
  reviewIntervalDays?: number;
  /** The latest review's findings (seed 004 §IV A: the admission criteria still hold; B: goals remain). */
  lastReview?: { at: string; criteriaHold?: boolean; goalsRemain?: boolean };
  /** Every goal of the plan in force is achieved (seed 004 §IV B no longer holds). */
  allGoalsAchieved?: boolean;
  /**
   * Team meetings that stand in for the week's collateral contact (process 9: the youth's provider present
   * and an update given; src/domain/meetings.ts decides).
   */
  collateralMeetings?: readonly { id: string; start: string }[];
  /**
   * The youth's ICC, IHT and outpatient providers and the referrer (src/domain/meetings.ts treatersOf): process 9
   * asks for contact "with the youth's ICC, IHT, or outpatient provider", so a collateral contact with anyone
   * else does not fill the week. Absent or empty (no care team on record): no collateral contact counts, and the
   * collateral clock says "no treaters on record" rather than met or missed.
   */
  treaters?: ReadonlySet<string>;
  /** Present once the family has left service (discharged or determined to have stopped). */
  ended?: {
    kind?: EpisodeEndKind;
    /** When the episode ended. */
    at?: string;
    /** Last date of service; defaults to the last completed contact. */
    lastServiceDate?: string;
    /** When the discharge plan was given to the caregiver and referring providers. */
    dischargePlanDeliveredOn?: string;
    dischargePlanReference?: string;
  };
}

export const RULES = {
  /** Telephone the caregiver within five calendar days of referral (process spec 4). */
  firstCallDays: 5,
  /** Services within 14 days of the family first being contacted (process spec 5; 42 CFR 441.56(e)). */
  initiationDays: 14,
  /** Waitlist if interview and initiation cannot be offered within 5 calendar days of contact (process spec 6). */
  waitlistDays: 5,
  /** Discharge plan within five business days of the last date of service (discharge 5). */
  dischargeBusinessDays: 5,
  /** Continuing-stay review (Arkansas §IV): every this many days of service, unless configured otherwise. */
  continuingStayReviewDays: 90,
} as const;

interface DatedContact {
  contact: Contact;
  day: CivilDate;
  ref: string;
}

interface Prepared {
  episode: Episode;
  referralDay: CivilDate;
  today: CivilDate;
  /** Non-erroneous contacts, oldest first. */
  contacts: DatedContact[];
  /** Meetings that count as collateral contact, by day. */
  meetings: { day: CivilDate; ref: string }[];
  /**
   * Contacts not read: sent after `after` (ms), on a day from `from` to `to` (inclusive: the gap's edge
   * days count).
   */
  unseen?: { after: number; from: CivilDate; to: CivilDate };
  cal: CalendarConfig;
}

function prepare(episode: Episode, now: Date, cal: CalendarConfig): Prepared {
  const contacts = episode.contacts
    .filter((c) => c.status !== 'entered-in-error')
    .map((contact) => ({
      contact,
      day: civilDateOf(contact.sent, cal.timeZone),
      ref: `Communication/${contact.id}`,
    }))
    .sort(
      (a, b) =>
        a.day - b.day || (a.contact.sent < b.contact.sent ? -1 : a.contact.sent > b.contact.sent ? 1 : 0),
    );
  return {
    episode,
    referralDay: civilDateOf(episode.referral.authoredOn, cal.timeZone),
    today: civilDateOf(now, cal.timeZone),
    contacts,
    meetings: (episode.collateralMeetings ?? []).map((m) => ({
      day: civilDateOf(m.start, cal.timeZone),
      ref: `Encounter/${m.id}`,
    })),
    unseen: episode.contactsGap && {
      after: episode.contactsGap.after ? Date.parse(episode.contactsGap.after) : Number.NEGATIVE_INFINITY,
      from: episode.contactsGap.after
        ? civilDateOf(episode.contactsGap.after, cal.timeZone)
        : Number.NEGATIVE_INFINITY,
      to: civilDateOf(episode.contactsGap.before, cal.timeZone),
    },
    cal,
  };
}

/** True when contacts not read may fall on a day from `from` to `to`. */
function unseenBetween(p: Prepared, from: CivilDate, to: CivilDate): boolean {
  return p.unseen !== undefined && p.unseen.from <= to && p.unseen.to >= from;
}

const NOT_LOADED_HINT = 'open the contact history, which reads them all';

const made = (c: Contact) => c.status === 'completed';
/**
 * Seed 000 service component 6: telehealth is provided "at the family's request". A video contact with the
 * caregiver without that request recorded is flagged where it is shown and counts toward no clock.
 */
export const telehealthWithoutRequest = (c: Contact): boolean =>
  c.kind === 'caregiver' && c.method === 'video' && c.telehealthRequestedByFamily !== true;
/** Telehealth video counts as face-to-face (component 6) when the family asked for it. */
const asFaceToFace = (c: Contact) =>
  c.method === 'face-to-face' || (c.method === 'video' && !telehealthWithoutRequest(c));
/** "Telephonic or face-to-face" (process spec 8). */
const isCaregiverTouch = (c: Contact) => c.kind === 'caregiver' && (c.method === 'phone' || asFaceToFace(c));
/** An FST session: face-to-face, or telehealth at the family's request, with the caregiver. */
const isSession = (c: Contact) => c.kind === 'caregiver' && asFaceToFace(c);
const isCollateral = (c: Contact) => c.kind === 'collateral';

function deadlineResult(
  clock: ClockId,
  p: Prepared,
  due: CivilDate,
  hit: Dated | undefined,
  attempts: DatedContact[],
  words: { met: string; late: string; due: string; overdue: string },
): ClockResult {
  const base = {
    clock,
    dueDate: civilToIso(due),
    daysLeft: due - p.today,
    attempts: attempts.map((a) => a.ref),
  };
  if (hit) {
    const status: ClockStatus = hit.day <= due ? 'met' : 'late';
    return {
      ...base,
      status,
      satisfiedOn: civilToIso(hit.day),
      evidence: [hit.ref],
      summary: status === 'met' ? words.met : words.late,
    };
  }
  const status: ClockStatus = p.today <= due ? 'due' : 'overdue';
  return { ...base, status, evidence: [], summary: status === 'due' ? words.due : words.overdue };
}

function notApplicable(clock: ClockId, summary: string): ClockResult {
  return { clock, status: 'not-applicable', evidence: [], attempts: [], summary };
}

/**
 * The first contact of the episode that passes `test`, or `unknown` when a contact not read could be an
 * earlier one: sent on or after the referral day and before the one found (or at all, when none is found).
 */
function firstOf(p: Prepared, test: (c: Contact) => boolean): DatedContact | undefined | 'unknown' {
  const hit = p.contacts.find((c) => made(c.contact) && test(c.contact) && c.day >= p.referralDay);
  const unread = p.unseen;
  if (!unread || unread.to < p.referralDay) return hit;
  return hit && Date.parse(hit.contact.sent) <= unread.after ? hit : 'unknown';
}

const firstContact = (p: Prepared) => firstOf(p, isCaregiverTouch);

/** Something that happened on a day, with the reference that proves it. */
interface Dated {
  day: CivilDate;
  ref: string;
}

/**
 * When services started: the first FST session (face-to-face or telehealth with the caregiver), or the start
 * recorded on the referral with the first session's date, whichever came first — so the weekly grid and the
 * waitlist agree with the status the moment "Start services" is recorded (the 14-day clock needs the session). `unknown` when an unread contact could be earlier and no start
 * is recorded. (An inferred status entry is dated by lastModified, not by when services began: not used.)
 */
function serviceStart(p: Prepared): Dated | undefined | 'unknown' {
  const session = firstOf(p, isSession);
  const recorded = recordedStart(p);
  if (session === 'unknown') return recorded ?? 'unknown';
  if (!recorded || !session) return recorded ?? session;
  return recorded.day < session.day ? recorded : session;
}

/** The start recorded on the referral ("Start services", with the first session's date), if any. */
function recordedStart(p: Prepared): Dated | undefined {
  const entry = (p.episode.history ?? statusHistory(p.episode.referral)).find(
    (e) => e.status === 'in-service' && !e.inferred,
  );
  return (
    entry && {
      day: Math.max(civilDateOf(entry.at, p.cal.timeZone), p.referralDay),
      ref: `Task/${p.episode.referral.id}`,
    }
  );
}

function notLoaded(clock: ClockId, what: string): ClockResult {
  return {
    clock,
    status: 'not-loaded',
    evidence: [],
    attempts: [],
    summary: `Depends on ${what}, not read here: ${NOT_LOADED_HINT}.`,
  };
}

/** 1. First caregiver telephone contact within 5 calendar days of referral (incl. self-referral). */
function firstCall(p: Prepared): ClockResult {
  const due = p.referralDay + RULES.firstCallDays;
  const hit = firstContact(p);
  if (hit === 'unknown') return notLoaded('first-caregiver-call', "the referral's first contacts");
  const attempts = p.contacts.filter(
    (c) =>
      c.contact.kind === 'caregiver' &&
      c.contact.status === 'not-done' &&
      c.day >= p.referralDay &&
      (!hit || c.day <= hit.day),
  );
  const daysLeft = due - p.today;
  return deadlineResult('first-caregiver-call', p, due, hit, attempts, {
    met: 'Caregiver contacted within 5 days of referral.',
    late: 'Caregiver first contacted after the 5-day deadline.',
    due: `Call the caregiver: ${daysLeft === 0 ? 'due today' : `${daysLeft} day(s) left`}.`,
    overdue: 'Overdue: the caregiver has not been contacted within 5 days of referral.',
  });
}

/**
 * 2. Service initiation within 14 days of first contact (process spec 5: "the timely provision for services …
 * begins from the time the family has been contacted"). Only a logged session — face-to-face, or telehealth at
 * the family's request — provides a service: a start recorded on the referral with no session logged says so
 * and leaves the clock due (or overdue), never met.
 */
function initiation(p: Prepared): ClockResult {
  const contacted = firstContact(p);
  const session = firstOf(p, isSession);
  if (contacted === 'unknown' || session === 'unknown')
    return notLoaded('service-initiation', "the referral's first contacts");
  if (!contacted) return notApplicable('service-initiation', 'Starts when the caregiver is first contacted.');
  const due = contacted.day + RULES.initiationDays;
  const recorded = session ? undefined : recordedStart(p);
  const unlogged = recorded
    ? ` Services were marked started on ${civilDateText(recorded.day)}, but no session is logged: log the first session.`
    : '';
  return deadlineResult('service-initiation', p, due, session, [], {
    met: 'Services started within 14 days of first contact.',
    late: 'Services started more than 14 days after first contact.',
    due: `Start services (first face-to-face or telehealth session).${unlogged}`,
    overdue: `Overdue: no session within 14 days of first contact.${unlogged}`,
  });
}

/**
 * 3. Waitlist: no interview/initiation within 5 days of contact → the referral must be waitlisted (process 6:
 * "unable to offer a face-to-face interview and initiate services within five calendar days of parent/caregiver
 * contact"). As for process 5, only a logged session initiates services: a start typed on the referral with no
 * session logged does not excuse the waitlist.
 */
function waitlist(p: Prepared): ClockResult {
  const contacted = firstContact(p);
  const session = firstOf(p, isSession);
  if (contacted === 'unknown' || session === 'unknown')
    return notLoaded('waitlist', "the referral's first contacts");
  if (!contacted) return notApplicable('waitlist', 'Applies once the caregiver has been contacted.');
  const due = contacted.day + RULES.waitlistDays;
  const taskRef = `Task/${p.episode.referral.id}`;
  const base = {
    clock: 'waitlist' as const,
    dueDate: civilToIso(due),
    daysLeft: due - p.today,
    attempts: [],
  };
  if (session && session.day <= due) {
    return {
      ...base,
      status: 'not-applicable',
      evidence: [session.ref],
      summary: 'Services started in time; no waitlist needed.',
    };
  }
  const listed = waitlistedOn(p.episode.history ?? statusHistory(p.episode.referral));
  if (listed) {
    const day = civilDateOf(listed.at, p.cal.timeZone);
    const reason = listed.reason ?? p.episode.referral.statusReason;
    return {
      ...base,
      status: day <= due ? 'met' : 'late',
      satisfiedOn: civilToIso(day),
      evidence: [taskRef],
      summary:
        (day <= due
          ? `Waitlisted on ${civilDateText(day)}`
          : `Waitlisted on ${civilDateText(day)}, after the 5-day deadline`) +
        (session ? `; services started ${civilDateText(session.day)}.` : '.') +
        (reason ? ` Reason: ${reason}.` : ' No reason recorded: record why.'),
    };
  }
  if (session) {
    return {
      ...base,
      status: 'late',
      satisfiedOn: civilToIso(session.day),
      evidence: [session.ref],
      summary: 'Services started after 5 days without the family being waitlisted.',
    };
  }
  const recorded = recordedStart(p);
  const unlogged = recorded
    ? ` Services were marked started on ${civilDateText(recorded.day)}, but no session is logged: log the first session.`
    : '';
  if (p.today <= due)
    return {
      ...base,
      status: 'due',
      evidence: [],
      summary: `Offer an interview and start, or add the family to the waitlist.${unlogged}`,
    };
  return {
    ...base,
    status: 'overdue',
    evidence: [],
    summary: `Services not started within 5 days of contact: put the family on the waitlist.${unlogged}`,
  };
}

export type WeekCellStatus = 'met' | 'missed' | 'due' | 'not-applicable' | 'not-loaded' | 'pending';

export interface WeekCell {
  status: WeekCellStatus;
  evidence: string[];
}

export interface WeekRow {
  /** First and last civil day of the calendar week (YYYY-MM-DD). */
  weekStart: string;
  weekEnd: string;
  /** True when only part of the week fell within the service period (it is required all the same). */
  partial: boolean;
  /**
   * True when every day of the week within the service period was on hold: no contact is required (a contact
   * made still counts). A week with a day in service is required (holdWeekRule).
   */
  onHold?: boolean;
  caregiver: WeekCell;
  collateral: WeekCell;
}

function servicePeriod(p: Prepared): { start: CivilDate; end: CivilDate; ongoing: boolean } | undefined {
  const session = serviceStart(p);
  if (!session || session === 'unknown') return undefined;
  const ended = p.episode.ended;
  if (!ended) return { start: session.day, end: p.today, ongoing: true };
  const end = ended.lastServiceDate
    ? civilDateOf(ended.lastServiceDate, p.cal.timeZone)
    : (lastServiceDay(p) ?? session.day);
  return { start: session.day, end: Math.min(end, p.today), ongoing: false };
}

/** The days the episode was on hold (from each on-hold entry to the day before the next change), inclusive. */
function holdSpans(p: Prepared): { from: CivilDate; to: CivilDate }[] {
  const history = p.episode.history ?? statusHistory(p.episode.referral);
  const spans: { from: CivilDate; to: CivilDate }[] = [];
  history.forEach((e, i) => {
    if (e.status !== 'on-hold') return;
    const next = history[i + 1];
    spans.push({
      from: civilDateOf(e.at, p.cal.timeZone),
      to: next ? civilDateOf(next.at, p.cal.timeZone) - 1 : p.today,
    });
  });
  return spans;
}

/**
 * Seed 000 process 8: "The Family Partner has at minimum weekly contact (telephonic or face-to-face) with the
 * parent/caregiver of each enrolled youth they support." The reading (docs/requirements.md, 000 PR 8): the
 * unit is the calendar week and the condition is a youth enrolled and supported in it, so a week is required
 * when at least one of its days is a day of service — within the service period and not on hold. The seed
 * makes no exception for a part-week, so a partial first or last week is required like any other; a hold
 * pauses the support, so a week whose every day of service was on hold is not required (neither met nor
 * missed), and one day on hold never excuses the rest of the week.
 */
export function weekRequired(serviceDays: number, heldDays: number): boolean {
  return serviceDays - heldDays > 0;
}

/**
 * 4 and 5. One row per calendar week of the service period (first session → end of service or today).
 * A week is met when a qualifying contact falls in it, required when weekRequired says so (partial weeks
 * too), not-applicable when every day of it was on hold. The current week is due until it ends. A past
 * week without a contact among those read, whose contacts were not all read, is not-loaded, never missed.
 */
function grid(p: Prepared): WeekRow[] {
  const period = servicePeriod(p);
  if (!period) return [];
  const rows: WeekRow[] = [];
  const { weekStartsOn } = p.cal;
  const inPeriod = p.contacts.filter((c) => made(c.contact) && c.day >= period.start && c.day <= period.end);
  const holds = holdSpans(p);
  const treaters = p.episode.treaters;
  // Process 9 names the provider: with none on record no collateral contact can be shown to be with them.
  const withTreater = (c: Contact) =>
    c.recipientReference !== undefined && treaters?.has(c.recipientReference) === true;
  const heldDays = (from: CivilDate, to: CivilDate) => {
    let n = 0;
    for (let d = from; d <= to; d++) if (holds.some((h) => h.from <= d && h.to >= d)) n++;
    return n;
  };
  let i = 0;
  for (let ws = weekStart(period.start, weekStartsOn); ws <= period.end; ws += 7) {
    const we = ws + 6;
    const from = Math.max(ws, period.start);
    const to = Math.min(we, period.end);
    const caregiver: string[] = [];
    const collateral: string[] = [];
    while (i < inPeriod.length && inPeriod[i].day <= we) {
      const c = inPeriod[i];
      if (isCaregiverTouch(c.contact)) caregiver.push(c.ref);
      if (isCollateral(c.contact) && withTreater(c.contact)) collateral.push(c.ref);
      i++;
    }
    for (const m of p.meetings)
      if (m.day >= Math.max(ws, period.start) && m.day <= Math.min(we, period.end)) collateral.push(m.ref);
    // The current week runs to its last day, whatever the hold: days still to come may be days of service.
    const current = period.ongoing && we >= p.today;
    const last = current ? we : to;
    const held = heldDays(from, last);
    const required = weekRequired(last - from + 1, held);
    const partial = from > ws || (to < we && !current);
    const unread = unseenBetween(p, from, to);
    // While on hold today, the rest of the current week is on hold too: required only for days already served.
    const holdNow = current && holds.some((h) => h.to >= p.today && h.from <= p.today);
    const servedSoFar = weekRequired(to - from + 1, heldDays(from, to));
    const cell = (evidence: string[]): WeekCell => {
      if (evidence.length) return { status: 'met', evidence };
      if (current && (holdNow ? servedSoFar : required)) return { status: 'due', evidence };
      if (current) return { status: 'not-applicable', evidence };
      if (unread) return { status: 'not-loaded', evidence };
      return { status: required ? 'missed' : 'not-applicable', evidence };
    };
    const excused = current && holdNow ? !servedSoFar : !required;
    rows.push({
      weekStart: civilToIso(ws),
      weekEnd: civilToIso(we),
      partial,
      ...(excused ? { onHold: true } : {}),
      caregiver: cell(caregiver),
      // No treaters on record: the week cannot be judged against process 9 (the clock says what to record).
      collateral: treaters?.size ? cell(collateral) : { status: 'not-applicable', evidence: [] },
    });
  }
  return rows;
}

/** The day the current hold began (YYYY-MM-DD), when the open episode is on hold now. */
export function onHoldSince(episode: Episode, cal: CalendarConfig): string | undefined {
  if (episode.ended) return undefined;
  const last = (episode.history ?? statusHistory(episode.referral)).at(-1);
  return last?.status === 'on-hold' ? civilToIso(civilDateOf(last.at, cal.timeZone)) : undefined;
}

/**
 * 4 and 5 as clocks. While services go on, the state is this week's (met, or due by the week's last
 * day), so an old miss never hides a real deadline; past missed weeks are counted apart. Once the
 * episode has ended, the clock is the record of the whole service period.
 */
function weekly(
  p: Prepared,
  rows: WeekRow[],
  clock: ClockId,
  pick: (r: WeekRow) => WeekCell,
  who: string,
): ClockResult {
  if (rows.length === 0)
    return serviceStart(p) === 'unknown'
      ? notLoaded(clock, "the referral's first contacts")
      : notApplicable(clock, 'Starts with the first FST session.');
  const missed = rows.filter((r) => pick(r).status === 'missed');
  const pastMissed = missed.length;
  const notRead = rows.filter((r) => pick(r).status === 'not-loaded').length;
  const unreadNote = notRead ? ` ${notRead} earlier week(s) not loaded here: ${NOT_LOADED_HINT}.` : '';
  const missedEvidence = missed.map((r) => `week:${r.weekStart}`);
  const Who = `${who[0].toUpperCase()}${who.slice(1)}`;
  const current = rows[rows.length - 1];
  const cell = pick(current);
  const since = onHoldSince(p.episode, p.cal);
  if (since) {
    // Paused by agreement: the clock says so, never "missed" for the pause and never "met" for weeks not served.
    const due = civilFromIso(current.weekEnd);
    const owed =
      cell.status === 'due'
        ? ` This week's ${who} contact is still owed for the days in service before the hold, by ${civilLabel(due)}.`
        : cell.status === 'met'
          ? ` This week: met.`
          : '';
    return {
      clock,
      status: 'on-hold',
      ...(cell.status === 'due' ? { dueDate: current.weekEnd, daysLeft: due - p.today } : {}),
      evidence: cell.status === 'met' ? cell.evidence : missedEvidence,
      attempts: [],
      pastMissed,
      notLoaded: notRead || undefined,
      summary: `On hold since ${civilDateText(civilFromIso(since))}: weeks on hold are neither met nor missed.${owed}${
        pastMissed ? ` ${pastMissed} past week(s) missed.` : ''
      }${unreadNote}`,
    };
  }
  if (p.episode.ended || (cell.status !== 'met' && cell.status !== 'due')) {
    if (pastMissed)
      return {
        clock,
        status: 'missed',
        evidence: missedEvidence,
        attempts: [],
        pastMissed,
        notLoaded: notRead || undefined,
        summary: `${pastMissed} week(s) without ${who} contact${p.episode.ended ? ' during the service period' : ''}.${unreadNote}`,
      };
    // "Every week" only when every week was read.
    if (notRead)
      return {
        clock,
        status: 'not-loaded',
        evidence: [],
        attempts: [],
        pastMissed,
        notLoaded: notRead,
        summary: `No week without ${who} contact among those read.${unreadNote}`,
      };
    return {
      clock,
      status: 'met',
      evidence: rows.flatMap((r) => pick(r).evidence),
      attempts: [],
      pastMissed,
      summary: `${Who} contact every week${p.episode.ended ? ' of the service period' : ''}.`,
    };
  }
  const past = (pastMissed ? ` ${pastMissed} past week(s) missed.` : '') + unreadNote;
  if (cell.status === 'met') {
    const dayOf = new Map([...p.contacts, ...p.meetings].map((c) => [c.ref, c.day]));
    const first = Math.min(...cell.evidence.map((ref) => dayOf.get(ref) ?? Number.POSITIVE_INFINITY));
    const byMeeting = cell.evidence.every((ref) => ref.startsWith('Encounter/'));
    return {
      clock,
      status: 'met',
      satisfiedOn: civilToIso(first),
      evidence: cell.evidence,
      attempts: [],
      pastMissed,
      notLoaded: notRead || undefined,
      summary: `This week: met ${civilLabel(first)}${byMeeting ? " by a team meeting with the youth's provider" : ''}.${past}`,
    };
  }
  const due = civilFromIso(current.weekEnd);
  return {
    clock,
    status: 'due',
    dueDate: current.weekEnd,
    daysLeft: due - p.today,
    evidence: missedEvidence,
    attempts: [],
    pastMissed,
    notLoaded: notRead || undefined,
    summary: `This week: no ${who} contact yet, due by ${civilLabel(due)}.${past}`,
  };
}

/**
 * Process 9 with no ICC, IHT or outpatient provider on record (no care team, no referring clinician): nobody a
 * collateral contact could be checked against, so the clock is neither met nor missed — it says what to record.
 */
function noTreaters(p: Prepared, rows: WeekRow[]): ClockResult {
  if (rows.length === 0 && serviceStart(p) === 'unknown')
    return notLoaded('weekly-collateral-contact', "the referral's first contacts");
  return {
    ...notApplicable(
      'weekly-collateral-contact',
      "No treaters on record: add the youth's ICC, IHT or outpatient provider to the care team. Weekly contact is with them (process 9).",
    ),
  };
}

function lastServiceDay(p: Prepared): CivilDate | undefined {
  for (let i = p.contacts.length - 1; i >= 0; i--) if (made(p.contacts[i].contact)) return p.contacts[i].day;
  return undefined;
}

/** 6. Discharge plan to caregiver and referring providers within 5 business days of the last date of service. */
function discharge(p: Prepared): ClockResult {
  const ended = p.episode.ended;
  if (!ended) return notApplicable('discharge-plan', 'Applies at discharge.');
  const last = ended.lastServiceDate ? civilDateOf(ended.lastServiceDate, p.cal.timeZone) : lastServiceDay(p);
  if (last === undefined) return notApplicable('discharge-plan', 'No date of service recorded.');
  const due = addBusinessDays(last, RULES.dischargeBusinessDays, p.cal);
  // Seed 000 discharge 4: a family that stops without notice is reached out to, and each try is recorded.
  const stopped = ended.kind === 'stopped-without-notice';
  const outreach = stopped
    ? p.contacts.filter(
        (c) => c.contact.kind === 'caregiver' && c.contact.status === 'not-done' && c.day >= last,
      )
    : [];
  const base = {
    clock: 'discharge-plan' as const,
    dueDate: civilToIso(due),
    daysLeft: due - p.today,
    attempts: outreach.map((c) => c.ref),
  };
  const outreachNote = !stopped
    ? ''
    : outreach.length
      ? ` Stopped without notice: ${outreach.length} outreach attempt(s) recorded.`
      : ' Stopped without notice: no outreach attempt recorded yet — try to reach the caregiver and record each attempt.';
  if (ended.dischargePlanDeliveredOn) {
    const on = civilDateOf(ended.dischargePlanDeliveredOn, p.cal.timeZone);
    const evidence = ended.dischargePlanReference ? [ended.dischargePlanReference] : [];
    return on <= due
      ? {
          ...base,
          status: 'met',
          satisfiedOn: civilToIso(on),
          evidence,
          summary: 'Discharge plan delivered within 5 business days.',
        }
      : {
          ...base,
          status: 'late',
          satisfiedOn: civilToIso(on),
          evidence,
          summary: 'Discharge plan delivered after 5 business days.',
        };
  }
  return p.today <= due
    ? {
        ...base,
        status: 'due',
        evidence: [],
        summary: `Give the signed discharge plan to the caregiver and providers.${outreachNote}`,
      }
    : {
        ...base,
        status: 'overdue',
        evidence: [],
        summary: `Overdue: the discharge plan was not delivered within 5 business days.${outreachNote}`,
      };
}

/** 7. Arkansas continuing stay: every progress note is linked to at least one plan goal. */
function continuingStay(p: Prepared): ClockResult {
  const notes = p.contacts.filter((c) => made(c.contact));
  const unread = unseenBetween(p, p.referralDay, p.today);
  if (notes.length === 0)
    return unread
      ? notLoaded('continuing-stay', 'progress notes')
      : notApplicable('continuing-stay', 'No progress notes yet.');
  const goals = p.episode.planGoalIds;
  const unlinked = notes.filter((c) => !c.contact.goalIds.some((g) => (goals ? goals.has(g) : true)));
  // Seed 000 service component 3b: linked to a goal, but with no FST purpose (only "crisis"): not work toward it.
  const purposeless = notes.filter((c) => !unlinked.includes(c) && noFstPurpose(c.contact));
  if (unlinked.length || purposeless.length) {
    const words = [
      unlinked.length ? `${unlinked.length} progress note(s) not linked to a plan goal.` : '',
      purposeless.length
        ? `${purposeless.length} progress note(s) with no FST purpose (only crisis): not coaching toward a goal.`
        : '',
    ];
    return {
      clock: 'continuing-stay',
      status: 'missed',
      evidence: [...unlinked, ...purposeless].map((c) => c.ref),
      attempts: [],
      summary: `${words.filter(Boolean).join(' ')}${unread ? ` Not every note was read here: ${NOT_LOADED_HINT}.` : ''}`,
    };
  }
  if (unread)
    return {
      ...notLoaded('continuing-stay', 'progress notes'),
      summary: `The ${notes.length} progress notes read all address a plan goal; the others were not read here: ${NOT_LOADED_HINT}.`,
    };
  return {
    clock: 'continuing-stay',
    status: 'met',
    evidence: notes.map((c) => c.ref),
    attempts: [],
    summary: 'Every progress note addresses a plan goal.',
  };
}

/**
 * 8. Continuing-stay review (Arkansas CP.BH.AR.1600 §IV): while services go on, every review interval
 * (90 days by default) the Family Partner confirms the admission criteria still hold and that progress
 * notes show progress toward the goals. Counted from the first session, then from the last review.
 */
function continuingStayReview(p: Prepared): ClockResult {
  if (p.episode.ended) return notApplicable('continuing-stay-review', 'Applies while services go on.');
  const started = serviceStart(p);
  if (started === 'unknown') return notLoaded('continuing-stay-review', "the referral's first contacts");
  if (!started) return notApplicable('continuing-stay-review', 'Applies while services go on.');
  const start = started.day;
  const interval = p.episode.reviewIntervalDays ?? RULES.continuingStayReviewDays;
  const reviews = (p.episode.reviews ?? []).map((r) => civilDateOf(r, p.cal.timeZone)).sort((a, b) => a - b);
  const last = reviews.filter((d) => d >= start).at(-1);
  const due = (last ?? start) + interval;
  const base = {
    clock: 'continuing-stay-review' as const,
    dueDate: civilToIso(due),
    daysLeft: due - p.today,
    evidence: last !== undefined ? [`review:${civilToIso(last)}`] : [],
    attempts: [],
  };
  const since = last !== undefined ? `Last review ${civilDateText(last)}; next` : 'First review';
  // Seed 004 §IV: continuing stay needs A (the admission criteria still hold) and B (goals not all achieved).
  // When either no longer holds, say so and point to discharge planning (seed 000 discharge 1).
  const review = p.episode.lastReview;
  const ended =
    review?.criteriaHold === false
      ? `The review on ${civilDateText(civilDateOf(review.at, p.cal.timeZone))} found the admission criteria no longer met`
      : review?.goalsRemain === false || p.episode.allGoalsAchieved
        ? 'Every goal is achieved'
        : undefined;
  if (ended)
    return {
      ...base,
      status: 'missed',
      summary: `${ended}: continuing stay no longer holds (Arkansas §IV). Plan the discharge with the family.`,
    };
  return p.today <= due
    ? { ...base, status: 'due', summary: `${since} due by ${civilLabel(due)}.` }
    : {
        ...base,
        status: 'overdue',
        summary: `${since} was due by ${civilLabel(due)}: confirm the criteria still hold.`,
      };
}

export interface EpisodeCompliance {
  clocks: Record<ClockId, ClockResult>;
  weeks: WeekRow[];
  /** The day the current hold began (YYYY-MM-DD), while the open episode is on hold. */
  onHoldSince?: string;
}

/**
 * A referral declined or cancelled stops its clocks: a deadline it had not yet reached no longer applies
 * (a deadline already passed when it ended stays overdue — that miss happened). Met and late results stay.
 */
function stoppedByEnd(p: Prepared, clock: ClockResult): ClockResult {
  const ended = p.episode.ended;
  if (!ended || (ended.kind !== 'declined' && ended.kind !== 'cancelled')) return clock;
  // The discharge plan is owed whenever services had begun, however they ended; never when they had not
  // (seed 000 discharge 1 and 5: a plan is written for a discharge "from the FST service").
  if (clock.clock === 'discharge-plan')
    return servicesBegan(p)
      ? clock
      : {
          ...clock,
          status: 'not-applicable',
          daysLeft: undefined,
          summary: 'No discharge plan is owed: services never began.',
        };
  if (clock.status !== 'due' && clock.status !== 'overdue') return clock;
  const endDay = ended.at ? civilDateOf(ended.at, p.cal.timeZone) : p.today;
  const what = ended.kind === 'declined' ? 'declined' : 'cancelled';
  // A deadline passed before the end was missed, and stays so in every report; but it is no longer a thing to
  // do ("overdue" is), since nothing can be done on an ended episode (docs/invariants.md, invariant 4).
  if (clock.dueDate && civilFromIso(clock.dueDate) < endDay)
    return {
      ...clock,
      status: 'missed',
      daysLeft: undefined,
      summary: `Missed: the deadline (${civilLabel(civilFromIso(clock.dueDate))}) passed before the referral was ${what}${
        ended.at ? ` on ${civilLabel(endDay)}` : ''
      }. ${clock.summary}`,
    };
  return {
    ...clock,
    status: 'not-applicable',
    daysLeft: undefined,
    summary: `Does not apply: the referral was ${what}${ended.at ? ` on ${civilLabel(endDay)}` : ''}.`,
  };
}

/** Services began: a session was logged, or the referral was in service or on hold (recorded or inferred). */
function servicesBegan(p: Prepared): boolean {
  const history = p.episode.history ?? statusHistory(p.episode.referral);
  if (history.some((e) => e.status === 'in-service' || e.status === 'on-hold')) return true;
  // Contacts not read (a gap): a session may be among them, so the plan stays owed.
  return serviceStart(p) !== undefined;
}

/** All clocks for one referral episode, computing the shared parts once. */
export function evaluateEpisode(episode: Episode, now: Date, cal: CalendarConfig): EpisodeCompliance {
  const stored = evaluateStored(episode, now, cal);
  const pending = episode.pendingContacts ?? [];
  if (!pending.length) return stored;
  return withPending(stored, evaluateStored(withPendingAsStored(episode), now, cal), pending.length);
}

const satisfied = (s: ClockStatus | WeekCellStatus) => s === 'met' || s === 'late';

function withPendingAsStored(episode: Episode): Episode {
  return { ...episode, contacts: [...episode.contacts, ...(episode.pendingContacts ?? [])] };
}

/**
 * The stored answer, except where only the queued contacts would satisfy a clock or fill a week: that one
 * says `pending` (and why), and keeps the stored answer's due date.
 */
function withPending(stored: EpisodeCompliance, asIf: EpisodeCompliance, count: number): EpisodeCompliance {
  const clocks = { ...stored.clocks };
  const waiting = `${count === 1 ? 'A contact' : `${count} contacts`} saved on this device ${count === 1 ? 'waits' : 'wait'} to be sent: counted once the server holds ${count === 1 ? 'it' : 'them'}.`;
  for (const id of Object.keys(clocks) as ClockId[]) {
    const was = clocks[id];
    if (!satisfied(was.status) && satisfied(asIf.clocks[id].status))
      clocks[id] = { ...was, status: 'pending', summary: `${was.summary} ${waiting}` };
  }
  return { clocks, weeks: pendingWeeks(stored.weeks, asIf.weeks) };
}

function pendingWeeks(stored: WeekRow[], asIf: WeekRow[]): WeekRow[] {
  const byWeek = new Map(asIf.map((r) => [r.weekStart, r]));
  const cell = (was: WeekCell, would: WeekCell | undefined): WeekCell =>
    was.status !== 'met' && would?.status === 'met'
      ? { status: 'pending', evidence: would.evidence.filter((ref) => !was.evidence.includes(ref)) }
      : was;
  return stored.map((r) => {
    const would = byWeek.get(r.weekStart);
    return {
      ...r,
      caregiver: cell(r.caregiver, would?.caregiver),
      collateral: cell(r.collateral, would?.collateral),
    };
  });
}

function evaluateStored(episode: Episode, now: Date, cal: CalendarConfig): EpisodeCompliance {
  const p = prepare(episode, now, cal);
  const weeks = grid(p);
  const clocks = evaluateClocks(p, weeks);
  for (const id of Object.keys(clocks) as ClockId[]) clocks[id] = stoppedByEnd(p, clocks[id]);
  const since = onHoldSince(episode, cal);
  return { weeks, clocks, ...(since ? { onHoldSince: since } : {}) };
}

function evaluateClocks(p: Prepared, weeks: WeekRow[]): Record<ClockId, ClockResult> {
  return {
    'first-caregiver-call': firstCall(p),
    'service-initiation': initiation(p),
    waitlist: waitlist(p),
    'weekly-caregiver-contact': weekly(p, weeks, 'weekly-caregiver-contact', (r) => r.caregiver, 'caregiver'),
    'weekly-collateral-contact': p.episode.treaters?.size
      ? weekly(p, weeks, 'weekly-collateral-contact', (r) => r.collateral, 'collateral')
      : noTreaters(p, weeks),
    'discharge-plan': discharge(p),
    'continuing-stay': continuingStay(p),
    'continuing-stay-review': continuingStayReview(p),
  };
}

/** The weekly compliance grid alone (history view). */
export function weeklyGrid(episode: Episode, now: Date, cal: CalendarConfig): WeekRow[] {
  const stored = grid(prepare(episode, now, cal));
  if (!episode.pendingContacts?.length) return stored;
  return pendingWeeks(stored, grid(prepare(withPendingAsStored(episode), now, cal)));
}

/**
 * The day services started (YYYY-MM-DD): the first session or the recorded start, whichever came first (the
 * service period's first day; the 14-day clock itself needs a logged session). The discharge plan says "from" this day, not from the referral.
 */
export function serviceStartDay(episode: Episode, now: Date, cal: CalendarConfig): string | undefined {
  const start = serviceStart(prepare(episode, now, cal));
  return start && start !== 'unknown' ? civilToIso(start.day) : undefined;
}
