#!/usr/bin/env node
/**
 * `npm start`: the sandbox EHR (with demo data) and the app's dev server, together.
 * Ctrl-C stops both. Ports: SANDBOX_PORT (8080), APP_PORT (5173).
 */
import { spawn, spawnSync } from 'node:child_process';

const sandboxPort = process.env.SANDBOX_PORT ?? '8080';
const appPort = process.env.APP_PORT ?? '5173';
const env = { ...process.env, SANDBOX_PORT: sandboxPort, APP_PORT: appPort };
// The sandbox validates writes against our profiles: build them first (skipped when up to date).
const built = spawnSync(process.execPath, ['scripts/build-profiles.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const children = [
  spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], { stdio: 'inherit', env }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', appPort, '--strictPort'], {
    stdio: 'inherit',
    env,
  }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

setTimeout(() => {
  if (!stopping) {
    process.stdout.write(
      `\nFST Companion is running.\n  Sandbox EHR launch page: http://localhost:${sandboxPort}/\n  App:                     http://localhost:${appPort}/launch.html\n\n`,
    );
  }
}, 3000);
