/**
 * The one batch reader. Reads several URLs in one round trip (a batch Bundle), or in parallel on a server
 * without batch, and follows every search's pages (or, for a window such as "the latest 300", reads its first
 * page only and says whether there is more). One failure policy for every caller: a failed entry is
 * a value (the caller decides whether it is fatal); an expired session or an unreachable server throws.
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';
import type { ServerCapabilities } from './capabilities';
import { collectPages, FhirError, fhirRequest, SessionExpiredError } from './http';
import type { FhirTransport } from './http';

export type BatchOutcome =
  | {
      ok: true;
      /** The resource read, or the first page of a search. */
      resource: Resource;
      /** For a search: the entries of every page; for a read: empty. */
      entries: BundleEntry[];
      truncated: boolean;
      /** A one-page read ({@link onePage}) left further pages unread. */
      more: boolean;
    }
  | { ok: false; error: FhirError };

/** A URL to read, or a search of which only the first page is wanted (a window of the latest or oldest). */
export type BatchUrl = string | { url: string; onePage: true };

export const onePage = (url: string): BatchUrl => ({ url, onePage: true });

const urlOf = (u: BatchUrl) => (typeof u === 'string' ? u : u.url);

export interface BatchRead {
  /** One per URL, in the order given. */
  outcomes: BatchOutcome[];
  /** HTTP requests made, pages included. */
  requests: number;
}

const GENERIC: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'processing' }],
};

function entryFailure(entry: BundleEntry | undefined): FhirError {
  const status = Number.parseInt(entry?.response?.status ?? '0', 10) || 500;
  const outcome =
    (entry?.response?.outcome as OperationOutcome | undefined) ??
    (entry?.resource?.resourceType === 'OperationOutcome' ? (entry.resource as OperationOutcome) : GENERIC);
  if (status === 401) return new SessionExpiredError(401, outcome);
  return new FhirError(status, outcome);
}

async function firstResponses(
  transport: FhirTransport,
  caps: ServerCapabilities,
  urls: readonly BatchUrl[],
  signal?: AbortSignal,
): Promise<({ resource: Resource } | { error: FhirError })[]> {
  // Servers bound a Bundle's entries (the sandbox at this many): a larger read goes as parts, side by side.
  if (caps.batch && urls.length > MAX_BATCH_ENTRIES) {
    const parts: BatchUrl[][] = [];
    for (let i = 0; i < urls.length; i += MAX_BATCH_ENTRIES) parts.push(urls.slice(i, i + MAX_BATCH_ENTRIES));
    return (await Promise.all(parts.map((part) => firstResponses(transport, caps, part, signal)))).flat();
  }
  // One URL needs no Bundle around it.
  if (caps.batch && urls.length > 1) {
    const batch: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: urls.map((url) => ({ request: { method: 'GET', url: urlOf(url) } })),
    };
    const response = await fhirRequest<Bundle>(transport, '', { method: 'POST', body: batch, signal });
    return urls.map((_, i) => {
      const entry = response.body?.entry?.[i];
      const status = Number.parseInt(entry?.response?.status ?? '200', 10);
      if (!entry?.resource || status >= 400 || entry.resource.resourceType === 'OperationOutcome')
        return { error: entryFailure(entry) };
      return { resource: entry.resource };
    });
  }
  return Promise.all(
    urls.map(async (url) => {
      try {
        return { resource: (await fhirRequest<Resource>(transport, urlOf(url), { signal })).body };
      } catch (err) {
        if (err instanceof FhirError && !(err instanceof SessionExpiredError) && err.status !== 0)
          return { error: err };
        throw err;
      }
    }),
  );
}

/** Entries per batch Bundle: the sandbox refuses more (sandbox/fhir/http.ts), and so do many servers. */
export const MAX_BATCH_ENTRIES = 100;

/** Round trips the first responses of `n` URLs take. */
const firstRequests = (caps: ServerCapabilities, n: number) =>
  caps.batch && n > 1 ? Math.ceil(n / MAX_BATCH_ENTRIES) : n;

export async function readBatch(
  transport: FhirTransport,
  caps: ServerCapabilities,
  urls: readonly BatchUrl[],
  signal?: AbortSignal,
): Promise<BatchRead> {
  if (urls.length === 0) return { outcomes: [], requests: 0 };
  const first = await firstResponses(transport, caps, urls, signal);
  let requests = firstRequests(caps, urls.length);
  const sessionLost = first.find((f) => 'error' in f && f.error instanceof SessionExpiredError);
  if (sessionLost && 'error' in sessionLost) throw sessionLost.error;
  const outcomes = await Promise.all(
    first.map(async (f, i): Promise<BatchOutcome> => {
      if ('error' in f) return { ok: false, error: f.error };
      if (f.resource.resourceType !== 'Bundle')
        return { ok: true, resource: f.resource, entries: [], truncated: false, more: false };
      const window = typeof urls[i] !== 'string';
      try {
        const pages = await collectPages(transport, f.resource as Bundle, signal, window ? 1 : undefined);
        requests += pages.pages - 1;
        return {
          ok: true,
          resource: f.resource,
          entries: pages.entries,
          truncated: !window && pages.truncated,
          more: window && pages.truncated,
        };
      } catch (err) {
        if (err instanceof FhirError && !(err instanceof SessionExpiredError))
          return { ok: false, error: err };
        throw err;
      }
    }),
  );
  return { outcomes, requests };
}
