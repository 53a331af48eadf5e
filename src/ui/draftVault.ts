/**
 * Drafts that outlive the tab (issue 36): an EHR usually opens a relaunch in a new tab, where this tab's
 * sessionStorage is gone. Each draft is mirrored here, encrypted at rest (WebCrypto AES-GCM, a fresh IV per
 * write) under a key that cannot be extracted, kept in IndexedDB beside the records; the record's name is a
 * SHA-256 of the draft's key, so no id is stored in clear. A new tab of the same server and user restores them
 * into its sessionStorage before the app renders (src/app/start.ts); a draft is dropped when its form is saved
 * or cancelled, or after a day. Drafts hold what was typed, never a token.
 *
 * What this protects against: a copy of the disk or of the browser profile (the key never leaves the browser's
 * key store). Not against script running in this origin, which could decrypt as the app does (docs/deploy.md).
 */

export const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface SealedDraft {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
  /** Epoch ms of the last write. */
  savedAt: number;
}

/** Where sealed drafts and the key live: IndexedDB in the browser, a Map in the unit tests. */
export interface VaultBackend {
  key(): Promise<CryptoKey>;
  get(id: string): Promise<SealedDraft | undefined>;
  put(id: string, sealed: SealedDraft): Promise<void>;
  delete(id: string): Promise<void>;
  all(): Promise<[string, SealedDraft][]>;
}

async function idOf(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function newDraftKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export class DraftVault {
  /** Writes of one draft in the order they were made (a later keystroke never lands under an earlier one). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly backend: VaultBackend,
    private readonly now: () => number = Date.now,
  ) {}

  private queue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  save(key: string, value: unknown): Promise<void> {
    return this.queue(async () => {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = new TextEncoder().encode(JSON.stringify({ key, value }));
      const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await this.backend.key(), plain);
      await this.backend.put(await idOf(key), { iv, data, savedAt: this.now() });
    });
  }

  forget(key: string): Promise<void> {
    return this.queue(async () => this.backend.delete(await idOf(key)));
  }

  /**
   * The drafts younger than a day whose key `wanted` accepts (this server and user), decrypted; older ones,
   * and any that no longer decrypt, are deleted.
   */
  restore(wanted: (key: string) => boolean): Promise<{ key: string; value: unknown }[]> {
    return this.queue(async () => {
      const found: { key: string; value: unknown }[] = [];
      const cryptoKey = await this.backend.key();
      for (const [id, sealed] of await this.backend.all()) {
        if (this.now() - sealed.savedAt > DRAFT_LIFETIME_MS) {
          await this.backend.delete(id);
          continue;
        }
        try {
          const plain = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: sealed.iv },
            cryptoKey,
            sealed.data,
          );
          const { key, value } = JSON.parse(new TextDecoder().decode(plain)) as {
            key: string;
            value: unknown;
          };
          if (typeof key === 'string' && wanted(key)) found.push({ key, value });
        } catch {
          await this.backend.delete(id);
        }
      }
      return found;
    });
  }
}

// ------------------------------------------------------------------------------------------ IndexedDB

const DB = 'fst-drafts';
const DRAFTS = 'drafts';
const KEYS = 'keys';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(DRAFTS);
    open.result.createObjectStore(KEYS);
  };
  return request(open);
}

export function indexedDbBackend(): VaultBackend {
  let db: Promise<IDBDatabase> | undefined;
  let key: Promise<CryptoKey> | undefined;
  const store = async (name: string, mode: IDBTransactionMode) =>
    (await (db ??= openDb())).transaction(name, mode).objectStore(name);
  return {
    key: () =>
      (key ??= (async () => {
        const stored = (await request((await store(KEYS, 'readonly')).get('draft-key'))) as
          CryptoKey | undefined;
        if (stored) return stored;
        const fresh = await newDraftKey();
        // `add`, not `put`: a second tab creating its key at the same moment keeps the first one's.
        await request((await store(KEYS, 'readwrite')).add(fresh, 'draft-key')).catch(() => undefined);
        return (
          ((await request((await store(KEYS, 'readonly')).get('draft-key'))) as CryptoKey | undefined) ??
          fresh
        );
      })()),
    get: async (id) => (await request((await store(DRAFTS, 'readonly')).get(id))) as SealedDraft | undefined,
    put: async (id, sealed) => void (await request((await store(DRAFTS, 'readwrite')).put(sealed, id))),
    delete: async (id) => void (await request((await store(DRAFTS, 'readwrite')).delete(id))),
    all: async () => {
      const s = await store(DRAFTS, 'readonly');
      const [keys, values] = await Promise.all([request(s.getAllKeys()), request(s.getAll())]);
      return keys.map((k, i) => [String(k), values[i] as SealedDraft]);
    },
  };
}

let shared: DraftVault | null | undefined;

/** This browser's vault, or null where IndexedDB or WebCrypto is missing or blocked (drafts stay in the tab). */
export function browserVault(): DraftVault | null {
  if (shared !== undefined) return shared;
  try {
    shared =
      typeof indexedDB !== 'undefined' && typeof crypto !== 'undefined' && crypto.subtle
        ? new DraftVault(indexedDbBackend())
        : null;
  } catch {
    shared = null;
  }
  return shared;
}
