/**
 * What the screens read back from the measures job (issue 40), against the in-process sandbox after a run: the
 * supervisor's caseload rows and a past quarter's quality report each in one search, the claim lines of a month
 * by their tag (CMS place of service, source contacts, a lapsed credential flagged), read by supervisors and not
 * by a Family Partner; and a supervisor's request for a fresh run, which the job completes (`--when-asked`).
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWK } from 'jose';
import type { MeasureReport, Practitioner } from 'fhir/r4';
import { DEFAULT_CASELOAD_SCOPES, parseConfig } from '../src/config/config';
import type { FhirTransport } from '../src/fhir/http';
import { EPISODE_MEASURE } from '../src/fhir/mappers/storedReports';
import {
  latestRunRequest,
  loadStoredCaseload,
  loadStoredClaims,
  loadStoredQuality,
  requestMeasuresRun,
} from '../src/fhir/storedCaseload';
import { runMeasures } from '../jobs/measures/run';
import type { MeasuresOptions } from '../jobs/measures/run';
import type { Sandbox } from './server';
import { launchToken, startTestSandbox } from '../test/support/testSandbox';
import configJson from '../public/config.json';

let sandbox: Sandbox;
const ehr = parseConfig(configJson).ehrs[0];
const now = new Date('2026-11-18T17:00:00Z');
const SCOPES = `launch openid fhirUser ${DEFAULT_CASELOAD_SCOPES.join(' ')}`;

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

/** The app's transport as a user signed in by an EHR launch. */
async function as(user: string): Promise<FhirTransport> {
  const token = await launchToken(sandbox, 'youth-01', user, SCOPES);
  return {
    baseUrl: sandbox.fhirBase,
    authorization: async () => `Bearer ${token}`,
    serverName: 'the sandbox EHR',
  };
}
/** Counts every request to the FHIR base while `fn` runs. */
async function counting<T>(fn: () => Promise<T>): Promise<{ value: T; requests: string[] }> {
  const original = globalThis.fetch;
  const requests: string[] = [];
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(sandbox.fhirBase)) requests.push(url.slice(sandbox.fhirBase.length));
    return original(input, init);
  }) as typeof fetch;
  try {
    return { value: await fn(), requests };
  } finally {
    globalThis.fetch = original;
  }
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ today: now });
  // Rosa's auto insurance lapsed on the 10th of last month: her lines after it are flagged.
  const rosa = (await sandbox.repo.readResource('Practitioner', 'fp-rosa')) as unknown as Practitioner;
  await sandbox.repo.updateResource({
    ...rosa,
    qualification: (rosa.qualification ?? []).map((q) =>
      q.code.coding?.some((c) => c.code === 'auto-insurance')
        ? { ...q, period: { start: '2025-10-11', end: '2026-10-10' } }
        : q,
    ),
  } as never);
  await runMeasures(options());
}, 120_000);
afterAll(async () => sandbox?.close());

describe('the screens read what the job stored', () => {
  it("the supervisor's caseload: one search, a row per youth's current episode, as of the job's run", async () => {
    const dana = await as('sfp-dana');
    const { value, requests } = await counting(() => loadStoredCaseload(dana));
    expect(requests).toHaveLength(1);
    expect(value.unreadable).toBe(0);
    expect(value.asOf).toBeDefined();
    const episodes = (
      (await sandbox.repo.searchResources({
        resourceType: 'MeasureReport',
        count: 100_000,
      } as never)) as never as MeasureReport[]
    ).filter(
      (r) =>
        r.measure === EPISODE_MEASURE &&
        r.extension?.some((e) => e.url.endsWith('fst-report-scope-current') && e.valueBoolean),
    );
    expect(value.entries.map((e) => e.referral.id).sort()).toEqual(
      episodes.map((r) => r.identifier?.[0].value?.replace('episode:', '')).sort(),
    );
  });

  it('a past quarter of the quality report is one read, the sum of its three monthly summaries', async () => {
    const dana = await as('sfp-dana');
    const months = ['2026-08', '2026-09', '2026-10'];
    const { value, requests } = await counting(() => loadStoredQuality(dana, months));
    expect(requests).toHaveLength(1);
    expect(value.months).toEqual(months);
    const weeks = value.counts.filter((c) => c.id === 'weeks-with-caregiver-contact');
    expect(weeks).toHaveLength(3);
    expect(weeks.reduce((n, c) => n + c.denominator, 0)).toBeGreaterThan(0);
  });

  it('claim lines: a month in one search, CMS places of service, minutes per source contact, a lapsed credential flagged', async () => {
    const dana = await as('sfp-dana');
    const { value, requests } = await counting(() => loadStoredClaims(dana, '2026-10'));
    expect(requests).toHaveLength(1);
    expect(value.unreadable).toBe(0);
    const lines = value.drafts.flatMap((d) => d.lines);
    expect(lines.length).toBeGreaterThan(0);
    // Codes, never the app's own words ("home").
    for (const l of lines) if (l.placeOfService) expect(l.placeOfService).toMatch(/^\d\d$/);
    expect(lines.every((l) => l.contactMinutes?.length === l.contactIds.length)).toBe(true);
    expect(value.drafts.every((d) => d.patientName)).toBe(true);
    const lapsed = lines.flatMap((l) => l.problems).filter((p) => p.kind === 'lapsed-credential');
    expect(lapsed.length).toBeGreaterThan(0);
    expect(lapsed[0].text).toMatch(/auto insurance expired on 2026-10-10/);
    // Only the days after it.
    const flaggedDays = lines
      .filter((l) => l.problems.some((p) => p.kind === 'lapsed-credential'))
      .map((l) => l.day);
    expect(flaggedDays.every((d) => d > '2026-10-10')).toBe(true);
  });

  it('claim lines are read by supervisors, not by a Family Partner (the EHR applies the policy row)', async () => {
    const rosa = await as('fp-rosa');
    const hers = await loadStoredClaims(rosa, '2026-10');
    expect(hers.drafts).toEqual([]);
    const dana = await loadStoredClaims(await as('sfp-dana'), '2026-10');
    expect(dana.drafts.length).toBeGreaterThan(0);
  });
});

describe('a fresh run, asked for by a supervisor', () => {
  it('the job run --when-asked does nothing until asked; then runs, completes the request, and the screen sees it', async () => {
    const idle = await runMeasures(options({ whenAsked: true }));
    expect(idle.ran).toBe(false);

    // A Family Partner may not ask; the server says so.
    await expect(requestMeasuresRun(await as('fp-rosa'), 'Practitioner/fp-rosa', now)).rejects.toThrow(
      /supervisor/,
    );
    const dana = await as('sfp-dana');
    const asked = await requestMeasuresRun(dana, 'Practitioner/sfp-dana', now);
    expect(asked.status).toBe('requested');
    // Pressed twice (or retried): still one request.
    const again = await requestMeasuresRun(dana, 'Practitioner/sfp-dana', now);
    expect(again.id).toBe(asked.id);

    const later = new Date(now.getTime() + 5 * 60_000);
    const run = await runMeasures(options({ whenAsked: true, now: later }));
    expect(run.ran).toBe(true);
    expect(run.requestsCompleted).toBe(1);
    const seen = await latestRunRequest(dana);
    expect(seen).toMatchObject({ id: asked.id, status: 'completed', completedAt: later.toISOString() });
    expect((await loadStoredCaseload(dana)).asOf).toBe(run.transactionTime);
    expect((await runMeasures(options({ whenAsked: true }))).ran).toBe(false);
  }, 120_000);
});
