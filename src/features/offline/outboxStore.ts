/**
 * The outbox of intents on this device (src/domain/outbox.ts decides; this keeps). Each entry is sealed under
 * its owner (server | fhirUser): another user's sign-in lists none of them and replays none. They are not
 * deleted on that sign-in either — they are records nobody has sent yet — and reappear when their owner signs
 * in on this device again (docs/deploy.md).
 */
import type { Intent, OutboxEntry } from '../../domain/outbox';
import { ownerOf } from '../../domain/outbox';
import { digest, openVault, seal, unseal } from './vault';

type Stored = Omit<OutboxEntry, 'seq'>;

const listeners = new Set<() => void>();

/** The screens re-read the outbox when it changes (in this tab). */
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  for (const l of listeners) l();
}

export async function enqueue<R>(intent: Intent<R>): Promise<OutboxEntry<R>> {
  const owner = ownerOf(intent.serverUrl, intent.by);
  const db = await openVault();
  const mine = await list<R>(owner);
  // The same save queued twice (a double press, a retry) is one intent.
  const same = mine.find((e) => e.requestId === intent.requestId && e.kind === intent.kind);
  if (same) return same;
  const value: Stored = { ...intent, state: 'pending' };
  const seq = await db.add('outbox', { owner: await digest(owner), sealed: await seal(value, owner) });
  changed();
  return { ...value, seq, record: intent.record } as OutboxEntry<R>;
}

/** This owner's entries, oldest first. */
export async function list<R = unknown>(owner: string): Promise<OutboxEntry<R>[]> {
  const db = await openVault();
  const rows = await db.getAllFromIndex('outbox', 'owner', await digest(owner));
  const entries = await Promise.all(
    rows.map(async (row) => ({ ...(await unseal<Stored>(row.sealed, owner)), seq: row.seq as number })),
  );
  return (entries as OutboxEntry<R>[]).sort((a, b) => a.seq - b.seq);
}

export async function remove(seq: number): Promise<void> {
  await (await openVault()).delete('outbox', seq);
  changed();
}

export async function update(entry: OutboxEntry): Promise<void> {
  const owner = ownerOf(entry.serverUrl, entry.by);
  const { seq, ...value } = entry;
  await (
    await openVault()
  ).put('outbox', { seq, owner: await digest(owner), sealed: await seal(value, owner) });
  changed();
}

/** How many entries other owners left on this device (shown as a count only, never opened). */
export async function othersCount(owner: string): Promise<number> {
  const db = await openVault();
  const mine = await digest(owner);
  return (await db.count('outbox')) - (await db.countFromIndex('outbox', 'owner', mine));
}
