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
import type { OutcomeRecord, OutcomesSummary } from './outcomes';
import { summariseOutcomes } from './outcomes';

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
  /** Goal attainment and caregiver satisfaction in the period (seed 000 quality 2–3). */
  outcomes: OutcomesSummary;
  families: number;
}

export interface CaseloadEpisode {
  /** The youth: a re-referred youth has several episodes and is one family. */
  youthId?: string;
  referral: Referral;
  compliance: EpisodeCompliance;
  /** The team meetings logged for the youth (their start instants), on one of the youth's episodes only. */
  meetings?: readonly { start: string }[];
  /** This episode's own goal ratings and surveys (outcomesOfEpisode): each episode keeps its own outcomes. */
  outcomes?: readonly OutcomeRecord[];
}

export const MEASURE_TITLES: Record<MeasureId, string> = {
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
    title: MEASURE_TITLES[id],
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
  const outcomes = summariseOutcomes(
    caseload.filter((e) => e.outcomes !== undefined).map((e) => ({ records: e.outcomes ?? [] })),
    period,
  );

  return {
    period,
    families: meetingsOf.size,
    outcomes,
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

/**
 * One row of the report as every rendering shows it — the screen, the CSV and the MeasureReport read these
 * rows and nothing else, so the three never drift apart. A proportion has a numerator and a denominator; a
 * count or a number of days has a value. Each says how it is counted.
 */
export interface ReportRow {
  id: string;
  title: string;
  /** Numerator, denominator and the period rule, in words (shown on the report). */
  definition: string;
  numerator?: number;
  denominator?: number;
  /** A proportion's score (0–1), a count, or a number of days. */
  value?: number;
  unit: 'proportion' | 'count' | 'days' | 'score';
}

/** How a measure is counted, in words: the screen, the CSV and the stored reports' rows say the same. */
export const measureDefinition = (id: MeasureId): string => DEFINITIONS[id];

const DEFINITIONS: Record<MeasureId, string> = {
  'called-within-5-days':
    'Referrals made in the period whose 5-day call is decided; met when the caregiver was reached by phone within 5 calendar days of the referral (seed 000 process 5).',
  'started-within-14-days':
    'Episodes whose 14-day start deadline falls in the period and is decided; met when the first session was within 14 days of the first caregiver contact (seed 000 process 5).',
  'weeks-with-caregiver-contact':
    'Service weeks that begin in the period (a week counts by its first day, so a week partly before the period is not counted and one partly after it is), excluding weeks wholly on hold and weeks not read; met when the caregiver was contacted that week (seed 000 process 8).',
  'weeks-with-collateral-contact':
    "Service weeks that begin in the period, as above; met when the youth's ICC, IHT or outpatient provider was contacted that week, or met with FST at a team meeting with an update given (seed 000 process 9).",
  'discharge-plan-within-5-business-days':
    'Discharges whose 5-business-day deadline falls in the period and is decided; met when the plan reached every recipient it was planned for by then (seed 000 discharge 5).',
};

export function reportRows(report: QualityReport): ReportRow[] {
  const { waitlist, meetings } = report;
  return [
    ...report.measures.map((m): ReportRow => ({
      id: m.id,
      title: m.title,
      definition: DEFINITIONS[m.id],
      numerator: m.numerator,
      denominator: m.denominator,
      value: m.score,
      unit: 'proportion',
    })),
    {
      id: 'waitlist-length',
      title: 'Families on the waitlist',
      definition: "Families waitlisted at the period's end (or today, if earlier).",
      value: waitlist.length,
      unit: 'count',
    },
    {
      id: 'waitlist-average-days',
      title: 'Average days waited',
      definition:
        'For those families: days from the first caregiver contact (else the day the family was waitlisted) to the period’s end or today (seed 000 process 6).',
      value: waitlist.averageDaysWaited,
      unit: 'days',
    },
    {
      id: 'waitlist-longest-days',
      title: 'Longest wait in days',
      definition: 'The longest of those waits.',
      value: waitlist.longestDaysWaited,
      unit: 'days',
    },
    {
      id: 'team-meetings',
      title: 'Team meetings attended in the period',
      definition:
        'Care Planning Team and treatment-team meetings FST attended (logged by FST) that began in the period.',
      value: meetings.total,
      unit: 'count',
    },
    {
      id: 'families-with-team-meetings',
      title: 'Families with a team meeting attended',
      definition:
        'Families of the caseload (a re-referred youth counts once) with at least one such meeting in the period.',
      numerator: meetings.families,
      denominator: report.families,
      value: report.families ? meetings.families / report.families : undefined,
      unit: 'proportion',
    },
    ...outcomeRows(report.outcomes),
  ];
}

/** Seed 000 quality 2–3: caregiver satisfaction and goal attainment, as rows of the same report. */
function outcomeRows(o: OutcomesSummary): ReportRow[] {
  return [
    {
      id: 'satisfaction-surveys',
      title: 'Caregiver satisfaction surveys answered',
      definition: 'Caregiver satisfaction surveys answered in the period, whatever their number of answers.',
      value: o.surveys,
      unit: 'count',
    },
    {
      id: 'satisfaction-surveys-by-caregiver',
      title: 'Surveys the caregiver answered herself',
      definition:
        'Of the surveys answered in the period, those the caregiver saved herself on her own phone (written in her name), apart from those staff entered with her.',
      numerator: o.answeredByCaregiver,
      denominator: o.surveys,
      value: o.surveys ? o.answeredByCaregiver / o.surveys : undefined,
      unit: 'proportion',
    },
    {
      id: 'satisfaction-mean',
      title: 'Mean caregiver satisfaction (1–5)',
      definition:
        'The mean of the surveys’ scores; a survey’s score is the mean of its six statements answered (at least four), 1 strongly disagree to 5 strongly agree.',
      value: o.meanSatisfaction,
      unit: 'score',
    },
    {
      id: 'caregivers-satisfied',
      title: 'Caregivers satisfied (score 4 or more)',
      definition: 'Scored surveys of the period with a score of 4 or more, of the scored surveys.',
      numerator: o.satisfied,
      denominator: o.scored,
      value: o.scored ? o.satisfied / o.scored : undefined,
      unit: 'proportion',
    },
    {
      id: 'goal-attainment-change',
      title: 'Mean change in goal attainment since intake (1–5 scale)',
      definition:
        'For each family whose latest goal rating of the episode falls in the period and who has an intake rating: the latest mean rating minus the intake mean; averaged over those families.',
      value: o.meanChange,
      unit: 'score',
    },
    {
      id: 'families-goal-attainment-improved',
      title: 'Families whose goal attainment rose since intake',
      definition: 'Of those families, the ones whose latest mean rating is above their intake mean.',
      numerator: o.improved,
      denominator: o.familiesWithChange,
      value: o.familiesWithChange ? o.improved / o.familiesWithChange : undefined,
      unit: 'proportion',
    },
  ];
}
