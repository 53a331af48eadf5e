/** The quality report as CSV: one row per measure (columns: measure, title, numerator, denominator, percent). */
import type { QualityReport } from '../../domain/quality';
import { csvDocument } from '../../ui/csv';

export function qualityToCsv(report: QualityReport): string {
  const rows = [['measure', 'title', 'numerator', 'denominator', 'percent']];
  for (const m of report.measures) {
    rows.push([
      m.id,
      m.title,
      String(m.numerator),
      String(m.denominator),
      m.score === undefined ? '' : (m.score * 100).toFixed(1),
    ]);
  }
  rows.push(['waitlist-length', 'Families on the waitlist', String(report.waitlist.length), '', '']);
  rows.push([
    'waitlist-average-days',
    'Average days waited',
    report.waitlist.averageDaysWaited?.toFixed(1) ?? '',
    '',
    '',
  ]);
  rows.push([
    'waitlist-longest-days',
    'Longest wait in days',
    String(report.waitlist.longestDaysWaited ?? ''),
    '',
    '',
  ]);
  rows.push(['team-meetings', 'Team meetings attended in the period', String(report.meetings.total), '', '']);
  rows.push([
    'families-with-team-meetings',
    'Families with a team meeting attended',
    String(report.meetings.families),
    String(report.families),
    report.families ? ((report.meetings.families / report.families) * 100).toFixed(1) : '',
  ]);
  return csvDocument(rows);
}
