/**
 * Issue 35, a contact logged late and a contact's date amended. The sandbox's real router and guard, tokens from
 * the SMART flow: the server stamps when it stored a contact (the client cannot set or move the stamp), an
 * amendment of the date is versioned and judged like a create (no future date), and a concurrent amendment is
 * refused with the other person's version, never overwritten.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Communication } from 'fhir/r4';
import { DEFAULT_CASELOAD_SCOPES } from '../src/config/config';
import { daysRecordedAfter } from '../src/domain/contactDates';
import { ASSUMED_CAPABILITIES } from '../src/fhir/capabilities';
import { Extensions, IdentifierSystems } from '../src/fhir/codes';
import { amendContact, ContactConflictError } from '../src/fhir/contacts';
import type { FhirTransport } from '../src/fhir/http';
import { parseContact } from '../src/fhir/mappers/contact';
import type { Sandbox } from './server';
import { fhirAt, launchToken, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
const SCOPES = `launch openid fhirUser ${DEFAULT_CASELOAD_SCOPES.join(' ')}`;
const read = (ref: string) => sandbox.repo.readStored(ref) as any;
const message = (res: { body: any }) => String(res.body?.issue?.[0]?.details?.text ?? '');
const stampOf = (c: { extension?: { url: string; valueInstant?: string }[] }) =>
  c.extension?.find((e) => e.url === Extensions.recordedAt)?.valueInstant;
const DAY = 86_400_000;

async function asRosa() {
  const token = await launchToken(sandbox, 'youth-01', 'fp-rosa', SCOPES);
  const transport: FhirTransport = {
    baseUrl: sandbox.fhirBase,
    authorization: async () => `Bearer ${token}`,
  };
  return {
    transport,
    fhir: (path: string, init?: RequestInit) => fhirAt(sandbox.fhirBase, path, token, init),
  };
}

/** A new caregiver contact of youth-01 by Rosa, dated `sent`, as a copy of a stored one. */
function newContact(tag: string, sent: string): Communication {
  const base = JSON.parse(JSON.stringify(read('Communication/comm-01-2')));
  delete base.id;
  delete base.meta;
  base.identifier = [{ system: IdentifierSystems.clientRequest, value: tag }];
  base.sender = { reference: 'Practitioner/fp-rosa' };
  base.sent = sent;
  return base;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
}, 60_000);
afterAll(async () => sandbox?.close());

describe('when a contact was recorded', () => {
  it('is stamped by the server on create, whatever the client sent, and shows a late contact as late', async () => {
    const rosa = await asRosa();
    const threeWeeksAgo = new Date(Date.now() - 21 * DAY).toISOString();
    const body = newContact('late-logged', threeWeeksAgo);
    // A client that tries to back-date its own recording.
    body.extension = [...(body.extension ?? []), { url: Extensions.recordedAt, valueInstant: threeWeeksAgo }];
    const before = Date.now();
    const res = await rosa.fhir('Communication', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    const stamp = stampOf(read(`Communication/${res.body.id}`)) as string;
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(stamp)).toBeLessThanOrEqual(Date.now());
    const parsed = parseContact(res.body);
    expect(parsed.ok && parsed.value.recordedAt).toBe(stamp);
    expect(parsed.ok && daysRecordedAfter(parsed.value, 'America/New_York')).toBeGreaterThanOrEqual(20);
  });

  it('is kept by every later version: an update cannot move or remove it', async () => {
    const rosa = await asRosa();
    const created = await rosa.fhir('Communication', {
      method: 'POST',
      body: JSON.stringify(newContact('kept-stamp', new Date(Date.now() - 2 * DAY).toISOString())),
    });
    const contact = { id: created.body.id as string };
    const stored = read(`Communication/${contact.id}`);
    const stamp = stampOf(stored);
    expect(stamp).toBeDefined();
    const moved = await rosa.fhir(`Communication/${contact.id}`, {
      method: 'PUT',
      body: JSON.stringify({
        ...stored,
        extension: [
          ...stored.extension.filter((e: { url: string }) => e.url !== Extensions.recordedAt),
          { url: Extensions.recordedAt, valueInstant: '2020-01-01T00:00:00Z' },
        ],
      }),
    });
    expect(moved.status).toBe(200);
    expect(stampOf(read(`Communication/${contact.id}`))).toBe(stamp);
    const removed = await rosa.fhir(`Communication/${contact.id}`, {
      method: 'PUT',
      body: JSON.stringify({
        ...stored,
        extension: stored.extension.filter((e: { url: string }) => e.url !== Extensions.recordedAt),
      }),
    });
    expect(removed.status).toBe(200);
    expect(stampOf(read(`Communication/${contact.id}`))).toBe(stamp);
  });

  it('a contact dated in the future is refused on the server, by a create or a transaction entry', async () => {
    const rosa = await asRosa();
    const count = async () =>
      (await sandbox.repo.searchResources({ resourceType: 'Communication', count: 100_000 } as never)).length;
    const n = await count();
    const tomorrow = new Date(Date.now() + DAY).toISOString();
    const create = await rosa.fhir('Communication', {
      method: 'POST',
      body: JSON.stringify(newContact('future-create', tomorrow)),
    });
    expect(create.status).toBe(400);
    expect(message(create)).toContain('cannot be in the future');
    const tx = await rosa.fhir('', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:0b9c5a51-2a55-4f7e-9a58-3f1b6c1a9e01',
            resource: newContact('future-tx', tomorrow),
            request: { method: 'POST', url: 'Communication' },
          },
        ],
      }),
    });
    expect(tx.status).toBe(400);
    expect(await count()).toBe(n);
  });
});

describe('amending a contact’s date', () => {
  const contactOf = (id: string) => {
    const parsed = parseContact(read(`Communication/${id}`));
    if (!parsed.ok) throw new Error(parsed.problem.message);
    return parsed.value;
  };
  const request = (id: string, versionId: string) => ({
    id,
    versionId,
    by: 'Practitioner/fp-rosa',
    now: new Date(),
  });

  it('changes the date in a new version with its Provenance; the recorded stamp stays', async () => {
    const rosa = await asRosa();
    const wrong = new Date(Date.now() - 3 * DAY).toISOString();
    const right = new Date(Date.now() - 4 * DAY).toISOString();
    const created = await rosa.fhir('Communication', {
      method: 'POST',
      body: JSON.stringify(newContact('amend-date', wrong)),
    });
    const id = created.body.id as string;
    const stamp = stampOf(read(`Communication/${id}`));
    const v1 = contactOf(id).versionId as string;
    const saved = await amendContact(
      rosa.transport,
      ASSUMED_CAPABILITIES,
      request(id, v1),
      { sent: right },
      'Date corrected: the call was the day before',
    );
    expect(saved.sent).toBe(right);
    const after = read(`Communication/${id}`);
    expect(after.sent).toBe(right);
    expect(after.meta.versionId).not.toBe(v1);
    expect(after.payload).toEqual(read(`Communication/${id}`).payload);
    expect(stampOf(after)).toBe(stamp);
    const provenances = await sandbox.repo.searchResources({
      resourceType: 'Provenance',
      filters: [{ code: 'target', operator: 'eq', value: `Communication/${id}` }],
    } as never);
    expect(provenances.map((p: any) => p.reason?.[0]?.text)).toContain(
      'Date corrected: the call was the day before',
    );
  });

  it('to a future date is refused, with the reason, and changes nothing', async () => {
    const rosa = await asRosa();
    const created = await rosa.fhir('Communication', {
      method: 'POST',
      body: JSON.stringify(newContact('amend-future', new Date(Date.now() - DAY).toISOString())),
    });
    const id = created.body.id as string;
    const before = read(`Communication/${id}`);
    const error = await amendContact(
      rosa.transport,
      ASSUMED_CAPABILITIES,
      request(id, before.meta.versionId),
      { sent: new Date(Date.now() + 3 * DAY).toISOString() },
      'typo',
    ).catch((e: unknown) => e);
    expect(String(error)).toContain('cannot be in the future');
    expect(read(`Communication/${id}`)).toEqual(before);
  });

  it('a concurrent amendment is refused with the other version, never overwritten', async () => {
    const rosa = await asRosa();
    const created = await rosa.fhir('Communication', {
      method: 'POST',
      body: JSON.stringify(newContact('amend-race', new Date(Date.now() - 5 * DAY).toISOString())),
    });
    const id = created.body.id as string;
    const seen = read(`Communication/${id}`).meta.versionId as string;
    const firstTab = new Date(Date.now() - 6 * DAY).toISOString();
    await amendContact(rosa.transport, ASSUMED_CAPABILITIES, request(id, seen), { sent: firstTab }, 'tab 1');
    const error = await amendContact(
      rosa.transport,
      ASSUMED_CAPABILITIES,
      request(id, seen),
      { sent: new Date(Date.now() - 7 * DAY).toISOString() },
      'tab 2',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContactConflictError);
    expect((error as ContactConflictError).current.sent).toBe(firstTab);
    expect(read(`Communication/${id}`).sent).toBe(firstTab);
  });
});
