import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ServiceRequest, Task } from 'fhir/r4';
import { ASSUMED_CAPABILITIES } from '../../src/fhir/capabilities';
import type { FhirTransport } from '../../src/fhir/http';
import {
  applyTransition,
  assignFamilyPartner,
  createReferral,
  ReferralConflictError,
  toReferral,
} from '../../src/fhir/referrals';
import { saveServicePlan } from '../../src/fhir/servicePlans';
import { planAssignment, planTransition } from '../../src/domain/referralTransitions';
import type { Referral } from '../../src/domain/model';
import { BASE, recordTransactions } from '../fixtures/fhir';
import { referralResources } from '../../src/fhir/mappers/referralWrite';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const transport: FhirTransport = { baseUrl: BASE, authorization: async () => 'Bearer t' };
const supervisor = {
  kind: 'Practitioner' as const,
  references: ['Practitioner/sfp'],
  roles: new Set(['fst-supervisor'] as const),
};

const draft = {
  requestId: 'r-1',
  patientId: 'p1',
  planId: 'cp1',
  goalIds: ['g1'],
  newGoals: [],
  reason: 'Support at home',
  providerReference: 'Organization/org',
  requesterReference: 'Practitioner/op',
  recordedBy: 'Practitioner/op',
  criteria: { A: true, B: true, C: true },
  authoredOn: '2026-11-20T15:00:00.000Z',
};

describe('referral writes', () => {
  it('sends a referral as one transaction of conditional creates, linked by urn:uuid', async () => {
    const sent = recordTransactions(server);
    const referral = await createReferral(transport, ASSUMED_CAPABILITIES, draft);
    expect(referral.status).toBe('requested');
    const [qr, sr, task] = sent[0].entry ?? [];
    expect(sent[0].type).toBe('transaction');
    expect([qr.request?.ifNoneExist, sr.request?.ifNoneExist, task.request?.ifNoneExist]).toEqual(
      Array(3).fill(expect.stringContaining('r-1')),
    );
    expect((sr.resource as ServiceRequest).supportingInfo?.at(-1)?.reference).toBe(qr.fullUrl);
    expect((task.resource as Task).focus?.reference).toBe(sr.fullUrl);
  });

  const stored = (status: Task['status'], versionId = '1'): Task => ({
    ...referralResources(draft, { checklist: 'urn:uuid:a', order: 'ServiceRequest/sr1' }).task,
    id: 't1',
    status,
    language: 'es',
    meta: { versionId },
  });
  const referral = (status: string, versionId = '1'): Referral => ({
    id: 't1',
    status,
    authoredOn: draft.authoredOn,
    serviceRequestId: 'sr1',
    versionId,
    fstMarks: ['profile'],
  });

  it('declines with If-Match on the Task, the reason, a history entry, and the order revoked, together', async () => {
    const sent = recordTransactions(server);
    server.use(
      http.get(`${BASE}/Task/t1`, () => HttpResponse.json(stored('requested'))),
      http.get(`${BASE}/ServiceRequest/sr1`, () =>
        HttpResponse.json({
          resourceType: 'ServiceRequest',
          id: 'sr1',
          status: 'active',
          meta: { versionId: '4' },
        }),
      ),
    );
    const r = referral('requested');
    await applyTransition(
      transport,
      ASSUMED_CAPABILITIES,
      r,
      planTransition(r, 'decline', supervisor, {
        at: new Date('2026-11-21T15:00:00Z'),
        reason: 'Outside our area',
      }),
    );
    const [task, order] = sent[0].entry ?? [];
    expect(task.request).toMatchObject({ method: 'PUT', url: 'Task/t1', ifMatch: 'W/"1"' });
    expect(task.resource).toMatchObject({
      status: 'rejected',
      statusReason: { text: 'Outside our area' },
      language: 'es',
    });
    expect(JSON.stringify((task.resource as Task).extension)).toContain('Outside our area');
    expect(order.request).toMatchObject({ method: 'PUT', ifMatch: 'W/"4"' });
    expect(order.resource).toMatchObject({ status: 'revoked' });
  });

  it('refuses a stale version with the other version, writing nothing', async () => {
    const sent = recordTransactions(server);
    server.use(http.get(`${BASE}/Task/t1`, () => HttpResponse.json(stored('accepted', '3'))));
    const r = referral('requested', '1');
    const error = await applyTransition(
      transport,
      ASSUMED_CAPABILITIES,
      r,
      planTransition(r, 'accept', supervisor, { at: new Date() }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReferralConflictError);
    expect((error as ReferralConflictError).current.status).toBe('accepted');
    expect(sent).toHaveLength(0);
  });

  it('assigns a Family Partner by their PractitionerRole, with If-Match and the history entry', async () => {
    const sent = recordTransactions(server);
    server.use(http.get(`${BASE}/Task/t1`, () => HttpResponse.json(stored('accepted'))));
    const r = referral('accepted');
    await assignFamilyPartner(
      transport,
      ASSUMED_CAPABILITIES,
      r,
      planAssignment(r, 'PractitionerRole/role-fp', supervisor, { at: new Date() }),
    );
    const task = sent[0].entry?.[0]?.resource as Task;
    expect(task).toMatchObject({ owner: { reference: 'PractitionerRole/role-fp' } });
    expect(sent[0].entry?.[0]?.request?.ifMatch).toBe('W/"1"');
    const parsed = toReferral({ ...task, id: 't1' });
    expect(parsed.recordedHistory?.at(-1)?.transfer?.to).toBe('PractitionerRole/role-fp');
  });

  it('saves a service plan and the note sharing it, one transaction', async () => {
    const sent = recordTransactions(server);
    await saveServicePlan(
      transport,
      ASSUMED_CAPABILITIES,
      {
        basedOnPlanId: 'cp1',
        meetings: [{ frequency: 'weekly', day: 'tue', time: '17:00', setting: 'home' }],
        hours: { amount: 3, per: 'week' },
        goalTargets: [{ goalId: 'g1', targetDate: '2027-03-01' }],
        start: '2026-11-24',
      },
      {
        patientId: 'p1',
        requestId: 'sp-1',
        now: new Date(),
        sender: 'Practitioner/fp',
        shareWith: 'Practitioner/op',
      },
    );
    const [plan, note] = sent[0].entry ?? [];
    expect(plan.resource?.resourceType).toBe('CarePlan');
    expect(note.resource).toMatchObject({
      resourceType: 'Communication',
      about: [{ reference: plan.fullUrl }],
      recipient: [{ reference: 'Practitioner/op' }],
    });
  });
});
