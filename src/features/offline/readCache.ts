/**
 * The recent workspace reads kept for a drive without signal (issue 38): the FHIR answers the workspace was
 * built from, sealed per owner, readable for `offlineHours` (default 12 h) and then deleted. Cleared on
 * sign-out and on another user's sign-in. The service worker caches none of them; this is the app's own copy.
 */
import { isExpired } from '../../domain/outbox';
import { digest, openVault, seal, unseal } from './vault';

export interface CachedAnswer {
  status: number;
  body: unknown;
  etag?: string;
  /** Epoch ms the answer was read from the server. */
  savedAt: number;
}

const idOf = (owner: string, request: string) => digest(`${owner}\n${request}`);

export async function putRead(owner: string, request: string, answer: CachedAnswer): Promise<void> {
  const db = await openVault();
  await db.put('reads', {
    id: await idOf(owner, request),
    owner: await digest(owner),
    savedAt: answer.savedAt,
    sealed: await seal({ request, answer }, owner),
  });
}

/** The copy of `request`, if one is kept for this owner and still in its time; an expired one is deleted. */
export async function getRead(
  owner: string,
  request: string,
  now: number,
  hours: number,
): Promise<CachedAnswer | undefined> {
  const db = await openVault();
  const id = await idOf(owner, request);
  const row = await db.get('reads', id);
  if (!row) return undefined;
  if (isExpired(row.savedAt, now, hours)) {
    await db.delete('reads', id);
    return undefined;
  }
  const value = await unseal<{ request: string; answer: CachedAnswer }>(row.sealed, owner);
  return value.request === request ? value.answer : undefined;
}

/**
 * At each sign-in: every copy of another owner, and every expired one, deleted. `owner` undefined (sign-out):
 * all of them.
 */
export async function pruneReads(owner: string | undefined, now: number, hours: number): Promise<number> {
  const db = await openVault();
  const mine = owner === undefined ? undefined : await digest(owner);
  const tx = db.transaction('reads', 'readwrite');
  let removed = 0;
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    const row = cursor.value;
    if (row.owner !== mine || isExpired(row.savedAt, now, hours)) {
      await cursor.delete();
      removed++;
    }
  }
  await tx.done;
  return removed;
}
