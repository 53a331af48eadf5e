/**
 * The quality report as CSV: one row per report row (src/domain/quality.ts reportRows, the rows the screen and
 * the MeasureReport show), with its definition. Columns: measure, title, numerator, denominator, value (percent
 * for a proportion, else the count, days or score), definition.
 */
import type { QualityReport, ReportRow } from '../../domain/quality';
import { reportRows } from '../../domain/quality';
import { csvDocument } from '../../ui/csv';

export function qualityToCsv(report: QualityReport): string {
  return qualityRowsToCsv(reportRows(report));
}

/** The same file from rows alone (the stored reports' rows: src/domain/storedReports.ts). */
export function qualityRowsToCsv(reportRows: readonly ReportRow[]): string {
  const rows = [['measure', 'title', 'numerator', 'denominator', 'value', 'definition']];
  for (const r of reportRows) {
    const value =
      r.value === undefined
        ? ''
        : r.unit === 'proportion'
          ? (r.value * 100).toFixed(1)
          : r.unit === 'days' || r.unit === 'score'
            ? r.value.toFixed(r.unit === 'score' ? 2 : 1)
            : String(r.value);
    rows.push([r.id, r.title, String(r.numerator ?? ''), String(r.denominator ?? ''), value, r.definition]);
  }
  return csvDocument(rows);
}
