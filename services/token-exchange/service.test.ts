/**
 * The token-exchange service as a site runs it (issue 36 §3): `npm run token-exchange`'s entry point started as a
 * process of its own, configured by the environment only. The sandbox (in-process) is only the EHR and the store
 * it talks to, with the credentials a site would give it.
 */
import '../../sandbox/env';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import type { Sandbox } from '../../sandbox/server';
import { startTestSandbox } from '../../test/support/testSandbox';
import { APP_URL, ehrLaunchToken } from '../../test/support/smartFlow';
import { DEFAULT_SCOPES, DEFAULT_STORE_SCOPES } from '../../src/config/config';
import { LINKED_RECORD_SYSTEM } from '../../src/fhir/crossServer';
import { configFromEnv } from './service';

let sandbox: Sandbox;
let store: NonNullable<Sandbox['store']>;
let service: ChildProcess;
let serviceUrl: string;
const INTROSPECTOR = { id: 'harbor-store', secret: 'a-secret-the-store-holds' };

function serviceEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TOKEN_EXCHANGE_PORT: '0',
    EHR_ISSUER: sandbox.issuer,
    EHR_FHIR_BASE: sandbox.fhirBase,
    EHR_INTROSPECTION_CLIENT_ID: store.introspection.clientId,
    EHR_INTROSPECTION_CLIENT_SECRET: store.introspection.clientSecret,
    APP_CLIENT_ID: 'fst-companion',
    STORE_FHIR_BASE: store.fhirBase,
    STORE_TOKEN: store.directoryToken,
    ALLOWED_ORIGINS: new URL(APP_URL).origin,
    STORE_INTROSPECTION_CLIENTS: `${INTROSPECTOR.id}:${INTROSPECTOR.secret}`,
  };
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ ehr: 'limited' });
  store = sandbox.store as NonNullable<Sandbox['store']>;
  service = spawn(process.execPath, ['--import', 'tsx', 'services/token-exchange/main.ts'], {
    env: serviceEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serviceUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    service.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ready at (http:\/\/\S+)\/token/.exec(out);
      if (m) resolve(m[1]);
    });
    service.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    service.on('exit', (code) => reject(new Error(`the service exited (${code}): ${out}`)));
  });
});
afterAll(async () => {
  service?.kill('SIGTERM');
  await sandbox?.close();
});

async function launch(patient: string, user: string) {
  const token = await ehrLaunchToken(sandbox.baseUrl, {
    patient,
    user,
    scope: `launch ${DEFAULT_SCOPES.join(' ')}`,
    issuer: sandbox.issuer,
    fhirBase: sandbox.fhirBase,
  });
  return { accessToken: String(token.access_token), idToken: String(token.id_token) };
}

async function exchange(idToken: string, accessToken: string) {
  const res = await fetch(`${serviceUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(APP_URL).origin },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: idToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      actor_token: accessToken,
      actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      client_id: 'fst-companion',
      scope: DEFAULT_STORE_SCOPES.join(' '),
    }),
  });
  return { res, body: (await res.json()) as Record<string, string> };
}

const introspect = (token: string, credentials = `${INTROSPECTOR.id}:${INTROSPECTOR.secret}`) =>
  fetch(`${serviceUrl}/token/introspection`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
    },
    body: new URLSearchParams({ token }),
  });

describe('the token-exchange service, started on its own', () => {
  it("exchanges the EHR sign-in for a store token the store's introspection confirms, for the app's origin", async () => {
    const { idToken, accessToken } = await launch('youth-01', 'fp-rosa');
    const { res, body } = await exchange(idToken, accessToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(new URL(APP_URL).origin);
    expect(body.token_type).toBe('Bearer');
    expect(body.scope).toContain('Task.');
    expect(Number(body.expires_in)).toBeGreaterThan(0);
    expect(Number(body.expires_in)).toBeLessThanOrEqual(600);
    const answer = (await (await introspect(body.access_token)).json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ active: true, fhirUser: 'Practitioner/fp-rosa', scope: body.scope });
    // Only the store, with its credentials, may ask.
    expect((await introspect(body.access_token, `${INTROSPECTOR.id}:wrong`)).status).toBe(401);
    // Revoked: inactive at once.
    await fetch(`${serviceUrl}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: body.access_token }),
    });
    expect(await (await introspect(body.access_token)).json()).toEqual({ active: false });
  });

  it('refuses an id_token another key signed, and an ended EHR sign-in, with the reason', async () => {
    const { accessToken } = await launch('youth-01', 'fp-rosa');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ fhirUser: `${sandbox.fhirBase}/Practitioner/fp-rosa` })
      .setProtectedHeader({ alg: 'RS256', kid: 'sandbox-1' })
      .setIssuer(sandbox.issuer)
      .setAudience('fst-companion')
      .setSubject('fp-rosa')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const bad = await exchange(forged, accessToken);
    expect(bad.res.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');
    expect(bad.body.access_token).toBeUndefined();
    const other = await launch('youth-01', 'fp-rosa');
    const mixed = await exchange(other.idToken, 'not-an-ehr-token');
    expect(mixed.res.status).toBe(400);
    expect(mixed.body.error_description).toMatch(/EHR sign-in has ended/);
  });

  it('links a youth the store does not know, and her caregivers, at the first sign-in on her', async () => {
    // A youth new to the EHR, with a caregiver: the store knows neither.
    const youth = 'youth-new-36';
    await sandbox.repo.importAsIs({
      resourceType: 'Patient',
      id: youth,
      name: [{ family: 'Okafor', given: ['Ada'] }],
      birthDate: '2014-03-02',
    });
    const caregivers = [
      await sandbox.repo.importAsIs({
        resourceType: 'RelatedPerson',
        id: 'cg-new-36',
        patient: { reference: `Patient/${youth}` },
        name: [{ family: 'Okafor', given: ['Grace'] }],
      }),
    ];
    expect(store.repo.readStored(`Patient/${youth}`)).toBeUndefined();
    const { idToken, accessToken } = await launch(youth, 'fp-rosa');
    const { res, body } = await exchange(idToken, accessToken);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.patient).toBe(youth);
    const stub = store.repo.readStored(`Patient/${youth}`) as { identifier?: unknown[] } | undefined;
    expect(stub?.identifier).toContainEqual({
      system: LINKED_RECORD_SYSTEM,
      value: `${sandbox.fhirBase}/Patient/${youth}`,
    });
    // Who she is, never her chart.
    expect(Object.keys(stub ?? {})).not.toContain('birthDate');
    for (const caregiver of caregivers)
      expect(store.repo.readStored(`RelatedPerson/${caregiver.id}`)).toMatchObject({
        patient: { reference: `Patient/${youth}` },
        name: caregiver.name,
      });
  });

  it('refuses to start with a configuration it cannot use, naming each variable', () => {
    expect(() => configFromEnv({ EHR_ISSUER: 'ftp://ehr', TOKEN_EXCHANGE_PORT: 'x' })).toThrow(
      /EHR_ISSUER must be https[\s\S]*TOKEN_EXCHANGE_PORT is not a port[\s\S]*STORE_TOKEN is not set[\s\S]*ALLOWED_ORIGINS/,
    );
  });
});
