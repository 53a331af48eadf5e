/**
 * Issue 35, a transfer: a Family Partner leaves and the supervisor moves her family. The sandbox's real router
 * and guard, with tokens from the SMART flow: the move is recorded in the Task's status history (who, when,
 * from whom, to whom, why), an unrecorded move is refused, and afterwards the former Family Partner's writes
 * are refused with the reason in the OperationOutcome.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from 'fhir/r4';
import { DEFAULT_CASELOAD_SCOPES } from '../src/config/config';
import type { AppUser } from '../src/domain/permissions';
import { transfers } from '../src/domain/referral';
import { planAssignment, planTransition } from '../src/domain/referralTransitions';
import { ASSUMED_CAPABILITIES } from '../src/fhir/capabilities';
import { IdentifierSystems } from '../src/fhir/codes';
import type { FhirTransport } from '../src/fhir/http';
import { parseReferralTask, statusHistoryExtension } from '../src/fhir/mappers/referral';
import { applyTransition, assignFamilyPartner, toReferral } from '../src/fhir/referrals';
import { userOf } from './fhir/guard';
import type { Sandbox } from './server';
import { fhirAt, launchToken, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
const SCOPES = `launch openid fhirUser ${DEFAULT_CASELOAD_SCOPES.join(' ')}`;
const ROSA = 'PractitionerRole/role-fp-rosa';
const JAMES = 'PractitionerRole/role-fp-james';
const read = (ref: string) => sandbox.repo.readStored(ref) as any;
const message = (res: { body: any }) => String(res.body?.issue?.[0]?.details?.text ?? '');
const referral = (id: string) => toReferral(read(`Task/${id}`) as Task);

async function as(user: string, youth: string) {
  const token = await launchToken(sandbox, youth, user, SCOPES);
  const transport: FhirTransport = {
    baseUrl: sandbox.fhirBase,
    authorization: async () => `Bearer ${token}`,
  };
  const appUser = (await userOf(sandbox.repo, `Practitioner/${user}`)) as AppUser;
  return {
    token,
    transport,
    user: appUser,
    fhir: (path: string, init?: RequestInit) => fhirAt(sandbox.fhirBase, path, token, init),
  };
}

/** A new caregiver contact of youth-01 in `sender`'s name, as a copy of a stored one. */
function newContact(sender: string, tag: string) {
  const base = JSON.parse(JSON.stringify(read('Communication/comm-01-2')));
  delete base.id;
  delete base.meta;
  base.identifier = [{ system: IdentifierSystems.clientRequest, value: tag }];
  base.sender = { reference: sender };
  base.sent = new Date().toISOString();
  return base;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
}, 60_000);
afterAll(async () => sandbox?.close());

describe('a supervisor moves a family from one Family Partner to another', () => {
  it('a move without its status-history entry is refused and changes nothing', async () => {
    const grace = await as('lc-grace', 'youth-01');
    const task = read('Task/task-01');
    expect(task.owner.reference).toBe(ROSA);
    const res = await grace.fhir('Task/task-01', {
      method: 'PUT',
      body: JSON.stringify({ ...task, owner: { reference: JAMES } }),
    });
    expect(res.status).toBe(403);
    expect(message(res)).toContain('recorded in its status history');
    expect(read('Task/task-01').meta.versionId).toBe(task.meta.versionId);
  });

  it('is recorded on the Task: who moved the family, when, from whom, to whom and why', async () => {
    const grace = await as('lc-grace', 'youth-01');
    const before = referral('task-01');
    const at = new Date();
    const planned = planAssignment(before, JAMES, grace.user, {
      at,
      now: at,
      reason: 'Rosa left the agency',
    });
    const written = await assignFamilyPartner(grace.transport, ASSUMED_CAPABILITIES, before, planned);
    expect(written.ownerReference).toBe(JAMES);
    const stored = parseReferralTask(read('Task/task-01'));
    if (!stored.ok) throw new Error('unreadable');
    expect(transfers(stored.value).at(-1)).toEqual({
      at: at.toISOString(),
      by: 'Practitioner/lc-grace',
      from: ROSA,
      to: JAMES,
      reason: 'Rosa left the agency',
    });
    expect(stored.value.status).toBe(before.status);
  });

  it('afterwards the former Family Partner’s writes are refused, with the reason; the new one’s are not', async () => {
    const rosa = await as('fp-rosa', 'youth-01');
    const communications = async () =>
      (await sandbox.repo.searchResources({ resourceType: 'Communication', count: 100_000 } as never)).length;
    const count = await communications();
    const refused = await rosa.fhir('Communication', {
      method: 'POST',
      body: JSON.stringify(newContact('Practitioner/fp-rosa', 'after-transfer-rosa')),
    });
    expect(refused.status).toBe(403);
    expect(message(refused)).toContain(
      `This family was moved to another Family Partner on ${new Date().toISOString().slice(0, 10)}`,
    );
    expect(await communications()).toBe(count);
    // Her own earlier note she can no longer amend either.
    const note = read('Communication/comm-01-2');
    const amend = await rosa.fhir('Communication/comm-01-2', {
      method: 'PUT',
      body: JSON.stringify({ ...note, payload: [{ contentString: 'rewritten after the move' }] }),
    });
    expect(amend.status).toBe(403);
    expect(message(amend)).toContain('you no longer serve it');
    // Nor hold services.
    const hold = await applyTransition(
      rosa.transport,
      ASSUMED_CAPABILITIES,
      referral('task-01'),
      planTransition(
        referral('task-01'),
        'hold',
        { ...rosa.user, roles: new Set(['fst-supervisor']) },
        {
          at: new Date(),
          reason: 'x',
        },
      ),
    ).catch((e: unknown) => e);
    expect(String(hold)).toContain('you no longer serve it');
    const james = await as('fp-james', 'youth-01');
    const ok = await james.fhir('Communication', {
      method: 'POST',
      body: JSON.stringify(newContact('Practitioner/fp-james', 'after-transfer-james')),
    });
    expect(ok.status).toBe(201);
  });

  it('a status change dated in the future is refused on the server', async () => {
    const grace = await as('lc-grace', 'youth-01');
    const task = read('Task/task-01');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const res = await grace.fhir('Task/task-01', {
      method: 'PUT',
      headers: { 'if-match': `W/"${task.meta.versionId}"` },
      body: JSON.stringify({
        ...task,
        status: 'on-hold',
        statusReason: { text: 'Family away' },
        extension: [
          ...task.extension,
          statusHistoryExtension({
            status: 'on-hold',
            stage: 'active',
            at: tomorrow,
            by: 'Practitioner/lc-grace',
            reason: 'Family away',
          }),
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(message(res)).toContain('cannot be dated in the future');
    expect(read('Task/task-01').meta.versionId).toBe(task.meta.versionId);
  });
});
