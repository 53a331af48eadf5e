/**
 * The guard, third round (issue 34): what a Bundle's names resolve to, records the guard did not classify but
 * the app trusted, references written another way, content that is not what it says, and bodies read before
 * anyone is signed in. Each test is a probe that succeeded before; the store's holes are in store.test.ts.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CASELOAD_SCOPES, DEFAULT_SCOPES } from '../src/config/config';
import { CodeSystems, IdentifierSystems, Tags } from '../src/fhir/codes';
import { hasActiveConsent } from '../src/fhir/mappers/dischargePlan';
import { instrumentResponses } from '../src/fhir/mappers/instrument';
import { recordKindOf } from '../src/fhir/recordKind';
import { MAX_BUNDLE_ENTRIES } from './fhir/http';
import type { Sandbox } from './server';
import { fhirAt, launchToken, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
const all = (type: string) => sandbox.repo.allStored().filter((r) => r.resourceType === type) as any[];

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => sandbox?.close());

const fhir = (path: string, tok: string, init: RequestInit = {}) => fhirAt(sandbox.fhirBase, path, tok, init);

const tokens = new Map<string, string>();
async function tokenFor(user: string, patientLevel = false): Promise<string> {
  const key = `${user}:${patientLevel}`;
  const scopes = patientLevel ? DEFAULT_SCOPES : DEFAULT_CASELOAD_SCOPES;
  if (!tokens.has(key))
    tokens.set(
      key,
      await launchToken(sandbox, 'youth-01', user, `launch openid fhirUser ${scopes.join(' ')}`),
    );
  return tokens.get(key) ?? '';
}
const bundle = (type: 'batch' | 'transaction', entry: object[]) => ({
  method: 'POST',
  body: JSON.stringify({ resourceType: 'Bundle', type, entry }),
});
const ours = (value: string) => [{ system: IdentifierSystems.clientRequest, value }];
const coded = (system: string, code: string) => ({ coding: [{ system, code }] });
const pdf = (text = 'plan') => Buffer.from(`%PDF-1.7\n${text}\nstartxref\n0\n%%EOF\n`).toString('base64');

const dischargePlan = (over: object = {}) => ({
  resourceType: 'DocumentReference',
  status: 'current',
  type: coded(CodeSystems.loinc, '18842-5'),
  subject: { reference: 'Patient/youth-01' },
  author: [{ reference: 'Practitioner/fp-rosa' }],
  content: [{ attachment: { contentType: 'application/pdf', data: pdf() } }],
  context: { related: [{ reference: 'Task/task-01' }] },
  ...over,
});

describe("a Bundle's names", () => {
  it('a fullUrl naming a stored record stands in for nothing: a forged signature on another youth’s contact is refused', async () => {
    const tok = await tokenFor('fp-rosa', true);
    const before = all('Provenance').length;
    const res = await fhir(
      '',
      tok,
      bundle('transaction', [
        {
          fullUrl: 'Communication/comm-02-1',
          resource: {
            resourceType: 'Communication',
            status: 'completed',
            subject: { reference: 'Patient/youth-01' },
          },
          request: { method: 'GET', url: 'Communication/comm-01-1' },
        },
        {
          fullUrl: 'urn:uuid:5f1c3a52-0000-4000-8000-000000000001',
          resource: {
            resourceType: 'Provenance',
            target: [{ reference: 'Communication/comm-02-1' }],
            recorded: '2026-11-20T15:00:00Z',
            agent: [{ who: { reference: 'Practitioner/fp-rosa' } }],
            signature: [
              {
                type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.7' }],
                when: '2026-11-20T15:00:00Z',
                who: { reference: 'RelatedPerson/cg-02-1' },
                sigFormat: 'text/plain',
                data: Buffer.from('signed').toString('base64'),
              },
            ],
          },
          request: { method: 'POST', url: 'Provenance' },
        },
      ]),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(all('Provenance').length).toBe(before);
    expect(
      all('Provenance').some((p) => p.target?.some((t: any) => t.reference === 'Communication/comm-02-1')),
    ).toBe(false);
  });

  it('a batch read resolves nothing from the Bundle: another youth’s Provenance stays unseen', async () => {
    const tok = await tokenFor('fp-rosa', true);
    const target = all('Provenance').find((p) =>
      p.target?.some((t: any) => /Communication\/comm-02-/.test(t.reference)),
    );
    const ref = target?.target[0].reference ?? 'Communication/comm-02-1';
    // A fullUrl naming another record than its entry's own is refused, relative or absolute.
    const made = {
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: 'Patient/youth-01' },
    };
    for (const fullUrl of [ref, `${sandbox.fhirBase}/${ref}`]) {
      const aliased = await fhir(
        '',
        tok,
        bundle('batch', [
          { fullUrl, resource: made, request: { method: 'GET', url: 'Patient/youth-01' } },
          { request: { method: 'GET', url: `Provenance?target=${ref}` } },
        ]),
      );
      expect(aliased.status, fullUrl).toBe(400);
      expect(JSON.stringify(aliased.body)).toContain('neither a urn:uuid nor the address of the entry');
    }
    // A urn:uuid in a batch names nothing either: entries are independent.
    const res = await fhir(
      '',
      tok,
      bundle('batch', [
        {
          fullUrl: 'urn:uuid:5f1c3a52-0000-4000-8000-000000000002',
          resource: made,
          request: { method: 'GET', url: 'Patient/youth-01' },
        },
        { request: { method: 'GET', url: `Provenance?target=${ref}` } },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.entry[1].resource.entry ?? []).toEqual([]);
  });

  it("a batch answers the same for another youth's Patient and a missing one", async () => {
    const tok = await tokenFor('fp-rosa', true);
    const probe = async (id: string) => {
      const res = await fhir(
        '',
        tok,
        bundle('batch', [{ request: { method: 'GET', url: `Patient/${id}` } }]),
      );
      return { status: res.status, entry: res.body.entry };
    };
    const foreign = await probe('youth-02');
    const missing = await probe('no-such-youth');
    expect(foreign.status).toBe(200);
    expect(foreign).toEqual(missing);
    expect(foreign.entry.map((e: any) => e.response?.status)).toEqual(['404']);
  });

  it(`a Bundle of more than ${MAX_BUNDLE_ENTRIES} entries is refused before any of it runs`, async () => {
    const tok = await tokenFor('fp-rosa', true);
    const entry = Array.from({ length: MAX_BUNDLE_ENTRIES + 1 }, () => ({
      request: { method: 'GET', url: 'Communication?_count=1' },
    }));
    const res = await fhir('', tok, bundle('batch', entry));
    expect(res.status).toBe(413);
    expect(JSON.stringify(res.body)).toContain(`at most ${MAX_BUNDLE_ENTRIES} entries`);
  });
});

describe('one classification for the reader and the guard', () => {
  const consent = (patient: string, performer: string) => ({
    resourceType: 'Consent',
    status: 'active',
    scope: coded('http://terminology.hl7.org/CodeSystem/consentscope', 'patient-privacy'),
    category: [coded('http://loinc.org', '59284-0')],
    patient: { reference: `Patient/${patient}` },
    performer: [{ reference: performer }],
    policyRule: coded('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'OPTIN'),
    provision: { type: 'permit' },
  });

  it('a Consent without our identifier is an FST consent to the guard: the program manager and another youth’s caregiver are refused', async () => {
    expect(hasActiveConsent([consent('youth-01', 'RelatedPerson/cg-01-1')], new Date())).toBe(true);
    expect(recordKindOf(consent('youth-01', 'RelatedPerson/cg-01-1'))).toBe('consent');
    const teresa = await tokenFor('pm-teresa');
    const byManager = await fhir('Consent', teresa, {
      method: 'POST',
      body: JSON.stringify(consent('youth-01', 'RelatedPerson/cg-01-1')),
    });
    expect(byManager.status).toBe(403);
    const rosa = await tokenFor('fp-rosa');
    const otherCaregiver = await fhir('Consent', rosa, {
      method: 'POST',
      body: JSON.stringify(consent('youth-01', 'RelatedPerson/cg-02-1')),
    });
    expect(otherCaregiver.status).toBe(403);
    expect(JSON.stringify(otherCaregiver.body)).toContain("another youth's");
  });

  it('a QuestionnaireResponse the Outcomes card would show is an FST record: an untagged instrument or one with no questionnaire', async () => {
    const untagged = {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      questionnaire: 'https://agency.example.org/Questionnaire/family-strengths',
      subject: { reference: 'Patient/youth-01' },
      author: { reference: 'Practitioner/fp-james' },
      authored: '2026-11-20T15:00:00Z',
      item: [{ linkId: 'q1', answer: [{ valueInteger: 3 }] }],
    };
    // What the reader shows and what the guard judges are the same records.
    expect(instrumentResponses([{ ...untagged, id: 'u' }])).toEqual([]);
    const tagged = { ...untagged, meta: { tag: [Tags.outcomeMeasure] } };
    expect(instrumentResponses([{ ...tagged, id: 't' }])).toHaveLength(1);
    expect(recordKindOf(tagged)).toBe('outcome-measure');
    for (const user of ['op-helen', 'pm-teresa']) {
      const tok = await tokenFor(user);
      const res = await fhir('QuestionnaireResponse', tok, {
        method: 'POST',
        body: JSON.stringify({ ...tagged, author: { reference: 'Practitioner/fp-james' } }),
      });
      expect(res.status, user).toBe(403);
    }
    const { questionnaire: _q, ...bare } = untagged;
    const rosa = await tokenFor('fp-rosa');
    const forged = await fhir('QuestionnaireResponse', rosa, {
      method: 'POST',
      body: JSON.stringify({ ...bare, meta: { tag: [Tags.outcomeMeasure] } }),
    });
    expect(forged.status).toBe(403);
    expect(JSON.stringify(forged.body)).toContain('recorded in your own name');
  });
});

describe('references are resolved as the app resolves them', () => {
  it('an absolute or prefixed reference to another youth’s referral is refused, as the relative one is', async () => {
    const rosa = await tokenFor('fp-rosa');
    for (const ref of [`${sandbox.fhirBase}/Task/task-02`, 'Task/task-02/_history/1']) {
      const res = await fhir('DocumentReference', rosa, {
        method: 'POST',
        body: JSON.stringify(dischargePlan({ context: { related: [{ reference: ref }] } })),
      });
      expect(res.status, ref).toBe(403);
      expect(JSON.stringify(res.body), ref).toContain("another youth's");
    }
    // A form the app would read as task-02 but that names no record here: refused as unreadable.
    const prefixed = await fhir('DocumentReference', rosa, {
      method: 'POST',
      body: JSON.stringify(dischargePlan({ context: { related: [{ reference: 'x/Task/task-02' }] } })),
    });
    expect(prefixed.status).toBe(400);
    // Another server's address is not ours to resolve: refused, never read as the local record.
    const elsewhere = await fhir('DocumentReference', rosa, {
      method: 'POST',
      body: JSON.stringify(
        dischargePlan({ context: { related: [{ reference: 'https://other.example/fhir/Task/task-01' }] } }),
      ),
    });
    expect(elsewhere.status).toBe(400);
    expect(JSON.stringify(elsewhere.body)).toContain('https://other.example/fhir/Task/task-01');
  });
});

describe('content is checked, not the label', () => {
  it('HTML dressed as a PDF, or a discharge plan that is HTML under another label, is refused', async () => {
    const rosa = await tokenFor('fp-rosa');
    const before = all('DocumentReference').length;
    const polyglot = Buffer.from(
      '%PDF-1.7\n<html><body><script>fetch("/x")</script></body></html>\nstartxref\n0\n%%EOF\n',
    ).toString('base64');
    const html = Buffer.from('<!doctype html><script>alert(1)</script>').toString('base64');
    for (const [label, attachment] of [
      ['polyglot', { contentType: 'application/pdf', data: polyglot }],
      ['text/html', { contentType: 'text/html', data: html }],
      ['no type', { data: html }],
      ['elsewhere', { contentType: 'application/pdf', url: 'https://evil.example/plan.pdf' }],
    ] as const) {
      const res = await fhir('DocumentReference', rosa, {
        method: 'POST',
        body: JSON.stringify(dischargePlan({ content: [{ attachment }] })),
      });
      expect(res.status, label).toBe(400);
    }
    expect(all('DocumentReference').length).toBe(before);
    // The plan the app writes passes.
    const real = await fhir('DocumentReference', rosa, {
      method: 'POST',
      body: JSON.stringify(dischargePlan({ identifier: ours('guard3-real-plan') })),
    });
    expect(real.status).toBe(201);
  });
});

describe('bodies before authentication', () => {
  it('the authorization and revocation endpoints answer 413 to a large body without reading it all', async () => {
    const huge = 'a='.padEnd(2 * 1024 * 1024, 'x');
    for (const path of ['/auth/token/revocation', '/auth/auth', '/auth/token']) {
      const res = await fetch(`${sandbox.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: huge,
      });
      expect(res.status, path).toBe(413);
    }
  });
});
