/**
 * The FST service plan (seed 000 process 2-3): what the Family Partner and caregiver agree after
 * acceptance — when they meet (frequency, day, time, setting: home, community, or telehealth at the
 * family's request), how many hours per week or month, and a target date per FST goal. Pure.
 */
import type { CivilDate } from './calendar';
import type { Referral } from './model';
import { OPEN_PHASES, phaseOf } from './referral';
import { civilDateOf, civilFromIso, civilLabel, instantOfWallClock, weekday, civilToIso } from './calendar';

export type MeetingFrequency = 'weekly' | 'every-2-weeks' | 'monthly';
export type MeetingSetting = 'home' | 'community' | 'telehealth';
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface MeetingSeries {
  frequency: MeetingFrequency;
  day: Weekday;
  /** HH:mm, provider time. */
  time: string;
  setting: MeetingSetting;
}

export interface ServicePlan {
  id?: string;
  versionId?: string;
  /** The ICP or treatment plan it is based on. */
  basedOnPlanId: string;
  meetings: MeetingSeries[];
  hours: { amount: number; per: 'week' | 'month' };
  goalTargets: { goalId: string; targetDate: string }[];
  /** When the plan starts (YYYY-MM-DD). */
  start: string;
  authorReference?: string;
}

export const FREQUENCY_LABEL: Record<MeetingFrequency, string> = {
  weekly: 'Weekly',
  'every-2-weeks': 'Every 2 weeks',
  monthly: 'Monthly',
};
export const SETTING_LABEL: Record<MeetingSetting, string> = {
  home: 'at home',
  community: 'in the community',
  telehealth: 'by telehealth (the family asked)',
};
export const DAY_NAME: Record<Weekday, string> = {
  sun: 'Sunday',
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
};

/** "Weekly on Tuesday at 17:00, at home". */
export function describeSeries(m: MeetingSeries): string {
  return `${FREQUENCY_LABEL[m.frequency]} on ${DAY_NAME[m.day]} at ${m.time}, ${SETTING_LABEL[m.setting]}`;
}

/**
 * The next planned meeting at or after `now`: weekly series meet every week from the plan's start,
 * two-weekly every other week, monthly on the first such weekday of the month. None once the episode the plan
 * serves has ended (discharged, closed, cancelled): a plan left active says nothing of meetings to come.
 */
export function nextPlannedMeeting(
  plan: Pick<ServicePlan, 'meetings' | 'start'>,
  now: Date,
  timeZone: string,
  episode?: Pick<Referral, 'status' | 'stage'>,
): { at: Date; label: string; series: MeetingSeries } | undefined {
  if (episode && !OPEN_PHASES.includes(phaseOf(episode))) return undefined;
  const today = civilDateOf(now, timeZone);
  const start = civilFromIso(plan.start);
  let best: { at: Date; series: MeetingSeries } | undefined;
  for (const series of plan.meetings) {
    const dow = WEEKDAYS.indexOf(series.day);
    const first = start + ((dow - weekday(start) + 7) % 7);
    const candidates: CivilDate[] = [];
    // From the series' own weekday a week before today (whole weeks after its first meeting).
    const from = first + Math.max(0, Math.ceil((today - 7 - first) / 7)) * 7;
    for (let d = from; d <= today + 62; d += 7) {
      const weeks = (d - first) / 7;
      if (series.frequency === 'every-2-weeks' && weeks % 2 !== 0) continue;
      if (series.frequency === 'monthly' && Number(civilToIso(d).slice(8, 10)) > 7) continue;
      candidates.push(d);
    }
    for (const d of candidates) {
      const at = instantOfWallClock(`${civilToIso(d)}T${series.time}`, timeZone);
      if (at && at.getTime() >= now.getTime()) {
        if (!best || at < best.at) best = { at, series };
        break;
      }
    }
  }
  if (!best) return undefined;
  return {
    ...best,
    label: `${civilLabel(civilDateOf(best.at, timeZone))} ${best.series.time}, ${SETTING_LABEL[best.series.setting]}`,
  };
}

/** The hours a week and a (31-day) month hold: a plan for more is a typing error, whoever sets the hours. */
export const HOURS_IN = { week: 168, month: 744 } as const;

/**
 * An agency's own cap on a plan's hours (config `servicePlanHoursCap`), off unless the agency sets one: seed 000
 * process 2–3 say "the Family Partner determines the appropriate number of hours per week/month", and neither seed
 * sets a number.
 */
export interface HoursCap {
  week?: number;
  month?: number;
}

/**
 * What is out of bounds in a service plan's numbers and dates, in words for the Family Partner: more hours than
 * the period holds, more than the agency's cap when it set one, and goal targets that fall before the plan starts.
 */
export function servicePlanBoundsProblems(
  plan: Pick<ServicePlan, 'hours' | 'start'> & {
    goalTargets: readonly { goalId: string; targetDate: string }[];
  },
  goalName: (goalId: string) => string,
  cap?: HoursCap,
): string[] {
  const problems: string[] = [];
  const { amount, per } = plan.hours;
  const agencyMax = cap?.[per];
  if (amount > HOURS_IN[per])
    problems.push(
      `${amount} hours per ${per} is more than a ${per} holds (${HOURS_IN[per]}). Check the number.`,
    );
  else if (agencyMax !== undefined && amount > agencyMax)
    problems.push(
      `${amount} hours per ${per} is more than your agency allows in a service plan (at most ${agencyMax}). Check the number, or ask your supervisor.`,
    );
  for (const t of plan.goalTargets)
    if (
      /^\d{4}-\d{2}-\d{2}$/.test(t.targetDate) &&
      /^\d{4}-\d{2}-\d{2}$/.test(plan.start) &&
      t.targetDate < plan.start
    )
      problems.push(`The target for “${goalName(t.goalId)}” is before the plan starts: give a later date.`);
  return problems;
}
