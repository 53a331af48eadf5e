/**
 * The outbox as the screens see it: one snapshot per tab of the signed-in user's entries, the last replay's
 * report, and the replay's triggers (start, `online`, returning to the app). The IndexedDB code and the replay
 * load on first use, out of the workspace's own chunk.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { Intent, OutboxEntry } from '../../domain/outbox';
import { ownerOfSignIn, pendingContactsFor } from '../../domain/outbox';
import type { ServerCapabilities } from '../../fhir/capabilities';
import type { SmartSession } from '../../fhir/session';
import type { ReplayReport } from './replay';

export interface OutboxSnapshot {
  owner?: string;
  entries: OutboxEntry[];
  /** Entries other users left on this device: a count, never their content. */
  others: number;
  replaying: boolean;
  last?: ReplayReport;
  /** The device could not open its store (private mode, storage blocked). */
  unavailable?: boolean;
}

let snapshot: OutboxSnapshot = { entries: [], others: 0, replaying: false };
const listeners = new Set<() => void>();
let watching: string | undefined;

function set(patch: Partial<OutboxSnapshot>) {
  snapshot = { ...snapshot, ...patch };
  for (const l of listeners) l();
}

const store = () => import('./outboxStore');

async function reload(owner: string) {
  try {
    const m = await store();
    if (watching !== owner) {
      watching = owner;
      m.onOutboxChange(() => void reload(owner));
    }
    const [entries, others] = await Promise.all([m.list(owner), m.othersCount(owner)]);
    if (watching === owner) set({ owner, entries, others, unavailable: false });
  } catch {
    set({ owner, unavailable: true });
  }
}

export function useOutbox(owner: string | undefined): OutboxSnapshot {
  useEffect(() => {
    if (owner && snapshot.owner !== owner) void reload(owner);
  }, [owner]);
  const current = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => snapshot,
  );
  return current.owner === owner ? current : { entries: [], others: 0, replaying: false };
}

/** Queues a write made without a connection. Resolves once it is sealed on the device. */
export async function queueIntent<R>(intent: Intent<R>): Promise<OutboxEntry<R>> {
  return (await store()).enqueue(intent);
}

/** A refused entry the user looked at: back to pending (it is sent at the next replay), or discarded. */
export async function resolveEntry(entry: OutboxEntry, action: 'retry' | 'discard'): Promise<void> {
  const m = await store();
  if (action === 'discard') await m.remove(entry.seq);
  else await m.update({ ...entry, state: 'pending', review: undefined });
}

export async function replayNow(
  session: SmartSession,
  owner: string,
  caps: ServerCapabilities,
  queryClient: QueryClient,
): Promise<void> {
  if (snapshot.replaying || (typeof navigator !== 'undefined' && navigator.onLine === false)) return;
  set({ replaying: true });
  try {
    const { replayOutbox } = await import('./replay');
    set({ last: await replayOutbox(session, owner, caps, queryClient) });
  } catch {
    // The store could not be read: nothing was sent, nothing removed.
  } finally {
    set({ replaying: false });
    await reload(owner);
  }
}

/** Replays at start, when the connection comes back and when the user returns to the app. */
export function useReplayTriggers(
  session: SmartSession,
  owner: string | undefined,
  caps: ServerCapabilities | undefined,
  queryClient: QueryClient,
): void {
  useEffect(() => {
    if (!owner || !caps) return;
    const run = () => void replayNow(session, owner, caps, queryClient);
    const visible = () => {
      if (document.visibilityState === 'visible') run();
    };
    run();
    window.addEventListener('online', run);
    document.addEventListener('visibilitychange', visible);
    return () => {
      window.removeEventListener('online', run);
      document.removeEventListener('visibilitychange', visible);
    };
  }, [session, owner, caps, queryClient]);
}

/** The youth's queued contacts (pending and under review), as the contact list and the clocks receive them. */
export function usePendingContacts(session: SmartSession, patientId: string) {
  const owner = ownerOfSignIn(session.serverUrl, session.user);
  const { entries } = useOutbox(owner);
  return useMemo(
    () => (owner ? pendingContactsFor(entries, owner, patientId) : []),
    [entries, owner, patientId],
  );
}
