/**
 * The offline outbox as pure rules (issue 38): writes made without a connection are kept as *intents* — the
 * record the user meant to write, with its client request id, the version it was based on, who made it and for
 * which youth — never as HTTP requests (a request would carry a token and a stale If-Match). The Android FHIR
 * SDK keeps its local change log the same way and uploads it in order.
 *
 * Storage (encrypted IndexedDB) and the replay's network side live in src/features/offline; this module decides
 * what is replayed, in which order, what an answer does to an entry, and how a queued contact counts.
 */
import type { Contact, ContactDraft } from './model';

/** The writes the outbox holds. Each has its own replay in src/features/offline/replay.ts. */
export type IntentKind = 'contact' | 'meeting' | 'outcome' | 'incident';

export interface Intent<R = unknown> {
  kind: IntentKind;
  /** The domain record as the form produced it (a ContactDraft for a contact). */
  record: R;
  /** The save's idempotency key: the replay's conditional create finds an earlier landing by it. */
  requestId: string;
  /** The version of the record the change was based on (an update); absent for a create. */
  basedOn?: string;
  /** Who made it: the sign-in's fhirUser (`Practitioner/…`). Only this user's sign-in replays it. */
  by: string;
  /** The FHIR server of the sign-in that made it. */
  serverUrl: string;
  patientId: string;
  /** ISO instant the user saved it on the device. */
  queuedAt: string;
}

export type EntryState = 'pending' | 'needs-review';

export interface OutboxEntry<R = unknown> extends Intent<R> {
  /** Order of queuing on this device (IndexedDB auto-increment): the replay order. */
  seq: number;
  state: EntryState;
  /** Why a replay was refused: the server's own words, and which server said them. */
  review?: { server: string; words: string; at: string };
}

/** The one owner of an entry: a user on a server. Another sign-in never sees or replays it. */
export function ownerOf(serverUrl: string, by: string): string {
  return `${serverUrl.replace(/\/+$/, '')}|${by}`;
}

/** The owner of a sign-in's offline data; none without a fhirUser (such a sign-in keeps nothing offline). */
export function ownerOfSignIn(
  serverUrl: string,
  user: { resourceType: string; id: string } | undefined,
): string | undefined {
  return user ? ownerOf(serverUrl, `${user.resourceType}/${user.id}`) : undefined;
}

export function belongsTo(entry: Intent, owner: string): boolean {
  return ownerOf(entry.serverUrl, entry.by) === owner;
}

/**
 * What the replay sends now, in the order the user saved them. Entries under review wait for the user. A
 * sign-in launched for one youth (`patientId`) sends only that youth's: its token reaches no other chart, and
 * the others wait for a sign-in that does, rather than being refused.
 */
export function replayOrder<R>(
  entries: readonly OutboxEntry<R>[],
  owner: string,
  patientId?: string,
): OutboxEntry<R>[] {
  return entries
    .filter(
      (e) =>
        e.state === 'pending' &&
        belongsTo(e, owner) &&
        (patientId === undefined || e.patientId === patientId),
    )
    .sort((a, b) => a.seq - b.seq);
}

/**
 * How one replay attempt ended:
 * - `stored`: the server holds the record (created now, or found from an earlier attempt);
 * - `refused`: the server answered no (412 conflict, 400/403/422…): the user must look at it;
 * - `unreachable`: no answer, a timeout or a server fault: try again later, in the same order;
 * - `signed-out`: no live session (401, or the refresh failed): nothing more can be sent until a sign-in.
 */
export type ReplayOutcome =
  | { kind: 'stored' }
  | { kind: 'refused'; server: string; words: string }
  | { kind: 'unreachable' }
  | { kind: 'signed-out' };

/** Sorts an HTTP status (0 = no answer) into the outcomes above. */
export function outcomeOfStatus(status: number): ReplayOutcome['kind'] {
  if (status === 401) return 'signed-out';
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'unreachable';
  return 'refused';
}

export type EntryChange<R> =
  | { kind: 'remove' }
  | { kind: 'update'; entry: OutboxEntry<R> }
  /** Stop the replay here and keep this entry and every later one pending (order kept). */
  | { kind: 'stop' };

/** What an outcome does to its entry. Nothing is ever dropped without the server holding it. */
export function applyOutcome<R>(entry: OutboxEntry<R>, outcome: ReplayOutcome, now: Date): EntryChange<R> {
  switch (outcome.kind) {
    case 'stored':
      return { kind: 'remove' };
    case 'refused':
      return {
        kind: 'update',
        entry: {
          ...entry,
          state: 'needs-review',
          review: { server: outcome.server, words: outcome.words, at: now.toISOString() },
        },
      };
    default:
      return { kind: 'stop' };
  }
}

/** The sentence for entries that cannot be sent without a sign-in. */
export function signInAgainText(count: number): string {
  return `Sign in again to send ${count} pending ${count === 1 ? 'record' : 'records'}.`;
}

/**
 * A queued contact as the screens show it: marked pending, never with a server id. The clocks receive it
 * apart from the stored contacts (Episode.pendingContacts): it counts as pending, never as met.
 */
export interface PendingContact extends Contact {
  pending: true;
  requestId: string;
}

export function pendingContactOf(draft: ContactDraft): PendingContact {
  return {
    id: `pending-${draft.requestId}`,
    pending: true,
    requestId: draft.requestId,
    kind: draft.kind,
    status: draft.attemptReason ? 'not-done' : 'completed',
    method: draft.method,
    sent: draft.sent,
    durationMinutes: draft.durationMinutes,
    goalIds: draft.goalIds,
    purposes: draft.purposes,
    note: draft.note || undefined,
    recipientReference: draft.recipientReference,
    senderReference: draft.senderReference,
    attemptReason: draft.attemptReason,
    telehealthRequestedByFamily: draft.telehealthRequestedByFamily,
    telehealthPlatform: draft.telehealthPlatform,
    referralTaskId: draft.referralTaskId,
  };
}

/** The youth's queued contacts, oldest first (pending and under review: neither is stored). */
export function pendingContactsFor(entries: readonly OutboxEntry[], owner: string, patientId: string) {
  return entries
    .filter((e) => e.kind === 'contact' && e.patientId === patientId && belongsTo(e, owner))
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({ ...pendingContactOf(e.record as ContactDraft), state: e.state, review: e.review }));
}

/** How long a workspace read stays readable offline (config `offlineHours`, default 12). */
export const DEFAULT_OFFLINE_HOURS = 12;

/** Whether a copy saved at `savedAt` (epoch ms) is past its time at `now`. A copy from the future is expired too. */
export function isExpired(savedAt: number, now: number, hours: number = DEFAULT_OFFLINE_HOURS): boolean {
  return !(savedAt <= now && now - savedAt < hours * 3_600_000);
}
