/**
 * Issue 35: the episode's invariants on the server (docs/invariants.md), with real tokens from the SMART flow
 * against the real router and guard. Each write here succeeded before sandbox/fhir/episodeRules.ts.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CASELOAD_SCOPES } from '../src/config/config';
import {
  duplicateCancelReason,
  duplicateOpenReferrals,
  secondReferralRefusal,
} from '../src/domain/episodeRules';
import type { Referral } from '../src/domain/model';
import type { AppUser } from '../src/domain/permissions';
import { planTransition } from '../src/domain/referralTransitions';
import { ASSUMED_CAPABILITIES } from '../src/fhir/capabilities';
import { applyTransition } from '../src/fhir/referrals';
import { userOf } from './fhir/guard';
import { CodeSystems, IdentifierSystems } from '../src/fhir/codes';
import { parseReferralTask, statusHistoryExtension } from '../src/fhir/mappers/referral';
import type { Sandbox } from './server';
import { fhirAt, launchToken, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
const read = (ref: string) => sandbox.repo.readStored(ref) as any;
const SCOPES = `launch openid fhirUser ${DEFAULT_CASELOAD_SCOPES.join(' ')}`;
const YOUTH = 'Patient/youth-01';

async function fhir(path: string, user: string, init: RequestInit = {}) {
  return fhirAt(sandbox.fhirBase, path, await launchToken(sandbox, 'youth-01', user, SCOPES), init);
}

const count = async (type: string) =>
  (await sandbox.repo.searchResources({ resourceType: type, count: 100_000 } as never)).length;
const message = (res: { body: any }) => String(res.body?.issue?.[0]?.details?.text ?? '');

/** A new referral of youth-01 in `by`'s name, as the referral form writes one. */
function newReferral(by: string, tag: string): any {
  const base = JSON.parse(JSON.stringify(read('Task/task-01')));
  delete base.id;
  delete base.meta;
  base.identifier = [{ system: IdentifierSystems.clientRequest, value: tag }];
  base.status = 'requested';
  base.businessStatus = { coding: [{ system: CodeSystems.referralStatus, code: 'referred' }] };
  base.extension = [
    statusHistoryExtension({ status: 'requested', stage: 'referred', at: '2026-12-01T15:00:00Z', by }),
  ];
  base.requester = { reference: by };
  base.owner = { reference: 'Organization/org-harbor' };
  base.authoredOn = '2026-12-01T15:00:00Z';
  return base;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
}, 60_000);
afterAll(async () => sandbox?.close());

describe('at most one open FST referral per youth, whoever sends it, on every route', () => {
  it('the open one is there to begin with (youth-01, task-01)', () => {
    const parsed = parseReferralTask(read('Task/task-01'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const expected = secondReferralRefusal([parsed.value]);
    expect(expected).toContain('Task/task-01');
  });

  it('a second referral by POST is refused, naming the open one, who referred and when', async () => {
    const open = parseReferralTask(read('Task/task-01'));
    if (!open.ok) throw new Error('task-01 unreadable');
    const before = await count('Task');
    const res = await fhir('Task', 'op-helen', {
      method: 'POST',
      body: JSON.stringify(newReferral('Practitioner/op-helen', 'second-post')),
    });
    expect(res.status).toBe(403);
    expect(message(res)).toContain('already has an open FST referral (Task/task-01');
    expect(message(res)).toContain(`on ${open.value.authoredOn.slice(0, 10)}`);
    expect(message(res)).toContain('cancels it first');
    expect(await count('Task')).toBe(before);
  });

  it('the care coordinator’s referral in a transaction is refused and leaves nothing behind', async () => {
    const tasks = await count('Task');
    const orders = await count('ServiceRequest');
    const order = JSON.parse(JSON.stringify(read('ServiceRequest/sr-01')));
    delete order.id;
    delete order.meta;
    order.identifier = [{ system: IdentifierSystems.clientRequest, value: 'second-tx-order' }];
    order.requester = { reference: 'Practitioner/icc-marcus' };
    const task = newReferral('Practitioner/icc-marcus', 'second-tx');
    task.focus = { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' };
    const res = await fhir('', 'icc-marcus', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111',
            resource: order,
            request: { method: 'POST', url: 'ServiceRequest' },
          },
          { resource: task, request: { method: 'POST', url: 'Task' } },
        ],
      }),
    });
    expect(res.status).toBe(403);
    expect(message(res)).toContain('Task/task-01');
    expect(await count('Task')).toBe(tasks);
    expect(await count('ServiceRequest')).toBe(orders);
  });
});

describe('one active FST service plan per episode', () => {
  const plan = (tag: string) => ({
    resourceType: 'CarePlan',
    identifier: [{ system: IdentifierSystems.clientRequest, value: tag }],
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: CodeSystems.planType, code: 'fst-service-plan' }] }],
    subject: { reference: YOUTH },
    author: { reference: 'Practitioner/fp-rosa' },
    created: '2026-12-02T15:00:00Z',
  });

  it('the first tab’s plan is saved; the second tab’s first plan is refused and told to revise', async () => {
    const first = await fhir('CarePlan', 'fp-rosa', { method: 'POST', body: JSON.stringify(plan('tab-1')) });
    expect(first.status).toBe(201);
    const before = await count('CarePlan');
    const second = await fhir('CarePlan', 'fp-rosa', { method: 'POST', body: JSON.stringify(plan('tab-2')) });
    expect(second.status).toBe(403);
    expect(message(second)).toContain(`already has an active FST service plan (CarePlan/${first.body.id})`);
    expect(message(second)).toContain('revise it there');
    expect(await count('CarePlan')).toBe(before);
    // Revising the first plan still works.
    const revised = await fhir(`CarePlan/${first.body.id}`, 'fp-rosa', {
      method: 'PUT',
      body: JSON.stringify({ ...first.body, title: 'FST service plan (revised)' }),
    });
    expect(revised.status).toBe(200);
  });
});

describe('two open referrals that reached the EHR around the app (issue 35)', () => {
  it('are both found, and the supervisor keeps one: the other is cancelled as its duplicate', async () => {
    // The EHR writes it straight into its store, as an interface engine would: no app, no guard.
    const duplicate = await sandbox.repo.createResource({
      ...newReferral('Practitioner/icc-marcus', 'ehr-duplicate'),
      authoredOn: '2026-12-02T15:00:00Z',
    });
    const referrals = () =>
      ['Task/task-01', `Task/${duplicate.id}`].map((ref) => {
        const parsed = parseReferralTask(read(ref));
        if (!parsed.ok) throw new Error(`${ref} unreadable`);
        return parsed.value;
      });
    const open = duplicateOpenReferrals(referrals());
    expect(open.map((r) => r.id)).toContain(duplicate.id);
    expect(open).toHaveLength(2);
    const kept = open.find((r) => r.id === 'task-01') as Referral;
    const other = open.find((r) => r.id === duplicate.id) as Referral;
    const token = await launchToken(sandbox, 'youth-01', 'lc-grace', SCOPES);
    const transport = { baseUrl: sandbox.fhirBase, authorization: async () => `Bearer ${token}` };
    const grace = (await userOf(sandbox.repo, 'Practitioner/lc-grace')) as AppUser;
    const keptVersion = read('Task/task-01').meta.versionId;
    const at = new Date();
    const written = await applyTransition(
      transport,
      ASSUMED_CAPABILITIES,
      other,
      planTransition(other, 'cancel', grace, { at, now: at, reason: duplicateCancelReason(kept, 'Dana') }),
    );
    expect(written.status).toBe('cancelled');
    const stored = read(`Task/${duplicate.id}`);
    expect(stored.status).toBe('cancelled');
    expect(stored.statusReason.text).toContain('merged into Task/task-01');
    expect(read('Task/task-01').meta.versionId).toBe(keptVersion);
    expect(duplicateOpenReferrals(referrals())).toEqual([]);
  });
});
