/**
 * The outbox's replay (issue 38): at start, on `online` and on returning to the app (Safari has no Background
 * Sync), each pending intent of the signed-in user is written in the order it was saved, through the same
 * write as an online save — the session's transport (the record router when a store is configured, so the EHR
 * or the store) and so the same server guard — with the live session's token (fhirclient refreshes it; the
 * outbox holds none). Every write is a conditional create on its client request id: a replay of an entry that
 * had landed before the answer was lost finds it and stores nothing twice.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { OutboxEntry, ReplayOutcome } from '../../domain/outbox';
import { applyOutcome, outcomeOfStatus, replayOrder } from '../../domain/outbox';
import type { ServerCapabilities } from '../../fhir/capabilities';
import { FhirError, outcomeText, SessionExpiredError } from '../../fhir/http';
import type { SmartSession } from '../../fhir/session';
import { afterStored, writeIntent } from './intentWriters';
import { list, remove, update } from './outboxStore';

export interface ReplayReport {
  sent: number;
  /** Moved to "needs review" by this replay. */
  refused: number;
  /** Why the replay stopped before the end, if it did (the rest stay pending, in order). */
  stopped?: 'unreachable' | 'signed-out';
  /** Pending entries left. */
  left: number;
}

/** The user-facing name of the server a write of this kind goes to: the server's words are shown with it. */
export function serverNameFor(session: SmartSession): string {
  const store = session.recordStore;
  if (store && store.router.writeSideOfKind('fst-contact') === 'store') return store.name;
  return session.ehr.name;
}

async function send(
  entry: OutboxEntry,
  session: SmartSession,
  caps: ServerCapabilities,
  queryClient: QueryClient,
): Promise<ReplayOutcome> {
  try {
    const result = await writeIntent(entry.kind, entry.record, session, caps);
    await afterStored(entry.kind, result, queryClient, session.serverUrl, entry.patientId);
    return { kind: 'stored' };
  } catch (err) {
    if (err instanceof SessionExpiredError) return { kind: 'signed-out' };
    if (err instanceof FhirError) {
      const kind = outcomeOfStatus(err.status);
      // The server's own words (our sentence for a 412 replaces them in err.message), else ours.
      const words = outcomeText(err.outcome) ?? err.message;
      return kind === 'refused' ? { kind, server: serverNameFor(session), words } : { kind };
    }
    // Anything else (a failed refresh, a bug): kept pending, never lost.
    return { kind: 'unreachable' };
  }
}

let running: Promise<ReplayReport> | undefined;

/** One replay at a time in this tab: a second trigger while one runs waits for it. */
export function replayOutbox(
  session: SmartSession,
  owner: string,
  caps: ServerCapabilities,
  queryClient: QueryClient,
  now: () => Date = () => new Date(),
): Promise<ReplayReport> {
  running ??= (async () => {
    const report: ReplayReport = { sent: 0, refused: 0, left: 0 };
    const queue = replayOrder(await list(owner), owner, session.patientId);
    for (const [i, entry] of queue.entries()) {
      const outcome = await send(entry, session, caps, queryClient);
      const change = applyOutcome(entry, outcome, now());
      if (change.kind === 'stop') {
        report.stopped = outcome.kind === 'signed-out' ? 'signed-out' : 'unreachable';
        report.left = queue.length - i;
        break;
      }
      if (change.kind === 'remove') {
        await remove(entry.seq);
        report.sent++;
      } else {
        await update(change.entry);
        report.refused++;
      }
    }
    return report;
  })().finally(() => (running = undefined));
  return running;
}
