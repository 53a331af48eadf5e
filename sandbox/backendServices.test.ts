/**
 * SMART Backend Services at the sandbox's authorization server (issue 40): the measures job's client signs in
 * with its key (client_credentials, private_key_jwt) and gets a `system/` token the FHIR endpoint and the guard
 * honour; a wrong key, an unknown client, a scope beyond the registration and a replayed assertion are refused.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { MEASURES_SCOPES } from './auth/backendClient';
import type { Sandbox } from './server';
import { clientAssertion, signIn, SignInError } from '../jobs/measures/signIn';
import { fhirAt, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
let key: JWK;
const scope = MEASURES_SCOPES.join(' ');

beforeAll(async () => {
  sandbox = await startTestSandbox();
  key = sandbox.measuresClient.privateJwk as JWK;
}, 60_000);
afterAll(async () => sandbox?.close());

const sign = (over: Partial<{ clientId: string; privateJwk: JWK; scope: string }> = {}) =>
  signIn({
    clientId: sandbox.measuresClient.clientId,
    tokenEndpoint: sandbox.measuresClient.tokenEndpoint,
    privateJwk: key,
    scope,
    ...over,
  });
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SignInError);
  return err as SignInError;
};

describe('SMART Backend Services', () => {
  it('the registered client signs in with its key and reads the agency with a system token', async () => {
    const token = await sign();
    expect(token.scope.split(' ').sort()).toEqual([...MEASURES_SCOPES].sort());
    const res = await fhirAt(sandbox.fhirBase, 'Task?code=fulfill&_count=5', token.accessToken);
    expect(res.status).toBe(200);
    expect(res.body.entry.length).toBeGreaterThan(0);
  });

  it('a wrong key is refused', async () => {
    const { privateKey } = await generateKeyPair('RS384', { extractable: true });
    const other = { ...(await exportJWK(privateKey)), alg: 'RS384', kid: key.kid };
    expect((await refusal(sign({ privateJwk: other }))).error).toBe('invalid_client');
  });

  it('an unknown client is refused', async () => {
    expect((await refusal(sign({ clientId: 'someone-else' }))).error).toBe('invalid_client');
  });

  it('a scope beyond the registration is refused, not narrowed', async () => {
    for (const wide of [
      `${scope} system/Communication.cruds`,
      'system/*.rs',
      'user/Task.rs',
      'system/Patient.cu',
    ]) {
      const err = await refusal(sign({ scope: wide }));
      expect(err.error, wide).toBe('invalid_scope');
    }
  });

  it('an assertion is used once, and lives at most five minutes', async () => {
    const assertion = await clientAssertion({
      clientId: sandbox.measuresClient.clientId,
      tokenEndpoint: sandbox.measuresClient.tokenEndpoint,
      privateJwk: key,
    });
    const post = () =>
      fetch(sandbox.measuresClient.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'system/Task.rs',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      });
    expect((await post()).status).toBe(200);
    const again = await post();
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('the system token writes what the job computes and nothing a person records', async () => {
    const token = (await sign()).accessToken;
    const contact = await fhirAt(
      sandbox.fhirBase,
      'Communication?_count=1&category=https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category|caregiver-contact',
      token,
    );
    const stored = contact.body.entry[0].resource;
    // Its scopes do not cover it: the FHIR endpoint refuses.
    const put = await fhirAt(sandbox.fhirBase, `Communication/${stored.id}`, token, {
      method: 'PUT',
      body: JSON.stringify({ ...stored, language: 'en' }),
    });
    expect(put.status).toBe(403);
    const report = await fhirAt(sandbox.fhirBase, 'MeasureReport', token, {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'MeasureReport',
        identifier: [
          { system: 'https://fst-companion.example.org/fhir/identifier/measures-job', value: 'test:1' },
        ],
        status: 'complete',
        type: 'summary',
        measure: 'https://fst-companion.example.org/fhir/Measure/fst-performance-specification',
        period: { start: '2026-11-01', end: '2026-11-30' },
      }),
    });
    expect(report.status).toBe(201);
  });
});
