/** The writes of meetings and incidents as the server receives them (msw): one transaction each, retry-safe. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Bundle, Task } from 'fhir/r4';
import { ASSUMED_CAPABILITIES } from '../../src/fhir/capabilities';
import type { FhirTransport } from '../../src/fhir/http';
import { FhirError } from '../../src/fhir/http';
import { logMeeting } from '../../src/fhir/meetings';
import { closeIncidentReview, reportIncident } from '../../src/fhir/incidents';
import { BASE, recordTransactions } from '../fixtures/fhir';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const transport: FhirTransport = { baseUrl: BASE, authorization: async () => 'Bearer t' };

describe('logMeeting', () => {
  const draft = {
    requestId: 'm-1',
    patientId: 'p1',
    kind: 'state-agency' as const,
    start: '2026-11-18T15:00:00.000Z',
    durationMinutes: 30,
    attendees: [{ name: 'DCF worker' }],
    youthAttended: false,
    goalUpdates: [],
    decisions: '',
    recordedBy: 'Practitioner/fp',
    consentGivenNow: true,
  };

  it('writes the Encounter and the consent in one transaction of conditional creates; a retry sends the same keys', async () => {
    const sent = recordTransactions(server);
    const consent = { caregiver: { reference: 'RelatedPerson/rp1' }, agency: 'DCF' };
    await logMeeting(transport, ASSUMED_CAPABILITIES, draft, consent);
    await logMeeting(transport, ASSUMED_CAPABILITIES, draft, consent);
    expect(sent).toHaveLength(2);
    expect(sent[0].type).toBe('transaction');
    expect(sent[0].entry?.map((e) => e.resource?.resourceType)).toEqual(['Encounter', 'Consent']);
    const keys = (b: Bundle) => b.entry?.map((e) => e.request?.ifNoneExist);
    expect(keys(sent[0])?.every((k) => k?.startsWith('identifier='))).toBe(true);
    expect(keys(sent[1])).toEqual(keys(sent[0]));
  });

  it('writes no consent for a meeting that needs none', async () => {
    const sent = recordTransactions(server);
    await logMeeting(transport, ASSUMED_CAPABILITIES, { ...draft, kind: 'cpt', consentGivenNow: false });
    expect(sent[0].entry?.map((e) => e.resource?.resourceType)).toEqual(['Encounter']);
  });
});

describe('incidents', () => {
  it('the report and its review Task go together; the review points at the report', async () => {
    const sent = recordTransactions(server);
    await reportIncident(
      transport,
      ASSUMED_CAPABILITIES,
      {
        requestId: 'i-1',
        patientId: 'p1',
        occurredAt: '2026-11-18T15:00:00.000Z',
        category: 'injury',
        seriousness: 'non-serious',
        whatHappened: 'Fell',
        immediateActions: '',
        notifications: [],
        recordedBy: 'Practitioner/fp',
      },
      new Date('2026-11-18T16:00:00Z'),
    );
    const [report, review] = sent[0].entry ?? [];
    expect(report.resource?.resourceType).toBe('AdverseEvent');
    expect((review.resource as Task).focus?.reference).toBe(report.fullUrl);
  });

  it('closing a review changed by someone else is refused, never overwritten', async () => {
    let puts = 0;
    server.use(
      http.get(`${BASE}/Task/r1`, () =>
        HttpResponse.json({
          resourceType: 'Task',
          id: 'r1',
          status: 'requested',
          intent: 'order',
          meta: { versionId: '3' },
        }),
      ),
      http.put(`${BASE}/Task/r1`, () => {
        puts++;
        return HttpResponse.json({});
      }),
    );
    const refused = await closeIncidentReview(
      transport,
      { id: 'r1', versionId: '2' },
      'Reviewed',
      'Practitioner/sfp',
      new Date(),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FhirError);
    expect((refused as FhirError).status).toBe(412);
    expect(puts).toBe(0);
  });
});
