/**
 * The agency's own outcome instruments (seed 000 quality 2: "outcome measures"), beside the two the app ships:
 * a Questionnaire the agency configures, filled in by the Family Partner with the caregiver and kept as a
 * QuestionnaireResponse. The app renders the plain item types (boolean, whole and decimal numbers, short and
 * long text, dates, single choice, display text); an instrument using any other says so and is not offered.
 * Pure.
 */
import type { FieldProblem } from './model';

export type InstrumentItemType =
  'display' | 'boolean' | 'integer' | 'decimal' | 'string' | 'text' | 'date' | 'choice';

export interface InstrumentOption {
  /** What is stored: a code (with its system) or the text itself. */
  value: string;
  label: string;
  system?: string;
  kind: 'coding' | 'string' | 'integer';
}

export interface InstrumentItem {
  linkId: string;
  text: string;
  type: InstrumentItemType;
  required: boolean;
  options: InstrumentOption[];
}

export interface AgencyInstrument {
  /** The Questionnaire's canonical URL: what the responses name. */
  url: string;
  version?: string;
  title: string;
  items: InstrumentItem[];
}

export type InstrumentAnswer = string | number | boolean;
export type InstrumentAnswers = Partial<Record<string, InstrumentAnswer>>;

/** What keeps the answers from being saved, per item, in words. */
export function instrumentAnswerProblems(
  instrument: AgencyInstrument,
  answers: InstrumentAnswers,
): FieldProblem<string>[] {
  const problems: FieldProblem<string>[] = [];
  for (const item of instrument.items) {
    if (item.type === 'display') continue;
    const a = answers[item.linkId];
    const empty = a === undefined || (typeof a === 'string' && !a.trim());
    if (empty) {
      if (item.required) problems.push({ field: item.linkId, message: 'Answer this question.' });
      continue;
    }
    if (item.type === 'integer' && !(typeof a === 'number' && Number.isInteger(a)))
      problems.push({ field: item.linkId, message: 'Enter a whole number.' });
    if (item.type === 'decimal' && !(typeof a === 'number' && Number.isFinite(a)))
      problems.push({ field: item.linkId, message: 'Enter a number.' });
  }
  if (
    !problems.length &&
    instrument.items.every((i) => i.type === 'display' || answers[i.linkId] === undefined)
  )
    problems.push({
      field: instrument.items.find((i) => i.type !== 'display')?.linkId ?? '',
      message: 'Answer at least one question.',
    });
  return problems;
}

export interface AnswerTrend {
  linkId: string;
  first: number;
  latest: number;
  /** latest − first. */
  change: number;
  /** How many answer sets hold a number for the question. */
  count: number;
}

/**
 * The trend of each numeric answer across a family's answer sets (any order in; by `authored`): the first
 * and the latest value, for every question answered with a number at least twice.
 */
export function answerTrends(
  responses: readonly { authored: string; answers: readonly { linkId: string; value: unknown }[] }[],
): AnswerTrend[] {
  const ordered = [...responses].sort((a, b) => a.authored.localeCompare(b.authored));
  const series = new Map<string, number[]>();
  for (const r of ordered)
    for (const a of r.answers)
      if (typeof a.value === 'number' && Number.isFinite(a.value))
        series.set(a.linkId, [...(series.get(a.linkId) ?? []), a.value]);
  return [...series.entries()]
    .filter(([, values]) => values.length >= 2)
    .map(([linkId, values]) => {
      const first = values[0];
      const latest = values[values.length - 1];
      return { linkId, first, latest, change: latest - first, count: values.length };
    });
}
