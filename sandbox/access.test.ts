/**
 * The sandbox probed as an attacker would (issue: "A sandbox EHR that can be trusted"). Each test is a
 * probe that succeeded before the access policy (sandbox/fhir/access.ts) and must fail now.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { startTestSandbox, launchToken } from '../test/support/testSandbox';
import { APP_URL, authorize, CLIENT_ID, exchangeCode, pkcePair } from '../test/support/smartFlow';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  // A diagnosis and a Medicaid coverage for youth-02, the kind of record a patient token must not reach.
  await sandbox.repo.createResource({
    resourceType: 'Condition',
    id: 'dx-02',
    subject: { reference: 'Patient/youth-02' },
    code: { text: 'Major depressive disorder' },
  } as never);
  await sandbox.repo.createResource({
    resourceType: 'Coverage',
    id: 'cov-02',
    status: 'active',
    beneficiary: { reference: 'Patient/youth-02' },
    payor: [{ display: 'MassHealth' }],
    subscriberId: 'MH-123456789',
  } as never);
});
afterAll(async () => sandbox?.close());

async function token(scope: string, patient = 'youth-01', user = 'fp-rosa'): Promise<string> {
  return launchToken(sandbox, patient, user, `launch openid fhirUser ${scope}`);
}

async function fhir(path: string, tok: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${tok}`);
  if (init.body) headers.set('content-type', 'application/fhir+json');
  const res = await fetch(`${sandbox.fhirBase}/${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const stored = (ref: string) => sandbox.repo.readStored(ref) as any;

describe('writes judge the stored record, not only the body', () => {
  it("a PATCH of another patient's Task is refused and changes nothing (alone, in a batch, in a transaction)", async () => {
    const tok = await token('patient/Task.rus');
    const before = stored('Task/task-02').status;
    const patch = JSON.stringify([{ op: 'replace', path: '/status', value: 'cancelled' }]);
    const alone = await fhir('Task/task-02', tok, {
      method: 'PATCH',
      body: patch,
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect([403, 404]).toContain(alone.status);
    for (const type of ['batch', 'transaction']) {
      await fhir('', tok, {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Bundle',
          type,
          entry: [
            {
              request: { method: 'PATCH', url: 'Task/task-02' },
              resource: {
                resourceType: 'Binary',
                contentType: 'application/json-patch+json',
                data: Buffer.from(patch).toString('base64'),
              },
            },
          ],
        }),
      });
    }
    expect(stored('Task/task-02').status).toBe(before);
  });

  it("a PUT that moves another patient's note into this chart is refused (plain, conditional, in a transaction)", async () => {
    const tok = await token('patient/Communication.crus');
    const victim = stored('Communication/comm-02-1');
    const moved = { ...victim, subject: { reference: 'Patient/youth-01' } };
    const plain = await fhir('Communication/comm-02-1', tok, { method: 'PUT', body: JSON.stringify(moved) });
    expect([403, 404]).toContain(plain.status);
    const identifier = victim.identifier?.[0];
    await fhir(
      `Communication?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`,
      tok,
      {
        method: 'PUT',
        body: JSON.stringify({ ...moved, id: undefined }),
      },
    );
    await fhir('', tok, {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ request: { method: 'PUT', url: 'Communication/comm-02-1' }, resource: moved }],
      }),
    });
    expect(stored('Communication/comm-02-1').subject.reference).toBe('Patient/youth-02');
  });

  it("a signature or consent whose urn:uuid target is another patient's document is refused, and nothing is kept", async () => {
    const tok = await token('patient/DocumentReference.crs patient/Provenance.crs patient/Consent.crs');
    const docs = () => sandbox.repo.searchResources({ resourceType: 'DocumentReference' } as never);
    const before = (await docs()).length;
    const doc = (patient: string) => ({
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${patient}` },
      content: [{ attachment: { contentType: 'text/plain', data: 'eA==' } }],
    });
    const signature = {
      resourceType: 'Provenance',
      target: [{ reference: 'urn:uuid:0d0c0000-0000-4000-8000-00000000d0c0' }],
      recorded: '2026-11-20T15:00:00Z',
      agent: [{ who: { reference: 'Practitioner/fp-rosa' } }],
    };
    const consent = {
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: 'Patient/youth-02' },
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      provision: {
        type: 'permit',
        data: [
          { meaning: 'instance', reference: { reference: 'urn:uuid:0d0c0000-0000-4000-8000-00000000d0c0' } },
        ],
      },
    };
    const post = (entry: object[]) =>
      fhir('', tok, {
        method: 'POST',
        body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }),
      });
    const entry = (resource: object, fullUrl = `urn:uuid:${Math.random()}`) => ({
      fullUrl,
      resource,
      request: { method: 'POST', url: (resource as { resourceType: string }).resourceType },
    });
    // A signature on another youth's record, new in the same transaction or already stored.
    const foreign = await post([
      entry(doc('youth-02'), 'urn:uuid:0d0c0000-0000-4000-8000-00000000d0c0'),
      entry(signature),
    ]);
    expect(foreign.status).toBe(403);
    const storedForeign = await post([
      entry({ ...signature, target: [{ reference: 'Communication/comm-02-1' }] }),
    ]);
    expect(storedForeign.status).toBe(403);
    // The document is this youth's, but the consent names another patient.
    const consentElsewhere = await post([
      entry(doc('youth-01'), 'urn:uuid:0d0c0000-0000-4000-8000-00000000d0c0'),
      entry(consent),
    ]);
    expect(consentElsewhere.status).toBe(403);
    expect((await docs()).length).toBe(before);
    // The same shapes inside the compartment pass: the discharge transaction's case.
    const own = await post([
      entry(doc('youth-01'), 'urn:uuid:0d0c0000-0000-4000-8000-00000000d0c0'),
      entry(signature),
      entry({ ...consent, patient: { reference: 'Patient/youth-01' } }),
    ]);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect((await docs()).length).toBe(before + 1);
  });
});

describe('reads and searches see only what the token may see', () => {
  it('_include and _revinclude respect resource-type scopes', async () => {
    const tok = await token('patient/Patient.rs', 'youth-02');
    const res = await fhir(
      'Patient?_id=youth-02&_revinclude=Condition:subject&_revinclude=Coverage:beneficiary',
      tok,
    );
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: any) => e.resource.resourceType)).toEqual(['Patient']);
  });

  it("counts, paging links and _summary=count tell nothing about another patient's records", async () => {
    const tok = await token('patient/Communication.rs');
    const other = await fhir('Communication?subject=Patient/youth-02&_count=5', tok);
    expect(other.body.total).toBe(0);
    expect((other.body.link ?? []).some((l: any) => l.relation === 'next')).toBe(false);
    const count = await fhir('Communication?subject=Patient/youth-02&_summary=count', tok);
    expect(count.body.total ?? 0).toBe(0);
    const own = await fhir('Communication?subject=Patient/youth-01&_count=1', tok);
    expect(own.body.total).toBeGreaterThan(1);
    expect(own.body.link.some((l: any) => l.relation === 'next')).toBe(true);
  });

  it('If-None-Exist is no existence oracle', async () => {
    const tok = await token('patient/Communication.crs');
    // Not the note the PUT probe above used: its identifier may now also exist in the token's own chart.
    const victim = stored('Communication/comm-02-2').identifier[0];
    const ownContact = { ...stored('Communication/comm-01-1'), id: undefined, meta: undefined };
    const res = await fhir('Communication', tok, {
      method: 'POST',
      body: JSON.stringify({ ...ownContact, identifier: [{ system: 'urn:probe', value: 'x' }] }),
      headers: { 'if-none-exist': `identifier=${encodeURIComponent(`${victim.system}|${victim.value}`)}` },
    });
    // Another chart's match is invisible: the create goes ahead in the token's own chart.
    expect(res.status).toBe(201);
    expect(res.body.subject.reference).toBe('Patient/youth-01');
  });

  it('a fine-grained scope reaches only the records it names', async () => {
    const tok = await token(
      'patient/Communication.rs?category=https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category|collateral-contact',
    );
    const res = await fhir('Communication?subject=Patient/youth-01&_count=500', tok);
    const categories = new Set(res.body.entry.map((e: any) => e.resource.category[0].coding[0].code));
    expect([...categories]).toEqual(['collateral-contact']);
    const caregiverCall = stored('Communication/comm-01-1');
    expect(caregiverCall.category[0].coding[0].code).toBe('caregiver-contact');
    expect((await fhir('Communication/comm-01-1', tok)).status).toBe(404);
  });
});

describe('what the authorization server grants', () => {
  async function grantedScope(
    scope: string,
    picker?: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    const { verifier, challenge } = pkcePair();
    const back = await authorize({
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      scope,
      challenge,
      picker,
    }).catch((e: unknown) => e as Error);
    if (back instanceof Error) return { error: back.message };
    const code = back.searchParams.get('code');
    if (!code) return { error: back.searchParams.get('error') };
    return (await exchangeCode(sandbox.issuer, code, verifier)).json() as Promise<Record<string, unknown>>;
  }

  it('patient scopes without a patient are not granted; nor is anything the client is not registered for', async () => {
    const t = await grantedScope(
      'openid fhirUser patient/Communication.rs user/*.cruds system/*.cruds user/Patient.rs',
      {
        user: 'sfp-dana',
      },
    );
    const scopes = String(t.scope).split(' ');
    expect(scopes).toContain('user/Patient.rs');
    expect(scopes).not.toContain('patient/Communication.rs');
    expect(scopes).not.toContain('user/*.cruds');
    expect(scopes).not.toContain('system/*.cruds');
    expect(t.patient).toBeUndefined();
  });

  it('the standalone picker accepts no invented user or patient', async () => {
    const t = await grantedScope('openid fhirUser launch/patient patient/Patient.rs', {
      user: 'nobody',
      patient: 'youth-01',
    });
    expect(t.access_token).toBeUndefined();
    const u = await grantedScope('openid fhirUser launch/patient patient/Patient.rs', {
      user: 'fp-rosa',
      patient: 'ghost',
    });
    expect(u.access_token).toBeUndefined();
    const real = await grantedScope('openid fhirUser launch/patient patient/Patient.rs', {
      user: 'fp-rosa',
      patient: 'youth-01',
    });
    expect(real.patient).toBe('youth-01');
  });

  it('offline_access yields a refresh token, and revocation ends an access token', async () => {
    const t = await grantedScope('openid fhirUser launch/patient offline_access patient/Patient.rs', {
      user: 'fp-rosa',
      patient: 'youth-01',
    });
    expect(typeof t.refresh_token).toBe('string');
    const access = String(t.access_token);
    expect((await fhir('Patient/youth-01', access)).status).toBe(200);
    const revoked = await fetch(`${sandbox.issuer}/token/revocation`, {
      method: 'POST',
      body: new URLSearchParams({ token: access, client_id: CLIENT_ID }),
    });
    expect(revoked.status).toBe(200);
    expect((await fhir('Patient/youth-01', access)).status).toBe(401);
  });

  it('authorize-post is what discovery says: a POST to the authorization endpoint works', async () => {
    const { challenge } = pkcePair();
    const form = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${APP_URL}/`,
      scope: 'openid fhirUser launch/patient patient/Patient.rs',
      state: 'abc',
      aud: sandbox.fhirBase,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${sandbox.issuer}/auth`, { method: 'POST', body: form, redirect: 'manual' });
    expect([302, 303]).toContain(res.status);
    expect(res.headers.get('location')).toMatch(/\/auth\/interaction\//);
  });
});

describe('the launch endpoint', () => {
  it('launches only the registered app, and a launch id opens one authorization', async () => {
    for (const app of ['http://evil.example/launch.html', 'javascript:alert(1)', 'data:text/html,hi']) {
      const res = await fetch(
        `${sandbox.baseUrl}/launch?app=${encodeURIComponent(app)}&patient=youth-01&user=fp-rosa`,
        {
          redirect: 'manual',
        },
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    const res = await fetch(
      `${sandbox.baseUrl}/launch?app=${encodeURIComponent(`${APP_URL}/launch.html`)}&patient=youth-01&user=fp-rosa`,
      { redirect: 'manual' },
    );
    const launch = new URL(res.headers.get('location') ?? '').searchParams.get('launch') ?? '';
    const first = await authorize({
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      scope: 'launch openid',
      launch,
      challenge: pkcePair().challenge,
    });
    expect(first.searchParams.get('code')).toBeTruthy();
    const again = await authorize({
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      scope: 'launch openid',
      launch,
      challenge: pkcePair().challenge,
    }).catch((e: unknown) => e);
    expect(again instanceof URL ? again.searchParams.get('code') : null).toBeNull();
  });
});

describe('request bodies', () => {
  it('refuses a body over the limit with 413, without holding it', async () => {
    const tok = await token('patient/Communication.crs');
    const huge = 'x'.repeat(40 * 1024 * 1024);
    const res = await fetch(`${sandbox.fhirBase}/Communication`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/fhir+json' },
      body: huge,
    });
    expect(res.status).toBe(413);
  });
});

describe('SANDBOX_DATA', () => {
  it('loads a Bundle of any size and names each rejected entry, instead of refusing to start', async () => {
    const { FhirRouter } = await import('@medplum/fhir-router');
    const { ValidatingRepository } = await import('./fhir/repository');
    const { loadDataBundle } = await import('./server');
    const entry = (i: number) => ({
      fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resource: { resourceType: 'Patient', name: [{ family: `P${i}` }] },
      request: { method: 'POST', url: 'Patient' },
    });
    const bad = {
      resource: { resourceType: 'Patient', gender: 'not-a-gender' },
      request: { method: 'POST', url: 'Patient' },
    };
    const linked = {
      resource: { resourceType: 'RelatedPerson', patient: { reference: entry(0).fullUrl } },
      request: { method: 'POST', url: 'RelatedPerson' },
    };
    const repo = new ValidatingRepository();
    const result = await loadDataBundle(new FhirRouter(), repo, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [...Array.from({ length: 120 }, (_, i) => entry(i)), bad, linked],
    } as never);
    expect(result.loaded).toBe(121);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatch(/^entry 120 \(Patient\/—\): .*not-a-gender/);
    const people = (await repo.searchResources({ resourceType: 'RelatedPerson' })) as {
      patient?: { reference?: string };
    }[];
    expect(people[0].patient?.reference).toMatch(/^Patient\/[0-9a-f-]+$/);
  });
});

describe('one guard for every write: deletes, v1 write, state', () => {
  it('an FST contact is never hard-deleted — by id, in a transaction, conditionally, even with the endpoint open', async () => {
    // Auth off (SANDBOX_AUTH=off, for external tools): no scope stands in the way, only the record rule.
    const open = await startTestSandbox({ auth: false });
    try {
      const del = async (path: string, init: RequestInit = { method: 'DELETE' }) => {
        const res = await fetch(`${open.fhirBase}/${path}`, {
          ...init,
          headers: { 'content-type': 'application/fhir+json' },
        });
        return { status: res.status, text: await res.text() };
      };
      const before = JSON.stringify(open.repo.readStored('Communication/comm-01-1'));
      const byId = await del('Communication/comm-01-1');
      expect(byId.status).toBe(403);
      expect(byId.text).toContain('FST records are never deleted');
      const bundled = await del('', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ request: { method: 'DELETE', url: 'Communication/comm-01-1' } }],
        }),
      });
      expect(bundled.status).toBe(403);
      expect((await del('Communication?subject=Patient/youth-01')).status).toBe(403);
      expect(JSON.stringify(open.repo.readStored('Communication/comm-01-1'))).toBe(before);
      // A resource that is no FST record can still be deleted there.
      await open.repo.createResource({ resourceType: 'Basic', id: 'scratch', code: { text: 'x' } } as never);
      expect((await del('Basic/scratch')).status).toBeLessThan(300);
    } finally {
      await open.close();
    }
  });

  it('a record without our profile is still an FST record by its codes (an H2014 order, a discharge summary)', async () => {
    const { isFstRecord } = await import('./fhir/records');
    expect(
      isFstRecord({
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        subject: {},
        code: {
          coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H2014' }],
        },
      } as never),
    ).toBe(true);
    expect(
      isFstRecord({
        resourceType: 'DocumentReference',
        status: 'current',
        content: [],
        type: { coding: [{ system: 'http://loinc.org', code: '18842-5' }] },
      } as never),
    ).toBe(true);
    expect(
      isFstRecord({
        resourceType: 'Communication',
        status: 'completed',
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
      } as never),
    ).toBe(true);
    expect(isFstRecord({ resourceType: 'Observation', status: 'final', code: { text: 'BP' } } as never)).toBe(
      false,
    );
  });

  it('a SMART v1 .write grants create and update, not delete', async () => {
    // A Task that is no FST record (a lab order's): only the scope stands between it and a delete.
    await sandbox.repo.createResource({
      resourceType: 'Task',
      id: 'lab-task-01',
      status: 'requested',
      intent: 'order',
      for: { reference: 'Patient/youth-01' },
    } as never);
    const tok = await token('patient/Task.read patient/Task.write');
    const res = await fhir('Task/lab-task-01', tok, { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('does not permit delete');
    expect(stored('Task/lab-task-01')).toBeTruthy();
  });

  it('an authorization request without state is refused: no code is issued', async () => {
    const { challenge } = pkcePair();
    const url = new URL(`${sandbox.issuer}/auth`);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', CLIENT_ID);
    url.searchParams.set('redirect_uri', `${APP_URL}/`);
    url.searchParams.set('scope', 'openid fhirUser launch/patient patient/Patient.rs');
    url.searchParams.set('aud', sandbox.fhirBase);
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('state is required');
    expect(res.headers.get('location') ?? '').not.toContain('code=');
  });
});
