#!/usr/bin/env node
/**
 * `npm test`: every check, in order, stopping at the first failure:
 * lint → types → FHIR profiles (SUSHI, offline) → unit + integration (vitest) → build → end-to-end (Chromium).
 * Ends with one summary line "Tests: N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPORTS = '.reports';
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

function run(label, command, args, env = {}) {
  const started = Date.now();
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`\n✖ ${label} failed after ${seconds}s\n`);
    summary();
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`✔ ${label} (${seconds}s)\n`);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    run('install Debian chromium for the end-to-end tests', 'sh', [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null',
    ]);
    if (existsSync(CHROMIUM)) return;
  }
  process.stderr.write(
    `Chromium not found at ${CHROMIUM}: run "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH).\n`,
  );
  process.exit(1);
}

function counts() {
  let passed = 0;
  let failed = 0;
  const vitest = `${REPORTS}/vitest.json`;
  if (existsSync(vitest)) {
    const report = JSON.parse(readFileSync(vitest, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
  }
  const e2e = `${REPORTS}/e2e.json`;
  if (existsSync(e2e)) {
    const report = JSON.parse(readFileSync(e2e, 'utf8'));
    passed += report.stats?.expected ?? 0;
    failed += (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0);
  }
  return { passed, failed };
}

function summary() {
  const { passed, failed } = counts();
  process.stdout.write(`\nTests: ${passed} passed, ${failed} failed\n`);
}

const node = process.execPath;
ensureChromium();
run('lint (eslint, prettier)', 'npm', ['run', '--silent', 'lint']);
run('type check (tsc)', node, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
if (existsSync('fhir-profiles/sushi-config.yaml'))
  run('FHIR profiles (SUSHI, offline)', node, ['scripts/build-profiles.mjs']);
run('unit and integration tests (vitest)', node, [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORTS}/vitest.json`,
]);
run('production build (vite)', node, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
run(
  'end-to-end tests (Playwright, Debian Chromium)',
  node,
  ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'],
  {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${REPORTS}/e2e.json`,
  },
);
summary();
