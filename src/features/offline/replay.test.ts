import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { QueryClient } from '@tanstack/react-query';
import type { Bundle, Communication, Resource } from 'fhir/r4';
import type { IntentKind } from '../../domain/outbox';
import { Questionnaires } from '../../fhir/codes';
import type { ContactDraft } from '../../domain/model';
import { ownerOf } from '../../domain/outbox';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import type { EhrConfig } from '../../config/config';
import type { SmartSession } from '../../fhir/session';
import { parseScopes } from '../../fhir/smartScopes';
import { enqueue, list } from './outboxStore';
import { replayOutbox } from './replay';
import { closeVault, resetKeyCache } from './vault';

const BASE = 'https://ehr.test/fhir';
const ROSA = 'Practitioner/fp-rosa';
const owner = ownerOf(BASE, ROSA);
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  closeVault();
  resetKeyCache();
});

let tokens = 0;
const session = {
  serverUrl: BASE,
  user: { resourceType: 'Practitioner', id: 'fp-rosa' },
  // The live session's header, asked for at each request (fhirclient refreshes it): never a stored one.
  transport: { baseUrl: BASE, authorization: async () => `Bearer live-${++tokens}` },
  scopes: parseScopes('user/Communication.crs'),
  fhirContext: [],
  ehr: { name: 'Test EHR', timeZone: 'America/New_York' } as EhrConfig,
} as unknown as SmartSession;

const draft = (requestId: string): ContactDraft => ({
  requestId,
  kind: 'caregiver',
  method: 'phone',
  sent: '2026-11-20T15:00:00.000Z',
  durationMinutes: 25,
  purposes: ['coaching'],
  goalIds: ['g1'],
  note: 'Weekly call.',
  recipientReference: 'RelatedPerson/rp1',
  senderReference: 'Practitioner/fp-rosa',
  patientId: 'p1',
});

const queue = (ids: string[]) =>
  ids.reduce(
    (p, id) =>
      p.then(() =>
        enqueue({
          kind: 'contact',
          record: draft(id),
          requestId: id,
          by: ROSA,
          serverUrl: BASE,
          patientId: 'p1',
          queuedAt: '2026-11-20T15:01:00.000Z',
        }),
      ),
    Promise.resolve() as Promise<unknown>,
  );

/** A server that answers each POST by the rule given, recording the order, the header and the condition. */
function fhirServer(answer: (requestId: string, n: number) => 'ok' | 'drop' | number) {
  const seen: { requestId: string; auth: string | null; ifNoneExist: string | null }[] = [];
  server.use(
    http.post(`${BASE}/Communication`, async ({ request }) => {
      const body = (await request.json()) as Communication;
      const requestId = body.identifier?.[0]?.value ?? '';
      seen.push({
        requestId,
        auth: request.headers.get('authorization'),
        ifNoneExist: request.headers.get('if-none-exist'),
      });
      const a = answer(requestId, seen.length);
      if (a === 'drop') return HttpResponse.error();
      if (typeof a === 'number')
        return HttpResponse.json(
          {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'conflict', diagnostics: `Refused ${requestId}` }],
          },
          { status: a },
        );
      return HttpResponse.json({ ...body, id: `id-${requestId}`, meta: { versionId: '1' } }, { status: 201 });
    }),
  );
  return seen;
}

describe('the replay', () => {
  it('sends each entry in order, conditionally on its request id, with the live token, and empties the outbox', async () => {
    await queue(['a', 'b', 'c']);
    const seen = fhirServer(() => 'ok');
    const report = await replayOutbox(session, owner, ASSUMED_CAPABILITIES, new QueryClient());
    expect(report).toEqual({ sent: 3, refused: 0, left: 0 });
    expect(seen.map((s) => s.requestId)).toEqual(['a', 'b', 'c']);
    expect(seen.every((s) => decodeURIComponent(s.ifNoneExist ?? '').endsWith(`|${s.requestId}`))).toBe(true);
    expect(seen.every((s) => s.auth?.startsWith('Bearer live-'))).toBe(true);
    expect(await list(owner)).toEqual([]);
  });

  it('stops at the first entry that gets no answer and keeps it and the rest, in order', async () => {
    await queue(['a', 'b', 'c']);
    const seen = fhirServer((id) => (id === 'b' ? 'drop' : 'ok'));
    const report = await replayOutbox(session, owner, ASSUMED_CAPABILITIES, new QueryClient());
    expect(report).toEqual({ sent: 1, refused: 0, left: 2, stopped: 'unreachable' });
    expect(seen.map((s) => s.requestId)).toEqual(['a', 'b']);
    expect((await list(owner)).map((e) => [e.requestId, e.state])).toEqual([
      ['b', 'pending'],
      ['c', 'pending'],
    ]);
  });

  it('moves a refusal to needs review with the server’s words and its name, and goes on', async () => {
    await queue(['a', 'b']);
    fhirServer((id) => (id === 'a' ? 412 : 'ok'));
    const report = await replayOutbox(session, owner, ASSUMED_CAPABILITIES, new QueryClient());
    expect(report).toEqual({ sent: 1, refused: 1, left: 0 });
    const [a] = await list(owner);
    expect(a).toMatchObject({
      requestId: 'a',
      state: 'needs-review',
      review: { server: 'Test EHR', words: 'Refused a' },
    });
    // Under review, it is not sent again by the next replay.
    const seen = fhirServer(() => 'ok');
    await replayOutbox(session, owner, ASSUMED_CAPABILITIES, new QueryClient());
    expect(seen).toEqual([]);
  });

  it('stops when the session is gone (401) and keeps everything pending', async () => {
    await queue(['a', 'b']);
    fhirServer(() => 401);
    const report = await replayOutbox(session, owner, ASSUMED_CAPABILITIES, new QueryClient());
    expect(report).toEqual({ sent: 0, refused: 0, left: 2, stopped: 'signed-out' });
    expect((await list(owner)).map((e) => e.state)).toEqual(['pending', 'pending']);
  });

  it('never sends another user’s entries', async () => {
    await queue(['a']);
    const seen = fhirServer(() => 'ok');
    const report = await replayOutbox(
      session,
      ownerOf(BASE, 'Practitioner/fp-lee'),
      ASSUMED_CAPABILITIES,
      new QueryClient(),
    );
    expect(report.sent).toBe(0);
    expect(seen).toEqual([]);
    expect(await list(owner)).toHaveLength(1);
  });

  it('replays a meeting, answers and an incident report through their own writes, in the order saved', async () => {
    const meeting = {
      draft: {
        requestId: 'm',
        patientId: 'p1',
        kind: 'cpt' as const,
        start: '2026-11-20T16:00:00.000Z',
        durationMinutes: 60,
        attendees: [{ reference: 'Practitioner/icc-marcus', name: 'Marcus' }],
        youthAttended: false,
        goalUpdates: [],
        decisions: 'Next steps agreed.',
        recordedBy: ROSA,
        consentGivenNow: false,
      },
    };
    const outcome = {
      requestId: 'o',
      response: {
        resourceType: 'QuestionnaireResponse' as const,
        status: 'completed' as const,
        questionnaire: Questionnaires.caregiverSatisfaction,
        subject: { reference: 'Patient/p1' },
        identifier: { system: 'urn:test', value: 'o' },
      },
    };
    const incident = {
      reportedAt: '2026-11-20T17:05:00.000Z',
      draft: {
        requestId: 'i',
        patientId: 'p1',
        occurredAt: '2026-11-20T17:00:00.000Z',
        category: 'injury' as const,
        seriousness: 'non-serious' as const,
        whatHappened: 'Fell on the stairs',
        immediateActions: '',
        notifications: [],
        recordedBy: ROSA,
      },
    };
    const records: [IntentKind, string, unknown][] = [
      ['contact', 'a', draft('a')],
      ['meeting', 'm', meeting],
      ['outcome', 'o', outcome],
      ['incident', 'i', incident],
    ];
    for (const [kind, requestId, record] of records)
      await enqueue({
        kind,
        record,
        requestId,
        by: ROSA,
        serverUrl: BASE,
        patientId: 'p1',
        queuedAt: '2026-11-20T17:06:00.000Z',
      });
    const contacts = fhirServer(() => 'ok');
    const bundles: { types: string[]; conditions: string[]; resources: Resource[] }[] = [];
    server.use(
      http.post(BASE, async ({ request }) => {
        const bundle = (await request.json()) as Bundle;
        const entries = bundle.entry ?? [];
        bundles.push({
          types: entries.map((e) => e.resource?.resourceType ?? ''),
          conditions: entries.map((e) => decodeURIComponent(e.request?.ifNoneExist ?? '')),
          resources: entries.map((e) => e.resource as Resource),
        });
        return HttpResponse.json({
          resourceType: 'Bundle',
          type: 'transaction-response',
          entry: entries.map((e, n) => ({
            resource: { ...e.resource, id: `x${bundles.length}-${n}`, meta: { versionId: '1' } },
            response: { status: '201 Created' },
          })),
        });
      }),
    );
    const report = await replayOutbox(session, owner, ASSUMED_CAPABILITIES, new QueryClient());
    expect(report).toEqual({ sent: 4, refused: 0, left: 0 });
    expect(contacts.map((c) => c.requestId)).toEqual(['a']);
    expect(bundles.map((b) => b.types)).toEqual([
      ['Encounter'],
      ['QuestionnaireResponse'],
      ['AdverseEvent', 'Task'],
    ]);
    // Each a conditional create on its own request id: a replay after a lost answer stores nothing twice.
    expect(bundles[0]?.conditions[0]).toMatch(/\|m$/);
    expect(bundles[1]?.conditions[0]).toMatch(/\|o$/);
    expect(bundles[2]?.conditions.every((c) => c.length > 0)).toBe(true);
    // The incident is dated when the user saved it on the device, not when the replay sent it.
    expect(bundles[2]?.resources[0]).toMatchObject({ recordedDate: '2026-11-20T17:05:00.000Z' });
    expect(await list(owner)).toEqual([]);
  });
});
