/**
 * A Bulk Data `$export` client: kick-off, status polling (honouring `Retry-After`), and the NDJSON files read line
 * by line from the response stream — one resource in memory at a time, whatever the file's size.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface ExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count?: number }[];
  error: { type: string; url: string }[];
}

export interface ExportRequest {
  fhirBase: string;
  token: string;
  types: readonly string[];
  /** Only resources changed after this instant (the previous run's `transactionTime`). */
  since?: string;
  /** Gives up after this long (default 10 minutes). */
  timeoutMs?: number;
}

/** A server's refusal or failure, with the server's own words. */
export class ExportError extends Error {}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function outcomeText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const oo = JSON.parse(text) as { issue?: { details?: { text?: string }; diagnostics?: string }[] };
    return oo.issue?.map((i) => i.details?.text ?? i.diagnostics).join('; ') || text;
  } catch {
    return text.slice(0, 200);
  }
}

export async function kickOff(request: ExportRequest): Promise<string> {
  const url = new URL(`${request.fhirBase}/$export`);
  url.searchParams.set('_type', request.types.join(','));
  if (request.since) url.searchParams.set('_since', request.since);
  const res = await fetch(url, {
    headers: { ...auth(request.token), accept: 'application/fhir+json', prefer: 'respond-async' },
  });
  const location = res.headers.get('content-location');
  if (res.status !== 202 || !location)
    throw new ExportError(
      `${request.fhirBase} refused the export (${res.status}): ${await outcomeText(res)}`,
    );
  return location;
}

export async function waitForManifest(
  statusUrl: string,
  token: string,
  timeoutMs = 10 * 60_000,
): Promise<ExportManifest> {
  const deadline = Date.now() + timeoutMs;
  let wait = 100;
  for (;;) {
    const res = await fetch(statusUrl, { headers: { ...auth(token), accept: 'application/json' } });
    if (res.status === 200) return (await res.json()) as ExportManifest;
    if (res.status !== 202)
      throw new ExportError(`The export at ${statusUrl} failed (${res.status}): ${await outcomeText(res)}`);
    await res.body?.cancel();
    if (Date.now() > deadline) throw new ExportError(`The export at ${statusUrl} did not finish in time`);
    const retry = Number(res.headers.get('retry-after'));
    // Short waits first (a small agency's export is ready at once), never longer than the server asks.
    await new Promise((r) =>
      setTimeout(r, Math.min(wait, Number.isFinite(retry) && retry > 0 ? retry * 1000 : wait)),
    );
    wait = Math.min(wait * 2, 2_000);
  }
}

/** The resources of one NDJSON file, one at a time. */
export async function* readNdjson<T = unknown>(
  url: string,
  token: string,
  requiresToken = true,
): AsyncGenerator<T> {
  const res = await fetch(url, { headers: requiresToken ? auth(token) : {} });
  if (!res.ok || !res.body)
    throw new ExportError(`Could not read ${url} (${res.status}): ${await outcomeText(res)}`);
  const lines = createInterface({
    input: Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>),
    crlfDelay: Infinity,
  });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      throw new ExportError(`${url} line ${n} is not JSON`);
    }
  }
}

/** Removes the export's files from the server once read (the spec's DELETE on the status address). */
export async function removeExport(statusUrl: string, token: string): Promise<void> {
  const res = await fetch(statusUrl, { method: 'DELETE', headers: auth(token) });
  await res.body?.cancel();
}
