/**
 * `npm run profile:ui`: where the browser's main thread spends token → interactive workspace, for one family
 * at one EHR latency (PROFILE_LATENCY_MS, 50). Builds without minifying (names survive), opens the app as
 * `npm run bench:ui` does, records a Chromium trace of the last of PROFILE_RUNS runs (4) and prints the
 * sampled self time per function and per script, after the token response. A tool for finding what to take
 * off the path; `npm run bench:ui` is the measure. Ports 8184 (sandbox) and 5284 (app).
 */
import '../sandbox/env';
import { spawnSync } from 'node:child_process';
import { startAppPreview } from './appPreview.mts';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { MARKS } from '../src/app/userTiming';

const APP_PORT = 5284;
const APP = `http://localhost:${APP_PORT}`;
const latency = Number(process.env.PROFILE_LATENCY_MS ?? 50);
const patient = process.env.PROFILE_PATIENT ?? 'youth-02';
const runs = Number(process.env.PROFILE_RUNS ?? 4);

const TRACE = '/tmp/fst-profile-trace.json';
// Not dist/: the bench's bundle sizes read the production build there.
const OUT_DIR = '.profile-dist';
const analyseOnly = process.env.PROFILE_ANALYSE_ONLY === '1';
const build = analyseOnly
  ? { status: 0 }
  : spawnSync(
      process.execPath,
      [
        'node_modules/vite/bin/vite.js',
        'build',
        '--logLevel',
        'error',
        '--minify',
        'false',
        '--outDir',
        OUT_DIR,
      ],
      { stdio: 'inherit' },
    );
if (build.status !== 0) process.exit(1);
if (!analyseOnly) await recordTrace();

async function recordTrace() {
  const sandbox = await startSandbox({
    port: 8184,
    appUrl: APP,
    auth: true,
    smartVersion: 'v2',
    dataFiles: [],
    demoData: true,
  });
  sandbox.setLatency(latency);
  const preview = await startAppPreview({ port: APP_PORT, fhirBase: sandbox.fhirBase, outDir: OUT_DIR });
  const browser = await chromium.launch({
    // Debian Chromium (CHROMIUM_PATH) without the omnibox popup a headless window preloads (scripts/chromium.sh).
    executablePath: fileURLToPath(new URL('./chromium.sh', import.meta.url)),
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (let run = 0; run < runs; run++) {
      const tab = await context.newPage();
      const last = run === runs - 1;
      if (last)
        await browser.startTracing(tab, {
          path: TRACE,
          categories: ['devtools.timeline', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler'],
        });
      await tab.goto(
        `${sandbox.baseUrl}/launch?patient=${patient}&user=icc-marcus&app=${encodeURIComponent(`${APP}/launch.html`)}`,
      );
      await tab.waitForFunction(
        (m) => performance.getEntriesByName(m, 'mark').length > 0,
        MARKS.workspaceInteractive,
      );
      const ms = await tab.evaluate((m) => {
        const token = performance
          .getEntriesByType('resource')
          .find((e) => /\/token(\?|$)/.test(e.name)) as PerformanceResourceTiming;
        return performance.getEntriesByName(m, 'mark')[0].startTime - token.responseEnd;
      }, MARKS.workspaceInteractive);
      process.stdout.write(`run ${run + 1}: token → interactive ${ms.toFixed(0)} ms\n`);
      if (last) await browser.stopTracing();
      await tab.close();
    }
  } finally {
    await browser.close();
    preview.kill();
    await sandbox.close();
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { data?: Record<string, unknown> };
}
const events = (JSON.parse(readFileSync(TRACE, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
// The app page's token response and interactive mark, on the trace's clock.
const tokenDone = events.find(
  (e) => e.name === 'ResourceFinish' && String(tokenUrlOf(e) ?? '').includes('/token'),
);
function tokenUrlOf(e: TraceEvent): unknown {
  const id = e.args?.data?.requestId;
  return events.find((s) => s.name === 'ResourceSendRequest' && s.args?.data?.requestId === id)?.args?.data
    ?.url;
}
const interactive = events.find((e) => e.name === MARKS.workspaceInteractive);
const from = tokenDone?.ts ?? 0;
const to = interactive?.ts ?? Number.POSITIVE_INFINITY;
process.stdout.write(`window: ${((to - from) / 1000).toFixed(0)} ms after the token response\n`);
// The FHIR requests of the window: when each left and when its answer was in.
const urlOf = new Map(
  events
    .filter((e) => e.name === 'ResourceSendRequest')
    .map((e) => [e.args?.data?.requestId, String(e.args?.data?.url ?? '')]),
);
for (const e of events.filter((x) => x.ts >= from && x.ts <= to + 50_000)) {
  const url = urlOf.get(e.args?.data?.requestId) ?? '';
  if (!url.includes('/fhir') || !['ResourceSendRequest', 'ResourceFinish'].includes(e.name)) continue;
  process.stdout.write(
    `${((e.ts - from) / 1000).toFixed(0).padStart(5)} ms  ${e.name === 'ResourceFinish' ? 'answered' : 'sent    '} ${url.replace(/\?.*/, '')}\n`,
  );
}

// CPU profile: ProfileChunk events carry nodes, samples and time deltas.
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  parent?: number;
}
const nodes = new Map<number, Node>();
const selfMs = new Map<string, number>();
const byUrl = new Map<string, number>();
/** Time with the function anywhere on the stack: what a component or a parse costs with all it calls. */
const inclusiveMs = new Map<string, number>();
const keyOf = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${(n.callFrame.url ?? '').replace(/.*\//, '')}:${n.callFrame.lineNumber}`;
for (const profile of events.filter((e) => e.name === 'Profile')) {
  let t = (profile.args?.data as { startTime?: number } | undefined)?.startTime ?? 0;
  for (const chunk of events.filter((e) => e.name === 'ProfileChunk' && e.id === profile.id)) {
    const data = chunk.args?.data as {
      cpuProfile?: { nodes?: Node[]; samples?: number[] };
      timeDeltas?: number[];
    };
    for (const n of data.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    samples.forEach((id, i) => {
      t += deltas[i] ?? 0;
      if (t < from || t > to) return;
      const n = nodes.get(id);
      if (!n) return;
      const dt = (deltas[i + 1] ?? 0) / 1000;
      const key = keyOf(n);
      const onStack = new Set<string>();
      for (let at: Node | undefined = n; at; at = at.parent === undefined ? undefined : nodes.get(at.parent))
        if (at.callFrame.url) onStack.add(keyOf(at));
      for (const k of onStack) inclusiveMs.set(k, (inclusiveMs.get(k) ?? 0) + dt);
      selfMs.set(key, (selfMs.get(key) ?? 0) + dt);
      const url = (n.callFrame.url ?? '').replace(/.*\//, '') || n.callFrame.functionName;
      byUrl.set(url, (byUrl.get(url) ?? 0) + dt);
    });
  }
}
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${v.toFixed(1).padStart(7)} ms  ${k}`)
    .join('\n');
process.stdout.write(
  `\nself time by script:\n${top(byUrl, 15)}\n\nself time by function:\n${top(selfMs, 30)}\n\ninclusive time by function:\n${top(inclusiveMs, 60)}\n`,
);
// Main-thread tasks in the window: what ran, and for how long.
const tasks = events
  .filter((e) => e.ph === 'X' && e.ts >= from && e.ts <= to && (e.dur ?? 0) > 3000)
  .filter((e) =>
    [
      'FunctionCall',
      'EvaluateScript',
      'v8.compile',
      'ParseHTML',
      'Layout',
      'UpdateLayoutTree',
      'Paint',
      'RunMicrotasks',
      'v8.evaluateModule',
      'TimerFire',
      'EventDispatch',
      'FireAnimationFrame',
    ].includes(e.name),
  )
  .map(
    (e) =>
      `${((e.ts - from) / 1000).toFixed(0).padStart(5)} +${((e.dur ?? 0) / 1000).toFixed(1).padStart(6)} ms  ${e.name} ${JSON.stringify(e.args?.data ?? {}).slice(0, 90)}`,
  );
process.stdout.write(`\nmain-thread events over 3 ms:\n${tasks.join('\n')}\n`);
