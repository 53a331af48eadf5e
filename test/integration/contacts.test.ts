import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Bundle, Communication, Provenance } from 'fhir/r4';
import { amendContactNote, ContactConflictError, createContact } from '../../src/fhir/contacts';
import { ASSUMED_CAPABILITIES, parseCapabilities, writeGrant } from '../../src/fhir/capabilities';
import { FhirError } from '../../src/fhir/http';
import type { FhirTransport } from '../../src/fhir/http';
import { parseScopes } from '../../src/fhir/smartScopes';
import { CodeSystems, IdentifierSystems } from '../../src/fhir/codes';
import type { ContactDraft } from '../../src/domain/model';
import { BASE, capabilityStatement, searchset } from '../fixtures/fhir';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const transport: FhirTransport = { baseUrl: BASE, authorization: async () => 'Bearer t' };
const draft: ContactDraft = {
  requestId: 'req-1',
  kind: 'caregiver',
  method: 'phone',
  sent: '2026-11-20T15:00:00.000Z',
  durationMinutes: 25,
  purposes: ['coaching'],
  goalIds: ['g1'],
  note: 'Weekly call.',
  recipientReference: 'RelatedPerson/rp1',
  senderReference: 'Practitioner/fp',
  patientId: 'p1',
  referralTaskId: 't1',
};

/** A tiny FHIR store for Communications that honours If-None-Exist on the identifier. */
function store(opts: { failFirst?: number } = {}) {
  const saved = new Map<string, Communication>();
  let posts = 0;
  let failures = opts.failFirst ?? 0;
  server.use(
    http.post(`${BASE}/Communication`, async ({ request }) => {
      posts++;
      const body = (await request.json()) as Communication;
      const key = body.identifier?.[0]?.value ?? '';
      const ifNoneExist = request.headers.get('if-none-exist');
      if (
        ifNoneExist &&
        decodeURIComponent(ifNoneExist).includes(`${IdentifierSystems.clientRequest}|${key}`) &&
        saved.has(key)
      ) {
        return HttpResponse.json(saved.get(key));
      }
      const resource = { ...body, id: `id-${saved.size + 1}`, meta: { ...body.meta, versionId: '1' } };
      saved.set(key, resource);
      if (failures > 0) {
        failures--;
        return new HttpResponse(null, { status: 504 }); // stored, but the answer was lost
      }
      return HttpResponse.json(resource, { status: 201 });
    }),
    http.get(`${BASE}/Communication`, ({ request }) => {
      const wanted = new URL(request.url).searchParams.get('identifier') ?? '';
      return HttpResponse.json(
        searchset([...saved.values()].filter((c) => wanted.endsWith(`|${c.identifier?.[0]?.value}`))),
      );
    }),
  );
  return { saved, posts: () => posts };
}

describe('createContact', () => {
  it('creates with If-None-Exist on the client identifier', async () => {
    const s = store();
    const result = await createContact(transport, ASSUMED_CAPABILITIES, draft);
    expect(result.created).toBe(true);
    expect(result.contact).toMatchObject({
      kind: 'caregiver',
      method: 'phone',
      durationMinutes: 25,
      goalIds: ['g1'],
    });
    expect(s.saved.size).toBe(1);
  });

  it('a retried save after a lost answer never duplicates', async () => {
    const s = store({ failFirst: 1 });
    await expect(createContact(transport, ASSUMED_CAPABILITIES, draft)).rejects.toBeInstanceOf(FhirError);
    const retry = await createContact(transport, ASSUMED_CAPABILITIES, draft);
    expect(retry.created).toBe(false);
    expect(s.saved.size).toBe(1);
    expect(s.posts()).toBe(2);
  });

  it('searches before creating on a server without conditional create', async () => {
    const caps = parseCapabilities(
      capabilityStatement({ batch: true, include: true, conditionalCreate: false }),
    );
    const s = store();
    await createContact(transport, caps, draft);
    const again = await createContact(transport, caps, draft);
    expect(again.created).toBe(false);
    expect(s.posts()).toBe(1);
    expect(s.saved.size).toBe(1);
  });

  it("passes the server's OperationOutcome text on a 400", async () => {
    server.use(
      http.post(`${BASE}/Communication`, () =>
        HttpResponse.json(
          {
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'error',
                code: 'invariant',
                details: { text: 'An attempt must say why no contact was made' },
              },
            ],
          },
          { status: 400 },
        ),
      ),
    );
    await expect(createContact(transport, ASSUMED_CAPABILITIES, draft)).rejects.toMatchObject({
      status: 400,
      message: 'An attempt must say why no contact was made',
    });
  });
});

describe('amending a note', () => {
  const stored: Communication = {
    resourceType: 'Communication',
    id: 'c1',
    meta: { versionId: '4' },
    status: 'completed',
    sent: '2026-11-19T15:00:00Z',
    category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'caregiver-contact' }] }],
    medium: [{ coding: [{ system: CodeSystems.participationMode, code: 'PHONE' }] }],
    language: 'es',
    payload: [{ contentString: 'old' }],
  };
  const req = { id: 'c1', by: 'Practitioner/fp', now: new Date('2026-11-20T15:00:00Z') };

  it('is one transaction: the If-Match update and a Provenance naming who, when and the version replaced', async () => {
    let sent: Bundle | undefined;
    server.use(
      http.get(`${BASE}/Communication/c1`, () => HttpResponse.json(stored)),
      http.post(`${BASE}`, async ({ request }) => {
        sent = (await request.json()) as Bundle;
        return HttpResponse.json({
          resourceType: 'Bundle',
          type: 'transaction-response',
          entry: [{ resource: { ...sent.entry?.[0]?.resource, meta: { versionId: '5' } } }, {}],
        });
      }),
    );
    const contact = await amendContactNote(
      transport,
      ASSUMED_CAPABILITIES,
      { ...req, versionId: '4' },
      'new',
      'Typo in the family name',
    );
    expect(contact.note).toBe('new');
    expect(sent?.type).toBe('transaction');
    expect(sent?.entry?.[0]?.request).toMatchObject({
      method: 'PUT',
      url: 'Communication/c1',
      ifMatch: 'W/"4"',
    });
    // Elements the app does not manage are kept.
    expect(sent?.entry?.[0]?.resource).toMatchObject({ language: 'es' });
    const provenance = sent?.entry?.[1]?.resource as Provenance;
    expect(provenance.activity?.coding?.[0]?.code).toBe('UPDATE');
    expect(provenance.agent[0].who?.reference).toBe('Practitioner/fp');
    expect(provenance.recorded).toBe('2026-11-20T15:00:00.000Z');
    expect(provenance.entity?.[0]?.what.reference).toBe('Communication/c1/_history/4');
    // Why it was amended is on the audit record, as a withdrawal's reason is.
    expect(provenance.reason?.[0]?.text).toBe('Typo in the family name');
  });

  it('refuses a stale version before writing, with the other version to re-apply on', async () => {
    let posted = false;
    server.use(
      http.get(`${BASE}/Communication/c1`, () => HttpResponse.json(stored)),
      http.post(`${BASE}`, () => {
        posted = true;
        return HttpResponse.json({});
      }),
    );
    const error = await amendContactNote(
      transport,
      ASSUMED_CAPABILITIES,
      { ...req, versionId: '3' },
      'new',
      'Typo',
    ).catch((e: unknown) => e);
    expect(posted).toBe(false);
    expect(error).toBeInstanceOf(ContactConflictError);
    expect((error as ContactConflictError).current.note).toBe('old');
    expect((error as FhirError).message).toMatch(/Someone else changed this record/);
  });
});

describe('writeGrant: what a session may write', () => {
  const caps = parseCapabilities(capabilityStatement({ batch: true, include: true }));
  it('names a missing scope', () => {
    expect(writeGrant(parseScopes('patient/Communication.rs'), caps).refusal('Communication', 'c')).toBe(
      'sign-in',
    );
  });
  it('names a server that cannot create Communications', () => {
    const noCreate = parseCapabilities({
      ...capabilityStatement({ batch: true, include: true }),
      rest: [{ mode: 'server', resource: [{ type: 'Communication', interaction: [{ code: 'read' }] }] }],
    });
    expect(writeGrant(parseScopes('patient/Communication.crs'), noCreate).refusal('Communication', 'c')).toBe(
      'server',
    );
  });
  it('allows when both agree', () => {
    expect(
      writeGrant(parseScopes('patient/Communication.crus'), caps).refusal('Communication', 'c'),
    ).toBeUndefined();
  });
});
