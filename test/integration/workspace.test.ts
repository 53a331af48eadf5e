import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Bundle } from 'fhir/r4';
import { loadWorkspace } from '../../src/fhir/workspace';
import { FhirError, SessionExpiredError } from '../../src/fhir/http';
import type { FhirTransport } from '../../src/fhir/http';
import {
  BASE,
  answerBatch,
  batchResponse,
  capabilityStatement,
  caregiver,
  contact,
  goal,
  patient,
  plan,
  searchset,
} from '../fixtures/fhir';
import { parseCapabilities } from '../../src/fhir/capabilities';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const transport: FhirTransport = { baseUrl: BASE, authorization: async () => 'Bearer test-token' };

function batch(respond: (body: Bundle) => Bundle | Response) {
  const seen: { auth: string | null; body: Bundle }[] = [];
  server.use(
    http.post(`${BASE}/`, async ({ request }) => {
      const body = (await request.json()) as Bundle;
      seen.push({ auth: request.headers.get('authorization'), body });
      const result = respond(body);
      return result instanceof Response ? result : HttpResponse.json(result);
    }),
  );
  return seen;
}

/** The batch's answer; the contacts' two windows (latest, first) both `contactsPage` unless given apart. */
const fullBatch = (contactsPage: Bundle, firstContacts: Bundle = contactsPage) =>
  batchResponse([
    patient,
    searchset([caregiver]),
    searchset([plan, goal]),
    searchset([]),
    searchset([]),
    // The referrals' admission checklists.
    searchset([]),
    contactsPage,
    firstContacts,
    // Discharge plans, their deliveries, consents.
    searchset([]),
    searchset([]),
    searchset([]),
    // Continuing-stay reviews.
    searchset([]),
    // Goal attainment and caregiver surveys.
    searchset([]),
    // Incident reports and their reviews.
    searchset([]),
    searchset([]),
    // The FST staff list (whose contacts count toward the clocks).
    searchset([]),
  ]);

describe('loadWorkspace', () => {
  it('loads everything in one batch: the latest and the first contacts, never the pages between', async () => {
    const seen = batch(() =>
      fullBatch(
        searchset(
          [contact('c9', '2026-11-20T15:00:00Z'), contact('c8', '2026-11-13T15:00:00Z')],
          `${BASE}/Communication?page=2`,
          9,
        ),
        searchset(
          [contact('c1', '2025-01-07T15:00:00Z'), contact('c2', '2025-01-09T15:00:00Z')],
          `${BASE}/Communication?page=2b`,
          9,
        ),
      ),
    );
    let pageRequests = 0;
    server.use(
      http.get(`${BASE}/Communication`, () => {
        pageRequests++;
        return HttpResponse.json(searchset([]));
      }),
    );
    const ws = await loadWorkspace(transport, { patientId: 'p1' });
    expect(seen).toHaveLength(1);
    expect(seen[0].auth).toBe('Bearer test-token');
    expect(seen[0].body.type).toBe('batch');
    const urls = seen[0].body.entry?.map((e) => e.request?.url ?? '') ?? [];
    expect(urls.map((u) => u.split('?')[0])).toEqual([
      'Patient/p1',
      'RelatedPerson',
      'CarePlan',
      'Encounter',
      'Task',
      'QuestionnaireResponse',
      'Communication',
      'Communication',
      'DocumentReference',
      'Communication',
      'Consent',
      'QuestionnaireResponse',
      // Goal attainment and caregiver surveys (seed 000 quality 2–3).
      'QuestionnaireResponse',
      'AdverseEvent',
      'Task',
      'PractitionerRole',
    ]);
    expect(urls[6]).toMatch(/_sort=-sent&_count=300$/);
    expect(urls[7]).toMatch(/_sort=sent&_count=25$/);
    expect(pageRequests).toBe(0);
    expect(ws.requests).toBe(1);
    expect(ws.contacts.map((c) => c.id)).toEqual(['c9', 'c8', 'c1', 'c2']);
    // The contacts between the two windows are named, not assumed absent.
    expect(ws.contactsGap).toEqual({ after: '2025-01-09T15:00:00.000Z', before: '2026-11-13T15:00:00.000Z' });
    expect(ws.youth.name.full).toBe('Maya Thompson');
    expect(ws.caregivers[0].relationship).toBe('mother');
    expect(ws.plans[0].goals.map((g) => g.description)).toEqual(['Reduce school refusal']);
    expect(ws.truncated).toEqual([]);
  });

  it('a family whose contacts fit the latest window has no gap, and each contact once', async () => {
    const all = searchset([contact('c2', '2026-11-20T15:00:00Z'), contact('c1', '2026-11-13T15:00:00Z')]);
    batch(() => fullBatch(all, searchset([contact('c1', '2026-11-13T15:00:00Z')], `${BASE}/more`, 2)));
    const ws = await loadWorkspace(transport, { patientId: 'p1' });
    expect(ws.contacts.map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(ws.contactsGap).toBeUndefined();
  });

  it('when the latest contacts could not be read, nothing after the first ones counts as read', async () => {
    const failed = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception' }],
    } as never;
    batch(() => {
      const answer = fullBatch(
        searchset([]),
        searchset([contact('c1', '2025-01-07T15:00:00Z')], `${BASE}/more`, 9),
      );
      answer.entry![6] = { resource: failed, response: { status: '500' } };
      return answer;
    });
    const ws = await loadWorkspace(transport, { patientId: 'p1' });
    expect(ws.contactsGap).toEqual({ after: '2025-01-07T15:00:00.000Z', before: '9999-12-31T23:59:59.999Z' });
    expect(ws.problems.filter((p) => p.reference === 'contacts')).toHaveLength(1);
  });

  it('windows that meet leave no gap', async () => {
    batch(() =>
      fullBatch(
        searchset(
          [contact('c3', '2026-11-20T15:00:00Z'), contact('c2', '2026-11-13T15:00:00Z')],
          `${BASE}/a`,
          3,
        ),
        searchset(
          [contact('c1', '2026-11-06T15:00:00Z'), contact('c2', '2026-11-13T15:00:00Z')],
          `${BASE}/b`,
          3,
        ),
      ),
    );
    const ws = await loadWorkspace(transport, { patientId: 'p1' });
    expect(ws.contacts.map((c) => c.id).sort()).toEqual(['c1', 'c2', 'c3']);
    expect(ws.contactsGap).toBeUndefined();
  });

  it('reports unreadable resources as problems and keeps the rest', async () => {
    batch(() => fullBatch(searchset([contact('good', '2026-11-20T15:00:00Z'), contact('bad', undefined)])));
    const ws = await loadWorkspace(transport, { patientId: 'p1' });
    expect(ws.contacts.map((c) => c.id)).toEqual(['good']);
    expect(ws.problems).toEqual([
      { reference: 'Communication/bad', message: 'Communication/bad has no sent date' },
    ]);
  });

  it('fails with the server outcome when the patient cannot be read', async () => {
    server.use(
      http.post(
        `${BASE}/`,
        answerBatch({
          'Patient/p1': () =>
            ({
              status: '404 Not Found',
              outcome: {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'not-found', details: { text: 'Not found' } }],
              },
            }) as never,
        }),
      ),
    );
    await expect(loadWorkspace(transport, { patientId: 'p1' })).rejects.toMatchObject({
      status: 404,
      message: 'Not found',
    });
  });

  it('turns a 401 into SessionExpiredError', async () => {
    batch(() => new HttpResponse(null, { status: 401 }));
    const error = await loadWorkspace(transport, { patientId: 'p1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
  });

  it('turns a 500 into a FhirError with plain words', async () => {
    batch(() => new HttpResponse('oops', { status: 500 }));
    const error = await loadWorkspace(transport, { patientId: 'p1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).message).toMatch(/FHIR server had a problem/);
  });

  it('falls back to Patient.contact when there is no RelatedPerson', async () => {
    const withContacts = {
      ...patient,
      contact: [{ name: { given: ['Joe'], family: 'T' }, relationship: [{ text: 'father' }] }],
    };
    server.use(http.post(`${BASE}/`, answerBatch({ 'Patient/p1': withContacts as never })));
    const ws = await loadWorkspace(transport, { patientId: 'p1' });
    expect(ws.caregivers.map((c) => `${c.name.full} (${c.relationship})`)).toEqual(['Joe T (father)']);
  });

  it('passes the AbortSignal to the request', async () => {
    batch(() => fullBatch(searchset([])));
    const controller = new AbortController();
    controller.abort();
    await expect(loadWorkspace(transport, { patientId: 'p1' }, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('falls back to parallel reads and direct goal searches on a server without batch or _include', async () => {
    const caps = parseCapabilities(capabilityStatement({ batch: false, include: false }));
    const seen: string[] = [];
    const reply = (path: string, body: object) =>
      http.get(`${BASE}/${path}`, ({ request }) => {
        seen.push(`${path}${new URL(request.url).search.includes('_include') ? ' +include' : ''}`);
        return HttpResponse.json(body);
      });
    server.use(
      http.post(`${BASE}/`, () => HttpResponse.json({}, { status: 500 })),
      reply('Patient/p1', patient),
      reply('RelatedPerson', searchset([caregiver])),
      reply('CarePlan', searchset([plan])),
      reply('Goal', searchset([goal])),
      reply('CareTeam', searchset([])),
      reply('Encounter', searchset([])),
      reply('Task', searchset([])),
      reply('Communication', searchset([contact('c1', '2026-11-20T15:00:00Z')])),
      reply('DocumentReference', searchset([])),
      reply('Consent', searchset([])),
      reply('AdverseEvent', searchset([])),
      reply('PractitionerRole', searchset([])),
      reply('QuestionnaireResponse', searchset([])),
    );
    const ws = await loadWorkspace(transport, { patientId: 'p1', caps });
    expect(seen.sort()).toEqual(
      [
        'CarePlan',
        'CareTeam',
        'AdverseEvent',
        'Communication',
        'Communication',
        'Communication',
        'Consent',
        'DocumentReference',
        'Encounter',
        'Goal',
        'Patient/p1',
        'PractitionerRole',
        // Continuing-stay reviews, the referrals' admission checklists, outcomes and surveys.
        'QuestionnaireResponse',
        'QuestionnaireResponse',
        'QuestionnaireResponse',
        'RelatedPerson',
        'Task',
        'Task',
      ].sort(),
    );
    expect(ws.requests).toBe(18);
    expect(ws.plans[0].goals.map((g) => g.id)).toEqual(['g1']);
    expect(ws.contacts).toHaveLength(1);
  });
});
