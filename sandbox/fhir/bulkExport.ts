/**
 * FHIR Bulk Data `$export` (system level), as a server offers it to a SMART Backend Services client: the
 * kick-off (`GET [base]/$export` with `Prefer: respond-async`, `_type`, `_since`) answers 202 with the status
 * address in `Content-Location`; polling it answers 202 (with `X-Progress`) until the files are written, then 200
 * with the manifest (`transactionTime`, `request`, `requiresAccessToken`, `output[]` of NDJSON files per type);
 * `DELETE` on it cancels or removes the export. Only a system-level token of a backend client may export, each
 * type only as far as its scopes read it, and each resource passes the same access policy as a search.
 * Files are written to a temporary folder and streamed; `transactionTime` is taken before anything is read, so a
 * client's next `_since` misses nothing.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessTokenInfo } from '../auth/provider';
import { AccessPolicy } from './access';
import type { ValidatingRepository } from './repository';

/** What `$export` offers without `_type`: every type the sandbox serves that the token may read. */
export const EXPORT_TYPES = [
  'Patient',
  'RelatedPerson',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Task',
  'ServiceRequest',
  'Communication',
  'CarePlan',
  'Goal',
  'DocumentReference',
  'QuestionnaireResponse',
  'Encounter',
  'Coverage',
  'MeasureReport',
  'Claim',
] as const;

interface ExportJob {
  id: string;
  client: string | undefined;
  request: string;
  transactionTime: string;
  dir: string;
  done: boolean;
  cancelled: boolean;
  output: { type: string; url: string; count: number }[];
  error?: string;
}

const outcome = (text: string, code = 'processing') => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, details: { text } }],
});

export interface BulkExport {
  /** Answers the request when it is an `$export` kick-off, a status poll or a file; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, token: AccessTokenInfo | undefined): boolean;
  close(): void;
}

export function createBulkExport(options: {
  repo: ValidatingRepository;
  fhirBase: string;
  /** Whether tokens are checked at all (SANDBOX_AUTH=off: anyone may export). */
  auth: boolean;
}): BulkExport {
  const { repo, fhirBase } = options;
  const basePath = new URL(fhirBase).pathname;
  const jobs = new Map<string, ExportJob>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/fhir+json; charset=utf-8',
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
      ...headers,
    });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  async function run(
    job: ExportJob,
    types: readonly string[],
    since: string | undefined,
    policy: AccessPolicy,
  ) {
    for (const type of types) {
      if (job.cancelled) return;
      const file = join(job.dir, `${type}.ndjson`);
      const out = createWriteStream(file);
      let count = 0;
      for (const resource of repo.storedOfType(type)) {
        if (since && String(resource.meta?.lastUpdated ?? '') <= since) continue;
        if (!policy.allows(resource, 'r')) continue;
        if (!out.write(`${JSON.stringify(resource)}\n`))
          await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        count++;
      }
      await new Promise<void>((resolve, reject) =>
        out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      // Types with nothing new are left out of the manifest, as the spec allows.
      if (count > 0) job.output.push({ type, url: `${fhirBase}/_export/${job.id}/${type}.ndjson`, count });
    }
    job.done = true;
  }

  function kickOff(req: IncomingMessage, res: ServerResponse, url: URL, token: AccessTokenInfo | undefined) {
    if (options.auth && !token?.backendClient)
      return send(
        res,
        403,
        outcome('A system-level export needs a SMART Backend Services token', 'forbidden'),
      );
    if (!/respond-async/.test(String(req.headers.prefer ?? '')))
      return send(res, 400, outcome('Bulk Data kick-off needs the header Prefer: respond-async', 'required'));
    const outputFormat = url.searchParams.get('_outputFormat');
    if (outputFormat && !['application/fhir+ndjson', 'application/ndjson', 'ndjson'].includes(outputFormat))
      return send(
        res,
        400,
        outcome(`_outputFormat ${outputFormat} is not offered: NDJSON only`, 'not-supported'),
      );
    const since = url.searchParams.get('_since') ?? undefined;
    if (since !== undefined && Number.isNaN(Date.parse(since)))
      return send(res, 400, outcome(`_since is not an instant: ${since}`, 'invalid'));
    const asked = (url.searchParams.get('_type') ?? '').split(',').filter(Boolean);
    const unknown = asked.filter((t) => !(EXPORT_TYPES as readonly string[]).includes(t));
    if (unknown.length)
      return send(
        res,
        400,
        outcome(`_type names what is not exported: ${unknown.join(', ')}`, 'not-supported'),
      );
    const types = asked.length ? asked : [...EXPORT_TYPES];
    // Every type asked is within the token's scopes; without `_type`, only the types it may read.
    const readable = (t: string) =>
      !token || token.scopes.allows(t, 'r', options.auth ? 'system' : undefined);
    const refused = asked.filter((t) => !readable(t));
    if (refused.length)
      return send(
        res,
        403,
        outcome(`The access token does not permit reading ${refused.join(', ')}`, 'forbidden'),
      );
    const job: ExportJob = {
      id: randomUUID(),
      client: token?.backendClient,
      request: url.toString(),
      // Taken before anything is read: what changes during the export is in the next `_since` export.
      transactionTime: new Date().toISOString(),
      dir: mkdtempSync(join(tmpdir(), 'fst-export-')),
      done: false,
      cancelled: false,
      output: [],
    };
    jobs.set(job.id, job);
    const policy = new AccessPolicy(token, (ref) => repo.readStored(ref));
    // Normalised as lastUpdated is stored (UTC ISO), so the comparison is by instant.
    const sinceIso = since ? new Date(since).toISOString() : undefined;
    setImmediate(() => {
      run(job, types.filter(readable), sinceIso, policy).catch((err: unknown) => {
        job.error = err instanceof Error ? err.message : 'the export failed';
        job.done = true;
      });
    });
    send(res, 202, undefined, { 'content-location': `${fhirBase}/_export/${job.id}` });
  }

  function status(req: IncomingMessage, res: ServerResponse, job: ExportJob) {
    if (req.method === 'DELETE') {
      job.cancelled = true;
      jobs.delete(job.id);
      rmSync(job.dir, { recursive: true, force: true });
      return send(res, 202, undefined);
    }
    if (!job.done)
      return send(res, 202, undefined, {
        'x-progress': `${job.output.length} type(s) written`,
        'retry-after': '1',
      });
    if (job.error) return send(res, 500, outcome(`The export failed: ${job.error}`, 'exception'));
    send(
      res,
      200,
      {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: true,
        output: job.output,
        error: [],
      },
      { 'content-type': 'application/json' },
    );
  }

  return {
    handle(req, res, url, token) {
      const path = url.pathname.slice(basePath.length);
      if (path === '/$export' && req.method === 'GET') {
        kickOff(req, res, url, token);
        return true;
      }
      const match = /^\/_export\/([0-9a-f-]{36})(?:\/([A-Za-z]+)\.ndjson)?$/.exec(path);
      if (!match) return false;
      const job = jobs.get(match[1]);
      // Another client's export is as unknown as a missing one.
      if (!job || (options.auth && job.client !== token?.backendClient)) {
        send(res, 404, outcome('No such export', 'not-found'));
        return true;
      }
      if (!match[2]) {
        status(req, res, job);
        return true;
      }
      const file = job.output.find((o) => o.type === match[2]);
      if (!file || req.method !== 'GET') {
        send(res, 404, outcome('No such file in this export', 'not-found'));
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/fhir+ndjson', 'cache-control': 'no-store' });
      createReadStream(join(job.dir, `${file.type}.ndjson`)).pipe(res);
      return true;
    },
    close() {
      for (const job of jobs.values()) rmSync(job.dir, { recursive: true, force: true });
      jobs.clear();
    },
  };
}
