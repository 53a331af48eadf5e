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
  /**
   * Which server this is, as the user knows it ("the EHR (St. Mary's Epic)", "Harbor's FST record store"): every
   * error from it names it, since with two servers "the FHIR server" says nothing (issue 36).
   */
  readonly serverName?: string;
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
    /** The server that answered (or did not), as the user knows it; see FhirTransport.serverName. */
    readonly server?: string,
  ) {
    // A version conflict gets our sentence: servers say "Precondition Failed", which tells a user nothing.
    const text = outcomeText(outcome);
    super(
      status === 409 || status === 412 || !text
        ? statusText(status, server)
        : server && !text.toLowerCase().includes(server.toLowerCase())
          ? `${capitalise(server)}: ${text}`
          : text,
    );
  }
}

/** The EHR as its errors name it (issue 36: with a record store beside it, "the FHIR server" says nothing). */
export const ehrServerName = (configuredName: string) => `the EHR (${configuredName})`;

/** The error came from the EHR (not the agency's record store): its permissions are the EHR administrator's. */
export const fromEhr = (error: unknown) =>
  error instanceof FhirError && !!error.server?.startsWith('the EHR (');

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A failure inside a Bundle answer, as an OperationOutcome whose text names the server that gave it (the
 * record router's batch entries, which reach the reader without their transport).
 */
export function namedOutcome(
  status: number,
  outcome: OperationOutcome | undefined,
  server: string,
): OperationOutcome {
  const message = new FhirError(status, outcome ?? { resourceType: 'OperationOutcome', issue: [] }, server)
    .message;
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'processing', details: { text: message } }],
  };
}

/** No answer (down, offline, timed out) or a gateway's: the server is unavailable rather than refusing. */
export function isUnavailable(error: unknown): boolean {
  return (
    error instanceof FhirError &&
    !(error instanceof SessionExpiredError) &&
    (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504)
  );
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
  constructor(write: boolean, timeoutMs: number, server?: string) {
    const seconds = Math.round(timeoutMs / 1000);
    const who = capitalise(server ?? 'the FHIR server');
    super(
      0,
      {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'timeout',
            details: {
              text: write
                ? `${who} did not answer within ${seconds} seconds, so it is not known whether this was saved. Saving again is safe: it will not be recorded twice.`
                : `${who} did not answer within ${seconds} seconds. Try again.`,
            },
          },
        ],
      },
      server,
    );
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

function statusText(status: number, server = 'the FHIR server'): string {
  const who = capitalise(server);
  if (status === 0) return `${who} could not be reached. Check the connection and try again.`;
  if (status === 401) return `Your sign-in at ${server} has ended. Relaunch the app from your EHR.`;
  // A permission is granted by an administrator, not by pressing the button again.
  if (status === 403)
    return `${who} refused: your account does not have permission to do this. Trying again will not help; ask your administrator for this permission.`;
  if (status === 404) return `The record was not found at ${server}.`;
  if (status === 409 || status === 412)
    return 'Someone else changed this record. Reload it and apply your change again.';
  if (status >= 500) return `${who} had a problem. Try again in a moment.`;
  return `${who} refused the request (HTTP ${status}).`;
}

function outcomeFor(status: number, text?: string, server?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'processing',
        details: { text: text ?? statusText(status, server) },
      },
    ],
  };
}

/**
 * The absolute URL for a request. An absolute URL (a server's `next` link) must lie under the session's
 * FHIR base: the bearer token goes nowhere else.
 */
function resolve(baseUrl: string, url: string, server?: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return `${baseUrl}/${url.replace(/^\//, '')}`;
  if (url === baseUrl || url.startsWith(`${baseUrl}/`) || url.startsWith(`${baseUrl}?`)) return url;
  throw new FhirError(
    0,
    outcomeFor(
      0,
      `${capitalise(server ?? 'the FHIR server')} sent a link outside its own address; the app did not follow it, so this list may be incomplete.`,
    ),
    server,
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
  const server = transport.serverName;
  const target = resolve(transport.baseUrl, url, server);
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
      throw new RequestTimeoutError(method !== 'GET', timeoutMs, server);
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new FhirError(0, outcomeFor(0, undefined, server), server);
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
        : outcomeFor(response.status, undefined, server);
    if (response.status === 401)
      throw new SessionExpiredError(401, outcomeFor(401, undefined, server), server);
    throw new FhirError(response.status, outcome, server);
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
