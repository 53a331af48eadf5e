/**
 * The one place the app talks HTTP to a FHIR server: auth header from the SMART session, AbortSignal,
 * JSON in and out, errors as OperationOutcome-shaped values, and complete paging (never a silent
 * first-page truncation). Nothing here logs: bodies and URLs may carry patient data.
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';

export interface FhirTransport {
  /** FHIR base URL without trailing slash. The bearer token is sent to URLs under it and nowhere else. */
  readonly baseUrl: string;
  /** Per-request time limit (ms); DEFAULT_TIMEOUT_MS when absent. */
  readonly timeoutMs?: number;
  /** `Bearer …`, refreshed if needed; null when no token is held. */
  authorization(): Promise<string | null>;
  /**
   * Takes the request instead of this module: the record router (src/fhir/recordRouter.ts) sends each request
   * to the server that holds what it reads or writes, when the FST records live in the agency's own store.
   */
  send?<T>(url: string, options: FhirRequestOptions): Promise<FhirResponse<T>>;
}

export interface FhirRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A server that has not answered in this long is reported; nobody watches "Saving…" for minutes. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface FhirResponse<T> {
  status: number;
  body: T;
  etag?: string;
  location?: string;
}

/** A failed FHIR interaction. `message` is plain words for the user; no patient data is added to it. */
export class FhirError extends Error {
  override name = 'FhirError';
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
  ) {
    // A version conflict gets our sentence: servers say "Precondition Failed", which tells a user nothing.
    super(
      status === 409 || status === 412 ? statusText(status) : (outcomeText(outcome) ?? statusText(status)),
    );
  }
}

/**
 * Whether trying the same request again may succeed: no answer, a timeout, a rate limit or a server fault.
 * A refusal (400, 403, 404, 422…) answers the same way every time, so the user is never told to retry it.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof FhirError)) return true;
  const { status } = error;
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** What a version conflict (412) carries: the stored record changed since the user read it. */
export const VERSION_CONFLICT: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'conflict' }],
};

/** The server answered a write with a resource the app cannot read (502, the reason in words). */
export function unreadableAnswer(message: string): FhirError {
  return new FhirError(502, {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'processing', details: { text: message } }],
  });
}

/**
 * No answer within the time limit. For a write the outcome is unknown; every write of the app is
 * idempotent (conditional create, If-Match), so the message can promise that trying again is safe.
 */
export class RequestTimeoutError extends FhirError {
  override name = 'RequestTimeoutError';
  constructor(write: boolean, timeoutMs: number) {
    const seconds = Math.round(timeoutMs / 1000);
    super(0, {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'timeout',
          details: {
            text: write
              ? `The FHIR server did not answer within ${seconds} seconds, so it is not known whether this was saved. Saving again is safe: it will not be recorded twice.`
              : `The FHIR server did not answer within ${seconds} seconds. Try again.`,
          },
        },
      ],
    });
  }
}

/** 401: the token is gone or expired and could not be refreshed. */
export class SessionExpiredError extends FhirError {
  override name = 'SessionExpiredError';
}

export function outcomeText(outcome: OperationOutcome | undefined): string | undefined {
  const texts = (outcome?.issue ?? [])
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => i.details?.text ?? i.diagnostics)
    .filter((t): t is string => Boolean(t));
  return texts.length ? texts.join('; ') : undefined;
}

function statusText(status: number): string {
  if (status === 0) return 'The FHIR server could not be reached. Check the connection and try again.';
  if (status === 401) return 'Your session has expired. Relaunch the app from your EHR.';
  if (status === 403) return 'You do not have permission to do this.';
  if (status === 404) return 'The record was not found.';
  if (status === 409 || status === 412)
    return 'Someone else changed this record. Reload it and apply your change again.';
  if (status >= 500) return 'The FHIR server had a problem. Try again in a moment.';
  return `The FHIR server refused the request (HTTP ${status}).`;
}

function outcomeFor(status: number, text?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'processing',
        details: { text: text ?? statusText(status) },
      },
    ],
  };
}

/**
 * The absolute URL for a request. An absolute URL (a server's `next` link) must lie under the session's
 * FHIR base: the bearer token goes nowhere else.
 */
function resolve(baseUrl: string, url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return `${baseUrl}/${url.replace(/^\//, '')}`;
  if (url === baseUrl || url.startsWith(`${baseUrl}/`) || url.startsWith(`${baseUrl}?`)) return url;
  throw new FhirError(
    0,
    outcomeFor(
      0,
      'The FHIR server sent a link outside its own address; the app did not follow it, so this list may be incomplete.',
    ),
  );
}

const OFFLINE_TEXT =
  'This device is offline: nothing was sent. What you typed is kept; try again when you are connected.';

export async function fhirRequest<T>(
  transport: FhirTransport,
  url: string,
  options: FhirRequestOptions = {},
): Promise<FhirResponse<T>> {
  if (transport.send) return transport.send<T>(url, options);
  const headers: Record<string, string> = {
    accept: 'application/fhir+json',
    ...options.headers,
  };
  const target = resolve(transport.baseUrl, url);
  const method = options.method ?? 'GET';
  if (typeof navigator !== 'undefined' && navigator.onLine === false)
    throw new FhirError(0, outcomeFor(0, OFFLINE_TEXT));
  const authorization = await transport.authorization();
  if (authorization) headers.authorization = authorization;
  if (options.body !== undefined) headers['content-type'] = 'application/fhir+json';
  const timeoutMs = transport.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(target, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal,
      cache: 'no-store',
    });
    text = await response.text();
  } catch (err) {
    if (timeout.aborted && !options.signal?.aborted)
      throw new RequestTimeoutError(method !== 'GET', timeoutMs);
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new FhirError(0, outcomeFor(0));
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const outcome =
      (body as Resource | undefined)?.resourceType === 'OperationOutcome'
        ? (body as OperationOutcome)
        : outcomeFor(response.status);
    if (response.status === 401) throw new SessionExpiredError(401, outcomeFor(401));
    throw new FhirError(response.status, outcome);
  }
  return {
    status: response.status,
    body: body as T,
    etag: response.headers.get('etag') ?? undefined,
    location: response.headers.get('location') ?? undefined,
  };
}

/**
 * The `next` links of a page: one from a server; two from the record router's merge of the same search on the
 * EHR and the store, each followed to its own end.
 */
export function nextLinks(bundle: Bundle | undefined): string[] {
  return (bundle?.link ?? []).filter((l) => l.relation === 'next' && l.url).map((l) => l.url as string);
}

/** Hard stop for runaway paging; reaching it is reported, never silent. */
export const MAX_PAGES = 100;

export interface CompleteSearch {
  entries: BundleEntry[];
  /** True when MAX_PAGES stopped the paging before the server's last page. */
  truncated: boolean;
  pages: number;
}

/**
 * Follows `next` links from a first page until the server's last page. An entry seen on an earlier page
 * (offset paging while someone inserts) is kept once.
 */
export async function collectPages(
  transport: FhirTransport,
  first: Bundle,
  signal?: AbortSignal,
  maxPages = MAX_PAGES,
): Promise<CompleteSearch> {
  const seen = new Set<string>();
  const entries: BundleEntry[] = [];
  const add = (page: Bundle) => {
    for (const entry of page.entry ?? []) {
      // A null entry from a careless server is skipped, not a crash.
      if (!entry) continue;
      const key = entry.resource?.id ? `${entry.resource.resourceType}/${entry.resource.id}` : undefined;
      if (key && seen.has(key)) continue;
      if (key) seen.add(key);
      entries.push(entry);
    }
  };
  add(first);
  const next = nextLinks(first);
  let pages = 1;
  while (next.length && pages < maxPages) {
    const page = await fhirRequest<Bundle>(transport, next.shift() as string, { signal });
    add(page.body);
    next.push(...nextLinks(page.body));
    pages++;
  }
  return { entries, truncated: next.length > 0, pages };
}
