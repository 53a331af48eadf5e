import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASELOAD_SCOPES, DEFAULT_SCOPES } from './config';
import { launchScopes } from '../fhir/launchScopes';
import { SCOPES_END, SCOPES_START, unexplainedScopes, withScopeTables } from './scopeDoc';

describe('the scope tables of docs/ehr-registration.md', () => {
  const doc = readFileSync('docs/ehr-registration.md', 'utf8');
  it('list every scope the app asks for, as it is now (run scripts/scope-doc.mts after a change)', () => {
    // Prettier pads the tables: compare cell by cell.
    const cells = (text: string) => text.replace(/ +/g, ' ').replace(/-{3,}/g, '---');
    expect(cells(doc)).toBe(cells(withScopeTables(doc)));
    for (const scope of DEFAULT_SCOPES.filter((s) => s.includes('/'))) expect(doc).toContain(`\`${scope}\``);
    expect(doc).toContain('`patient/QuestionnaireResponse.crs`');
  });
  it('hold every scope each launch asks for, as the launch builds it (EHR, standalone, caseload)', () => {
    const generated = doc.slice(doc.indexOf(SCOPES_START), doc.indexOf(SCOPES_END));
    const named = new Set([...generated.matchAll(/`([^`]+)`/g)].flatMap((m) => m[1].split(' ')));
    const asked = [
      launchScopes(DEFAULT_SCOPES, 'ehr', ['permission-v2']),
      launchScopes(DEFAULT_SCOPES, 'standalone', ['permission-v2']),
      launchScopes(DEFAULT_CASELOAD_SCOPES, 'caseload', ['permission-v2']),
    ].flatMap((s) => s.split(' '));
    expect(asked.filter((s) => !named.has(s))).toEqual([]);
  });
  it('give a reason for each', () => {
    expect(unexplainedScopes()).toEqual([]);
  });
});
