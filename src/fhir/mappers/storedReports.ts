/**
 * What the measures job (jobs/measures) stores and the screens read back: one individual MeasureReport per
 * episode (its caseload row — clocks, next deadline — and its quality measures per month), and summary
 * MeasureReports per Family Partner, team and agency per month. Every report carries the job's identifier (one
 * per episode / scope and month), so a re-run updates the same record.
 *
 * The caseload row rides as JSON in one extension (`fst-caseload-entry`): the screen shows exactly what the
 * domain computed (src/domain/caseload.ts), parsed again with zod on the way in. The measures are the standard
 * population counts (numerator, denominator) of the quality report's proportions (src/domain/quality.ts).
 */
import type { MeasureReport, MeasureReportGroup } from 'fhir/r4';
import { z } from '../../schema/z';
import type { CaseloadEntry } from '../../domain/caseload';
import type { MeasureId, Proportion } from '../../domain/quality';
import { FST_CANONICAL, IdentifierSystems } from '../codes';
import { FST_MEASURE, QUALITY_MEASURE_SYSTEM } from './measureReport';

export const EPISODE_MEASURE = `${FST_CANONICAL}/Measure/fst-episode`;
export const StoredReportExtensions = {
  caseloadEntry: `${FST_CANONICAL}/StructureDefinition/fst-caseload-entry`,
  scope: `${FST_CANONICAL}/StructureDefinition/fst-report-scope`,
  /** The job's export `transactionTime`: the records the report was computed from, as of that instant. */
  dataAsOf: `${FST_CANONICAL}/StructureDefinition/fst-data-as-of`,
} as const;
const POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';
const MONTH_STRATIFIER = `${FST_CANONICAL}/CodeSystem/fst-stratifier`;

export type ReportScope = { kind: 'agency' } | { kind: 'team' | 'family-partner'; reference: string };

/** A month's counts of one measure. */
export interface MonthCounts {
  month: string;
  measures: Pick<Proportion, 'id' | 'numerator' | 'denominator'>[];
}

export const jobIdentifier = (value: string) => ({ system: IdentifierSystems.measuresJob, value });
export const episodeKey = (referralId: string) => `episode:${referralId}`;
export const summaryKey = (scope: ReportScope, month: string) =>
  `summary:${scope.kind}${'reference' in scope ? `:${scope.reference}` : ''}:${month}`;

const pop = (code: string, count: number) => ({ code: { coding: [{ system: POPULATION, code }] }, count });
const measureCode = (id: string) => ({ coding: [{ system: QUALITY_MEASURE_SYSTEM, code: id }] });
const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

export function toEpisodeReport(input: {
  entry: CaseloadEntry;
  months: readonly MonthCounts[];
  /** The episode's first and last day (today while it is open). */
  period: { start: string; end: string };
  /** The job's `now`, and the export's transactionTime. */
  date: string;
  dataAsOf: string;
  team?: string;
  reporter?: string;
}): MeasureReport {
  const ids = new Set(input.months.flatMap((m) => m.measures.map((x) => x.id)));
  const group: MeasureReportGroup[] = [...ids].flatMap((id) => {
    const stratum = input.months.flatMap((m) => {
      const x = m.measures.find((p) => p.id === id);
      return x && x.denominator > 0
        ? [
            {
              value: { text: m.month },
              population: [pop('denominator', x.denominator), pop('numerator', x.numerator)],
            },
          ]
        : [];
    });
    // A measure with nothing decided in any month is left out (FHIR holds no empty lists).
    return stratum.length
      ? [
          {
            code: measureCode(id),
            stratifier: [{ code: [{ coding: [{ system: MONTH_STRATIFIER, code: 'month' }] }], stratum }],
          },
        ]
      : [];
  });
  return {
    resourceType: 'MeasureReport',
    identifier: [jobIdentifier(episodeKey(input.entry.referral.id))],
    status: 'complete',
    type: 'individual',
    measure: EPISODE_MEASURE,
    subject: { reference: `Patient/${input.entry.youth.id}`, display: input.entry.youth.name.full },
    date: input.date,
    period: input.period,
    ...(input.reporter ? { reporter: { reference: input.reporter } } : {}),
    extension: [
      { url: StoredReportExtensions.caseloadEntry, valueString: JSON.stringify(input.entry) },
      { url: StoredReportExtensions.dataAsOf, valueInstant: input.dataAsOf },
      ...(input.team
        ? [{ url: StoredReportExtensions.scope, valueReference: { reference: input.team } }]
        : []),
    ],
    ...(group.length ? { group } : {}),
  };
}

export function toSummaryReport(input: {
  scope: ReportScope;
  month: string;
  measures: readonly Pick<Proportion, 'id' | 'numerator' | 'denominator'>[];
  families: number;
  date: string;
  dataAsOf: string;
  reporter?: string;
}): MeasureReport {
  const { scope } = input;
  return {
    resourceType: 'MeasureReport',
    identifier: [jobIdentifier(summaryKey(scope, input.month))],
    status: 'complete',
    type: 'summary',
    measure: FST_MEASURE,
    ...(scope.kind === 'family-partner' ? { subject: { reference: scope.reference } } : {}),
    date: input.date,
    period: { start: `${input.month}-01`, end: lastDay(input.month) },
    ...(input.reporter ? { reporter: { reference: input.reporter } } : {}),
    extension: [
      {
        url: StoredReportExtensions.scope,
        ...('reference' in scope
          ? { valueReference: { reference: scope.reference } }
          : { valueString: 'agency' }),
      },
      { url: StoredReportExtensions.dataAsOf, valueInstant: input.dataAsOf },
    ],
    group: [
      { code: measureCode('families'), population: [pop('initial-population', input.families)] },
      ...input.measures.map((m) => ({
        code: measureCode(m.id),
        population: [pop('denominator', m.denominator), pop('numerator', m.numerator)],
        ...(m.denominator
          ? { measureScore: { value: Math.round((m.numerator / m.denominator) * 10_000) / 10_000 } }
          : {}),
      })),
    ],
  };
}

const countOf = (populations: MeasureReportGroup['population'], code: string) =>
  populations?.find((p) => p.code?.coding?.some((c) => c.code === code))?.count ?? 0;

/** The months' counts an episode report holds (the job sums them into the summaries). */
export function monthsOfEpisodeReport(report: MeasureReport): MonthCounts[] {
  const byMonth = new Map<string, MonthCounts>();
  for (const g of report.group ?? []) {
    const id = g.code?.coding?.find((c) => c.system === QUALITY_MEASURE_SYSTEM)?.code as
      MeasureId | undefined;
    if (!id) continue;
    for (const s of g.stratifier?.[0]?.stratum ?? []) {
      const month = s.value?.text ?? '';
      const row = byMonth.get(month) ?? { month, measures: [] };
      row.measures.push({
        id,
        numerator: countOf(s.population, 'numerator'),
        denominator: countOf(s.population, 'denominator'),
      });
      byMonth.set(month, row);
    }
  }
  return [...byMonth.values()];
}

/** A summary report's month and measures' counts (the agency's, a team's or a Family Partner's). */
export function monthsOfSummary(report: MeasureReport): MonthCounts[] {
  if (report.type !== 'summary' || !report.period?.start) return [];
  const measures = (report.group ?? []).flatMap((g) => {
    const id = g.code?.coding?.find((c) => c.system === QUALITY_MEASURE_SYSTEM)?.code;
    if (!id || id === 'families') return [];
    return [
      {
        id: id as MeasureId,
        numerator: countOf(g.population, 'numerator'),
        denominator: countOf(g.population, 'denominator'),
      },
    ];
  });
  return [{ month: report.period.start.slice(0, 7), measures }];
}

const clockSchema = z.looseObject({ clock: z.string(), status: z.string() });
const entrySchema = z.looseObject({
  youth: z.looseObject({ id: z.string(), name: z.looseObject({ full: z.string() }) }),
  referral: z.looseObject({ id: z.string(), status: z.string(), authoredOn: z.string() }),
  attention: z.optional(clockSchema),
  overdue: z.number(),
  due: z.number(),
  pastMissedWeeks: z.number(),
});

/** An episode report as the caseload reads it back: its row, the team, and as of when; undefined if unreadable. */
export function parseEpisodeReport(
  report: MeasureReport,
): { entry: CaseloadEntry; dataAsOf: string; date: string; team?: string } | undefined {
  const ext = (url: string) => report.extension?.find((e) => e.url === url);
  const raw = ext(StoredReportExtensions.caseloadEntry)?.valueString;
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = entrySchema.safeParse(json);
  if (!parsed.success) return undefined;
  return {
    entry: parsed.data as unknown as CaseloadEntry,
    dataAsOf: ext(StoredReportExtensions.dataAsOf)?.valueInstant ?? report.date ?? '',
    date: report.date ?? '',
    team: ext(StoredReportExtensions.scope)?.valueReference?.reference,
  };
}
