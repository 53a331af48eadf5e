/**
 * A caseload entry: one family on a Family Partner's list, with its next deadline first. Built from the
 * same compliance results the patient view shows. Past misses are counted apart: they are history to
 * review, not the next thing to do.
 */
import type { ClockResult, EpisodeCompliance } from './compliance';
import { RULES } from './compliance';
import { civilFromIso, civilLabel, civilToIso } from './calendar';
import type { Referral, Youth } from './model';
import { OPEN_PHASES, phaseOf } from './referral';
import type { AgeOutFlag } from './eligibility';
import { ageOutFlag } from './eligibility';

export interface CaseloadEntry {
  youth: Pick<Youth, 'id' | 'name'>;
  referral: Pick<Referral, 'id' | 'status' | 'stage' | 'authoredOn' | 'ownerReference'>;
  /**
   * The next deadline: an overdue clock first, then the one due soonest; undefined when none is open. Never on
   * an ended episode, but for the discharge plan owed after it (seed 000 discharge 5: "within 5 business days").
   */
  attention?: ClockResult;
  /** The day the current hold began (YYYY-MM-DD): the weekly clocks are paused (seed 000 process 8). */
  onHoldSince?: string;
  /** Counts of clocks by status, for a compact row. */
  overdue: number;
  due: number;
  /** Past weeks without the required caregiver or collateral contact. */
  pastMissedWeeks: number;
  /** The youth turns (or has turned) 21 during the open episode: discharge planning (seed 000 overview). */
  ageOut?: AgeOutFlag;
}

/** A deadline to act on: due or overdue, or a weekly contact still owed for the days served before a hold. */
const open = (c: ClockResult) =>
  c.status === 'overdue' || c.status === 'due' || (c.status === 'on-hold' && c.dueDate !== undefined);
const deadline = (c: ClockResult) => c.daysLeft ?? Number.POSITIVE_INFINITY;

export function caseloadEntry(
  youth: Youth,
  referral: Referral,
  compliance: EpisodeCompliance,
  /** `YYYY-MM-DD` in the agency's time zone: the day the 21st birthday is counted against. */
  today?: string,
): CaseloadEntry {
  const clocks = Object.values(compliance.clocks) as ClockResult[];
  // An ended episode offers no next action (invariant 4): what it missed stays in the report, not on the list.
  const ended = !OPEN_PHASES.includes(phaseOf(referral)) && phaseOf(referral) !== 'stopped';
  const needing = clocks
    .filter(open)
    .filter((c) => !ended || c.clock === 'discharge-plan')
    .sort(
      (a, b) => Number(b.status === 'overdue') - Number(a.status === 'overdue') || deadline(a) - deadline(b),
    );
  return {
    youth: { id: youth.id, name: youth.name },
    referral: {
      id: referral.id,
      status: referral.status,
      stage: referral.stage,
      authoredOn: referral.authoredOn,
      ownerReference: referral.ownerReference,
    },
    attention: needing[0],
    ...(compliance.onHoldSince ? { onHoldSince: compliance.onHoldSince } : {}),
    overdue: needing.filter((c) => c.status === 'overdue').length,
    due: needing.filter((c) => c.status !== 'overdue').length,
    pastMissedWeeks:
      (compliance.clocks['weekly-caregiver-contact'].pastMissed ?? 0) +
      (compliance.clocks['weekly-collateral-contact'].pastMissed ?? 0),
    ageOut: today ? ageOutFlag(youth.birthDate, referral, today) : undefined,
  };
}

/** By the next deadline: overdue first (longest overdue on top), then due soonest, then families with none. */
export function sortCaseload(entries: CaseloadEntry[]): CaseloadEntry[] {
  const key = (e: CaseloadEntry) => (e.attention ? deadline(e.attention) : Number.POSITIVE_INFINITY);
  return [...entries].sort((a, b) => key(a) - key(b) || a.youth.name.full.localeCompare(b.youth.name.full));
}

/**
 * The next thing to do, as a Family Partner says it: "Call caregiver — day 4 of 5",
 * "Start services — day 9 of 14", "Weekly caregiver contact — by Sat Nov 28".
 */
export function nextActionLabel(clock: ClockResult): string {
  const by = clock.dueDate ? civilLabel(civilFromIso(clock.dueDate)) : undefined;
  const dayOf = (total: number) => {
    const left = clock.daysLeft ?? 0;
    return left < 0 ? `${-left} day(s) overdue` : `day ${total - left} of ${total}`;
  };
  switch (clock.clock) {
    case 'first-caregiver-call':
      return `Call caregiver — ${dayOf(RULES.firstCallDays)}`;
    case 'service-initiation':
      return `Start services — ${dayOf(RULES.initiationDays)}`;
    case 'waitlist':
      return `Start or waitlist — ${dayOf(RULES.waitlistDays)}`;
    case 'weekly-caregiver-contact':
      return `Weekly caregiver contact — by ${by}`;
    case 'weekly-collateral-contact':
      return `Weekly provider contact — by ${by}`;
    case 'discharge-plan':
      return `Discharge plan — by ${by}`;
    case 'continuing-stay':
      return clock.summary;
    case 'continuing-stay-review':
      return `Continuing-stay review — by ${by}`;
  }
}

/**
 * Weeks of contacts the caseload reads back from today: a quarter, the quality report's default period. The
 * weekly clocks need this week and the weeks the "missed" column counts; 26 weeks doubled what an agency of
 * 1,000 families downloads (14 MB, npm run bench) for weeks no screen of the caseload showed apart.
 */
export const CASELOAD_WINDOW_WEEKS = 13;

/**
 * The first day (YYYY-MM-DD) whose contacts and meetings the caseload reads: the window's start, or the quality
 * report's period start when that is earlier. What a caseload costs then grows with families, not with years.
 */
export function caseloadWindowStart(periodFrom: string, today: string): string {
  const window = civilToIso(civilFromIso(today) - CASELOAD_WINDOW_WEEKS * 7);
  return periodFrom < window ? periodFrom : window;
}
