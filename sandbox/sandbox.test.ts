import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromEnv, startSandbox } from './server';
import type { Sandbox } from './server';
import { APP_URL, authorize, ehrLaunchToken, exchangeCode, pkcePair } from '../test/support/smartFlow';

const BASE_SCOPES =
  'launch openid fhirUser online_access patient/Patient.rs patient/Communication.rs user/Practitioner.rs';

let sandbox: Sandbox;
let open: Sandbox;
let v1: Sandbox;

beforeAll(async () => {
  const common = { appUrl: APP_URL, smartVersion: 'v2' as const, dataFiles: [], demoData: true };
  [sandbox, open, v1] = await Promise.all([
    startSandbox({ ...common, port: 0, auth: true }),
    startSandbox({ ...common, port: 0, auth: false }),
    startSandbox({ ...common, port: 0, auth: true, smartVersion: 'v1' }),
  ]);
});

afterAll(async () => {
  await Promise.all([sandbox?.close(), open?.close(), v1?.close()]);
});

function token(scope = BASE_SCOPES, patient = 'youth-01', user = 'fp-rosa') {
  return ehrLaunchToken(sandbox.baseUrl, {
    patient,
    user,
    scope,
    issuer: sandbox.issuer,
    fhirBase: sandbox.fhirBase,
  });
}

async function fhir(base: string, path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('content-type', 'application/fhir+json');
  const res = await fetch(`${base}/${path}`, { ...init, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

const contact = (patient = 'youth-01', identifier = 'test-1') => ({
  resourceType: 'Communication',
  identifier: [{ system: 'urn:test', value: identifier }],
  status: 'completed',
  subject: { reference: `Patient/${patient}` },
  sent: '2026-11-20T15:00:00Z',
  payload: [{ contentString: 'Test call' }],
});

describe('discovery', () => {
  it('advertises SMART v2 capabilities and only S256 PKCE', async () => {
    const res = await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`);
    const config = (await res.json()) as {
      capabilities: string[];
      code_challenge_methods_supported: string[];
    };
    for (const capability of [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'context-ehr-patient',
      'context-standalone-patient',
      'sso-openid-connect',
      'permission-v2',
      'permission-patient',
      'permission-user',
      'permission-offline',
    ]) {
      expect(config.capabilities).toContain(capability);
    }
    expect(config.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('serves a CapabilityStatement without a token', async () => {
    const { status, body } = await fhir(sandbox.fhirBase, 'metadata');
    expect(status).toBe(200);
    expect(body.resourceType).toBe('CapabilityStatement');
    expect(body.fhirVersion).toBe('4.0.1');
  });
});

describe('SMART authorization', () => {
  it('EHR launch returns the launch context beside the token, and fhirUser in the id_token', async () => {
    const tok = await token();
    expect(tok.patient).toBe('youth-01');
    expect(tok.need_patient_banner).toBe(true);
    expect(tok.smart_style_url).toMatch(/smart-style\.json$/);
    expect(String(tok.scope).split(' ')).toEqual(
      expect.arrayContaining(['openid', 'fhirUser', 'patient/Patient.rs']),
    );
    expect(tok.refresh_token).toBeTruthy();
    const idToken = JSON.parse(Buffer.from(String(tok.id_token).split('.')[1], 'base64url').toString());
    expect(idToken.fhirUser).toBe(`${sandbox.fhirBase}/Practitioner/fp-rosa`);
  });

  it('rejects an authorization request without a PKCE challenge', async () => {
    const back = await authorize({
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      scope: 'openid launch/patient',
    });
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('rejects a code exchange without the PKCE verifier', async () => {
    const launch = sandbox.launches.create({ user: 'fp-rosa', patient: 'youth-01', needPatientBanner: true });
    const { challenge } = pkcePair();
    const back = await authorize({
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      scope: BASE_SCOPES,
      launch,
      challenge,
    });
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();
    const res = await exchangeCode(sandbox.issuer, code ?? '');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('rejects an aud that is not the FHIR base', async () => {
    const { challenge } = pkcePair();
    const back = await authorize({
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      aud: 'https://other.example.org/fhir',
      scope: BASE_SCOPES,
      challenge,
    });
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('standalone launch lets the user pick a persona and patient', async () => {
    const { verifier, challenge } = pkcePair();
    const back = await authorize({
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      scope: 'launch/patient openid fhirUser patient/Patient.rs',
      challenge,
      picker: { user: 'sfp-dana', patient: 'youth-03' },
    });
    const res = await exchangeCode(sandbox.issuer, back.searchParams.get('code') ?? '', verifier);
    const tok = (await res.json()) as Record<string, unknown>;
    expect(tok.patient).toBe('youth-03');
  });

  it('refreshes a token and keeps the launch context', async () => {
    const tok = await token();
    const res = await fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(tok.refresh_token),
        client_id: 'fst-companion',
      }),
    });
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as Record<string, unknown>;
    expect(refreshed.patient).toBe('youth-01');
    const read = await fhir(sandbox.fhirBase, 'Patient/youth-01', { token: String(refreshed.access_token) });
    expect(read.status).toBe(200);
  });
});

describe('SANDBOX_SMART=v1', () => {
  const launchV1 = (scope: string) =>
    ehrLaunchToken(v1.baseUrl, {
      patient: 'youth-01',
      user: 'fp-rosa',
      scope,
      issuer: v1.issuer,
      fhirBase: v1.fhirBase,
    });

  it('advertises SMART 1 and grants only v1 scopes', async () => {
    const config = (await (await fetch(`${v1.fhirBase}/.well-known/smart-configuration`)).json()) as {
      capabilities: string[];
    };
    expect(config.capabilities).not.toContain('permission-v2');
    const v2Token = await launchV1('launch openid fhirUser patient/Patient.rs');
    expect(
      (await fhir(v1.fhirBase, 'Patient/youth-01', { token: String(v2Token.access_token) })).status,
    ).toBe(403);
    const v1Token = await launchV1('launch openid fhirUser patient/Patient.read');
    expect(String(v1Token.scope).split(' ')).toContain('patient/Patient.read');
    expect(
      (await fhir(v1.fhirBase, 'Patient/youth-01', { token: String(v1Token.access_token) })).status,
    ).toBe(200);
  });
});

describe('FHIR access control', () => {
  it('requires a bearer token', async () => {
    const res = await fhir(sandbox.fhirBase, 'Patient/youth-01');
    expect(res.status).toBe(401);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('enforces scopes per interaction: no patient/Communication.c, no create', async () => {
    const readOnly = await token();
    const denied = await fhir(sandbox.fhirBase, 'Communication', {
      method: 'POST',
      body: JSON.stringify(contact()),
      token: String(readOnly.access_token),
    });
    expect(denied.status).toBe(403);
    const writer = await token(`${BASE_SCOPES} patient/Communication.c`);
    const allowed = await fhir(sandbox.fhirBase, 'Communication', {
      method: 'POST',
      body: JSON.stringify(contact('youth-01', 'scope-ok')),
      token: String(writer.access_token),
    });
    expect(allowed.status).toBe(201);
  });

  it('keeps a patient-level token inside its patient compartment', async () => {
    const tok = String((await token(`${BASE_SCOPES} patient/Communication.c`)).access_token);
    // Another patient's record is "not found": a read cannot tell it from a missing one.
    expect((await fhir(sandbox.fhirBase, 'Patient/youth-02', { token: tok })).status).toBe(404);
    const search = await fhir(sandbox.fhirBase, 'Communication?_count=1000', { token: tok });
    expect(search.status).toBe(200);
    const subjects = new Set(search.body.entry.map((e: any) => e.resource.subject.reference));
    expect([...subjects]).toEqual(['Patient/youth-01']);
    const foreignWrite = await fhir(sandbox.fhirBase, 'Communication', {
      method: 'POST',
      body: JSON.stringify(contact('youth-02', 'foreign')),
      token: tok,
    });
    expect(foreignWrite.status).toBe(403);
  });

  it('SANDBOX_AUTH=off opens the endpoint', async () => {
    expect((await fhir(open.fhirBase, 'Patient/youth-02')).status).toBe(200);
  });
});

describe('FHIR behaviour', () => {
  it('rejects an invalid resource with 400 and an OperationOutcome', async () => {
    const res = await fhir(open.fhirBase, 'Communication', {
      method: 'POST',
      body: JSON.stringify({ ...contact(), status: 'finished-ish' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.issue)).toContain('finished-ish');
  });

  it('validates conditional creates too, alone and in a transaction (MemoryRepository writes them directly)', async () => {
    const bad = { ...contact(), status: 'finished-ish' };
    const alone = await fhir(open.fhirBase, 'Communication', {
      method: 'POST',
      body: JSON.stringify(bad),
      headers: { 'if-none-exist': 'identifier=urn:x|conditional-1' },
    });
    expect(alone.status).toBe(400);
    const inTransaction = await fhir(open.fhirBase, '', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:c1',
            resource: bad,
            request: { method: 'POST', url: 'Communication', ifNoneExist: 'identifier=urn:x|conditional-2' },
          },
        ],
      }),
    });
    expect(inTransaction.status).toBe(400);
    expect(JSON.stringify(inTransaction.body)).toContain('finished-ish');
  });

  it('rejects a resource claiming a profile the server does not know', async () => {
    const res = await fhir(open.fhirBase, 'Communication', {
      method: 'POST',
      body: JSON.stringify({
        ...contact(),
        meta: { profile: ['https://example.org/StructureDefinition/nope'] },
      }),
    });
    expect(res.status).toBe(400);
  });

  it('versions resources: ETag on write, 412 on a stale If-Match', async () => {
    const created = await fhir(open.fhirBase, 'Communication', {
      method: 'POST',
      body: JSON.stringify(contact('youth-01', 'v')),
    });
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const updated = await fhir(open.fhirBase, `Communication/${created.body.id}`, {
      method: 'PUT',
      headers: { 'if-match': etag ?? '' },
      body: JSON.stringify({ ...created.body, payload: [{ contentString: 'Amended' }] }),
    });
    expect(updated.status).toBe(200);
    const stale = await fhir(open.fhirBase, `Communication/${created.body.id}`, {
      method: 'PUT',
      headers: { 'if-match': etag ?? '' },
      body: JSON.stringify({ ...created.body, payload: [{ contentString: 'Lost update' }] }),
    });
    expect(stale.status).toBe(412);
  });

  it('conditional create (If-None-Exist) never duplicates', async () => {
    const send = () =>
      fhir(open.fhirBase, 'Communication', {
        method: 'POST',
        headers: { 'if-none-exist': 'identifier=urn:test|idempotent-1' },
        body: JSON.stringify(contact('youth-01', 'idempotent-1')),
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const search = await fhir(open.fhirBase, 'Communication?identifier=urn:test|idempotent-1');
    expect(search.body.total).toBe(1);
  });

  it('makes transaction bundles all-or-nothing', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'POST', url: 'Communication' }, resource: contact('youth-01', 'tx-good') },
        {
          request: { method: 'POST', url: 'Communication' },
          resource: { ...contact('youth-01', 'tx-bad'), status: 'nonsense' },
        },
      ],
    };
    const res = await fhir(open.fhirBase, '', { method: 'POST', body: JSON.stringify(bundle) });
    expect(res.status).toBe(400);
    const search = await fhir(open.fhirBase, 'Communication?identifier=urn:test|tx-good');
    expect(search.body.total).toBe(0);
  });

  it('pages search results with next links until the last page', async () => {
    const first = await fhir(open.fhirBase, 'Communication?subject=Patient/youth-02&_count=25');
    const total = first.body.total as number;
    expect(total).toBeGreaterThan(100);
    let next = first.body.link.find((l: any) => l.relation === 'next')?.url as string | undefined;
    const ids = new Set(first.body.entry.map((e: any) => e.resource.id));
    while (next) {
      const page = (await (await fetch(next)).json()) as any;
      for (const e of page.entry ?? []) ids.add(e.resource.id);
      next = page.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(ids.size).toBe(total);
  });
});

describe('the audit trail and FST roles where the data is', () => {
  const provenance = (target: string) => ({
    resourceType: 'Provenance',
    target: [{ reference: target }],
    recorded: '2026-11-20T15:00:00Z',
    agent: [{ who: { reference: 'Practitioner/fp-rosa' } }],
  });
  const scopes = 'launch openid fhirUser patient/Communication.crus patient/Provenance.crs';

  it("accepts a Provenance about the patient's own records in one transaction, with a urn:uuid target", async () => {
    const t = await token(scopes, 'youth-01', 'fp-rosa');
    const created = await fhir(sandbox.fhirBase, 'Communication', {
      method: 'POST',
      token: t.access_token as string,
      body: JSON.stringify(contact('youth-01', 'audit-1')),
    });
    expect(created.status).toBe(201);
    const { status, body } = await fhir(sandbox.fhirBase, '', {
      method: 'POST',
      token: t.access_token as string,
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:0c1e7c8e-3b7e-4a53-9f41-6d4f3f1f0a01',
            resource: contact('youth-01', 'audit-2'),
            request: { method: 'POST', url: 'Communication' },
          },
          {
            resource: provenance('urn:uuid:0c1e7c8e-3b7e-4a53-9f41-6d4f3f1f0a01'),
            request: { method: 'POST', url: 'Provenance' },
          },
          {
            resource: provenance(`Communication/${created.body.id}`),
            request: { method: 'POST', url: 'Provenance' },
          },
        ],
      }),
    });
    expect(status).toBe(200);
    expect(body.entry).toHaveLength(3);
    // And it reads back with the contact it is about.
    const search = await fhir(
      sandbox.fhirBase,
      `Communication?_id=${created.body.id}&_revinclude=Provenance:target`,
      { token: t.access_token as string },
    );
    expect(search.body.entry.map((e: any) => e.resource.resourceType).sort()).toEqual([
      'Communication',
      'Provenance',
    ]);
  });

  it("refuses a Provenance about another patient's records", async () => {
    const t = await token(scopes, 'youth-01', 'fp-rosa');
    const { status } = await fhir(sandbox.fhirBase, 'Provenance', {
      method: 'POST',
      token: t.access_token as string,
      body: JSON.stringify(provenance('Communication/comm-02-1')),
    });
    expect(status).toBe(403);
  });

  it('refuses an FST contact from a clinician, and a correction of it by a care coordinator', async () => {
    const fst = {
      ...contact('youth-04', 'role-1'),
      category: [
        {
          coding: [
            {
              system: 'https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category',
              code: 'caregiver-contact',
            },
          ],
        },
      ],
    };
    const clinician = await token(scopes, 'youth-04', 'op-helen');
    const refused = await fhir(sandbox.fhirBase, 'Communication', {
      method: 'POST',
      token: clinician.access_token as string,
      body: JSON.stringify(fst),
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    const fp = await token(scopes, 'youth-04', 'fp-rosa');
    const made = await fhir(sandbox.fhirBase, 'Communication', {
      method: 'POST',
      token: fp.access_token as string,
      body: JSON.stringify({ ...fst, sender: { reference: 'Practitioner/fp-rosa' } }),
    });
    expect(made.status).toBe(201);
    const coordinator = await token(scopes, 'youth-04', 'icc-marcus');
    // Claiming authorship in the body does not help: the stored author is judged.
    const amended = await fhir(sandbox.fhirBase, `Communication/${made.body.id}`, {
      method: 'PUT',
      token: coordinator.access_token as string,
      body: JSON.stringify({ ...made.body, sender: { reference: 'Practitioner/icc-marcus' }, payload: [] }),
    });
    expect(amended.status).toBe(403);
    // Nor inside a transaction, where the body is also the entry's fullUrl.
    const inTransaction = await fhir(sandbox.fhirBase, '', {
      method: 'POST',
      token: coordinator.access_token as string,
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: `Communication/${made.body.id}`,
            resource: { ...made.body, sender: { reference: 'Practitioner/icc-marcus' }, payload: [] },
            request: { method: 'PUT', url: `Communication/${made.body.id}` },
          },
        ],
      }),
    });
    expect(inTransaction.status).toBe(403);
  });
});

describe('SANDBOX_LATENCY_MS', () => {
  /** How long `url` takes to answer (200) with the latency set to 150 ms, then with none. */
  async function answerTimes(server: Sandbox, url: string): Promise<{ delayed: number; direct: number }> {
    const timed = async () => {
      const t = performance.now();
      const res = await fetch(url);
      expect(res.status).toBe(200);
      return performance.now() - t;
    };
    server.setLatency(150);
    let delayed: number;
    try {
      delayed = await timed();
    } finally {
      server.setLatency(0);
    }
    return { delayed, direct: await timed() };
  }

  it('delays every FHIR answer by the latency set, and only then', async () => {
    const { delayed, direct } = await answerTimes(open, `${open.fhirBase}/Patient/youth-01`);
    expect(delayed).toBeGreaterThanOrEqual(145);
    expect(direct).toBeLessThan(145);
  });

  it('delays the authorization server as well: it is part of the same remote EHR', async () => {
    const { delayed, direct } = await answerTimes(
      sandbox,
      `${sandbox.issuer}/.well-known/openid-configuration`,
    );
    expect(delayed).toBeGreaterThanOrEqual(145);
    expect(direct).toBeLessThan(145);
  });

  it('refuses a value that is not a number of milliseconds', () => {
    expect(() => optionsFromEnv({ SANDBOX_LATENCY_MS: 'slow' })).toThrow(
      /SANDBOX_LATENCY_MS is not a number/,
    );
    expect(optionsFromEnv({ SANDBOX_LATENCY_MS: '150' }).latencyMs).toBe(150);
  });
});

// The caseload asks only for what its clocks read (src/fhir/caseload.ts): the sandbox honours `_elements` as
// FHIR servers do, alone and inside a batch, and says the record is a subset.
describe('_elements', () => {
  const subset = (r: Record<string, unknown>) => ({
    keys: Object.keys(r).sort(),
    subsetted: ((r.meta as { tag?: { code?: string }[] }).tag ?? []).some((t) => t.code === 'SUBSETTED'),
  });

  it('keeps id, meta and the elements named, and tags the record SUBSETTED', async () => {
    const res = await fhir(
      open.fhirBase,
      'Communication?subject=Patient/youth-01&_elements=sent,status&_count=2',
    );
    const bundle = res.body as { entry: { resource: Record<string, unknown> }[] };
    expect(bundle.entry).toHaveLength(2);
    for (const e of bundle.entry)
      expect(subset(e.resource)).toEqual({
        keys: ['id', 'meta', 'resourceType', 'sent', 'status'],
        subsetted: true,
      });
  });

  it('does the same for a search inside a batch, and leaves a search without it whole', async () => {
    const res = await fhir(open.fhirBase, '', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          {
            request: { method: 'GET', url: 'Communication?subject=Patient/youth-01&_elements=sent&_count=1' },
          },
          { request: { method: 'GET', url: 'Communication?subject=Patient/youth-01&_count=1' } },
        ],
      }),
    });
    const batch = res.body as {
      entry: { resource: { entry: { resource: Record<string, unknown> }[] } }[];
    };
    expect(subset(batch.entry[0].resource.entry[0].resource).keys).toEqual([
      'id',
      'meta',
      'resourceType',
      'sent',
    ]);
    expect(batch.entry[1].resource.entry[0].resource.payload).toBeDefined();
  });
});
