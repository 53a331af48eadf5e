/**
 * Who FST is for, and what a referral must say before it is accepted — decided once, for the referral form,
 * the accept step, the workspace, the caseload and the sandbox's write guard (sandbox/fhir/seedRules.ts).
 *
 * - Seed 000 overview: FST is provided to the parent/caregiver "of a youth (under the age of 21)".
 * - Seed 004 §III: the individual "must have" A "and" B "and" C: every criterion met, none answered no.
 * - Seed 000 process 1: the referring provider communicates "the reasons for referral and the initial goals".
 *
 * Pure: dates are civil dates (`YYYY-MM-DD`) the caller takes from its own clock.
 */
import { civilDateText, civilFromIso } from './calendar';
import type { AdmissionCriterion, Referral, ReferralRequest } from './model';
import { ADMISSION_CRITERIA, OPEN_PHASES, phaseOf } from './referral';

/** Seed 000 overview: "under the age of 21". */
export const FST_AGE_LIMIT = 21;

/** Days before the 21st birthday from which an open episode is flagged, so the discharge can be planned. */
export const AGE_OUT_NOTICE_DAYS = 60;

const dateText = (iso: string) => civilDateText(civilFromIso(iso));

/**
 * The day a youth turns 21 (`YYYY-MM-DD`). Born on 29 February: 1 March of a common year (the day after
 * 28 February, when the 29th does not exist) — the seed does not say; this is the later, the youth's, reading.
 */
export function twentyFirstBirthday(birthDate: string): string {
  const [y, m, d] = birthDate.slice(0, 10).split('-').map(Number);
  const year = y + FST_AGE_LIMIT;
  const day = new Date(Date.UTC(year, m - 1, d));
  // Date.UTC rolls 29 Feb of a common year into 1 Mar, which is the reading chosen.
  return day.toISOString().slice(0, 10);
}

/** Whole years of age on `on` (`YYYY-MM-DD`). */
export function ageOnDate(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number);
  const [y, m, d] = on.slice(0, 10).split('-').map(Number);
  const before = m < bm || (m === bm && d < bd);
  // A 29 February birthday comes on 1 March of a common year: 28 February is still "before".
  return y - by - (before ? 1 : 0);
}

const isFullDate = (value: string | undefined): value is string =>
  value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value.slice(0, 10)) && value.length >= 10;

/**
 * Why a youth cannot be referred on `on`: 21 or over, with the date of birth so the referrer can check it.
 * Undefined when under 21 or when no full date of birth is on record (nothing to refuse on).
 */
export function overAgeProblem(birthDate: string | undefined, on: string): string | undefined {
  if (!isFullDate(birthDate)) return undefined;
  if (on.slice(0, 10) < twentyFirstBirthday(birthDate)) return undefined;
  return (
    `FST is for a youth under the age of 21: this youth was born on ${dateText(birthDate)} and is ` +
    `${ageOnDate(birthDate, on)}. Check the date of birth in the EHR, or refer the family to an adult service.`
  );
}

export interface AgeOutFlag {
  /** The 21st birthday. */
  turns21On: string;
  /** upcoming: within AGE_OUT_NOTICE_DAYS; due: the birthday has come, discharge planning is due. */
  status: 'upcoming' | 'due';
  message: string;
}

/**
 * A youth who turns 21 during an open episode: flagged on the workspace and the caseload from
 * AGE_OUT_NOTICE_DAYS before the birthday; from the birthday on, discharge planning is due (FST is for a youth
 * under 21). Undefined when the episode is not open or the birthday is further off.
 */
export function ageOutFlag(
  birthDate: string | undefined,
  referral: Pick<Referral, 'status' | 'stage'> | undefined,
  today: string,
): AgeOutFlag | undefined {
  if (!isFullDate(birthDate) || !referral || !OPEN_PHASES.includes(phaseOf(referral))) return undefined;
  const turns21On = twentyFirstBirthday(birthDate);
  const daysLeft = civilFromIso(turns21On) - civilFromIso(today);
  if (daysLeft > AGE_OUT_NOTICE_DAYS) return undefined;
  return daysLeft > 0
    ? {
        turns21On,
        status: 'upcoming',
        message: `Turns 21 on ${dateText(turns21On)}: FST is for a youth under 21. Plan the discharge with the family before then.`,
      }
    : {
        turns21On,
        status: 'due',
        message: `Turned 21 on ${dateText(turns21On)}: FST is for a youth under 21. Plan the discharge now.`,
      };
}

const CRITERIA = Object.keys(ADMISSION_CRITERIA) as AdmissionCriterion[];

/**
 * Seed 004 §III ("must have … and … and …"): why a referral cannot be accepted on its checklist — a criterion
 * answered not met, or left unanswered. A referral with no checklist on record (an order written in the EHR
 * without ours) is not refused for it: the reading chosen, since nothing on record says a criterion is unmet.
 */
export function admissionCriteriaProblem(
  criteria: Partial<Record<AdmissionCriterion, boolean>> | undefined,
): string | undefined {
  if (!criteria) return undefined;
  const unmet = CRITERIA.filter((k) => criteria[k] !== true);
  if (unmet.length === 0) return undefined;
  return (
    `The admission checklist does not confirm ${unmet.map((k) => `“${ADMISSION_CRITERIA[k]}”`).join(' and ')}: ` +
    'FST admission needs all three criteria (A and B and C). Decline the referral, or ask the referrer to correct the checklist.'
  );
}

/** Seed 000 process 1: a referral states why, and at least one initial goal (of the plan, or in words). */
export function referralContentProblem(
  request: Pick<ReferralRequest, 'reason' | 'goalIds' | 'newGoals'>,
): string | undefined {
  if (!request.reason?.trim()) return 'Say why the family is referred (the reasons for referral).';
  if (request.goalIds.length === 0 && request.newGoals.every((g) => !g.trim()))
    return 'Name at least one initial goal: choose one of the plan or write it.';
  return undefined;
}
