/**
 * Issue 36: the record store failing beside a limited EHR. A store that does not answer leaves the EHR's part
 * of the workspace readable and says so once, naming the store; every error names the server it came from;
 * an EHR refusal of a permission is not offered as a retry.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { DEFAULT_SCOPES, DEFAULT_STORE_SCOPES } from '../src/config/config';
import type { RecordStoreConfig } from '../src/config/config';
import { loadCapabilities } from '../src/fhir/capabilities';
import { ehrServerName, FhirError, fhirRequest, fromEhr, SessionExpiredError } from '../src/fhir/http';
import type { FhirTransport } from '../src/fhir/http';
import { RecordRouter } from '../src/fhir/recordRouter';
import { RecordStoreSignInError, storeTransport } from '../src/fhir/recordStore';
import { parseScopes } from '../src/fhir/smartScopes';
import { loadWorkspace } from '../src/fhir/workspace';

const STORE = 'Harbor Family Services FST record store';
const EHR = ehrServerName('Riverside EHR');

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ auth: false, ehr: 'limited' });
});
afterAll(async () => sandbox?.close());

const storeConfig = (fhirBase: string): RecordStoreConfig => ({
  name: STORE,
  fhirBase,
  tokenEndpoint: `${fhirBase}/token`,
  signIn: 'token-exchange',
  scopes: [...DEFAULT_STORE_SCOPES],
  inStore: [],
});

async function routerOver(storeBase: string, reachable = true) {
  const ehr: FhirTransport = { baseUrl: sandbox.fhirBase, authorization: async () => null, serverName: EHR };
  const store: FhirTransport = {
    baseUrl: storeBase,
    authorization: async () => null,
    serverName: STORE,
    timeoutMs: 5_000,
  };
  return new RecordRouter({
    ehr: { transport: ehr, caps: await loadCapabilities(ehr), scopes: parseScopes(DEFAULT_SCOPES.join(' ')) },
    store: {
      transport: store,
      caps: await loadCapabilities(store),
      scopes: parseScopes(DEFAULT_STORE_SCOPES.join(' ')),
    },
    inStore: [],
    storeName: STORE,
    reachable,
  });
}

const user = { resourceType: 'Practitioner', id: 'fp-rosa' } as const;

describe('the record store down', () => {
  it("leaves the EHR's part of the workspace on screen and names the store as unreachable", async () => {
    // Nothing listens on port 9 of this machine: the store does not answer.
    const router = await routerOver('http://127.0.0.1:9/store/fhir');
    const ws = await loadWorkspace(router.transport, { patientId: 'youth-01', user, caps: router.caps });
    // The chart, from the EHR.
    expect(ws.youth.name.full).toBeTruthy();
    expect(ws.caregivers.length).toBeGreaterThan(0);
    expect(ws.plans.length).toBeGreaterThan(0);
    // The FST records are not shown, and each failure says which server failed.
    expect(ws.referrals).toEqual([]);
    expect(ws.problems.length).toBeGreaterThan(0);
    for (const p of ws.problems) expect(p.message).toContain(STORE);
    expect(router.storeStatus()).toMatchObject({ reachable: false });
    expect(router.storeStatus().reason).toContain(`${STORE} could not be reached`);
  });

  it('says the store is reachable again once it answers', async () => {
    const router = await routerOver(sandbox.store!.fhirBase, false);
    expect(router.storeStatus().reachable).toBe(false);
    const seen: boolean[] = [];
    router.subscribeStore(() => seen.push(router.storeStatus().reachable));
    const ws = await loadWorkspace(router.transport, { patientId: 'youth-01', user, caps: router.caps });
    expect(ws.referrals.length).toBeGreaterThan(0);
    expect(seen).toEqual([true]);
  });

  it('a store token that cannot be renewed: an outage when the store does not answer, an ended sign-in when it refuses', async () => {
    const config = storeConfig('http://127.0.0.1:9/store/fhir');
    const down = storeTransport(config, undefined, 5_000, () =>
      Promise.reject(new RecordStoreSignInError(`${STORE} could not be reached to sign in.`, true)),
    );
    const outage = await fhirRequest(down, 'Task').catch((e: unknown) => e);
    expect(outage).toBeInstanceOf(FhirError);
    expect(outage).not.toBeInstanceOf(SessionExpiredError);
    expect((outage as FhirError).status).toBe(0);
    expect((outage as FhirError).message).toContain(STORE);
    const refused = storeTransport(config, undefined, 5_000, () =>
      Promise.reject(new RecordStoreSignInError(`${STORE} refused the sign-in: ended (invalid_grant).`)),
    );
    expect(await fhirRequest(refused, 'Task').catch((e: unknown) => e)).toBeInstanceOf(SessionExpiredError);
  });
});

describe('errors name their server', () => {
  it("the EHR's refusal names the EHR; a permission refusal is the EHR administrator's", async () => {
    const ehr: FhirTransport = {
      baseUrl: sandbox.fhirBase,
      authorization: async () => null,
      serverName: EHR,
    };
    // The limited EHR accepts no Task writes.
    const refused = await fhirRequest(ehr, 'Task', {
      method: 'POST',
      body: { resourceType: 'Task', status: 'requested', intent: 'order' },
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FhirError);
    expect((refused as FhirError).message).toMatch(/^The EHR \(Riverside EHR\)/);
    expect(fromEhr(refused)).toBe(true);
    const forbidden = new FhirError(403, { resourceType: 'OperationOutcome', issue: [] }, EHR);
    expect(forbidden.message).toContain('ask your administrator');
    expect(forbidden.message).not.toMatch(/try again/i);
  });

  it('an unreachable server is named, not "the FHIR server"', async () => {
    const dead: FhirTransport = {
      baseUrl: 'http://127.0.0.1:9/fhir',
      authorization: async () => null,
      serverName: STORE,
    };
    const err = (await fhirRequest(dead, 'metadata').catch((e: unknown) => e)) as FhirError;
    expect(err.message).toBe(`${STORE} could not be reached. Check the connection and try again.`);
    expect(fromEhr(err)).toBe(false);
  });
});
