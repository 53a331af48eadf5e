import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactDraft } from '../../domain/model';
import type { Intent } from '../../domain/outbox';
import { ownerOf, replayOrder } from '../../domain/outbox';
import { enqueue, list, othersCount, remove, update } from './outboxStore';
import { getRead, pruneReads, putRead } from './readCache';
import { closeVault, openVault, resetKeyCache, seal, unseal } from './vault';

const SERVER = 'https://ehr.example/fhir';
const ROSA = 'Practitioner/fp-rosa';
const LEE = 'Practitioner/fp-lee';

const draft = (requestId: string, note = 'Doorstep visit.'): ContactDraft => ({
  requestId,
  kind: 'caregiver',
  method: 'face-to-face',
  sent: '2026-12-07T15:00:00.000Z',
  durationMinutes: 30,
  purposes: ['coaching'],
  goalIds: ['g1'],
  note,
  recipientReference: 'RelatedPerson/cg-1',
  senderReference: 'PractitionerRole/pr-rosa',
  patientId: 'youth-1',
});

const intent = (requestId: string, by = ROSA, patientId = 'youth-1'): Intent<ContactDraft> => ({
  kind: 'contact',
  record: draft(requestId),
  requestId,
  by,
  serverUrl: SERVER,
  patientId,
  queuedAt: '2026-12-07T15:01:00.000Z',
});

beforeEach(() => {
  // A fresh device for each test: no database, no key.
  globalThis.indexedDB = new IDBFactory();
  closeVault();
  resetKeyCache();
});
afterEach(() => closeVault());

describe('the outbox on the device', () => {
  it('keeps entries in the order they were saved and replays them in that order', async () => {
    for (const id of ['c', 'a', 'b']) await enqueue(intent(id));
    const owner = ownerOf(SERVER, ROSA);
    const entries = await list(owner);
    expect(entries.map((e) => e.requestId)).toEqual(['c', 'a', 'b']);
    expect(replayOrder(entries, owner).map((e) => e.requestId)).toEqual(['c', 'a', 'b']);
  });

  it('queues the same save once (a double press or a retry)', async () => {
    await enqueue(intent('same'));
    await enqueue(intent('same'));
    expect(await list(ownerOf(SERVER, ROSA))).toHaveLength(1);
  });

  it('never shows one user’s entries to another sign-in, and keeps them for their owner', async () => {
    await enqueue(intent('rosa-1'));
    await enqueue(intent('lee-1', LEE));
    expect((await list(ownerOf(SERVER, LEE))).map((e) => e.requestId)).toEqual(['lee-1']);
    expect(await othersCount(ownerOf(SERVER, LEE))).toBe(1);
    // The same user on another server is another owner too.
    expect(await list(ownerOf('https://other.example/fhir', ROSA))).toEqual([]);
    expect((await list(ownerOf(SERVER, ROSA))).map((e) => e.requestId)).toEqual(['rosa-1']);
  });

  it('moves an entry to needs review and removes it once stored', async () => {
    const owner = ownerOf(SERVER, ROSA);
    const a = await enqueue(intent('a'));
    await enqueue(intent('b'));
    await update({ ...a, state: 'needs-review', review: { server: 'EHR', words: 'No.', at: 'x' } });
    const [first, second] = await list(owner);
    expect(first.state).toBe('needs-review');
    expect(replayOrder([first, second], owner).map((e) => e.requestId)).toEqual(['b']);
    await remove(second.seq);
    expect((await list(owner)).map((e) => e.requestId)).toEqual(['a']);
  });

  it('stores nothing readable: the record is sealed, no token or note in clear', async () => {
    await enqueue(intent('secret-id'));
    const db = await openVault();
    const rows = await db.getAll('outbox');
    const raw = JSON.stringify(rows, (_k, v: unknown) =>
      v instanceof ArrayBuffer ? [...new Uint8Array(v)] : v,
    );
    expect(raw).not.toContain('Doorstep');
    expect(raw).not.toContain('secret-id');
    expect(raw).not.toContain('fp-rosa');
    expect(new TextDecoder().decode(rows[0].sealed.data)).not.toContain('Doorstep');
  });
});

describe('the sealing', () => {
  it('round-trips a value under its owner and refuses another owner', async () => {
    const value = { note: 'Café con leche', n: 3, list: ['a'] };
    const sealed = await seal(value, 'owner-1');
    expect(await unseal(sealed, 'owner-1')).toEqual(value);
    await expect(unseal(sealed, 'owner-2')).rejects.toThrow();
  });

  it('uses a key that cannot be exported', async () => {
    await seal({}, 'o');
    const key = await (await openVault()).get('keys', 'device');
    expect(key?.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key as CryptoKey)).rejects.toThrow();
  });

  it('opens nothing once the device key is gone (a new device, a cleared site)', async () => {
    const sealed = await seal({ a: 1 }, 'o');
    await (await openVault()).delete('keys', 'device');
    resetKeyCache();
    await expect(unseal(sealed, 'o')).rejects.toThrow();
  });
});

describe('the recent workspace reads', () => {
  const HOUR = 3_600_000;
  const at = Date.parse('2026-12-07T12:00:00Z');
  const answer = { status: 200, body: { resourceType: 'Bundle' }, savedAt: at };

  it('are readable until their time passes, then deleted', async () => {
    const owner = ownerOf(SERVER, ROSA);
    await putRead(owner, 'GET Patient/1', answer);
    expect(await getRead(owner, 'GET Patient/1', at + 11 * HOUR, 12)).toEqual(answer);
    expect(await getRead(owner, 'GET Patient/1', at + 12 * HOUR, 12)).toBeUndefined();
    // Deleted, not only hidden: a later look with a longer limit finds nothing either.
    expect(await getRead(owner, 'GET Patient/1', at + HOUR, 48)).toBeUndefined();
  });

  it('are cleared by another user’s sign-in and by sign-out', async () => {
    const rosa = ownerOf(SERVER, ROSA);
    const lee = ownerOf(SERVER, LEE);
    await putRead(rosa, 'GET Patient/1', answer);
    await putRead(lee, 'GET Patient/2', answer);
    expect(await pruneReads(lee, at, 12)).toBe(1);
    expect(await getRead(rosa, 'GET Patient/1', at, 12)).toBeUndefined();
    expect(await getRead(lee, 'GET Patient/2', at, 12)).toEqual(answer);
    expect(await pruneReads(undefined, at, 12)).toBe(1);
    expect(await getRead(lee, 'GET Patient/2', at, 12)).toBeUndefined();
  });

  it('are never served for another request or another owner', async () => {
    const rosa = ownerOf(SERVER, ROSA);
    await putRead(rosa, 'GET Patient/1', answer);
    expect(await getRead(rosa, 'GET Patient/2', at, 12)).toBeUndefined();
    expect(await getRead(ownerOf(SERVER, LEE), 'GET Patient/1', at, 12)).toBeUndefined();
  });
});
