/**
 * Whether a screen shows the measures job's stored figures or computes them live (issue 40): stored when the job
 * has run and its data is no older than the site's `storedReportsMaxAgeMinutes`; otherwise live, saying why.
 * Pure: `now` is passed in.
 */
import type { MeasureId, ReportRow } from './quality';
import { measureDefinition, MEASURE_TITLES } from './quality';

export type FiguresSource =
  | { source: 'stored'; asOf: string }
  | { source: 'live'; reason: 'never-run' | 'stale' | 'unreadable'; asOf?: string };

export function figuresSource(
  stored: { asOf?: string; rows: number; unreadable: number },
  now: Date,
  maxAgeMinutes: number,
): FiguresSource {
  if (!stored.asOf) return { source: 'live', reason: 'never-run' };
  // A report the screen cannot read back would drop a family from the list: compute live instead.
  if (stored.unreadable > 0) return { source: 'live', reason: 'unreadable', asOf: stored.asOf };
  const age = now.getTime() - Date.parse(stored.asOf);
  if (!(age <= maxAgeMinutes * 60_000)) return { source: 'live', reason: 'stale', asOf: stored.asOf };
  return { source: 'stored', asOf: stored.asOf };
}

/** The calendar months (YYYY-MM) a period of days touches, first to last. */
export function monthsOfPeriod(period: { from: string; to: string }): string[] {
  const out: string[] = [];
  let [y, m] = period.from.slice(0, 7).split('-').map(Number);
  const [ty, tm] = period.to.slice(0, 7).split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The whole months a period covers: a period from the 1st to a month's last day reads as those months. */
export function wholeMonths(period: { from: string; to: string }): { from: string; to: string } {
  const months = monthsOfPeriod(period);
  const last = months[months.length - 1];
  const [y, m] = last.split('-').map(Number);
  const end = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${months[0]}-01`, to: `${last}-${String(end).padStart(2, '0')}` };
}

/** The proportion rows the stored summaries carry, summed over their months: the quality report's own titles. */
export function storedQualityRows(
  counts: readonly { id: MeasureId; numerator: number; denominator: number }[],
): ReportRow[] {
  const sum = new Map<MeasureId, { n: number; d: number }>();
  for (const c of counts) {
    const s = sum.get(c.id) ?? { n: 0, d: 0 };
    s.n += c.numerator;
    s.d += c.denominator;
    sum.set(c.id, s);
  }
  return (Object.keys(MEASURE_TITLES) as MeasureId[]).map((id) => {
    const s = sum.get(id) ?? { n: 0, d: 0 };
    return {
      id,
      title: MEASURE_TITLES[id],
      definition: measureDefinition(id),
      numerator: s.n,
      denominator: s.d,
      value: s.d ? s.n / s.d : undefined,
      unit: 'proportion',
    };
  });
}
