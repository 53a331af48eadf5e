/**
 * The outbox as the screens see it: one snapshot per tab of the signed-in user's entries, the last replay's
 * report, and the replay's triggers (start, `online`, returning to the app). The IndexedDB code and the replay
 * load on first use, out of the workspace's own chunk.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { Intent, IntentKind, OutboxEntry } from '../../domain/outbox';
import { ownerOfSignIn, pendingContactsFor } from '../../domain/outbox';
import type { ServerCapabilities } from '../../fhir/capabilities';
import { FhirError } from '../../fhir/http';
import type { SmartSession } from '../../fhir/session';
import type { IntentRecords } from './intentWriters';
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

/**
 * A form's save: online, the form's own write; without a connection, or when the write got no answer (it may
 * or may not have landed: the replay's conditional create finds out, never twice), the same data kept on the
 * device as an intent of `kind`. A sign-in without a fhirUser keeps nothing offline and sees the failure.
 */
export async function saveOrQueue<K extends IntentKind, T>(
  session: SmartSession,
  patientId: string,
  kind: K,
  record: IntentRecords[K],
  requestId: string,
  write: () => Promise<T>,
): Promise<T | 'queued'> {
  const owner = ownerOfSignIn(session.serverUrl, session.user);
  const queue = () =>
    queueIntent({
      kind,
      record,
      requestId,
      by: `${session.user?.resourceType}/${session.user?.id}`,
      serverUrl: session.serverUrl,
      patientId,
      queuedAt: new Date().toISOString(),
    }).then(() => 'queued' as const);
  if (owner && typeof navigator !== 'undefined' && navigator.onLine === false) return queue();
  try {
    return await write();
  } catch (err) {
    if (owner && err instanceof FhirError && err.status === 0) return queue();
    throw err;
  }
}

/** What a form says when its write was kept on the device. */
export const QUEUED_TEXT = 'Saved on this device, not yet on the server: it is sent when you are connected.';

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
