/**
 * `npm run measures`: the measures job against a FHIR server (default: the sandbox `npm start` runs, on
 * SANDBOX_PORT as `npm start` does). Options: `--shard i/n`, `--full`, `--summaries`, `--config <file>`, and
 * `--when-asked` (run only when a supervisor asked for a fresh run; from cron every few minutes).
 * A site gives its own client: MEASURES_FHIR_BASE, MEASURES_TOKEN_ENDPOINT, MEASURES_CLIENT_ID and
 * MEASURES_PRIVATE_KEY (a file with the private JWK). Exits 1, with the reason, when it could not finish.
 */
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { findEhr, parseConfig } from '../../src/config/config';
import { credentialsPath } from '../../sandbox/auth/backendClient';
import type { BackendCredentials } from '../../sandbox/auth/backendClient';
import { runMeasures } from './run';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function shardArg(): { index: number; count: number } | undefined {
  const raw = arg('shard');
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new Error(`--shard takes i/n with 1 ≤ i ≤ n (e.g. --shard 2/4), not ${raw}`);
  return { index, count };
}

function credentials(): BackendCredentials {
  const env = process.env;
  if (env.MEASURES_PRIVATE_KEY) {
    const missing = ['MEASURES_FHIR_BASE', 'MEASURES_TOKEN_ENDPOINT', 'MEASURES_CLIENT_ID'].filter(
      (k) => !env[k],
    );
    if (missing.length) throw new Error(`MEASURES_PRIVATE_KEY is set; also set ${missing.join(', ')}`);
    return {
      fhirBase: env.MEASURES_FHIR_BASE as string,
      tokenEndpoint: env.MEASURES_TOKEN_ENDPOINT as string,
      clientId: env.MEASURES_CLIENT_ID as string,
      privateJwk: JSON.parse(readFileSync(env.MEASURES_PRIVATE_KEY, 'utf8')) as JWK,
    };
  }
  const port = env.SANDBOX_PORT ?? '8080';
  const path = credentialsPath(port);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BackendCredentials;
  } catch {
    throw new Error(
      `No measures-job key for a sandbox on port ${port} (${path}): start it with \`npm start\` (SANDBOX_PORT=${port}), or set MEASURES_PRIVATE_KEY and the MEASURES_* addresses for your server`,
    );
  }
}

const started = performance.now();
try {
  const creds = credentials();
  const config = parseConfig(JSON.parse(readFileSync(arg('config') ?? 'public/config.json', 'utf8')));
  // The sandbox on another port is the configuration's first EHR (as the dev server accepts it).
  const ehr = findEhr(config, creds.fhirBase) ?? config.ehrs[0];
  const result = await runMeasures({
    ...creds,
    ehr,
    payers: ehr.payers,
    shard: shardArg(),
    full: process.argv.includes('--full'),
    summariesOnly: process.argv.includes('--summaries'),
    whenAsked: process.argv.includes('--when-asked'),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  // Peak resident memory of the whole process (maxRSS is in kilobytes).
  const mb = (process.resourceUsage().maxRSS / 1e3).toFixed(0);
  if (result.ran)
    process.stdout.write(
      `measures: ${result.requestsCompleted ? `${result.requestsCompleted} fresh-run request(s) answered, ` : ''}${result.families} famil${result.families === 1 ? 'y' : 'ies'}, ${result.written} written, ${result.unchanged} unchanged, ${result.claims} claim(s), ${result.summaries} summary report(s); data as of ${result.transactionTime}; ${((performance.now() - started) / 1000).toFixed(1)} s, peak ${mb} MB\n`,
    );
} catch (err) {
  process.stderr.write(`measures: could not finish: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
