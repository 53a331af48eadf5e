/** The quality report as a FHIR MeasureReport (summary): one group per measure, plus the waitlist. */
import type { MeasureReport, MeasureReportGroup } from 'fhir/r4';
import type { QualityReport } from '../../domain/quality';
import { FST_CANONICAL } from '../codes';

export const FST_MEASURE = `${FST_CANONICAL}/Measure/fst-performance-specification`;
export const QUALITY_MEASURE_SYSTEM = `${FST_CANONICAL}/CodeSystem/fst-quality-measure`;
const POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';

const population = (code: string, count: number) => ({
  code: { coding: [{ system: POPULATION, code }] },
  count,
});

export function toMeasureReport(
  report: QualityReport,
  opts: { date: string; reporter?: string },
): MeasureReport {
  const groups: MeasureReportGroup[] = report.measures.map((m) => ({
    code: { coding: [{ system: QUALITY_MEASURE_SYSTEM, code: m.id }], text: m.title },
    population: [population('denominator', m.denominator), population('numerator', m.numerator)],
    ...(m.score !== undefined ? { measureScore: { value: Math.round(m.score * 10_000) / 10_000 } } : {}),
  }));
  groups.push({
    code: {
      coding: [{ system: QUALITY_MEASURE_SYSTEM, code: 'waitlist' }],
      text: 'Families on the waitlist; score = average days waited',
    },
    population: [population('initial-population', report.waitlist.length)],
    ...(report.waitlist.averageDaysWaited !== undefined
      ? {
          measureScore: {
            value: Math.round(report.waitlist.averageDaysWaited * 10) / 10,
            unit: 'd',
            system: 'http://unitsofmeasure.org',
            code: 'd',
          },
        }
      : {}),
  });
  return {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure: FST_MEASURE,
    date: opts.date,
    period: { start: report.period.from, end: report.period.to },
    ...(opts.reporter ? { reporter: { reference: opts.reporter } } : {}),
    group: groups,
  };
}
