/**
 * A family with years of contacts, against the real sandbox and the app's own readers: the workspace holds
 * the latest and first contacts after one round trip, its clocks name the weeks it did not read, and the
 * history screen's read completes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchToken, startTestSandbox } from '../support/testSandbox';
import type { Sandbox } from '../../sandbox/server';
import { buildLargeFamily, LARGE_PATIENT_ID } from '../../sandbox/data/largeFamily';
import { DEFAULT_ROLE_MAPPING, DEFAULT_SCOPES } from '../../src/config/config';
import { DEFAULT_CALENDAR } from '../../src/domain/calendar';
import { loadContactHistory, loadWorkspace } from '../../src/fhir/workspace';
import { FIRST_CONTACTS, LATEST_CONTACTS } from '../../src/fhir/workspaceReads';
import type { Workspace } from '../../src/fhir/workspace';
import { ASSUMED_CAPABILITIES } from '../../src/fhir/capabilities';
import type { FhirTransport } from '../../src/fhir/http';
import { evaluateEpisode } from '../../src/domain/compliance';
import { episodeFor } from '../../src/domain/episode';
import { currentReferral } from '../../src/domain/referral';

const CONTACTS = 800;
let sandbox: Sandbox;
let transport: FhirTransport;
const now = new Date();
const user = { resourceType: 'Practitioner', id: 'fp-rosa' };

beforeAll(async () => {
  sandbox = await startTestSandbox({ extraBundles: buildLargeFamily(now, CONTACTS, 5) as never });
  const token = await launchToken(sandbox, LARGE_PATIENT_ID, 'fp-rosa', `launch ${DEFAULT_SCOPES.join(' ')}`);
  transport = { baseUrl: sandbox.fhirBase, authorization: async () => `Bearer ${token}` };
}, 60_000);
afterAll(() => sandbox.close());

function compliance(ws: Workspace) {
  const referral = currentReferral(ws.referrals);
  if (!referral) throw new Error('no current referral');
  return evaluateEpisode(
    episodeFor({ ...ws, referral, contactsGap: ws.contactsGap, meetings: ws.meetings }),
    now,
    DEFAULT_CALENDAR,
  );
}

describe(`a family with ${CONTACTS} contacts over five years`, () => {
  it('the workspace is one request holding the latest and first contacts, and says what it did not read', async () => {
    const ws = await loadWorkspace(transport, { patientId: LARGE_PATIENT_ID, user });
    expect(ws.requests).toBe(1);
    expect(ws.contacts).toHaveLength(LATEST_CONTACTS + FIRST_CONTACTS);
    expect(ws.problems).toEqual([]);
    const gap = ws.contactsGap;
    expect(gap?.after && gap.after < gap.before).toBe(true);

    const { clocks, weeks } = compliance(ws);
    // The opening is decided from the first contacts; the middle years are neither missed nor met.
    expect(clocks['first-caregiver-call'].status).toBe('met');
    expect(clocks['service-initiation'].status).toBe('met');
    expect(weeks.some((w) => w.caregiver.status === 'missed')).toBe(false);
    expect(clocks['weekly-caregiver-contact'].notLoaded).toBeGreaterThan(100);
    expect(clocks['weekly-caregiver-contact'].summary).toContain('not loaded here');
  });

  it("the history screen's read brings every contact, and the clocks then see every week", async () => {
    const ws = await loadWorkspace(transport, { patientId: LARGE_PATIENT_ID, user });
    const history = await loadContactHistory(transport, {
      patientId: LARGE_PATIENT_ID,
      user,
      roleMapping: DEFAULT_ROLE_MAPPING,
      caps: ASSUMED_CAPABILITIES,
    });
    expect(history.value.list).toHaveLength(CONTACTS);
    expect(new Set(history.value.list.map((c) => c.id)).size).toBe(CONTACTS);
    const { clocks, weeks } = compliance({ ...ws, contacts: history.value.list, contactsGap: undefined });
    expect(weeks.every((w) => w.caregiver.status !== 'not-loaded')).toBe(true);
    expect(clocks['weekly-caregiver-contact'].notLoaded).toBeUndefined();
    expect(clocks['continuing-stay'].status).toBe('met');
  });
});
