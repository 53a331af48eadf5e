/** The quality report as a FHIR MeasureReport (summary): one group per report row (reportRows). */
import type { MeasureReport, MeasureReportGroup } from 'fhir/r4';
import type { QualityReport } from '../../domain/quality';
import { reportRows } from '../../domain/quality';
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
  // The rows the screen and the CSV show (reportRows): a proportion as its denominator and numerator with the
  // score, a count as its population, days as a score in days. Each group's text is its title and definition.
  const group = reportRows(report).map((r): MeasureReportGroup => ({
    code: {
      coding: [{ system: QUALITY_MEASURE_SYSTEM, code: r.id, display: r.title }],
      text: `${r.title}. ${r.definition}`,
    },
    ...(r.unit === 'proportion'
      ? {
          population: [
            population('denominator', r.denominator ?? 0),
            population('numerator', r.numerator ?? 0),
          ],
          ...(r.value !== undefined
            ? { measureScore: { value: Math.round(r.value * 10_000) / 10_000 } }
            : {}),
        }
      : r.unit === 'count'
        ? { population: [population('initial-population', r.value ?? 0)] }
        : r.value !== undefined
          ? {
              measureScore:
                r.unit === 'score'
                  ? // A mean on the instrument's 1–5 scale (or its change): a plain number, UCUM unity.
                    {
                      value: Math.round(r.value * 100) / 100,
                      unit: '1',
                      system: 'http://unitsofmeasure.org',
                      code: '1',
                    }
                  : {
                      value: Math.round(r.value * 10) / 10,
                      unit: 'd',
                      system: 'http://unitsofmeasure.org',
                      code: 'd',
                    },
            }
          : {}),
  }));
  return {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure: FST_MEASURE,
    date: opts.date,
    period: { start: report.period.from, end: report.period.to },
    ...(opts.reporter ? { reporter: { reference: opts.reporter } } : {}),
    group,
  };
}
