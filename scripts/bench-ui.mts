/**
 * `npm run bench:ui`: the app in Debian Chromium against the sandbox with a 10 000-contact family.
 * Measures launch → workspace, the history tab render, and scrolling the virtualised timeline.
 * Uses ports 8183 (sandbox) and 5283 (app).
 */
import '../sandbox/env';
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { buildLargeFamily, LARGE_PATIENT_ID } from '../sandbox/data/largeFamily';
import { startSandbox } from '../sandbox/server';

const APP_PORT = 5283;
const APP = `http://localhost:${APP_PORT}`;

const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(1);

let t = performance.now();
const sandbox = await startSandbox({
  port: 8183,
  appUrl: APP,
  auth: true,
  smartVersion: 'v2',
  dataFiles: [],
  demoData: true,
  extraBundles: buildLargeFamily(new Date()) as never,
});
process.stdout.write(
  `sandbox with 10 000-contact family loaded in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
);
const preview = spawn(
  process.execPath,
  ['node_modules/vite/bin/vite.js', 'preview', '--port', String(APP_PORT), '--strictPort'],
  {
    stdio: 'ignore',
    env: { ...process.env, APP_PORT: String(APP_PORT) },
  },
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  for (let i = 0; i < 50; i++) {
    if (
      await fetch(`${APP}/launch.html`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const fhirRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(sandbox.fhirBase) && r.method() !== 'OPTIONS')
      fhirRequests.push(`${r.method()} ${r.url().slice(sandbox.fhirBase.length).split('?')[0] || '/'}`);
  });
  t = performance.now();
  await page.goto(
    `${sandbox.baseUrl}/launch?patient=${LARGE_PATIENT_ID}&user=icc-marcus&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await page.getByRole('heading', { name: 'Plan goals' }).waitFor({ timeout: 120_000 });
  const workspaceMs = performance.now() - t;
  process.stdout.write(
    `launch → workspace (10 000 contacts, all pages): ${workspaceMs.toFixed(0)} ms; FHIR requests: ${fhirRequests.length} (${[...new Set(fhirRequests)].join(', ')})\n`,
  );

  t = performance.now();
  await page.getByRole('tab', { name: 'Contact history' }).click();
  await page.getByRole('list', { name: 'Contact timeline' }).getByRole('listitem').first().waitFor();
  process.stdout.write(`history tab render (10 000 contacts): ${(performance.now() - t).toFixed(0)} ms\n`);
  const rendered = await page.getByRole('list', { name: 'Contact timeline' }).getByRole('listitem').count();

  const frames = await page.evaluate(async () => {
    const scroller = document.querySelector('.timeline-scroller') as HTMLElement;
    const deltas: number[] = [];
    let last = performance.now();
    const max = scroller.scrollHeight - scroller.clientHeight;
    for (let i = 1; i <= 120; i++) {
      scroller.scrollTop = (max * i) / 120;
      await new Promise<void>((r) => requestAnimationFrame(() => r()));
      const now = performance.now();
      deltas.push(now - last);
      last = now;
    }
    return deltas;
  });
  frames.sort((a, b) => a - b);
  const p50 = frames[Math.floor(frames.length / 2)];
  const p95 = frames[Math.floor(frames.length * 0.95)];
  process.stdout.write(
    `timeline scroll, 120 jumps end to end: frame p50 ${p50.toFixed(1)} ms · p95 ${p95.toFixed(1)} ms · ${frames.filter((f) => f > 50).length} frames > 50 ms · ${rendered} rows in the DOM\n`,
  );
} finally {
  await browser.close();
  preview.kill();
  await sandbox.close();
}
