import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { PINNED_NOW } from './test/support/pinnedTime';

/** End-to-end tests: Debian Chromium (never a downloaded browser) against the real sandbox and the built app. */
const SANDBOX_PORT = process.env.E2E_SANDBOX_PORT ?? '8181';
const APP_PORT = process.env.E2E_APP_PORT ?? '5183';
/** A second sandbox that behaves as a SMART 1 server (SANDBOX_SMART=v1). */
const SANDBOX_V1_PORT = process.env.E2E_SANDBOX_V1_PORT ?? '8182';
/** A third whose demo data is built around a pinned moment, for specs that set the browser's clock. */
const SANDBOX_PINNED_PORT = process.env.E2E_SANDBOX_PINNED_PORT ?? '8183';
/** A fourth that behaves as an EHR accepting only the discharge plan, with the FST record store beside it. */
const SANDBOX_LIMITED_PORT = process.env.E2E_SANDBOX_LIMITED_PORT ?? '8185';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${APP_PORT}`,
    // The offline shell's service worker is tested by offline.spec.ts alone; elsewhere it would only add its
    // precaching to what each spec measures and routes.
    serviceWorkers: 'block',
    launchOptions: {
      // Debian Chromium (CHROMIUM_PATH) through a wrapper that turns off what a headless window preloads.
      executablePath: fileURLToPath(new URL('./scripts/chromium.sh', import.meta.url)),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: 'node --import tsx sandbox/main.ts',
      url: `http://localhost:${SANDBOX_PORT}/fhir/metadata`,
      env: { SANDBOX_PORT, APP_PORT, SANDBOX_EHR_CONTROL: '1' },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: 'node --import tsx sandbox/main.ts',
      url: `http://localhost:${SANDBOX_V1_PORT}/fhir/metadata`,
      env: { SANDBOX_PORT: SANDBOX_V1_PORT, APP_PORT, SANDBOX_SMART: 'v1' },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: 'node --import tsx sandbox/main.ts',
      url: `http://localhost:${SANDBOX_PINNED_PORT}/fhir/metadata`,
      // Fault control: the discharge spec makes one transaction fail inside the server. Hostile data: one
      // more family of broken and malicious records (hostile.spec).
      env: {
        SANDBOX_PORT: SANDBOX_PINNED_PORT,
        APP_PORT,
        SANDBOX_NOW: PINNED_NOW,
        SANDBOX_FAULT_CONTROL: '1',
        SANDBOX_HOSTILE: '1',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: 'node --import tsx sandbox/main.ts',
      url: `http://localhost:${SANDBOX_LIMITED_PORT}/fhir/metadata`,
      // Fault control: the store's fault walk (store.faults.spec) takes the store down and ends its sign-in.
      env: {
        SANDBOX_PORT: SANDBOX_LIMITED_PORT,
        APP_PORT,
        SANDBOX_EHR: 'limited',
        SANDBOX_FAULT_CONTROL: '1',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `node node_modules/vite/bin/vite.js preview --port ${APP_PORT} --strictPort`,
      url: `http://localhost:${APP_PORT}/launch.html`,
      // The test sandboxes are accepted by this preview only; public/config.json names the npm start one.
      env: {
        APP_PORT,
        LOCAL_SANDBOXES: [SANDBOX_PORT, SANDBOX_V1_PORT, SANDBOX_PINNED_PORT]
          .map((p) => `http://localhost:${p}/fhir`)
          .join(','),
        LOCAL_LIMITED_SANDBOXES: `http://localhost:${SANDBOX_LIMITED_PORT}/fhir`,
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
