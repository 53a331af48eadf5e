/**
 * `npm run measures` as the README runs it (the CLI, jobs/measures/main.ts): it finds the sandbox by SANDBOX_PORT
 * as `npm start` does, and exits non-zero, saying why, when it cannot finish.
 */
import './env';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsPath, writeCredentials } from './auth/backendClient';
import type { BackendCredentials } from './auth/backendClient';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
let port: string;
/** The CLI in a child process, without blocking this one: the sandbox it talks to runs here. */
const cli = (env: Record<string, string>, ...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'node',
      ['--import', 'tsx', 'jobs/measures/main.ts', ...args],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  port = new URL(sandbox.baseUrl).port;
  // What sandbox/main.ts writes at `npm start`.
  writeCredentials(credentialsPath(port), sandbox.measuresClient as BackendCredentials);
}, 60_000);
afterAll(async () => {
  rmSync(credentialsPath(port), { force: true });
  await sandbox?.close();
});

describe('npm run measures', () => {
  it('runs against the sandbox on SANDBOX_PORT and says what it did', async () => {
    const run = await cli({ SANDBOX_PORT: port });
    expect(run.stderr).not.toMatch(/could not finish/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^measures: \d+ families, \d+ written/m);
  }, 120_000);

  it('exits 1 with the reason: no key for that port, a bad --shard, a server that is gone', async () => {
    const none = await cli({ SANDBOX_PORT: '1' });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/could not finish: No measures-job key for a sandbox on port 1/);
    const shard = await cli({ SANDBOX_PORT: port }, '--shard', '3/2');
    expect(shard.status).toBe(1);
    expect(shard.stderr).toMatch(/--shard takes i\/n/);
    await sandbox.close();
    const gone = await cli({ SANDBOX_PORT: port });
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(/could not finish/);
  }, 120_000);
});
