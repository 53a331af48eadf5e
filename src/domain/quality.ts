/**
 * The supervisor's quality report over a caseload and a period, computed from the same clock results as
 * every other view (evaluateEpisode). A measure counts only decided cases: a clock still "due" is
 * neither met nor failed yet, so it is left out of numerator and denominator.
 *
 * Period membership: a referral counts in the period of its referral date (5-day call), a first
 * contact in the period of its 14-day due date, a week by its first day, a discharge by its due date.
 */
import type { CalendarConfig, CivilDate } from './calendar';
import { civilDateOf, civilFromIso } from './calendar';
import type { ClockResult, EpisodeCompliance } from './compliance';
import type { Referral } from './model';
import { phaseOf, statusHistory, waitlistedOn } from './referral';

export type MeasureId =
  | 'called-within-5-days'
  | 'started-within-14-days'
  | 'weeks-with-caregiver-contact'
  | 'weeks-with-collateral-contact'
  | 'discharge-plan-within-5-business-days';

export interface Proportion {
  id: MeasureId;
  title: string;
  numerator: number;
  denominator: number;
  /** numerator / denominator, or undefined when nothing was decided in the period. */
  score?: number;
}

export interface WaitlistSummary {
  /** Families on the waitlist at the end of the period (or now, if earlier). */
  length: number;
  /** Days each has waited (waitlistWait), at that date. */
  daysWaited: number[];
  averageDaysWaited?: number;
  longestDaysWaited?: number;
}

/** Team meetings FST attended in the period (seed 000 process 2–4: every CPT / treatment-team meeting). */
export interface MeetingsSummary {
  total: number;
  /** Meetings per family of the caseload, in caseload order (zero where none). */
  perFamily: number[];
  /** Families with at least one meeting. */
  families: number;
}

export interface QualityReport {
  period: { from: string; to: string };
  measures: Proportion[];
  waitlist: WaitlistSummary;
  meetings: MeetingsSummary;
  families: number;
}

export interface CaseloadEpisode {
  /** The youth: a re-referred youth has several episodes and is one family. */
  youthId?: string;
  referral: Referral;
  compliance: EpisodeCompliance;
  /** The team meetings logged for the youth (their start instants), on one of the youth's episodes only. */
  meetings?: readonly { start: string }[];
}

const TITLES: Record<MeasureId, string> = {
  'called-within-5-days': 'Referrals with the caregiver called within 5 calendar days',
  'started-within-14-days': 'Services started within 14 days of first contact',
  'weeks-with-caregiver-contact': 'Service weeks with caregiver contact',
  'weeks-with-collateral-contact': 'Service weeks with collateral (ICC / IHT / outpatient) contact',
  'discharge-plan-within-5-business-days': 'Discharge plans delivered within 5 business days',
};

/**
 * How long a waitlisted family has waited, one definition for the caseload's table and the report: seed 000
 * process 6 — a family is waitlisted when, once contacted, it cannot be offered an interview and a start — so
 * the wait runs from the first caregiver contact (the 5-day call), else from the day it was waitlisted.
 * Undefined when the episode is not waitlisted now.
 */
export function waitlistWait(
  referral: Referral,
  compliance: EpisodeCompliance,
  asOfDay: CivilDate,
  cal: CalendarConfig,
): { since: string; days: number; reason?: string } | undefined {
  if (phaseOf(referral) !== 'waitlisted') return undefined;
  const listed = waitlistedOn(statusHistory(referral));
  const since = compliance.clocks['first-caregiver-call'].satisfiedOn ?? listed?.at ?? referral.authoredOn;
  return {
    since,
    days: Math.max(0, asOfDay - civilDateOf(since, cal.timeZone)),
    reason: listed?.reason ?? referral.statusReason,
  };
}

const decided = (c: ClockResult) =>
  c.status === 'met' || c.status === 'late' || c.status === 'overdue' || c.status === 'missed';

function proportion(id: MeasureId, outcomes: boolean[]): Proportion {
  const numerator = outcomes.filter(Boolean).length;
  const denominator = outcomes.length;
  return {
    id,
    title: TITLES[id],
    numerator,
    denominator,
    score: denominator ? numerator / denominator : undefined,
  };
}

export function qualityReport(
  caseload: readonly CaseloadEpisode[],
  period: { from: string; to: string },
  now: Date,
  cal: CalendarConfig,
): QualityReport {
  const from = civilFromIso(period.from);
  const to = civilFromIso(period.to);
  const inPeriod = (day: number | undefined) => day !== undefined && day >= from && day <= to;
  const dueIn = (c: ClockResult) => inPeriod(c.dueDate ? civilFromIso(c.dueDate) : undefined);

  const called: boolean[] = [];
  const started: boolean[] = [];
  const caregiverWeeks: boolean[] = [];
  const collateralWeeks: boolean[] = [];
  const discharged: boolean[] = [];
  const waited: number[] = [];
  // The report's "as of": the end of the period, or today if earlier.
  const asOfDay = Math.min(to, civilDateOf(now, cal.timeZone));

  // Every episode counts for its own measures; meetings and families are counted per youth.
  const meetingsOf = new Map<string, number>();
  for (const { youthId, referral, compliance, meetings } of caseload) {
    const family = youthId ?? `Task/${referral.id}`;
    meetingsOf.set(
      family,
      (meetingsOf.get(family) ?? 0) +
        (meetings ?? []).filter((m) => inPeriod(civilDateOf(m.start, cal.timeZone))).length,
    );
    const { clocks, weeks } = compliance;
    const referralDay = civilDateOf(referral.authoredOn, cal.timeZone);
    const call = clocks['first-caregiver-call'];
    if (inPeriod(referralDay) && decided(call)) called.push(call.status === 'met');
    const start = clocks['service-initiation'];
    if (dueIn(start) && decided(start)) started.push(start.status === 'met');
    for (const w of weeks) {
      if (!inPeriod(civilFromIso(w.weekStart))) continue;
      if (w.caregiver.status === 'met' || w.caregiver.status === 'missed')
        caregiverWeeks.push(w.caregiver.status === 'met');
      if (w.collateral.status === 'met' || w.collateral.status === 'missed')
        collateralWeeks.push(w.collateral.status === 'met');
    }
    const plan = clocks['discharge-plan'];
    if (dueIn(plan) && decided(plan)) discharged.push(plan.status === 'met');
    const wait = referralDay <= asOfDay ? waitlistWait(referral, compliance, asOfDay, cal) : undefined;
    if (wait) waited.push(wait.days);
  }
  const perFamily = [...meetingsOf.values()];

  return {
    period,
    families: meetingsOf.size,
    measures: [
      proportion('called-within-5-days', called),
      proportion('started-within-14-days', started),
      proportion('weeks-with-caregiver-contact', caregiverWeeks),
      proportion('weeks-with-collateral-contact', collateralWeeks),
      proportion('discharge-plan-within-5-business-days', discharged),
    ],
    meetings: {
      total: perFamily.reduce((a, b) => a + b, 0),
      perFamily,
      families: perFamily.filter((n) => n > 0).length,
    },
    waitlist: {
      length: waited.length,
      daysWaited: waited,
      averageDaysWaited: waited.length ? waited.reduce((a, b) => a + b, 0) / waited.length : undefined,
      longestDaysWaited: waited.length ? Math.max(...waited) : undefined,
    },
  };
}
