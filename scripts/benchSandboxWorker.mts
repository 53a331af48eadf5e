/**
 * The sandbox with the 10 000-contact family, in a worker thread of `npm run bench:ui`. On the bench's own
 * event loop it would share a thread with Playwright, whose page events arrive in a burst exactly while
 * the app sends its first read, and the EHR's answer would wait for them: an EHR is another machine.
 * Messages in: `{ latencyMs }` (answered `{ latencyMs }` once set), `{ close: true }`.
 */
import '../sandbox/env';
import { parentPort, workerData } from 'node:worker_threads';
import { buildLargeFamily } from '../sandbox/data/largeFamily';
import { startSandbox } from '../sandbox/server';

export interface BenchSandboxReady {
  baseUrl: string;
  fhirBase: string;
}

const port = parentPort;
if (!port) throw new Error('benchSandboxWorker runs as a worker thread');
const { appUrl, sandboxPort } = workerData as { appUrl: string; sandboxPort: number };
const sandbox = await startSandbox({
  port: sandboxPort,
  appUrl,
  auth: true,
  smartVersion: 'v2',
  dataFiles: [],
  demoData: true,
  extraBundles: buildLargeFamily(new Date()) as never,
});
port.on('message', (message: { latencyMs?: number; close?: boolean }) => {
  if (message.latencyMs !== undefined) {
    sandbox.setLatency(message.latencyMs);
    port.postMessage({ latencyMs: message.latencyMs });
  }
  if (message.close) void sandbox.close().then(() => port.close());
});
port.postMessage({ baseUrl: sandbox.baseUrl, fhirBase: sandbox.fhirBase } satisfies BenchSandboxReady);
