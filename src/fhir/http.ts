/**
 * The one place the app talks HTTP to a FHIR server: auth header from the SMART session, AbortSignal,
 * JSON in and out, errors as OperationOutcome-shaped values, and complete paging (never a silent
 * first-page truncation). Nothing here logs: bodies and URLs may carry patient data.
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';

export interface FhirTransport {
  /** FHIR base URL without trailing slash. */
  readonly baseUrl: string;
  /** `Bearer …`, refreshed if needed; null when no token is held. */
  authorization(): Promise<string | null>;
}

export interface FhirRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

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

function resolve(baseUrl: string, url: string): string {
  if (/^https?:\/\//.test(url)) return url;
  return `${baseUrl}/${url.replace(/^\//, '')}`;
}

export async function fhirRequest<T>(
  transport: FhirTransport,
  url: string,
  options: FhirRequestOptions = {},
): Promise<FhirResponse<T>> {
  const headers: Record<string, string> = {
    accept: 'application/fhir+json',
    ...options.headers,
  };
  const authorization = await transport.authorization();
  if (authorization) headers.authorization = authorization;
  if (options.body !== undefined) headers['content-type'] = 'application/fhir+json';
  let response: Response;
  try {
    response = await fetch(resolve(transport.baseUrl, url), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new FhirError(0, outcomeFor(0));
  }
  const text = await response.text();
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

export function nextLink(bundle: Bundle | undefined): string | undefined {
  return bundle?.link?.find((l) => l.relation === 'next')?.url;
}

/** Hard stop for runaway paging; reaching it is reported, never silent. */
export const MAX_PAGES = 100;

export interface CompleteSearch {
  entries: BundleEntry[];
  /** True when MAX_PAGES stopped the paging before the server's last page. */
  truncated: boolean;
  pages: number;
}

/** Follows `next` links from a first page until the server's last page. */
export async function collectPages(
  transport: FhirTransport,
  first: Bundle,
  signal?: AbortSignal,
): Promise<CompleteSearch> {
  const entries = [...(first.entry ?? [])];
  let next = nextLink(first);
  let pages = 1;
  while (next && pages < MAX_PAGES) {
    const page = await fhirRequest<Bundle>(transport, next, { signal });
    entries.push(...(page.body.entry ?? []));
    next = nextLink(page.body);
    pages++;
  }
  return { entries, truncated: next !== undefined, pages };
}
