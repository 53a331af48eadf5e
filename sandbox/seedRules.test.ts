/**
 * The seeds' rules that decide a record, held by the server (sandbox/fhir/seedRules.ts) as by the app
 * (issue 37): each write goes through the real router and guard under a real token from the SMART flow.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient, Task } from 'fhir/r4';
import { DEFAULT_CASELOAD_SCOPES } from '../src/config/config';
import type { ReferralDraft } from '../src/domain/model';
import { parseReferralTask } from '../src/fhir/mappers/referral';
import { referralResources } from '../src/fhir/mappers/referralWrite';
import { statusHistoryExtension } from '../src/fhir/mappers/referral';
import { CodeSystems } from '../src/fhir/codes';
import type { AuthorityDecision } from '../src/domain/incidents';
import { closedReview } from '../src/fhir/mappers/incident';
import { communicationFromDraft } from '../src/fhir/mappers/contact';
import { encounterFromMeeting } from '../src/fhir/mappers/meeting';
import { disclosureConsent } from '../src/fhir/mappers/consent';
import type { MeetingKind } from '../src/domain/meetings';
import type { ContactDraft } from '../src/domain/model';
import type { Sandbox } from './server';
import { launchToken, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
const SCOPES = `launch openid fhirUser ${DEFAULT_CASELOAD_SCOPES.join(' ')}`;
const tokens = new Map<string, string>();
async function tokenFor(user: string) {
  if (!tokens.has(user)) tokens.set(user, await launchToken(sandbox, 'youth-01', user, SCOPES));
  return tokens.get(user) ?? '';
}

async function fhir(path: string, user: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await tokenFor(user)}`);
  if (init.body) headers.set('content-type', 'application/fhir+json');
  const res = await fetch(`${sandbox.fhirBase}/${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}
const refusal = (res: { body: any }) => String(res.body?.issue?.[0]?.details?.text ?? '');

// Pinned: the referral's own date is the day the age is counted on.
const REFERRED = '2026-12-01T15:00:00Z';

async function patient(id: string, birthDate: string) {
  const youth: Patient = { resourceType: 'Patient', id, birthDate, name: [{ given: ['Test'], family: id }] };
  await sandbox.repo.updateResource(youth as never);
}

function draft(patientId: string, extra: Partial<ReferralDraft> = {}): ReferralDraft {
  return {
    requestId: crypto.randomUUID(),
    patientId,
    planId: 'plan-none',
    goalIds: [],
    newGoals: ['Calmer bedtimes'],
    reason: 'The caregiver asks for support with routines',
    providerReference: 'Organization/org-harbor',
    requesterReference: 'Practitioner/op-helen',
    recordedBy: 'Practitioner/op-helen',
    criteria: { A: true, B: true, C: true },
    authoredOn: REFERRED,
    ...extra,
  };
}

/** The referral's three resources in one transaction, as the app's createReferral sends them. */
async function refer(d: ReferralDraft, tweak?: (r: ReturnType<typeof referralResources>) => void) {
  const urls = { checklist: `urn:uuid:${crypto.randomUUID()}`, order: `urn:uuid:${crypto.randomUUID()}` };
  const r = referralResources(d, urls);
  tweak?.(r);
  const entry = [
    {
      fullUrl: urls.checklist,
      resource: r.checklist,
      request: { method: 'POST', url: 'QuestionnaireResponse' },
    },
    { fullUrl: urls.order, resource: r.order, request: { method: 'POST', url: 'ServiceRequest' } },
    { resource: r.task, request: { method: 'POST', url: 'Task' } },
  ];
  return fhir('', 'op-helen', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }),
  });
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  await patient('seed-over-21', '2005-11-30'); // 21 the day before the referral
  await patient('seed-turns-21', '2005-12-02'); // 21 the day after
});
afterAll(async () => sandbox?.close());

describe('seed 000 overview: "a youth (under the age of 21)"', () => {
  it('a referral for a youth of 21 or over is refused, with the date of birth', async () => {
    const res = await refer(draft('seed-over-21'));
    expect(res.status).toBe(403);
    expect(refusal(res)).toMatch(/under the age of 21.*born on Nov 30, 2005/);
    const stored = await sandbox.repo.searchResources({
      resourceType: 'Task',
      filters: [{ code: 'patient', operator: 'eq', value: 'Patient/seed-over-21' }],
    } as never);
    expect(stored).toHaveLength(0);
  });

  it('a youth under 21 on the referral date is referred', async () => {
    expect((await refer(draft('seed-turns-21'))).status).toBe(200);
  });
});

describe('seed 000 process 1: "the reasons for referral and the initial goals"', () => {
  it('an order without a reason, or without an initial goal, is refused', async () => {
    // Another client's order: no reason at all (our profile requires reasonCode, as the domain rule does).
    const noReason = await refer(draft('youth-01'), (r) => delete r.order.reasonCode);
    expect(noReason.status).toBe(400);
    const noGoal = await refer(draft('youth-01', { newGoals: [] }));
    expect(noGoal.status).toBe(400);
    expect(refusal(noGoal)).toMatch(/initial goal/);
  });
});

describe('seed 004 §III: "must have … and … and …"', () => {
  /** The supervisor's accept, as the app writes it: status, business status, the history entry. */
  async function accept(task: Task) {
    const at = '2026-12-02T15:00:00Z';
    const accepted = {
      ...task,
      status: 'accepted',
      businessStatus: {
        coding: [{ system: CodeSystems.referralStatus, code: 'referred' }],
        text: 'referred',
      },
      lastModified: at,
      extension: [
        ...(task.extension ?? []),
        statusHistoryExtension({ status: 'accepted', stage: 'referred', at, by: 'Practitioner/sfp-dana' }),
      ],
    };
    return fhir(`Task/${task.id}`, 'sfp-dana', { method: 'PUT', body: JSON.stringify(accepted) });
  }
  const taskOf = (res: { body: any }) =>
    res.body.entry.map((e: any) => e.resource).find((r: any) => r.resourceType === 'Task') as Task;

  it('a referral whose checklist says a criterion is not met cannot be accepted on the server', async () => {
    await patient('seed-unmet', '2014-06-01');
    // The data layer writes any answers: the referral is on record, the checklist says B is not met.
    const referred = await refer(draft('seed-unmet', { criteria: { A: true, B: false, C: true } }));
    expect(referred.status).toBe(200);
    const task = taskOf(referred);
    const res = await accept(task);
    expect(res.status).toBe(403);
    expect(refusal(res)).toMatch(/does not confirm .*Level of functioning/);
    const stored = parseReferralTask(sandbox.repo.readStored(`Task/${task.id}`) as never);
    expect(stored.ok && stored.value.status).toBe('requested');
  });

  it('all three confirmed: the supervisor accepts', async () => {
    await patient('seed-met', '2014-06-01');
    const referred = await refer(draft('seed-met'));
    expect(referred.status).toBe(200);
    expect((await accept(taskOf(referred))).status).toBe(200);
  });
});

describe('seed 000 quality management 4: "report any adverse incidents … to the relevant authorities"', () => {
  const incident = (id: string, category: string) => ({
    resourceType: 'AdverseEvent',
    id,
    actuality: 'actual',
    category: [{ coding: [{ system: CodeSystems.incidentCategory, code: category }] }],
    subject: { reference: 'Patient/youth-01' },
    recorder: { reference: 'Practitioner/fp-rosa' },
    date: '2026-11-20T15:00:00Z',
  });
  const review = (id: string, incidentId: string): Task => ({
    resourceType: 'Task',
    id,
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: CodeSystems.fstTaskCode, code: 'incident-review' }] },
    for: { reference: 'Patient/youth-01' },
    focus: { reference: `AdverseEvent/${incidentId}` },
    requester: { reference: 'Practitioner/fp-rosa' },
  });
  const close = (task: Task, decision?: AuthorityDecision) =>
    fhir(`Task/${task.id}`, 'sfp-dana', {
      method: 'PUT',
      body: JSON.stringify(
        closedReview(
          task,
          'Reviewed with the Family Partner',
          'Practitioner/sfp-dana',
          new Date('2026-11-21T15:00:00Z'),
          decision,
        ),
      ),
    });

  it('a medication error closed with "no report needed" is refused: every incident names its authority', async () => {
    await sandbox.repo.updateResource(incident('seed-med', 'medication') as never);
    const task = review('seed-med-review', 'seed-med');
    await sandbox.repo.updateResource(task as never);
    const refused = await close(task, { kind: 'not-needed', reason: 'No harm done' });
    expect(refused.status).toBe(403);
    expect(refusal(refused)).toMatch(/agency’s incident system/);
    expect((sandbox.repo.readStored('Task/seed-med-review') as any).status).toBe('requested');
    const reported = await close(task, {
      kind: 'reported',
      report: { who: 'Agency incident system, #2026-88', at: '2026-11-20T18:00:00Z' },
    });
    expect(reported.status).toBe(200);
  });
});

describe('seed 000 service component 5: "delivers services in the parent\'s/caregiver\'s home and community"', () => {
  const visit = (extra: Partial<ContactDraft>): ContactDraft => ({
    requestId: crypto.randomUUID(),
    kind: 'caregiver',
    method: 'face-to-face',
    sent: '2026-11-20T15:00:00Z',
    durationMinutes: 60,
    purposes: ['coaching'],
    goalIds: [],
    note: 'Home visit',
    recipientReference: 'RelatedPerson/cg-01-1',
    senderReference: 'Practitioner/fp-rosa',
    patientId: 'youth-01',
    ...extra,
  });
  const log = (d: ContactDraft) =>
    fhir('Communication', 'fp-rosa', { method: 'POST', body: JSON.stringify(communicationFromDraft(d)) });

  it('an in-person contact written without its place, or as telehealth, is refused; with it, stored with its CMS code', async () => {
    const without = await log(visit({}));
    expect(without.status).toBe(400);
    expect(refusal(without)).toBe('Say where the contact took place (home, community, office or school).');
    const remote = await log(visit({ placeOfService: 'telehealth' }));
    expect(remote.status).toBe(400);
    expect(refusal(remote)).toMatch(/not telehealth/);
    const call = await log(visit({ method: 'phone', placeOfService: 'home' }));
    expect(refusal(call)).toBe('A phone or video contact is telehealth.');
    const home = await log(visit({ placeOfService: 'home' }));
    expect(home.status).toBe(201);
    const stored = sandbox.repo.readStored(`Communication/${home.body.id}`) as any;
    expect(stored.extension.find((e: any) => e.url.endsWith('/fst-place-of-service')).valueCoding.code).toBe(
      '12',
    );
  });
});

describe('seed 000 linkages 4: state agencies (DESE/LEA, probation, the courts) "and consent is given"', () => {
  const meeting = (kind: MeetingKind) =>
    encounterFromMeeting({
      requestId: crypto.randomUUID(),
      patientId: 'youth-01',
      kind,
      start: '2026-11-20T15:00:00Z',
      durationMinutes: 45,
      attendees: [{ name: 'Ms. Ortiz (school district)' }],
      youthAttended: false,
      goalUpdates: [],
      decisions: '',
      recordedBy: 'Practitioner/fp-rosa',
      consentGivenNow: false,
    });
  const post = (resources: object[]) =>
    fhir('', 'fp-rosa', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: resources.map((resource) => ({
          resource,
          request: { method: 'POST', url: (resource as { resourceType: string }).resourceType },
        })),
      }),
    });

  it('a school / IEP or state-agency meeting written by another client without consent is refused', async () => {
    const school = await post([meeting('school-iep')]);
    expect(school.status).toBe(403);
    expect(refusal(school)).toMatch(/^A school \/ IEP meeting needs the caregiver's consent/);
    const court = await post([meeting('state-agency')]);
    expect(refusal(court)).toMatch(/^A state-agency meeting needs the caregiver's consent/);
    // A treatment-team meeting needs none.
    expect((await post([meeting('treatment-team')])).status).toBe(200);
  });

  it("with the caregiver's consent written in the same request, the meeting is kept", async () => {
    const consent = disclosureConsent({
      identifier: crypto.randomUUID(),
      patientId: 'youth-01',
      performer: { reference: 'RelatedPerson/cg-01-1' },
      recipients: [{ display: 'School district' }],
      at: '2026-11-20T15:00:00Z',
    });
    const res = await post([meeting('school-iep'), consent]);
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: any) => e.response.status)).toEqual(['201', '201']);
  });
});
