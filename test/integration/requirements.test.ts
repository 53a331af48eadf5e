/**
 * docs/requirements.md traces every clause of the seeds to code and tests. This keeps the trace true: every
 * file, symbol and test it names must exist, and every clause it marks implemented or partial names both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = readFileSync('docs/requirements.md', 'utf8');
const rows = doc
  .split('\n')
  .filter((l) => /^\| (000|004) /.test(l))
  .map((l) => {
    const [clause, requirement, status, code, tests] = l
      .split(' | ')
      .map((c) => c.replace(/^\| |\s*\|$/g, '').trim());
    return { clause, requirement, status, code, tests };
  });

const codeRefs = (cell: string) =>
  [...cell.matchAll(/`([^`#]+)#([A-Za-z_$][\w$]*)`/g)].map((m) => [m[1], m[2]]);
const testRefs = (cell: string) => [...cell.matchAll(/`([^`]+)` › "([^"]+)"/g)].map((m) => [m[1], m[2]]);

describe('the requirements trace', () => {
  it('covers both seeds, clause by clause', () => {
    expect(rows.length).toBeGreaterThanOrEqual(50);
    for (const prefix of [
      '000 SC',
      '000 ST',
      '000 LK',
      '000 PR',
      '000 DC',
      '000 QM',
      '004 III',
      '004 IV',
      '004 V',
    ])
      expect(
        rows.some((r) => r.clause.startsWith(prefix)),
        prefix,
      ).toBe(true);
    for (let n = 1; n <= 12; n++)
      expect(
        rows.some((r) => r.clause === `000 PR ${n}`),
        `000 PR ${n}`,
      ).toBe(true);
    for (let n = 1; n <= 9; n++)
      expect(
        rows.some((r) => r.clause === `000 ST ${n}`),
        `000 ST ${n}`,
      ).toBe(true);
  });

  it('every row has a status; implemented and partial rows name code and tests', () => {
    for (const r of rows) {
      expect(r.status, r.clause).toMatch(/^(✅|partial|not the app's job)/);
      if (r.status.startsWith('not the app')) continue;
      expect(codeRefs(r.code).length, `${r.clause}: code`).toBeGreaterThan(0);
      expect(testRefs(r.tests).length, `${r.clause}: tests`).toBeGreaterThan(0);
    }
  });

  it('every file and symbol named exists', () => {
    for (const r of rows)
      for (const [file, symbol] of codeRefs(r.code)) {
        expect(existsSync(file), `${r.clause}: ${file}`).toBe(true);
        expect(
          new RegExp(`\\b${symbol}\\b`).test(readFileSync(file, 'utf8')),
          `${r.clause}: ${file}#${symbol}`,
        ).toBe(true);
      }
  });

  it('every test named exists', () => {
    for (const r of rows)
      for (const [file, name] of testRefs(r.tests)) {
        expect(existsSync(file), `${r.clause}: ${file}`).toBe(true);
        expect(readFileSync(file, 'utf8').includes(name), `${r.clause}: ${file} › "${name}"`).toBe(true);
      }
  });
});
