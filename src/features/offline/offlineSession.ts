/**
 * The session as the offline app uses it (issue 38): the same transport, and its answers to reads (searches,
 * reads, read-only batches, the CapabilityStatement) kept sealed on the device for `offlineHours`, so the
 * workspaces opened recently still open in a car without signal. A read that gets no answer is served from
 * that copy, and the screen says it is a copy and from when. Writes are never served from a copy.
 */
import type { Bundle } from 'fhir/r4';
import { ownerOfSignIn } from '../../domain/outbox';
import { FhirError, fhirRequest } from '../../fhir/http';
import type { FhirRequestOptions, FhirResponse, FhirTransport } from '../../fhir/http';
import type { SmartSession } from '../../fhir/session';
import { getRead, pruneReads, putRead } from './readCache';

/** The owner of this sign-in's offline data (server | fhirUser); none without a fhirUser. */
export function ownerOfSession(session: SmartSession): string | undefined {
  return ownerOfSignIn(session.serverUrl, session.user);
}

let copyFrom: number | undefined;
const listeners = new Set<() => void>();

/** When the screen shows answers from the device's copy: the oldest such copy's time (epoch ms). */
export function offlineCopyFrom(): number | undefined {
  return copyFrom;
}

export function onOfflineCopy(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function noteCopy(savedAt: number | undefined) {
  const next = savedAt === undefined ? undefined : Math.min(copyFrom ?? savedAt, savedAt);
  if (next === copyFrom) return;
  copyFrom = next;
  for (const l of listeners) l();
}

function readKey(url: string, options: FhirRequestOptions): string | undefined {
  const method = options.method ?? 'GET';
  if (method === 'GET') return `GET ${url}`;
  const body = options.body as Bundle | undefined;
  if (method === 'POST' && body?.resourceType === 'Bundle' && body.type === 'batch') {
    const reads = (body.entry ?? []).every((e) => e.request?.method === 'GET');
    return reads ? `BATCH ${url} ${JSON.stringify(body.entry?.map((e) => e.request?.url))}` : undefined;
  }
  return undefined;
}

/** Wraps the session's transport; at sign-in, copies of another user and expired ones are deleted first. */
export function withOfflineReads(session: SmartSession, now: () => number = Date.now): SmartSession {
  const owner = ownerOfSession(session);
  const hours = session.ehr.offlineHours;
  const pruned = pruneReads(owner, now(), hours).catch(() => 0);
  if (!owner) return session;
  const inner = session.transport;
  const transport: FhirTransport = {
    ...inner,
    async send<T>(url: string, options: FhirRequestOptions): Promise<FhirResponse<T>> {
      const key = readKey(url, options);
      const direct = () => fhirRequest<T>({ ...inner, send: inner.send?.bind(inner) }, url, options);
      if (!key || hours === 0) return direct();
      try {
        const answer = await direct();
        noteCopy(undefined);
        void pruned
          .then(() =>
            putRead(owner, key, {
              status: answer.status,
              body: answer.body,
              etag: answer.etag,
              savedAt: now(),
            }),
          )
          .catch(() => undefined);
        return answer;
      } catch (err) {
        // Only "no answer" falls back; a refusal is the server's word and is shown as such.
        if (!(err instanceof FhirError) || err.status !== 0) throw err;
        await pruned;
        const copy = await getRead(owner, key, now(), hours).catch(() => undefined);
        if (!copy) throw err;
        noteCopy(copy.savedAt);
        return { status: copy.status, body: copy.body as T, etag: copy.etag };
      }
    },
  };
  return { ...session, transport };
}
