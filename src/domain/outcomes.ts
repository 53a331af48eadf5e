/**
 * Outcomes and satisfaction (seed 000 quality management 2–3): "collect outcome data … measure caregiver
 * satisfaction", and clinical outcomes "made available … upon request". Two instruments of our own writing are
 * the defaults, each a FHIR Questionnaire built from the definitions here (src/fhir/outcomes.ts):
 *
 * - the caregiver satisfaction survey (English and Spanish): six statements on a five-point agreement scale and
 *   a comment; the score is the mean of the statements answered (at least four), 1–5; "satisfied" is ≥ 4;
 * - goal attainment: each FST goal of the plan rated by the Family Partner with the caregiver, 1 (not begun) to
 *   5 (achieved), at intake, at each continuing-stay review and at discharge; the score is the mean rating;
 *   the change is the latest score minus the intake score of the same episode.
 *
 * Pure: no React, no FHIR.
 */
import type { Referral } from './model';
import { episodeAt } from './referral';

/** The languages the survey is written in. */
export type SurveyLanguage = 'en' | 'es';

export type Instrument = 'caregiver-satisfaction' | 'goal-attainment';
export type Timepoint = 'intake' | 'review' | 'discharge';

export const TIMEPOINTS: Record<Timepoint, string> = {
  intake: 'Intake',
  review: 'Continuing-stay review',
  discharge: 'Discharge',
};

export interface Wording {
  en: string;
  es: string;
}

export const SATISFACTION_ITEMS: readonly { linkId: string; text: Wording }[] = [
  {
    linkId: 'respect',
    text: {
      en: 'My Family Partner treated me with respect.',
      es: 'Mi compañero(a) familiar me trató con respeto.',
    },
  },
  {
    linkId: 'listened',
    text: {
      en: 'My Family Partner listened to what my family needs.',
      es: 'Mi compañero(a) familiar escuchó lo que necesita mi familia.',
    },
  },
  {
    linkId: 'language',
    text: {
      en: 'I could talk with my Family Partner in the language I prefer.',
      es: 'Pude hablar con mi compañero(a) familiar en el idioma que prefiero.',
    },
  },
  {
    linkId: 'skills',
    text: {
      en: 'I learned skills that help me support my child.',
      es: 'Aprendí habilidades que me ayudan a apoyar a mi hijo(a).',
    },
  },
  {
    linkId: 'voice',
    text: {
      en: "I have a stronger voice in my child's care and at team meetings.",
      es: 'Tengo más voz en el cuidado de mi hijo(a) y en las reuniones del equipo.',
    },
  },
  {
    linkId: 'recommend',
    text: {
      en: 'I would recommend Family Support and Training to another family.',
      es: 'Recomendaría Apoyo y Capacitación Familiar a otra familia.',
    },
  },
];

export const AGREEMENT: readonly { value: number; text: Wording }[] = [
  { value: 1, text: { en: 'Strongly disagree', es: 'Muy en desacuerdo' } },
  { value: 2, text: { en: 'Disagree', es: 'En desacuerdo' } },
  { value: 3, text: { en: 'Neither agree nor disagree', es: 'Ni de acuerdo ni en desacuerdo' } },
  { value: 4, text: { en: 'Agree', es: 'De acuerdo' } },
  { value: 5, text: { en: 'Strongly agree', es: 'Muy de acuerdo' } },
];

export const SURVEY_TEXT = {
  title: { en: 'Caregiver satisfaction survey', es: 'Encuesta de satisfacción para cuidadores' },
  intro: {
    en: 'Your answers help us improve Family Support and Training. Choose how much you agree with each statement.',
    es: 'Sus respuestas nos ayudan a mejorar Apoyo y Capacitación Familiar. Elija cuánto está de acuerdo con cada frase.',
  },
  comment: { en: 'Anything else you want to tell us?', es: '¿Algo más que quiera decirnos?' },
} as const satisfies Record<string, Wording>;

export const ATTAINMENT: readonly { value: number; label: string }[] = [
  { value: 1, label: '1 · Not begun' },
  { value: 2, label: '2 · Beginning' },
  { value: 3, label: '3 · Some progress' },
  { value: 4, label: '4 · Mostly there' },
  { value: 5, label: '5 · Achieved' },
];

/** The least number of statements a survey needs to be scored. */
export const MIN_SURVEY_ANSWERS = 4;

export interface OutcomeRecord {
  id: string;
  instrument: Instrument;
  /** ISO instant the answers were recorded. */
  authored: string;
  /** The referral order of the episode it belongs to, when recorded. */
  serviceRequestId?: string;
  /** Goal attainment: when in the episode. */
  timepoint?: Timepoint;
  /** Survey: the language it was answered in. */
  language?: SurveyLanguage;
  /** Survey: statement linkId → 1–5. Goal attainment: Goal id → 1–5. */
  ratings: ReadonlyMap<string, number>;
  comment?: string;
  authorReference?: string;
}

/** The survey's score, 1–5, or undefined when fewer than MIN_SURVEY_ANSWERS statements were answered. */
export function satisfactionScore(record: OutcomeRecord): number | undefined {
  const values = SATISFACTION_ITEMS.map((i) => record.ratings.get(i.linkId)).filter(
    (v): v is number => v !== undefined,
  );
  if (values.length < MIN_SURVEY_ANSWERS) return undefined;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The mean goal rating, 1–5, or undefined when no goal was rated. */
export function attainmentScore(record: OutcomeRecord): number | undefined {
  const values = [...record.ratings.values()];
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

export function scoreOf(record: OutcomeRecord): number | undefined {
  return record.instrument === 'caregiver-satisfaction' ? satisfactionScore(record) : attainmentScore(record);
}

/** A family's records of one instrument (of one episode when given), oldest first, with their scores. */
export function series(
  records: readonly OutcomeRecord[],
  instrument: Instrument,
  serviceRequestId?: string,
): { record: OutcomeRecord; score?: number }[] {
  return records
    .filter((r) => r.instrument === instrument)
    .filter((r) => serviceRequestId === undefined || r.serviceRequestId === serviceRequestId)
    .sort((a, b) => Date.parse(a.authored) - Date.parse(b.authored))
    .map((record) => ({ record, score: scoreOf(record) }));
}

/**
 * The outcomes of one episode: those recorded for its order (basedOn); one recorded without an order, or for an
 * order the app does not know, belongs to the episode it was recorded in (episodeAt). The Outcomes card, the
 * caseload and the quality report all read this, so an old survey never shows in a new episode.
 */
export function outcomesOfEpisode(
  records: readonly OutcomeRecord[],
  referral: Referral,
  referrals: readonly Referral[],
): OutcomeRecord[] {
  const all = referrals.some((r) => r.id === referral.id) ? referrals : [...referrals, referral];
  const orders = new Set(all.map((r) => r.serviceRequestId).filter(Boolean));
  return records.filter((r) =>
    r.serviceRequestId && orders.has(r.serviceRequestId)
      ? r.serviceRequestId === referral.serviceRequestId
      : episodeAt(r.authored, all)?.id === referral.id,
  );
}

/** Goal attainment's change over the episode: the latest score minus the intake score. */
export function attainmentChange(
  records: readonly OutcomeRecord[],
  serviceRequestId?: string,
): number | undefined {
  const list = series(records, 'goal-attainment', serviceRequestId).filter((s) => s.score !== undefined);
  const intake = list.find((s) => s.record.timepoint === 'intake');
  const latest = list.at(-1);
  if (!intake || !latest || latest.record === intake.record) return undefined;
  return (latest.score as number) - (intake.score as number);
}

/** Which goal-attainment timepoint is next for an episode: intake until one is recorded, then review. */
export function nextTimepoint(records: readonly OutcomeRecord[], serviceRequestId?: string): Timepoint {
  return series(records, 'goal-attainment', serviceRequestId).some((s) => s.record.timepoint === 'intake')
    ? 'review'
    : 'intake';
}

export interface OutcomesSummary {
  /** Surveys answered in the period (scored or not). */
  surveys: number;
  /**
   * Of those, the ones the caregiver answered herself, on her own phone (author = her RelatedPerson), apart
   * from those staff entered with her.
   */
  answeredByCaregiver: number;
  /** Mean of the scored surveys' scores. */
  meanSatisfaction?: number;
  /** Scored surveys with a score of 4 or more, and scored surveys. */
  satisfied: number;
  scored: number;
  /** Families with an intake rating and a later one in the period, and their mean change. */
  familiesWithChange: number;
  meanChange?: number;
  /** Of those, families whose score rose. */
  improved: number;
}

const inPeriod = (iso: string, period: { from: string; to: string }) => {
  const day = iso.slice(0, 10);
  return day >= period.from && day <= period.to;
};

/**
 * The outcomes of a caseload over a period: surveys answered in it, and goal-attainment change for each episode
 * whose latest rating falls in it. `families` holds each family's records (any order).
 */
export function summariseOutcomes(
  families: readonly { records: readonly OutcomeRecord[]; serviceRequestId?: string }[],
  period: { from: string; to: string },
): OutcomesSummary {
  const surveys = families.flatMap((f) =>
    f.records.filter((r) => r.instrument === 'caregiver-satisfaction' && inPeriod(r.authored, period)),
  );
  const scores = surveys.map(satisfactionScore).filter((s): s is number => s !== undefined);
  const changes = families
    .map((f) => {
      const list = series(f.records, 'goal-attainment', f.serviceRequestId);
      const latest = list.at(-1);
      return latest && inPeriod(latest.record.authored, period)
        ? attainmentChange(f.records, f.serviceRequestId)
        : undefined;
    })
    .filter((c): c is number => c !== undefined);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  return {
    surveys: surveys.length,
    answeredByCaregiver: surveys.filter((s) => s.authorReference?.startsWith('RelatedPerson/')).length,
    meanSatisfaction: mean(scores),
    satisfied: scores.filter((s) => s >= 4).length,
    scored: scores.length,
    familiesWithChange: changes.length,
    meanChange: mean(changes),
    improved: changes.filter((c) => c > 0).length,
  };
}
