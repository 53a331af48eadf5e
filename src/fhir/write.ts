/**
 * The write helpers every write uses. `updateIfMatch`: read-modify-write that never overwrites a
 * concurrent edit (412 → a conflict value carrying the other version). `transaction`: several resources
 * all-or-nothing; on a server without transactions, an ordered fallback of conditional creates and
 * If-Match updates that is safe to retry (a retry finds what the first attempt wrote and goes on).
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import type { ServerCapabilities } from './capabilities';
import { FhirError, fhirRequest } from './http';
import type { FhirTransport } from './http';

export type IfMatchResult<T extends Resource> =
  | { ok: true; resource: T }
  /** Someone changed the resource since `versionId`: their version, for the user to see and re-apply on. */
  | { ok: false; current: T };

const etagOf = (versionId: string) => `W/"${versionId}"`;

/**
 * Reads `path`, applies `change` and writes it back only if the stored version is still `versionId` (the
 * version the user saw). Elements the app does not manage survive because `change` receives the stored
 * resource, not the app's copy.
 */
export async function updateIfMatch<T extends Resource>(
  transport: FhirTransport,
  path: string,
  versionId: string,
  change: (current: T) => T,
  signal?: AbortSignal,
): Promise<IfMatchResult<T>> {
  const current = (await fhirRequest<T>(transport, path, { signal })).body;
  if (current.meta?.versionId !== undefined && current.meta.versionId !== versionId)
    return { ok: false, current };
  try {
    const response = await fhirRequest<T>(transport, path, {
      method: 'PUT',
      body: change(current),
      headers: { 'if-match': etagOf(versionId) },
      signal,
    });
    return { ok: true, resource: response.body };
  } catch (err) {
    if (err instanceof FhirError && (err.status === 412 || err.status === 409)) {
      return { ok: false, current: (await fhirRequest<T>(transport, path, { signal })).body };
    }
    throw err;
  }
}

/** One write of a transaction. */
export type TransactionEntry =
  | {
      method: 'POST';
      /** `urn:uuid:…`: other entries may reference the new resource by it. */
      fullUrl: string;
      resource: Resource;
      /** Search query that finds an earlier save of the same resource (its client identifier). */
      ifNoneExist: string;
    }
  | {
      method: 'PUT';
      resource: Resource & { id: string };
      /** The version the user saw. */
      ifMatch: string;
    };

/** A transport that splits a transaction between the EHR and the record store (src/fhir/recordRouter.ts). */
export interface RoutedTransport extends FhirTransport {
  routeTransaction(entries: readonly TransactionEntry[], signal?: AbortSignal): Promise<TransactionResult>;
}

function isRouted(transport: FhirTransport): transport is RoutedTransport {
  return 'routeTransaction' in transport;
}

export interface TransactionResult {
  /** The stored resources, in entry order. */
  resources: Resource[];
  requests: number;
}

/**
 * The transaction Bundle. When an If-Match update guards it, its creates go without conditions: a retry
 * of a transaction that already landed fails on that update as a whole, so nothing can be created twice —
 * and servers limit conditional transactions (Medplum: 8 entries with any If-None-Exist).
 */
function bundleOf(entries: readonly TransactionEntry[]): Bundle {
  const guarded = entries.some((e) => e.method === 'PUT');
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries.map((e): BundleEntry =>
      e.method === 'POST'
        ? {
            fullUrl: e.fullUrl,
            resource: e.resource,
            request: {
              method: 'POST',
              url: e.resource.resourceType,
              ...(guarded ? {} : { ifNoneExist: e.ifNoneExist }),
            },
          }
        : {
            fullUrl: `${e.resource.resourceType}/${e.resource.id}`,
            resource: e.resource,
            request: {
              method: 'PUT',
              url: `${e.resource.resourceType}/${e.resource.id}`,
              ifMatch: etagOf(e.ifMatch),
            },
          },
    ),
  };
}

/** Replaces `urn:uuid:…` references with the ids the server gave (the fallback writes one by one). */
export function resolveReferences<T>(value: T, resolved: ReadonlyMap<string, string>): T {
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, resolved)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === 'reference' && typeof v === 'string' && resolved.has(v)
          ? resolved.get(v)
          : resolveReferences(v, resolved);
    }
    return out as T;
  }
  return value;
}

/** A conditional-create query that names an earlier entry by its urn:uuid (a Provenance's target, say). */
export function resolveQuery(query: string, resolved: ReadonlyMap<string, string>): string {
  let out = query;
  for (const [urn, reference] of resolved)
    out = out.split(encodeURIComponent(urn)).join(encodeURIComponent(reference));
  return out;
}

/** Same content, ignoring what the server sets: a retried update that already landed. */
function sameContent(a: Resource, b: Resource): boolean {
  const strip = (r: Resource) => JSON.stringify({ ...r, meta: undefined, text: undefined });
  return strip(a) === strip(b);
}

async function ordered(
  transport: FhirTransport,
  caps: ServerCapabilities,
  entries: readonly TransactionEntry[],
  signal?: AbortSignal,
): Promise<TransactionResult> {
  const resolved = new Map<string, string>();
  const resources: Resource[] = [];
  let requests = 0;
  // In the caller's order: callers put an If-Match update first, so a conflict stops the write before
  // anything new is created.
  for (const [i, entry] of entries.entries()) {
    if (entry.method === 'PUT') {
      const resource = resolveReferences(entry.resource, resolved);
      const path = `${resource.resourceType}/${resource.id}`;
      try {
        requests++;
        resources[i] = (
          await fhirRequest<Resource>(transport, path, {
            method: 'PUT',
            body: resource,
            headers: { 'if-match': etagOf(entry.ifMatch) },
            signal,
          })
        ).body;
      } catch (err) {
        if (!(err instanceof FhirError) || err.status !== 412) throw err;
        // A retry of a write whose update already landed: the stored version is ours, go on.
        requests++;
        const current = (await fhirRequest<Resource>(transport, path, { signal })).body;
        if (!sameContent({ ...current }, resource)) throw err;
        resources[i] = current;
      }
      continue;
    }
    const resource = resolveReferences(entry.resource, resolved);
    const type = resource.resourceType;
    const ifNoneExist = resolveQuery(entry.ifNoneExist, resolved);
    let stored: Resource | undefined;
    if (caps.assumed || caps.conditionalCreate.has(type)) {
      requests++;
      stored = (
        await fhirRequest<Resource>(transport, type, {
          method: 'POST',
          body: resource,
          headers: { 'if-none-exist': ifNoneExist },
          signal,
        })
      ).body;
    } else {
      requests += 2;
      const found = await fhirRequest<Bundle>(transport, `${type}?${ifNoneExist}`, { signal });
      stored =
        found.body.entry?.find((e) => e.resource?.resourceType === type)?.resource ??
        (await fhirRequest<Resource>(transport, type, { method: 'POST', body: resource, signal })).body;
    }
    resolved.set(entry.fullUrl, `${type}/${stored.id}`);
    resources[i] = stored;
  }
  return { resources, requests };
}

/**
 * The stored resource from a transaction-response entry. A server may answer with only `location` and
 * `etag` (return=minimal): then the written resource with the id and version the server gave, so the
 * next If-Match uses the new version, not the one just replaced.
 */
function storedOf(written: Resource, entry: BundleEntry | undefined): Resource {
  if (entry?.resource) return entry.resource;
  const location = /([A-Za-z]+)\/([^/]+)\/_history\/([^/]+)/.exec(entry?.response?.location ?? '');
  const etag = /^(?:W\/)?"([^"]+)"$/.exec(entry?.response?.etag ?? '');
  const versionId = etag?.[1] ?? location?.[3];
  return {
    ...written,
    ...(location ? { id: location[2] } : {}),
    meta: { ...written.meta, ...(versionId ? { versionId } : {}) },
  };
}

/**
 * Writes `entries` all-or-nothing. PUT entries are If-Match updates; POST entries are conditional creates,
 * so a retried transaction (after a timeout, say) never duplicates.
 */
export async function transaction(
  transport: FhirTransport,
  caps: ServerCapabilities,
  entries: readonly TransactionEntry[],
  signal?: AbortSignal,
): Promise<TransactionResult> {
  // FST records in the agency's store, the discharge plan in the EHR: the router writes each server's part.
  if (isRouted(transport)) return transport.routeTransaction(entries, signal);
  if (!caps.transaction) return ordered(transport, caps, entries, signal);
  const response = await fhirRequest<Bundle>(transport, '', {
    method: 'POST',
    body: bundleOf(entries),
    signal,
  });
  const resources = entries.map((e, i) => storedOf(e.resource, response.body.entry?.[i]));
  return { resources, requests: 1 };
}
