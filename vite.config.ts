import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { parseConfig } from './src/config/config.ts';
import { headersFile, securityHeaders } from './src/config/securityHeaders.ts';

const appPort = Number(process.env.APP_PORT ?? 5173);
const appConfig = parseConfig(JSON.parse(readFileSync('public/config.json', 'utf8')));

/** Writes dist/_headers from config.json (CSP with frame-ancestors, caching rules). */
function headersFromConfig(): Plugin {
  return {
    name: 'fst-headers-from-config',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile(appConfig) });
    },
  };
}

export default defineConfig({
  plugins: [react(), headersFromConfig()],
  // The dev server injects inline scripts for hot reload, so the CSP applies to preview and builds only.
  server: { host: 'localhost', port: appPort, strictPort: true },
  preview: { host: 'localhost', port: appPort, strictPort: true, headers: securityHeaders(appConfig) },
  build: {
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { input: { main: 'index.html', launch: 'launch.html' } },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          globalSetup: ['test/support/globalSetup.ts'],
          include: [
            'src/**/*.test.ts',
            'sandbox/**/*.test.ts',
            'fhir-profiles/**/*.test.ts',
            'test/integration/**/*.test.ts',
          ],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/**/*.test.tsx', 'test/integration/**/*.test.tsx'],
          setupFiles: ['test/support/setupDom.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
