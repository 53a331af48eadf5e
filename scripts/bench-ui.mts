/**
 * `npm run bench:ui`: the app in Debian Chromium against the sandbox with a 10 000-contact family.
 * Measures launch → workspace, the history tab render, scrolling the virtualised timeline, and token →
 * interactive workspace beside a plain fetch of the same requests. BENCH_UI_TIMELINE=<ms> prints the
 * requests and marks after the token for each run slower than that; BENCH_UI_RUNS sets the runs per
 * family (8). Also on a phone's network (Chromium's network emulation, PHONE_NETWORK; issue 38): a cold start
 * of the launch page, token → interactive workspace with nothing cached, the history tab and the caseload;
 * BENCH_UI_PHONE_RUNS sets those runs (5). Uses ports 8183 (sandbox, in a worker thread) and 5283 (app), or
 * BENCH_UI_SANDBOX_PORT and BENCH_UI_APP_PORT on a machine where those are taken.
 */
import '../sandbox/env';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import type { Browser, Page, Request as PwRequest } from '@playwright/test';
import { Worker } from 'node:worker_threads';
import { LARGE_PATIENT_ID } from '../sandbox/data/largeFamily';
import type { BenchSandboxReady } from './benchSandboxWorker.mts';
import { benchTable } from './benchTable.mts';
import { startAppPreview } from './appPreview.mts';
import { MARKS } from '../src/app/userTiming';

const APP_PORT = Number(process.env.BENCH_UI_APP_PORT ?? 5283);
const SANDBOX_PORT = Number(process.env.BENCH_UI_SANDBOX_PORT ?? 8183);
const APP = `http://localhost:${APP_PORT}`;

const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(1);

let t = performance.now();
const worker = new Worker(new URL('./benchSandboxWorker.mjs', import.meta.url), {
  workerData: { appUrl: APP, sandboxPort: SANDBOX_PORT },
});
const nextMessage = <T,>() =>
  new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
const sandbox = {
  ...(await nextMessage<BenchSandboxReady>()),
  async setLatency(latencyMs: number) {
    const set = nextMessage<{ latencyMs: number }>();
    worker.postMessage({ latencyMs });
    await set;
  },
  async close() {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ close: true });
    await exited;
  },
};
const { record, finish } = benchTable();

interface Sent {
  url: string;
  method: string;
  body: string | null;
  auth: string;
  /** The document that sent it (the launch page and the app page are two page loads). */
  page?: string;
  /** The HTTP status it got, 0 when it failed without one; undefined while unanswered. */
  status?: number;
}

/** Records what the browser sends to the FHIR server from `page`, and how each request ended. */
function watchFhir(page: Page, base: string, into: Sent[]): void {
  const byRequest = new Map<PwRequest, Sent>();
  page.on('request', (r) => {
    if (!r.url().startsWith(base) || r.method() === 'OPTIONS') return;
    const sent: Sent = {
      url: r.url(),
      method: r.method(),
      body: r.postData(),
      auth: r.headers().authorization ?? '',
      page: new URL(r.frame().url()).pathname,
    };
    byRequest.set(r, sent);
    into.push(sent);
  });
  page.on('requestfinished', (r) => {
    const sent = byRequest.get(r);
    if (sent)
      void r.response().then(
        (res) => {
          sent.status = res?.status() ?? 0;
        },
        // The tab closed first (the next run): its status no longer matters.
        () => undefined,
      );
  });
  page.on('requestfailed', (r) => {
    const sent = byRequest.get(r);
    if (sent) sent.status = 0;
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A phone's network (issue 38): ≈ 1.6 Mbps down, 750 kbps up, 150 ms round trip, for every request of the tab
 * (the app's files, the EHR, its sign-in), as Chromium's DevTools emulate it. The sandbox adds no latency of
 * its own here.
 */
const PHONE_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 1_600_000 / 8,
  uploadThroughput: 750_000 / 8,
};

/** A tab on the phone's network, in a context of its own: nothing cached, no cookies, no session. */
async function phoneTab(browser: Browser): Promise<{ tab: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
  return { tab, close: () => context.close() };
}

/** Milliseconds from the token response (on the app page) to a User Timing mark. */
const tokenToMark = (tab: Page, mark: string) =>
  tab.evaluate((name) => {
    const token = performance.getEntriesByType('resource').find((e) => /\/token(\?|$)/.test(e.name)) as
      PerformanceResourceTiming | undefined;
    if (!token) throw new Error('no token request on the app page');
    return performance.getEntriesByName(name, 'mark')[0].startTime - token.responseEnd;
  }, mark);

const waitForMark = (tab: Page, mark: string) =>
  tab.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, mark, {
    timeout: 120_000,
  });

/**
 * The phone rows: each run a cold start (a fresh context, nothing in the HTTP cache), as a Family Partner's
 * phone on its first launch of the day. "Interactive" is the same mark as the rows above.
 */
async function phoneRows(browser: Browser): Promise<void> {
  const runs = process.env.BENCH_UI_PHONE_RUNS ? Number(process.env.BENCH_UI_PHONE_RUNS) : 5;
  const profile = 'phone network (1.6 Mbps down, 750 kbps up, 150 ms round trip), nothing cached';
  const launchPage: number[] = [];
  const appTimes: number[] = [];
  const fetchTimes: number[] = [];
  const ratios: number[] = [];
  const launchToInteractive: number[] = [];
  const historyTimes: number[] = [];
  const caseloadTimes: number[] = [];
  const caseloadLaunch: number[] = [];
  const repeatsSeen: string[][] = [];
  const ehrName = `FST Sandbox EHR (localhost:${new URL(sandbox.fhirBase).port})`;
  for (let run = 0; run < runs; run++) {
    // Cold start → the launch page offers its choices (a standalone launch: the links work).
    {
      const { tab, close } = await phoneTab(browser);
      const t0 = performance.now();
      await tab.goto(`${APP}/launch.html`);
      await tab.getByRole('link', { name: `${ehrName}: open a youth` }).waitFor({ timeout: 60_000 });
      launchPage.push(performance.now() - t0);
      await close();
    }
    // The EHR launch → the workspace, then its history tab.
    {
      const { tab, close } = await phoneTab(browser);
      const sent: Sent[] = [];
      watchFhir(tab, sandbox.fhirBase, sent);
      const t0 = performance.now();
      await tab.goto(
        `${sandbox.baseUrl}/launch?patient=youth-02&user=icc-marcus&app=${encodeURIComponent(`${APP}/launch.html`)}`,
      );
      await waitForMark(tab, MARKS.workspaceInteractive);
      launchToInteractive.push(performance.now() - t0);
      appTimes.push(await tokenToMark(tab, MARKS.workspaceInteractive));
      repeatsSeen.push(repeatsIn([...sent]));
      // The same requests from the token on, fetched at once in the same throttled tab.
      const afterToken = await tab.evaluate(() => {
        const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const token = entries.find((e) => /\/token(\?|$)/.test(e.name));
        return entries.filter((e) => token && e.startTime >= token.responseEnd - 1).map((e) => e.name);
      });
      const replayed = sent.filter((r) => afterToken.includes(r.url));
      const fetchMs = await tab.evaluate(async (requests) => {
        const t = performance.now();
        await Promise.all(
          requests.map((r) =>
            fetch(r.url, {
              method: r.method,
              headers: {
                authorization: r.auth,
                accept: 'application/fhir+json',
                'content-type': 'application/fhir+json',
              },
              body: r.body ?? undefined,
            }).then((res) => res.json()),
          ),
        );
        return performance.now() - t;
      }, replayed);
      fetchTimes.push(fetchMs);
      ratios.push(appTimes[appTimes.length - 1] / fetchMs);
      const t1 = performance.now();
      await tab.getByRole('link', { name: 'Contact history' }).click();
      await tab
        .getByRole('list', { name: 'Contact timeline' })
        .getByRole('listitem')
        .first()
        .waitFor({ timeout: 60_000 });
      historyTimes.push(performance.now() - t1);
      await close();
    }
    // A supervisor's caseload launch: the launch page, the sandbox's sign-in, the caseload.
    {
      const { tab, close } = await phoneTab(browser);
      await tab.goto(`${APP}/launch.html`);
      await tab.getByRole('link', { name: `${ehrName}: caseload and quality report` }).click();
      await tab
        .getByLabel('Who are you?')
        .selectOption({ label: 'Dana Whitfield — Senior Family Partner (supervisor)' });
      const t0 = performance.now();
      await tab.getByRole('button', { name: 'Continue' }).click();
      await waitForMark(tab, MARKS.caseloadInteractive);
      caseloadLaunch.push(performance.now() - t0);
      caseloadTimes.push(await tokenToMark(tab, MARKS.caseloadInteractive));
      await close();
    }
  }
  const ms = (xs: number[]) =>
    `median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  record(`cold start → launch page usable, ${profile}`, `${ms(launchPage)} · n=${runs}`, '≤ 4000 ms');
  record(
    `token → interactive workspace, 13-month family (youth-02), ${profile}`,
    `${ms(appTimes)}; plain fetch of the same requests ${median(fetchTimes).toFixed(0)} ms; ratio median ${median(ratios).toFixed(2)}; EHR launch → interactive ${median(launchToInteractive).toFixed(0)} ms · n=${runs}`,
    '≤ 3000 ms',
  );
  record(
    `history tab: click → first timeline row, 13-month family (youth-02), ${profile}`,
    `${ms(historyTimes)} · n=${runs}`,
    '≤ 3000 ms',
  );
  record(
    `token → interactive caseload (supervisor, the agency's families), ${profile}`,
    `${ms(caseloadTimes)}; sign-in's Continue → interactive ${median(caseloadLaunch).toFixed(0)} ms · n=${runs}`,
    '≤ 3000 ms',
  );
  const repeated = [...new Set(repeatsSeen.flat())];
  record(
    `requests repeated in one page load, ${profile}`,
    repeated.length ? `${repeated.length}: ${repeated.join('; ')}` : `none in ${repeatsSeen.length} loads`,
    'none (the bench fails otherwise)',
  );
  if (repeated.length) failed.push(profile);
}

/** Rows whose page load sent the same request (method, URL, body) twice. */
const failed: string[] = [];

/**
 * What the browser sent again in one page load after it had already been answered, counted from what it
 * actually sent (not from the app's own request count): the same method, URL and body from the same document.
 * Sending again after a failure (no answer, 5xx) is a retry, not a repeat, and is listed apart.
 */
function repeatsIn(sent: readonly Sent[]): string[] {
  const answered = new Map<string, number>();
  const retried = new Map<string, number>();
  for (const r of sent) {
    const key = `${r.method} ${r.url} ${r.page ?? ''} ${r.body ?? ''}`;
    const earlier = answered.get(key);
    if (earlier !== undefined) answered.set(key, earlier + 1);
    else if (r.status !== undefined && (r.status === 0 || r.status >= 500))
      retried.set(key, (retried.get(key) ?? 0) + 1);
    else answered.set(key, 1);
  }
  const label = (key: string) => key.split(' ').slice(0, 2).join(' ').replace(/\?.*/, '');
  for (const [key, n] of retried) retriesSeen.add(`${label(key)} failed ×${n}, sent again`);
  return [...answered].filter(([, n]) => n > 1).map(([key, n]) => `${label(key)} ×${n}`);
}
/** Requests sent again after a failure (a retry, not a repeat): printed, never failing the bench. */
const retriesSeen = new Set<string>();

function checkRepeats(label: string, sent: readonly Sent[]): void {
  const repeated = repeatsIn(sent);
  record(
    `requests repeated in one page load, ${label}`,
    repeated.length ? `${repeated.length}: ${repeated.join('; ')}` : 'none',
    'none (the bench fails otherwise)',
  );
  if (repeated.length) failed.push(label);
}
record('sandbox with the 10 000-contact family loaded', `${((performance.now() - t) / 1000).toFixed(1)} s`);
const preview = await startAppPreview({ port: APP_PORT, fhirBase: sandbox.fhirBase });
const browser = await chromium.launch({
  // Debian Chromium (CHROMIUM_PATH) without the omnibox popup a headless window preloads (scripts/chromium.sh).
  executablePath: fileURLToPath(new URL('./chromium.sh', import.meta.url)),
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
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const fhirRequests: string[] = [];
  const launchSent: Sent[] = [];
  watchFhir(page, sandbox.fhirBase, launchSent);
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
  record(
    'launch → workspace (10 000 contacts)',
    `${workspaceMs.toFixed(0)} ms; FHIR requests: ${fhirRequests.length} (${[...new Set(fhirRequests)].join(', ')})`,
  );
  checkRepeats('launch → workspace (10 000 contacts)', launchSent);

  t = performance.now();
  await page.getByRole('link', { name: 'Contact history' }).click();
  await page.getByRole('list', { name: 'Contact timeline' }).getByRole('listitem').first().waitFor();
  record('history tab render (10 000 contacts)', `${(performance.now() - t).toFixed(0)} ms`);
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
  record(
    'timeline scroll, 120 jumps end to end',
    `frame p50 ${p50.toFixed(1)} ms · p95 ${p95.toFixed(1)} ms · ${frames.filter((f) => f > 50).length} frames > 50 ms · ${rendered} rows in the DOM`,
  );

  // The history screen may still be reading older pages: close it so that no other tab loads the sandbox
  // while the ratio is measured.
  await page.close();

  // Token response → interactive workspace, beside a plain fetch of the same data in the same page: the
  // FHIR requests the app made from the token response on, replayed at once with fetch + JSON parse. The ratio is what the
  // app adds (its parsing, rules and rendering, and any request it makes in sequence).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Also at 50 and 150 ms per answer (SANDBOX_LATENCY_MS: FHIR and authorization), nearer a remote EHR
  // than this machine's loopback, where the browser and the sandbox share two cores.
  for (const [label, patientId, latency] of [
    ['13-month family (youth-02)', 'youth-02', 0],
    ['13-month family (youth-02), EHR latency 50 ms', 'youth-02', 50],
    ['13-month family (youth-02), EHR latency 150 ms', 'youth-02', 150],
    ['10 000-contact family', LARGE_PATIENT_ID, 0],
  ] as const) {
    await sandbox.setLatency(latency);
    const ratios: number[] = [];
    const repeatsSeen: string[][] = [];
    const appTimes: number[] = [];
    const fetchTimes: number[] = [];
    for (let run = 0; run < (process.env.BENCH_UI_RUNS ? Number(process.env.BENCH_UI_RUNS) : 8); run++) {
      const tab = await context.newPage();
      const sent: Sent[] = [];
      watchFhir(tab, sandbox.fhirBase, sent);
      await tab.goto(
        `${sandbox.baseUrl}/launch?patient=${patientId}&user=icc-marcus&app=${encodeURIComponent(`${APP}/launch.html`)}`,
      );
      await tab.waitForFunction(
        (mark) => performance.getEntriesByName(mark, 'mark').length > 0,
        MARKS.workspaceInteractive,
        { timeout: 120_000 },
      );
      const appMs = await tab.evaluate((mark) => {
        const token = performance.getEntriesByType('resource').find((e) => /\/token(\?|$)/.test(e.name)) as
          PerformanceResourceTiming | undefined;
        if (!token) throw new Error('no token request on the app page');
        return performance.getEntriesByName(mark, 'mark')[0].startTime - token.responseEnd;
      }, MARKS.workspaceInteractive);
      // Only what the app requested from the token response on: what it waits for before the screen.
      const afterToken = await tab.evaluate(() => {
        const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const token = entries.find((e) => /\/token(\?|$)/.test(e.name));
        return entries.filter((e) => token && e.startTime >= token.responseEnd - 1).map((e) => e.name);
      });
      const replayed = sent.filter((r) => {
        const at = afterToken.indexOf(r.url);
        if (at < 0) return false;
        afterToken.splice(at, 1);
        return true;
      });
      // What the app sent, before the replay below sends the same requests again from this page.
      const appSent = [...sent];
      const fetchMs = await tab.evaluate(async (requests) => {
        const t0 = performance.now();
        await Promise.all(
          requests.map((r) =>
            fetch(r.url, {
              method: r.method,
              headers: {
                authorization: r.auth,
                accept: 'application/fhir+json',
                'content-type': 'application/fhir+json',
              },
              body: r.body ?? undefined,
            }).then((res) => res.json()),
          ),
        );
        return performance.now() - t0;
      }, replayed);
      if (process.env.BENCH_UI_TIMELINE && appMs > Number(process.env.BENCH_UI_TIMELINE))
        process.stdout.write(
          `${await tab.evaluate(() => {
            const token = performance.getEntriesByType('resource').find((e) => /\/token(\?|$)/.test(e.name));
            const t0 = token ? (token as PerformanceResourceTiming).responseEnd : 0;
            return [...performance.getEntriesByType('resource'), ...performance.getEntriesByType('mark')]
              .filter((e) => e.startTime + e.duration >= t0 - 1)
              .map(
                (e) =>
                  `${(e.startTime - t0).toFixed(0).padStart(5)} → ${(e.startTime + e.duration - t0).toFixed(0).padStart(5)} ms  ${e.name.replace(/\?.*/, '')}`,
              )
              .join('\n');
          })}\n`,
        );
      await tab.close();
      repeatsSeen.push(repeatsIn(appSent));
      if (run === 0) continue; // the first run fills the HTTP cache with the app's JS
      appTimes.push(appMs);
      fetchTimes.push(fetchMs);
      ratios.push(appMs / fetchMs);
    }
    // Issue 25: the ratio is judged at a remote EHR's latency; on loopback it is a figure without a target.
    const target = latency === 50 ? 1.3 : latency === 150 ? 1.2 : undefined;
    const ratio = median(ratios);
    record(
      `token → interactive workspace, ${label}`,
      `median ${median(appTimes).toFixed(0)} ms; plain fetch of the same requests ${median(fetchTimes).toFixed(0)} ms; ratio median ${ratio.toFixed(2)} · n=${ratios.length}${target !== undefined && ratio > target ? ` · missed by ${(ratio - target).toFixed(2)}` : ''}`,
      target !== undefined ? `ratio ≤ ${target}` : undefined,
    );
    const repeated = [...new Set(repeatsSeen.flat())];
    record(
      `requests repeated in one page load, ${label}`,
      repeated.length ? `${repeated.length}: ${repeated.join('; ')}` : `none in ${repeatsSeen.length} loads`,
      'none (the bench fails otherwise)',
    );
    if (repeated.length) failed.push(label);
  }
  await context.close();
  await sandbox.setLatency(0);
  await phoneRows(browser);
  record(
    'requests sent again after a failure (retries, not repeats)',
    retriesSeen.size ? [...retriesSeen].join('; ') : 'none',
  );
  finish('docs/bench-ui-latest.json');
  if (failed.length) {
    process.stderr.write(`bench:ui FAILED: a request repeated in one page load (${failed.join(', ')})\n`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  preview.kill();
  await sandbox.close();
}
