import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Bundle, Claim, MeasureReport, Task } from 'fhir/r4';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';
import { credentialsPath } from '../../sandbox/auth/backendClient';
import type { BackendCredentials } from '../../sandbox/auth/backendClient';
import { signIn } from '../../jobs/measures/signIn';
import { MEASURES_SCOPES } from '../../jobs/measures/scopes';
import { fromClaim } from '../../src/fhir/mappers/claim';
import {
  EPISODE_MEASURE,
  parseEpisodeReport,
  StoredReportExtensions,
} from '../../src/fhir/mappers/storedReports';
import { MEASURES_RUN_MEASURE } from '../../src/fhir/storedCaseload';
import { MEASURES_RUN_QUERY } from '../../src/fhir/mappers/measuresRun';
import { CodeSystems } from '../../src/fhir/codes';
import { formatDateTime } from '../../src/ui/format';

/**
 * Issue 40 in a browser: `npm run measures` (the CLI, as a site runs it) against the SMART 1 sandbox — no other
 * spec opens an agency caseload there, so the stored figures surprise nobody — then the supervisor's caseload
 * from the stored reports, "as of" the job's run; the claim-line preview with its problems listed before export;
 * and a fresh run asked for on screen, completed by the job. After each step the server is read and compared.
 */
const PORT = process.env.E2E_SANDBOX_V1_PORT ?? '8182';
const SANDBOX = `http://localhost:${PORT}`;
const TZ = 'America/New_York';

function measures(...args: string[]): string {
  return execFileSync('node', ['--import', 'tsx', 'jobs/measures/main.ts', ...args], {
    env: { ...process.env, SANDBOX_PORT: PORT },
    encoding: 'utf8',
  });
}

/** The server as the job sees it (its own backend token): what the screen must match. */
async function server<T>(path: string): Promise<T[]> {
  const creds = JSON.parse(readFileSync(credentialsPath(PORT), 'utf8')) as BackendCredentials;
  const token = await signIn({ ...creds, scope: MEASURES_SCOPES.join(' ') });
  const res = await fetch(`${creds.fhirBase}/${path}`, {
    headers: { authorization: `Bearer ${token.accessToken}` },
  });
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as T);
}

test('the supervisor reads the stored caseload and the claim-line preview, and asks for a fresh run', async ({
  page,
}) => {
  expect(measures()).toMatch(/^measures: \d+ famil/m);
  const runs = await server<MeasureReport>(
    `MeasureReport?measure=${encodeURIComponent(MEASURES_RUN_MEASURE)}`,
  );
  const asOf = runs[0].extension?.find((e) => e.url === StoredReportExtensions.dataAsOf)?.valueInstant;
  const rows = (
    await server<MeasureReport>(`MeasureReport?measure=${encodeURIComponent(EPISODE_MEASURE)}&_count=1000`)
  )
    .filter((r) =>
      r.extension?.some((e) => e.url === `${StoredReportExtensions.scope}-current` && e.valueBoolean),
    )
    .map((r) => parseEpisodeReport(r)?.entry.youth.name.full)
    .sort();

  // The caseload: the stored rows, as of the job's run.
  await openCaseloadPicker(page, SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const source = page.getByRole('region', { name: 'Where these figures come from' });
  await expect(source).toContainText(`Figures as of ${formatDateTime(asOf, TZ)}`);
  const caseload = page.getByRole('table', { name: 'Caseload' });
  await expect(caseload.getByRole('row')).toHaveCount(rows.length + 1);
  const shown = (await caseload.getByRole('rowheader').allTextContents()).sort();
  expect(shown).toEqual(rows);

  // The claim-line preview: the month's problems listed before export, as the stored Claims hold them.
  await page.getByRole('link', { name: /H2014 claim lines/ }).click();
  await expect(page.getByRole('heading', { name: 'H2014 claim lines', level: 1 })).toBeVisible();
  const month = await page.getByLabel('Month', { exact: true }).inputValue();
  const claims = (
    await server<Claim>(`Claim?_tag=${encodeURIComponent(`${CodeSystems.claimMonth}|${month}`)}&_count=1000`)
  ).map((c) => fromClaim(c));
  const problems = claims.flatMap((c) => c?.lines.flatMap((l) => l.problems) ?? []);
  expect(problems.length).toBeGreaterThan(0);
  const list = page.getByRole('region', { name: /Before export: what would be denied/ });
  await expect(list.getByRole('listitem')).toHaveCount(problems.length);
  await expect(list).toContainText(problems[0].text);
  const lines = claims.reduce((n, c) => n + (c?.lines.length ?? 0), 0);
  await expect(page.getByRole('table', { name: 'Claim lines' }).getByRole('row')).toHaveCount(lines + 1);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync((await (await download).path()) ?? '', 'utf8');
  expect(csv.split('\r\n').filter(Boolean)).toHaveLength(lines + 1);

  // A fresh run: asked for on screen, the request on the server, completed by the job, seen on screen.
  await page.goBack();
  await page.getByRole('button', { name: 'Ask for a fresh run' }).click();
  await expect(source).toContainText('A fresh run was asked for');
  const asked = await server<Task>(`Task?${MEASURES_RUN_QUERY}&status=requested`);
  expect(asked).toHaveLength(1);
  expect(measures('--when-asked')).toMatch(/1 fresh-run request\(s\) answered/);
  const [done] = await server<Task>(`Task?_id=${asked[0].id}`);
  expect(done.status).toBe('completed');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Where these figures come from' })).toContainText(
    `The last fresh run asked for was done at ${formatDateTime(done.executionPeriod?.end, TZ)}`,
  );
});
