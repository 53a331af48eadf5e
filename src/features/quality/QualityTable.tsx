import type { ReportRow } from '../../domain/quality';

/** The quality report's rows as one table: the live report and the stored one render the same way. */
export function QualityTable({ rows }: { rows: readonly ReportRow[] }) {
  return (
    <table aria-label="Quality measures">
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col">Result</th>
          <th scope="col">Met / decided</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">
              {r.title}
              <details className="definition">
                <summary>How it is counted</summary>
                {r.definition}
              </details>
            </th>
            <td>{resultOf(r)}</td>
            <td>
              {r.denominator !== undefined
                ? `${r.numerator ?? 0} / ${r.denominator}`
                : r.unit === 'days'
                  ? 'days'
                  : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A row's result as the screen shows it: a percent, a count, days, or a score (one decimal). */
function resultOf(r: ReportRow): string {
  if (r.value === undefined) return '—';
  if (r.unit === 'proportion') return `${(r.value * 100).toFixed(0)}%`;
  if (r.unit === 'score') return `${r.value > 0 && r.id.endsWith('change') ? '+' : ''}${r.value.toFixed(1)}`;
  return r.unit === 'days' ? r.value.toFixed(0) : String(r.value);
}
