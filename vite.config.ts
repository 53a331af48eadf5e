import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Connect, Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig } from './src/config/config.ts';
import type { AppConfig } from './src/config/config.ts';
import { headersFile, securityHeaders } from './src/config/securityHeaders.ts';

const vendor = (file: string) => fileURLToPath(new URL(`./src/vendor/${file}`, import.meta.url));

const appPort = Number(process.env.APP_PORT ?? 5173);
const appConfig = parseConfig(JSON.parse(readFileSync('public/config.json', 'utf8')));

/**
 * Local sandboxes besides the one in public/config.json, for the dev server and `vite preview` only (a
 * production build serves public/config.json unchanged): the sandbox `npm start` runs (SANDBOX_PORT) and
 * the end-to-end suite's (LOCAL_SANDBOXES, comma-separated FHIR bases).
 */
function localSandboxes(): string[] {
  const bases = (process.env.LOCAL_SANDBOXES ?? '').split(',').filter(Boolean);
  if (process.env.SANDBOX_PORT) bases.push(`http://localhost:${process.env.SANDBOX_PORT}/fhir`);
  return bases;
}

/** The configuration served in development: the first EHR (the sandbox) also accepts the running ones. */
function localConfig(): AppConfig {
  const extra = localSandboxes();
  if (!extra.length) return appConfig;
  const [sandbox, ...rest] = appConfig.ehrs;
  const origins = extra.map((b) => new URL(b).origin);
  return {
    ...appConfig,
    ehrs: [{ ...sandbox, iss: [...new Set([...sandbox.iss, ...extra])] }, ...rest],
    embedding: {
      frameAncestors: [...new Set([...appConfig.embedding.frameAncestors, ...origins])],
    },
  };
}

/** Serves config.json (never cached) and the security headers from the local configuration. */
function localConfigServer(): Plugin {
  const serve = (server: { middlewares: Connect.Server }, withHeaders: boolean) => {
    const config = localConfig();
    const headers = securityHeaders(config);
    server.middlewares.use((req, res, next) => {
      if (withHeaders) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (req.url?.split('?')[0] !== '/config.json') return next();
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify(config));
    });
  };
  return {
    name: 'fst-local-config',
    // The dev server injects inline scripts for hot reload, so its CSP is left to preview and builds.
    configureServer: (server) => serve(server, false),
    configurePreviewServer: (server) => serve(server, true),
  };
}

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
  plugins: [react(), headersFromConfig(), localConfigServer()],
  // fhirclient's "pure" build: no fetch / AbortController polyfills (src/vendor/fhirclientShims.ts).
  define: { FHIRCLIENT_PURE: 'true' },
  resolve: {
    alias: [
      // pdfkit's PNG reader would start a blob: Worker our CSP refuses: see src/vendor/fflateNoWorker.ts.
      { find: /^fflate$/, replacement: vendor('fflateNoWorker.ts') },
      // fhirclient's polyfills for old browsers, replaced by the platform.
      { find: /^(isomorphic-webcrypto|js-base64)$/, replacement: vendor('fhirclientShims.ts') },
      { find: /^debug$/, replacement: vendor('silentDebug.cjs') },
    ],
  },
  server: { host: 'localhost', port: appPort, strictPort: true },
  preview: { host: 'localhost', port: appPort, strictPort: true },
  build: {
    target: 'es2022',
    sourcemap: false,
    // dist/.vite/manifest.json: `npm run bench` reads the initial and lazy chunks from it.
    manifest: true,
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
