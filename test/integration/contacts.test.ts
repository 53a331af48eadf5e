import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Communication } from 'fhir/r4';
import { amendContact, contactWriteBlocker, createContact } from '../../src/fhir/contacts';
import { ASSUMED_CAPABILITIES, parseCapabilities } from '../../src/fhir/capabilities';
import { FhirError } from '../../src/fhir/http';
import type { FhirTransport } from '../../src/fhir/http';
import { parseScopes } from '../../src/fhir/smartScopes';
import { IdentifierSystems } from '../../src/fhir/codes';
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

describe('amendContact', () => {
  it('writes with If-Match and refuses to overwrite a concurrent edit', async () => {
    const current: Communication = {
      resourceType: 'Communication',
      id: 'c1',
      meta: { versionId: '4' },
      status: 'completed',
      language: 'es',
    };
    let ifMatch: string | null = null;
    server.use(
      http.get(`${BASE}/Communication/c1`, () => HttpResponse.json(current)),
      http.put(`${BASE}/Communication/c1`, ({ request }) => {
        ifMatch = request.headers.get('if-match');
        return HttpResponse.json(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict' }] },
          { status: 412 },
        );
      }),
    );
    const error = await amendContact(transport, 'c1', '3', draft).catch((e: unknown) => e);
    expect(ifMatch).toBe('W/"3"');
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).status).toBe(412);
    expect((error as FhirError).message).toMatch(/Someone else changed this record/);
  });
});

describe('contactWriteBlocker', () => {
  const caps = parseCapabilities(capabilityStatement({ batch: true, include: true }));
  it('explains a missing scope', () => {
    expect(contactWriteBlocker(parseScopes('patient/Communication.rs'), caps)).toMatch(
      /does not allow recording contacts/,
    );
  });
  it('explains a server that cannot create Communications', () => {
    const noCreate = parseCapabilities({
      ...capabilityStatement({ batch: true, include: true }),
      rest: [{ mode: 'server', resource: [{ type: 'Communication', interaction: [{ code: 'read' }] }] }],
    });
    expect(contactWriteBlocker(parseScopes('patient/Communication.crs'), noCreate)).toMatch(
      /does not accept new Communications/,
    );
  });
  it('allows when both agree', () => {
    expect(contactWriteBlocker(parseScopes('patient/Communication.crus'), caps)).toBeUndefined();
  });
});
