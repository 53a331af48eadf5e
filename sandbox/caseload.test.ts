/**
 * The caseload at an agency's scale (issue 25): 600 families is past where the referral search with two
 * `_include`s failed ("reached query scope limit"); a Family Partner reads only the families they own; contacts
 * are read from the window's start, and the weeks before it are a known gap, never "missed".
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CASELOAD_SCOPES } from '../src/config/config';
import { loadCapabilities } from '../src/fhir/capabilities';
import { loadCaseload } from '../src/fhir/caseload';
import type { FhirTransport } from '../src/fhir/http';
import { buildAgency } from './data/agency';
import type { Sandbox } from './server';
import { launchToken, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
const FAMILIES = 600;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  for (const r of buildAgency(new Date(), { families: FAMILIES, contactsPerFamily: 6 }))
    await sandbox.repo.importAsIs(r as never);
}, 120_000);
afterAll(async () => sandbox?.close());

async function as(user: string) {
  const token = await launchToken(
    sandbox,
    'youth-01',
    user,
    `launch openid fhirUser ${DEFAULT_CASELOAD_SCOPES.join(' ')}`,
  );
  const transport: FhirTransport = {
    baseUrl: sandbox.fhirBase,
    authorization: async () => `Bearer ${token}`,
  };
  return { transport, caps: await loadCapabilities(transport) };
}

describe('an agency caseload', () => {
  it(`a supervisor's caseload of ${FAMILIES}+ families loads, whole`, async () => {
    const { transport, caps } = await as('lc-grace');
    const caseload = await loadCaseload(transport, undefined, caps);
    expect(caseload.families.length).toBeGreaterThanOrEqual(FAMILIES);
    expect(caseload.truncated).toBe(false);
    expect(caseload.problems).toEqual([]);
    expect(caseload.families.every((f) => f.youth.name.full.length > 0)).toBe(true);
  }, 60_000);

  it("a Family Partner's caseload reads only the families they own", async () => {
    const { transport, caps } = await as('fp-james');
    const james = ['Practitioner/fp-james', 'PractitionerRole/role-fp-james'];
    const caseload = await loadCaseload(transport, undefined, caps, undefined, { owners: james });
    expect(caseload.families.length).toBeGreaterThanOrEqual(FAMILIES / 2);
    expect(caseload.families.length).toBeLessThan(FAMILIES);
    for (const f of caseload.families) expect(james).toContain(f.referral.ownerReference);
  }, 60_000);

  it('reads contacts from the window on; an episode older than it has a known gap, not missed weeks', async () => {
    const { transport, caps } = await as('lc-grace');
    const since = new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10);
    const caseload = await loadCaseload(transport, undefined, caps, undefined, { since });
    const contacts = caseload.families.flatMap((f) => f.contacts);
    expect(contacts.length).toBeGreaterThan(0);
    for (const c of contacts) expect(c.sent >= since).toBe(true);
    const old = caseload.families.filter((f) => f.referral.authoredOn < since);
    expect(old.length).toBeGreaterThan(0);
    for (const f of old) expect(f.contactsGap).toEqual({ before: since });
  }, 60_000);
});
