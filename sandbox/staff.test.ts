/** Staff records in the sandbox: only FST supervisors write them, and no patient-level token sees them. */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { startTestSandbox, launchToken } from '../test/support/testSandbox';
import { DEFAULT_CASELOAD_SCOPES, DEFAULT_SCOPES } from '../src/config/config';
import { supervisionEncounter } from '../src/fhir/mappers/staff';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => sandbox?.close());

async function as(user: string, scopes: readonly string[]) {
  const token = await launchToken(sandbox, 'youth-01', user, `launch ${scopes.join(' ')}`);
  return (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.fhirBase}/${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/fhir+json',
      },
    });
}

const session = supervisionEncounter({
  requestId: 'sup-test',
  kind: 'senior-fp-individual',
  start: '2026-11-18T19:00:00.000Z',
  minutes: 45,
  supervisor: 'Practitioner/sfp-dana',
  supervisees: ['Practitioner/fp-rosa'],
  topics: [],
});

describe('staff records', () => {
  it('a Family Partner cannot log supervision or edit qualifications; a supervisor can', async () => {
    const rosa = await as('fp-rosa', DEFAULT_CASELOAD_SCOPES);
    const refused = await rosa('Encounter', { method: 'POST', body: JSON.stringify(session) });
    expect(refused.status).toBe(403);
    const me = (await (await rosa('Practitioner/fp-rosa')).json()) as { qualification?: unknown[] };
    const edit = await rosa('Practitioner/fp-rosa', {
      method: 'PUT',
      body: JSON.stringify({ ...me, qualification: [] }),
    });
    expect(edit.status).toBe(403);
    const dana = await as('sfp-dana', DEFAULT_CASELOAD_SCOPES);
    expect((await dana('Encounter', { method: 'POST', body: JSON.stringify(session) })).status).toBe(201);
  });

  it('a patient-level token sees no supervision session (they belong to no patient)', async () => {
    const patientLevel = await as('sfp-dana', DEFAULT_SCOPES);
    const found = (await (
      await patientLevel(
        `Encounter?type=${encodeURIComponent('https://fst-companion.example.org/fhir/CodeSystem/fst-supervision-kind|senior-fp-individual')}`,
      )
    ).json()) as { entry?: unknown[] };
    expect(found.entry ?? []).toEqual([]);
  });
});
