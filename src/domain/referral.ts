/**
 * The FST referral episode, decided in one place: which Tasks are FST referrals, which one is current,
 * the episode's status history, its end, and the current plan's goals. Every view, clock, caseload row
 * and report calls these; nothing trusts the server's sort order.
 */
import type { AdmissionCriterion, CarePlanSummary, PlanGoal, Referral, ReferralStage } from './model';

/** Seed 004 §III, in the words the referral form shows, the record keeps and the referral card repeats. */
export const ADMISSION_CRITERIA: Record<AdmissionCriterion, string> = {
  A: 'A. Emotional disturbance and/or substance-related diagnosis that is at least destabilizing or distressing',
  B: 'B. Level of functioning allows services in an outpatient milieu',
  C: 'C. Assessment indicates needs that a family intervention can support',
};

/**
 * The episode's phase: what the family's FST episode is now, in one vocabulary for every view, clock, list and
 * report (the Task status plus our business status). `stopped` is a family that stopped without notice and
 * whose episode is still to be closed (outreach, the unsigned discharge); `closed` is that episode once closed.
 */
export type EpisodePhase =
  | 'requested'
  | 'accepted'
  | 'waitlisted'
  | 'in-service'
  | 'on-hold'
  | 'stopped'
  | 'declined'
  | 'cancelled'
  | 'discharged'
  | 'closed';

/** Phases in which the episode is open: the family is referred, waiting or in service. */
export const OPEN_PHASES: readonly EpisodePhase[] = [
  'requested',
  'accepted',
  'waitlisted',
  'in-service',
  'on-hold',
];

/** Phases in which services have begun: cancelling now ends the family's services. */
export const IN_SERVICE_PHASES: readonly EpisodePhase[] = ['in-service', 'on-hold'];

export type EpisodeEndKind = 'discharged' | 'stopped-without-notice' | 'cancelled' | 'declined';

/** One label per phase: the overview, the status history, the caseload and the reports all show these. */
export const PHASE_LABEL: Record<EpisodePhase, string> = {
  requested: 'Referred, awaiting acceptance',
  accepted: 'Accepted',
  waitlisted: 'Waitlisted',
  'in-service': 'In service',
  'on-hold': 'On hold',
  stopped: 'Stopped without notice',
  declined: 'Referral declined',
  cancelled: 'Referral cancelled',
  discharged: 'Discharged',
  closed: 'Closed (stopped without notice)',
};

export const END_KIND_LABEL: Record<EpisodeEndKind, string> = {
  discharged: PHASE_LABEL.discharged,
  'stopped-without-notice': PHASE_LABEL.stopped,
  cancelled: PHASE_LABEL.cancelled,
  declined: PHASE_LABEL.declined,
};

export interface StatusEntry {
  status: EpisodePhase;
  /** ISO instant (or date) the status took effect. */
  at: string;
  by?: string;
  reason?: string;
  /**
   * True when the entry is inferred (the referral date, or the Task's current status changed outside the
   * app, dated by lastModified) rather than recorded with the change.
   */
  inferred: boolean;
}

/** A Task is ours when our profile, our identifier or the H2014 order says so; `code=fulfill` alone never does. */
export function isFstReferral(r: Referral): boolean {
  return r.fstMarks.length > 0 && r.status !== 'entered-in-error';
}

/** The phase of a Task with this status and business status. */
export function episodeStatusOf(taskStatus: string, stage?: ReferralStage): EpisodePhase {
  switch (taskStatus) {
    case 'rejected':
      return 'declined';
    case 'cancelled':
      return 'cancelled';
    case 'completed':
      return 'discharged';
    case 'failed':
      return 'closed';
  }
  if (stage === 'declined') return 'declined';
  if (stage === 'cancelled') return 'cancelled';
  if (stage === 'discharged') return 'discharged';
  if (stage === 'stopped') return 'stopped';
  // The waitlist is an accepted Task's business status (some EHRs put the Task on hold instead).
  if (stage === 'waitlisted' && (taskStatus === 'accepted' || taskStatus === 'on-hold')) return 'waitlisted';
  switch (taskStatus) {
    case 'accepted':
      return 'accepted';
    case 'in-progress':
      return 'in-service';
    case 'on-hold':
      return 'on-hold';
    default:
      return 'requested';
  }
}

/** The referral's phase now. */
export function phaseOf(r: Pick<Referral, 'status' | 'stage'>): EpisodePhase {
  return episodeStatusOf(r.status, r.stage);
}

export function isOpen(r: Referral): boolean {
  return OPEN_PHASES.includes(phaseOf(r));
}

/**
 * The episode's status history, oldest first. Taken from the changes recorded on the Task; the referral
 * itself is always the first entry, and a current status that differs from the last recorded one (a
 * change made in the EHR, not through the app) is added, dated by the Task's lastModified.
 */
export function statusHistory(r: Referral): StatusEntry[] {
  const entries: StatusEntry[] = (r.recordedHistory ?? [])
    // A change of Family Partner is not a change of phase: `transfers` lists those.
    .filter((c) => !c.transfer)
    .map((c) => ({
      status: episodeStatusOf(c.status, c.stage),
      at: c.at,
      by: c.by,
      reason: c.reason,
      inferred: false,
    }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (entries[0]?.status !== 'requested') {
    entries.unshift({ status: 'requested', at: r.authoredOn, by: r.requesterReference, inferred: true });
  }
  const current = episodeStatusOf(r.status, r.stage);
  if (entries[entries.length - 1].status !== current) {
    entries.push({
      status: current,
      at: r.lastModified ?? r.authoredOn,
      reason: r.statusReason,
      inferred: true,
    });
  }
  // Consecutive entries with the same status are one state (e.g. a reason edited while waitlisted).
  return entries.filter((e, i) => i === 0 || entries[i - 1].status !== e.status);
}

/** One change of the family's Family Partner, as recorded on the Task with the change. */
export interface TransferEntry {
  at: string;
  /** Who moved the family (the supervisor). */
  by?: string;
  /** Whose family it was: undefined or the provider organisation for a first assignment. */
  from?: string;
  to: string;
  reason?: string;
}

/** True when the owner is a person (a Family Partner), not the FST provider organisation. */
export const isPersonReference = (ref: string | undefined): ref is string =>
  /^(Practitioner|PractitionerRole)\//.test(ref ?? '');

/** Every recorded change of Family Partner, oldest first: assignments, and transfers (`from` is a person). */
export function transfers(r: Pick<Referral, 'recordedHistory'>): TransferEntry[] {
  return (r.recordedHistory ?? [])
    .flatMap((c): TransferEntry[] =>
      c.transfer ? [{ at: c.at, by: c.by, from: c.transfer.from, to: c.transfer.to, reason: c.reason }] : [],
    )
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * The Family Partners the family was moved away from, each with when: they no longer serve it (issue 35, a
 * Family Partner who left). One who was moved away and later back is current again, never former.
 */
export function formerPartners(
  r: Pick<Referral, 'recordedHistory' | 'ownerReference'>,
): { reference: string; until: string }[] {
  const last = new Map<string, string>();
  for (const t of transfers(r)) if (isPersonReference(t.from) && t.from !== t.to) last.set(t.from, t.at);
  return [...last]
    .filter(([ref]) => ref !== r.ownerReference)
    .map(([reference, until]) => ({ reference, until }));
}

/** When the family was first put on the waitlist, if ever. */
export function waitlistedOn(history: readonly StatusEntry[]): StatusEntry | undefined {
  return history.find((e) => e.status === 'waitlisted');
}

export interface EpisodeEnd {
  kind: EpisodeEndKind;
  /** When the episode ended (the status change). */
  at: string;
  reason?: string;
}

export function episodeEnd(
  r: Referral,
  history: readonly StatusEntry[] = statusHistory(r),
): EpisodeEnd | undefined {
  if (isOpen(r)) return undefined;
  const phase = phaseOf(r);
  const kind: EpisodeEndKind =
    phase === 'discharged'
      ? 'discharged'
      : phase === 'cancelled'
        ? 'cancelled'
        : phase === 'declined'
          ? 'declined'
          : 'stopped-without-notice';
  const entry = history.find((e) => !OPEN_PHASES.includes(e.status));
  return { kind, at: entry?.at ?? r.lastModified ?? r.authoredOn, reason: r.statusReason };
}

/**
 * The youth's current FST referral: the one the EHR opened the app on (`fhirContext` Task), when it is an
 * FST referral; else, among FST referrals, the open one referred last; when none is open, the one that
 * ended last. Server order is never trusted.
 */
export function currentReferral(referrals: readonly Referral[], launchedWith?: string): Referral | undefined {
  const fst = referrals.filter(isFstReferral);
  const launched = launchedWith ? fst.find((r) => r.id === launchedWith) : undefined;
  if (launched) return launched;
  const latest = (list: Referral[], date: (r: Referral) => string) =>
    list.reduce<Referral | undefined>((best, r) => (!best || date(r) > date(best) ? r : best), undefined);
  const open = fst.filter(isOpen);
  if (open.length) return latest(open, (r) => r.authoredOn);
  return latest(fst, (r) => episodeEnd(r)?.at ?? r.authoredOn);
}

/** The plans that count now: the active ones, or all when none is active (so a draft plan still shows). */
export function currentPlans(plans: readonly CarePlanSummary[]): CarePlanSummary[] {
  const active = plans.filter((p) => p.status === 'active');
  return active.length ? active : [...plans];
}

/**
 * The plan a new referral is based on (seed 000 process 1: FST is identified as a need in the treatment plan or
 * ICP): the one in force. A completed or revoked plan is history, never the basis of a new episode.
 */
export function planInForce(plans: readonly CarePlanSummary[]): CarePlanSummary | undefined {
  return plans.find((p) => p.status === 'active');
}

const CLOSED_GOAL_STATUSES = new Set(['completed', 'cancelled', 'rejected', 'entered-in-error']);

/** A plan's goals still to work on: not closed, not achieved. A referral names its initial goals among these. */
export function openGoals(plan: CarePlanSummary): PlanGoal[] {
  return plan.goals.filter(
    (g) => !CLOSED_GOAL_STATUSES.has(g.lifecycleStatus) && g.achievementStatus !== 'achieved',
  );
}

/** The goals of the current plans: the form, the overview and the continuing-stay clock all use these. */
export function currentGoals(plans: readonly CarePlanSummary[]): PlanGoal[] {
  const seen = new Set<string>();
  return currentPlans(plans)
    .flatMap((p) => p.goals)
    .filter((g) => !seen.has(g.id) && Boolean(seen.add(g.id)));
}

/**
 * The episode a record made at `at` belongs to when it names none: the latest FST referral made at or before it
 * (or, made before every referral, the first). Each episode keeps its own records so a re-referral changes no
 * past episode's measures (docs/invariants.md, invariant 7).
 */
export function episodeAt(at: string, referrals: readonly Referral[]): Referral | undefined {
  const sorted = referrals
    .filter(isFstReferral)
    .sort((a, b) => Date.parse(a.authoredOn) - Date.parse(b.authoredOn));
  const t = Date.parse(at);
  return sorted.filter((r) => Date.parse(r.authoredOn) <= t).at(-1) ?? sorted[0];
}
