/**
 * The measures job on the demo agency (issue 40), against the in-process sandbox: it signs in as its backend
 * client, writes a report per episode, summaries and claim lines; a re-run changes nothing; after one contact
 * changes only that family is recomputed; shards add up to the same reports; an unusable key fails the run.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWK } from 'jose';
import type { MeasureReport } from 'fhir/r4';
import { parseConfig } from '../src/config/config';
import { IdentifierSystems } from '../src/fhir/codes';
import { EPISODE_MEASURE, parseEpisodeReport } from '../src/fhir/mappers/storedReports';
import type { Sandbox } from './server';
import { runMeasures } from '../jobs/measures/run';
import type { MeasuresOptions } from '../jobs/measures/run';
import { startTestSandbox } from '../test/support/testSandbox';
import configJson from '../public/config.json';

let sandbox: Sandbox;
const ehr = parseConfig(configJson).ehrs[0];
const now = new Date('2026-11-18T17:00:00Z');

beforeAll(async () => {
  sandbox = await startTestSandbox({ today: now });
}, 60_000);
afterAll(async () => sandbox?.close());

const options = (over: Partial<MeasuresOptions> = {}): MeasuresOptions => ({
  fhirBase: sandbox.fhirBase,
  tokenEndpoint: sandbox.measuresClient.tokenEndpoint,
  clientId: sandbox.measuresClient.clientId,
  privateJwk: sandbox.measuresClient.privateJwk as JWK,
  ehr,
  payers: ehr.payers,
  now,
  ...over,
});
const stored = async (type: string) =>
  (await sandbox.repo.searchResources({ resourceType: type, count: 100_000 } as never)).filter((r) =>
    ((r as { identifier?: { system?: string }[] }).identifier ?? []).some(
      (i) => i.system === IdentifierSystems.measuresJob,
    ),
  );
const versions = async () =>
  new Map(
    [...(await stored('MeasureReport')), ...(await stored('Claim'))].map((r) => [
      (r as { identifier: { value: string }[] }).identifier[0].value,
      r.meta?.versionId,
    ]),
  );

describe('npm run measures', () => {
  it('first run: a report per episode, summaries, claim lines — and a re-run changes nothing', async () => {
    const first = await runMeasures(options());
    expect(first.since).toBeUndefined();
    expect(first.families).toBeGreaterThan(3);
    expect(first.written).toBeGreaterThan(first.families);
    const episodes = (await stored('MeasureReport')).filter(
      (r) => (r as MeasureReport).measure === EPISODE_MEASURE,
    );
    expect(episodes.length).toBeGreaterThanOrEqual(first.families);
    const row = parseEpisodeReport(episodes[0] as MeasureReport);
    expect(row?.entry.youth.id).toMatch(/^youth-/);
    expect((await stored('Claim')).length).toBe(first.claims);
    expect(first.claims).toBeGreaterThan(0);

    const before = await versions();
    const again = await runMeasures(options({ full: true }));
    expect(again.written).toBe(0);
    expect(again.unchanged).toBeGreaterThan(0);
    const after = await versions();
    // Only the job's own state record moves; no report or claim got a new version.
    expect([...after].filter(([k, v]) => before.get(k) !== v && !k.startsWith('state:'))).toEqual([]);
  }, 120_000);

  it('an incremental run reads what changed since the last one: one family', async () => {
    const contact = (
      await sandbox.repo.searchResources({ resourceType: 'Communication', count: 1 } as never)
    )[0];
    await sandbox.repo.updateResource({ ...contact, language: 'en' } as never);
    const run = await runMeasures(options());
    expect(run.since).toBeDefined();
    expect(run.families).toBe(1);
  }, 120_000);

  it('shards: each computes its own families, and the summaries add up to the unsharded ones', async () => {
    const summaries = async () =>
      (await stored('MeasureReport'))
        .filter((r) => (r as MeasureReport).type === 'summary')
        .map((r) => JSON.stringify([(r as MeasureReport).identifier, (r as MeasureReport).group]))
        .sort();
    const whole = await summaries();
    const a = await runMeasures(options({ shard: { index: 1, count: 2 }, full: true }));
    const b = await runMeasures(options({ shard: { index: 2, count: 2 }, full: true }));
    const s = await runMeasures(options({ summariesOnly: true }));
    expect(a.families + b.families).toBe((await runMeasures(options({ full: true }))).families);
    expect(a.families).toBeGreaterThan(0);
    expect(b.families).toBeGreaterThan(0);
    expect(s.summaries).toBeGreaterThan(0);
    expect(await summaries()).toEqual(whole);
  }, 180_000);

  it('fails with the server’s reason when its key is not the registered one', async () => {
    const { generateKeyPair, exportJWK } = await import('jose');
    const { privateKey } = await generateKeyPair('RS384', { extractable: true });
    const wrong = { ...(await exportJWK(privateKey)), alg: 'RS384' };
    await expect(runMeasures(options({ privateJwk: wrong }))).rejects.toThrow(/invalid_client/);
  });
});
