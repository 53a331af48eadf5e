/**
 * The measures job's figures (issue 40), a section of `npm run bench`; `node --import tsx scripts/benchMeasures.mts`
 * runs it alone (BENCH_MEASURES families, default 1 000). An agency of that many families × 2 years with the weekly
 * caregiver and provider contacts the seed requires; the job runs as `npm run measures` does, in its own process
 * (its peak memory is its own): the first run, then an incremental run after 10 families changed; then the
 * supervisor's caseload read from the stored reports (one search).
 */
import '../sandbox/env';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadStoredCaseload } from '../src/fhir/storedCaseload';
import { MEASURES_SCOPES } from '../jobs/measures/scopes';
import { signIn } from '../jobs/measures/signIn';
import { benchTable } from './benchTable.mts';
import { benchSandbox, startAgency } from './benchAgency.mts';
import type { BenchRecord, BenchSandbox } from './benchAgency.mts';

export async function benchMeasures(opts: {
  families: number;
  now: Date;
  record: BenchRecord;
  benchSandbox?: BenchSandbox;
}): Promise<void> {
  const { families, now, record } = opts;
  const { sandbox } = await startAgency({
    families,
    now,
    record,
    label: 'sandbox start, measures agency',
    start: opts.benchSandbox,
    extra: { auth: true },
  });
  const dir = mkdtempSync(join(tmpdir(), 'fst-bench-'));
  try {
    const key = join(dir, 'key.json');
    writeFileSync(key, JSON.stringify(sandbox.measuresClient.privateJwk), { mode: 0o600 });
    const env = {
      ...process.env,
      MEASURES_PRIVATE_KEY: key,
      MEASURES_FHIR_BASE: sandbox.fhirBase,
      MEASURES_TOKEN_ENDPOINT: sandbox.measuresClient.tokenEndpoint,
      MEASURES_CLIENT_ID: sandbox.measuresClient.clientId,
    };
    const job = async (label: string, target: string) => {
      const started = performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/measures/main.ts'], { env });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      const seconds = (performance.now() - started) / 1000;
      const summary = out.split('\n').find((l) => l.startsWith('measures:')) ?? out.slice(-400);
      if (code !== 0) throw new Error(`measures job failed: ${summary}`);
      const peak = /peak (\d+) MB/.exec(summary)?.[1];
      const written = /(\d+) written, (\d+) unchanged/.exec(summary);
      const computed = /measures: (\d+) famil/.exec(summary)?.[1];
      record(
        `${label}, agency of ${families}`,
        `${seconds.toFixed(1)} s (process, with start-up) · peak ${peak} MB · ${computed} families computed · ${written?.[1]} written, ${written?.[2]} unchanged`,
        target,
      );
    };
    await job('measures job, first run', '≤ 60 s');
    // 10 families change: one contact each, as a Family Partner's amendment would.
    for (let n = 0; n < 10; n++) {
      const stored = sandbox.repo.readStored(`Communication/comm-a${n * 37}-0`);
      if (stored) await sandbox.repo.updateResource({ ...stored, language: 'en' } as never);
    }
    await job('measures job, incremental run after 10 families changed', '≤ 5 s');
    // The screen reads with the supervisor's token; the bench reads as the job (the same search, the same bytes).
    const token = await signIn({
      clientId: sandbox.measuresClient.clientId,
      tokenEndpoint: sandbox.measuresClient.tokenEndpoint,
      privateJwk: sandbox.measuresClient.privateJwk as never,
      scope: MEASURES_SCOPES.join(' '),
    });
    const transport = { baseUrl: sandbox.fhirBase, authorization: async () => `Bearer ${token.accessToken}` };
    const realFetch = globalThis.fetch;
    let bytes = 0;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      const res = await realFetch(...args);
      bytes += (await res.clone().arrayBuffer()).byteLength;
      return res;
    }) as typeof fetch;
    try {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < 3; i++) {
        bytes = 0;
        const s = performance.now();
        rows = (await loadStoredCaseload(transport)).entries.length;
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      record(
        `supervisor caseload from stored reports (time to its data), agency of ${families}`,
        `median ${times[1].toFixed(0)} ms · ${(bytes / 1e6).toFixed(2)} MB · ${rows} families`,
        '≤ 2 s, ≤ 2 MB',
      );
    } finally {
      globalThis.fetch = realFetch;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { record, finish } = benchTable();
  await benchMeasures({
    families: Number(process.env.BENCH_MEASURES ?? 1000),
    now: new Date('2026-11-22T17:00:00Z'),
    record,
    benchSandbox,
  });
  finish('.reports/bench-measures.json');
}
