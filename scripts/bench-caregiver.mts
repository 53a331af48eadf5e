/**
 * `npm run bench:caregiver`: the caregiver's first screen (issue 39) on the production build, in Debian
 * Chromium at 375 px with 150 ms added to every request (the page, its chunks, config.json and the link's state):
 * from navigation to "First, let's check it is you", cold cache, five runs each, unthrottled and at 1.6 Mbit/s.
 * Also prints the caregiver entry's initial JS (gzip) from the build manifest. Ports 8186 (sandbox), 5286 (app).
 */
import '../sandbox/env';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { caregiverRequestTask } from '../src/fhir/mappers/caregiverRequest';
import { Questionnaires } from '../src/fhir/codes';
import { DEFAULT_SCOPES } from '../src/config/config';
import { ehrLaunchToken } from '../test/support/smartFlow';
import { startAppPreview } from './appPreview.mts';

const APP_PORT = 5286;
const APP = `http://localhost:${APP_PORT}`;
const LATENCY_MS = 150;

const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(1);

const manifest = JSON.parse(readFileSync('dist/.vite/manifest.json', 'utf8')) as Record<
  string,
  { file: string; imports?: string[] }
>;
const closure = (key: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const i of manifest[key]?.imports ?? []) closure(i, seen);
  return seen;
};
const initialBytes = [...closure('caregiver.html')]
  .map((k) => gzipSync(readFileSync(`dist/${manifest[k].file}`)).length)
  .reduce((a, b) => a + b, 0);
process.stdout.write(`caregiver.html initial JS: ${(initialBytes / 1024).toFixed(1)} kB gzip\n`);

const sandbox = await startSandbox({
  port: 8186,
  appUrl: APP,
  auth: true,
  smartVersion: 'v2',
  dataFiles: [],
  demoData: true,
});
const preview = await startAppPreview({ port: APP_PORT, fhirBase: sandbox.fhirBase });
const fp = String(
  (
    await ehrLaunchToken(sandbox.baseUrl, {
      patient: 'youth-03',
      user: 'fp-rosa',
      scope: `launch ${DEFAULT_SCOPES.join(' ')}`,
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
      appUrl: APP,
    })
  ).access_token,
);

async function newLink(): Promise<string> {
  const task = caregiverRequestTask({
    requestId: crypto.randomUUID(),
    purpose: 'answer-survey',
    patientId: 'youth-03',
    caregiver: 'RelatedPerson/cg-03-1',
    requester: 'Practitioner/fp-rosa',
    at: new Date().toISOString(),
    questionnaires: [Questionnaires.caregiverSatisfaction],
  });
  const headers = { authorization: `Bearer ${fp}`, 'content-type': 'application/fhir+json' };
  const created = (await (
    await fetch(`${sandbox.fhirBase}/Task`, { method: 'POST', headers, body: JSON.stringify(task) })
  ).json()) as { id: string };
  const link = (await (
    await fetch(`${sandbox.baseUrl}/caregiver/links`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ task: `Task/${created.id}` }),
    })
  ).json()) as { link: string };
  return link.link;
}

const browser = await chromium.launch({
  executablePath: fileURLToPath(new URL('./chromium.sh', import.meta.url)),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, throughput] of [
  ['150 ms, unthrottled', -1],
  ['150 ms, 1.6 Mbit/s', (1.6 * 1024 * 1024) / 8],
] as const) {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const link = await newLink();
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'es-US' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LATENCY_MS,
      downloadThroughput: throughput,
      uploadThroughput: throughput,
    });
    await page.goto(link, { waitUntil: 'commit' });
    await page.getByRole('heading', { name: 'Primero, comprobemos que es usted' }).waitFor();
    runs.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  process.stdout.write(
    `first screen (${label}): median ${median(runs).toFixed(0)} ms; runs ${runs.map((r) => r.toFixed(0)).join(', ')}\n`,
  );
}
await browser.close();
preview.kill();
await sandbox.close();
