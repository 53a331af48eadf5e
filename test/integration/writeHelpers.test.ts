import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Bundle, Communication, Provenance, Task } from 'fhir/r4';
import { collectPages, fhirRequest, RequestTimeoutError } from '../../src/fhir/http';
import type { FhirTransport } from '../../src/fhir/http';
import { transaction, updateIfMatch } from '../../src/fhir/write';
import { ASSUMED_CAPABILITIES } from '../../src/fhir/capabilities';
import { BASE, searchset } from '../fixtures/fhir';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const transport: FhirTransport = { baseUrl: BASE, authorization: async () => 'Bearer t' };
const task: Task = {
  resourceType: 'Task',
  id: 't1',
  meta: { versionId: '2' },
  status: 'accepted',
  intent: 'order',
};

describe('updateIfMatch', () => {
  it('answers a 412 with a conflict value carrying the other version', async () => {
    let reads = 0;
    server.use(
      http.get(`${BASE}/Task/t1`, () =>
        HttpResponse.json(reads++ === 0 ? task : { ...task, meta: { versionId: '3' }, status: 'on-hold' }),
      ),
      http.put(`${BASE}/Task/t1`, ({ request }) => {
        expect(request.headers.get('if-match')).toBe('W/"2"');
        return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 412 });
      }),
    );
    const result = await updateIfMatch<Task>(transport, 'Task/t1', '2', (t) => ({
      ...t,
      status: 'in-progress',
    }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.current.status).toBe('on-hold');
  });
});

describe('timeouts', () => {
  it('stops a request the server never answers, and says retrying a save is safe', async () => {
    server.use(
      http.post(`${BASE}/Communication`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const started = Date.now();
    const error = await fhirRequest({ ...transport, timeoutMs: 200 }, 'Communication', {
      method: 'POST',
      body: {},
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).message).toMatch(/not known whether this was saved\. Saving again is safe/);
  });
});

describe('the bearer token stays with the FHIR server', () => {
  it('refuses a next link that points elsewhere, before sending anything', async () => {
    let foreign = 0;
    server.use(
      http.get('https://evil.example/fhir/Communication', () => {
        foreign++;
        return HttpResponse.json(searchset([]));
      }),
    );
    const first = searchset([], 'https://evil.example/fhir/Communication?page=2');
    const error = await collectPages(transport, first as Bundle).catch((e: unknown) => e);
    expect(foreign).toBe(0);
    expect((error as Error).message).toMatch(/outside its own address/);
  });
});

describe('paging', () => {
  it('keeps an entry repeated across pages once (offset paging while someone inserts)', async () => {
    const c = (id: string) => ({ resourceType: 'Communication', id, status: 'completed' }) as Communication;
    server.use(http.get(`${BASE}/Communication`, () => HttpResponse.json(searchset([c('b'), c('c')]))));
    const first = searchset([c('a'), c('b')], `${BASE}/Communication?_offset=2`);
    const pages = await collectPages(transport, first as Bundle);
    expect(pages.entries.map((e) => e.resource?.id)).toEqual(['a', 'b', 'c']);
    expect(pages.pages).toBe(2);
  });
});

describe('transaction on a server without transactions', () => {
  it('writes in order, resolves urn:uuid references, creates conditionally, and a retry duplicates nothing', async () => {
    const stored = new Map<string, Communication | Provenance>();
    let creates = 0;
    server.use(
      http.post(`${BASE}/:type`, async ({ request, params }) => {
        const key = request.headers.get('if-none-exist') ?? '';
        if (stored.has(key)) return HttpResponse.json(stored.get(key), { status: 200 });
        creates++;
        const body = (await request.json()) as Communication;
        const saved = { ...body, id: `${String(params.type)}-${creates}`, meta: { versionId: '1' } };
        stored.set(key, saved);
        return HttpResponse.json(saved, { status: 201 });
      }),
    );
    const caps = { ...ASSUMED_CAPABILITIES, transaction: false };
    const entries = [
      {
        method: 'POST' as const,
        fullUrl: 'urn:uuid:a',
        resource: { resourceType: 'Communication', status: 'completed' } as Communication,
        ifNoneExist: 'identifier=x|1',
      },
      {
        method: 'POST' as const,
        fullUrl: 'urn:uuid:b',
        resource: {
          resourceType: 'Provenance',
          target: [{ reference: 'urn:uuid:a' }],
          recorded: '2026-11-20T00:00:00Z',
          agent: [],
        } as unknown as Provenance,
        ifNoneExist: 'target=urn',
      },
    ];
    const first = await transaction(transport, caps, entries);
    expect((first.resources[1] as Provenance).target[0].reference).toBe('Communication/Communication-1');
    const again = await transaction(transport, caps, entries);
    expect(creates).toBe(2);
    expect(again.resources.map((r) => r.id)).toEqual(first.resources.map((r) => r.id));
  });
});
