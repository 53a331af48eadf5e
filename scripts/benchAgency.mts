/**
 * The bench's sandboxes, written once for `npm run bench` (bench.mts) and the measures job's section
 * (benchMeasures.mts): the demo sandbox, open unless asked otherwise, and an agency of N families × 2 years (the
 * weekly caregiver and provider contacts the seed requires: sandbox/data/agency.ts) loaded into it, its start timed.
 */
import { performance } from 'node:perf_hooks';
import { buildAgency } from '../sandbox/data/agency';
import { putTransactions } from '../sandbox/data/bundles';
import { startSandbox } from '../sandbox/server';
import type { Sandbox, SandboxOptions } from '../sandbox/server';

export type BenchRecord = (label: string, value: string, target?: string) => void;
export type BenchSandbox = (extra?: Partial<SandboxOptions>) => Promise<Sandbox>;

/** The demo sandbox, open (no tokens: the figures are the engine's and the app's, not the auth server's). */
export const benchSandbox: BenchSandbox = (extra = {}) =>
  startSandbox({
    port: 0,
    appUrl: 'http://localhost:5173',
    auth: false,
    smartVersion: 'v2',
    dataFiles: [],
    demoData: true,
    ...extra,
  });

/** A sandbox holding an agency of `families`, its start recorded as `label … (N contacts)`. */
export async function startAgency(opts: {
  families: number;
  now: Date;
  record: BenchRecord;
  label: string;
  start?: BenchSandbox;
  extra?: Partial<SandboxOptions>;
}): Promise<{ sandbox: Sandbox; contacts: number }> {
  const resources = buildAgency(opts.now, { families: opts.families });
  const contacts = resources.filter((r) => r.resourceType === 'Communication').length;
  const t0 = performance.now();
  const sandbox = await (opts.start ?? benchSandbox)({
    extraBundles: putTransactions(resources) as never,
    today: opts.now,
    ...opts.extra,
  });
  opts.record(
    `${opts.label} of ${opts.families} families (${contacts.toLocaleString('en-US')} contacts)`,
    `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { sandbox, contacts };
}
