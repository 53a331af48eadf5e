/**
 * The device's encrypted store for what must survive without a network (issue 38): the outbox of intents and
 * the recent workspace reads. IndexedDB through `idb` (≈ 1.4 kB gzip; Dexie measured 33 kB for the same
 * use), every value sealed with AES-GCM under a non-extractable key created here and kept in IndexedDB: script
 * of this origin can use the key, nobody can read it out or copy it with the disk. See docs/deploy.md for what
 * that does and does not protect against. Never a token: the values are records and FHIR answers only.
 */
import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase } from 'idb';

export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

interface OutboxRow {
  seq?: number;
  /** SHA-256 of the owner (server | fhirUser): who may list it, without naming them in clear. */
  owner: string;
  sealed: Sealed;
}

interface ReadRow {
  /** SHA-256 of owner + request. */
  id: string;
  owner: string;
  /** Epoch ms the answer was read: expiry is decided without decrypting. */
  savedAt: number;
  sealed: Sealed;
}

interface VaultSchema extends DBSchema {
  keys: { key: string; value: CryptoKey };
  outbox: { key: number; value: OutboxRow; indexes: { owner: string } };
  reads: { key: string; value: ReadRow; indexes: { owner: string } };
}

const DB_NAME = 'fst-offline';
const KEY_ID = 'device';

let opened: Promise<IDBPDatabase<VaultSchema>> | undefined;

export function openVault(): Promise<IDBPDatabase<VaultSchema>> {
  opened ??= openDB<VaultSchema>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('keys');
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }).createIndex('owner', 'owner');
      db.createObjectStore('reads', { keyPath: 'id' }).createIndex('owner', 'owner');
    },
  });
  return opened;
}

/** Tests: forget the open connection (fake-indexeddb is reset between them). */
export function closeVault(): void {
  void opened?.then((db) => db.close());
  opened = undefined;
}

let keyPromise: Promise<CryptoKey> | undefined;

/** The device key: made once, non-extractable, stored as a CryptoKey (structured clone keeps it opaque). */
function deviceKey(): Promise<CryptoKey> {
  keyPromise ??= (async () => {
    const db = await openVault();
    const existing = await db.get('keys', KEY_ID);
    if (existing) return existing;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    // Two tabs may race to create it: the first stored wins, and both use that one.
    const tx = db.transaction('keys', 'readwrite');
    const raced = await tx.store.get(KEY_ID);
    if (!raced) await tx.store.put(key, KEY_ID);
    await tx.done;
    return raced ?? key;
  })();
  keyPromise.catch(() => (keyPromise = undefined));
  return keyPromise;
}

export function resetKeyCache(): void {
  keyPromise = undefined;
}

const encoder = new TextEncoder();

/** The owner is bound to each value (additional data): a value moved under another owner does not open. */
export async function seal(value: unknown, owner: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(owner) },
    await deviceKey(),
    encoder.encode(JSON.stringify(value)),
  );
  return { iv, data };
}

export async function unseal<T>(sealed: Sealed, owner: string): Promise<T> {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.iv, additionalData: encoder.encode(owner) },
    await deviceKey(),
    sealed.data,
  );
  return JSON.parse(new TextDecoder().decode(plain)) as T;
}

export async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type { OutboxRow, ReadRow };
