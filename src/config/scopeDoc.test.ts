import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPES } from './config';
import { unexplainedScopes, withScopeTables } from './scopeDoc';

describe('the scope tables of docs/ehr-registration.md', () => {
  const doc = readFileSync('docs/ehr-registration.md', 'utf8');
  it('list every scope the app asks for, as it is now (run scripts/scope-doc.mts after a change)', () => {
    // Prettier pads the tables: compare cell by cell.
    const cells = (text: string) => text.replace(/ +/g, ' ').replace(/-{3,}/g, '---');
    expect(cells(doc)).toBe(cells(withScopeTables(doc)));
    for (const scope of DEFAULT_SCOPES.filter((s) => s.includes('/'))) expect(doc).toContain(`\`${scope}\``);
    expect(doc).toContain('`patient/QuestionnaireResponse.crs`');
  });
  it('give a reason for each', () => {
    expect(unexplainedScopes()).toEqual([]);
  });
});
