/** The figures of a bench script: printed as they come, then as a table, and written as JSON for docs/. */
import { writeFileSync } from 'node:fs';

export interface BenchRow {
  measure: string;
  value: string;
  target?: string;
}

export function benchTable() {
  const rows: BenchRow[] = [];
  return {
    record(measure: string, value: string, target?: string): void {
      rows.push({ measure, value, target });
      process.stdout.write(`${measure}: ${value}\n`);
    },
    /** Prints the table and writes `{ date, node, rows }` to `file` (README links it). */
    finish(file: string): void {
      const width = Math.max(...rows.map((r) => r.measure.length));
      process.stdout.write(`\n${'measure'.padEnd(width)} | value | target\n`);
      for (const r of rows)
        process.stdout.write(`${r.measure.padEnd(width)} | ${r.value} | ${r.target ?? ''}\n`);
      writeFileSync(
        file,
        `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
      );
    },
  };
}
