import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Connect, Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STORE_SCOPES, parseConfig } from './src/config/config.ts';
import type { AppConfig } from './src/config/config.ts';
import { cacheControlFor, headersFile, securityHeaders } from './src/config/securityHeaders.ts';
import { PRELOADED_MODULES } from './src/config/preloadedChunks.ts';
import { parseRecordKindList } from './src/domain/recordKinds.ts';
import { VitePWA } from 'vite-plugin-pwa';

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
  if (process.env.SANDBOX_PORT && process.env.SANDBOX_EHR !== 'limited' && process.env.SANDBOX_STORE !== 'on')
    bases.push(`http://localhost:${process.env.SANDBOX_PORT}/fhir`);
  return bases;
}

/**
 * Sandboxes started with SANDBOX_EHR=limited (an EHR that accepts only the discharge plan): each is an EHR
 * entry of its own, with the record store the sandbox serves beside it (LOCAL_LIMITED_SANDBOXES, or
 * `SANDBOX_EHR=limited npm start`).
 */
function limitedSandboxes(): string[] {
  const bases = (process.env.LOCAL_LIMITED_SANDBOXES ?? '').split(',').filter(Boolean);
  if (
    process.env.SANDBOX_PORT &&
    (process.env.SANDBOX_EHR === 'limited' || process.env.SANDBOX_STORE === 'on')
  )
    bases.push(`http://localhost:${process.env.SANDBOX_PORT}/fhir`);
  return bases;
}

/** The configuration served in development: the first EHR (the sandbox) also accepts the running ones. */
function localConfig(): AppConfig {
  const extra = localSandboxes();
  const limited = limitedSandboxes();
  if (!extra.length && !limited.length) return appConfig;
  const [sandbox, ...rest] = appConfig.ehrs;
  const origins = [...extra, ...limited].map((b) => new URL(b).origin);
  // `npm start` on another port (SANDBOX_PORT): the default local sandbox is not running, so the launch page
  // does not offer it; the sandboxes that run are listed instead.
  const running = process.env.SANDBOX_PORT ? [...extra, ...limited] : undefined;
  const offered = (i: string) => !running || new URL(i).hostname !== 'localhost' || running.includes(i);
  const iss = [...new Set([...sandbox.iss.filter((i) => !limited.includes(i) && offered(i)), ...extra])];
  const withStore = limited.map((base) => {
    const origin = new URL(base).origin;
    return {
      ...sandbox,
      name: 'FST Sandbox EHR (limited: reads, discharge plan only)',
      iss: [base],
      // The limited EHR refuses any attachment but a PDF: no structured copy in its chart.
      chartAttachments: ['application/pdf'],
      recordStore: {
        name: 'Harbor Family Services FST record store',
        fhirBase: `${origin}/store/fhir`,
        tokenEndpoint: `${origin}/store/token`,
        signIn: 'token-exchange' as const,
        scopes: DEFAULT_STORE_SCOPES,
        inStore: parseRecordKindList(process.env.SANDBOX_IN_STORE, 'SANDBOX_IN_STORE'),
      },
    };
  });
  return {
    ...appConfig,
    // A limited sandbox on the default port is that entry's, not the default one's.
    ehrs: [...(iss.length ? [{ ...sandbox, iss }] : []), ...withStore, ...rest],
    embedding: {
      frameAncestors: [...new Set([...appConfig.embedding.frameAncestors, ...origins])],
    },
  };
}

/**
 * Vite writes this into every inline script and style it injects in development (`html.cspNonce`); each
 * HTML response then gets a fresh nonce in its place and in its CSP header.
 */
const DEV_NONCE_PLACEHOLDER = 'fst-dev-nonce';

/** Serves config.json (never cached) and the security headers from the local configuration. */
function localConfigServer(): Plugin {
  const serveConfig = (server: { middlewares: Connect.Server }, config: AppConfig) => {
    server.middlewares.use((req, res, next) => {
      if (req.url?.split('?')[0] !== '/config.json') return next();
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify(config));
    });
  };
  return {
    name: 'fst-local-config',
    configureServer(server) {
      const config = localConfig();
      // The production headers, plus what hot reload needs: a per-response nonce and the HMR WebSocket.
      server.middlewares.use((req, res, next) => {
        const nonce = randomBytes(16).toString('base64');
        const hmrOrigin = `ws://${req.headers.host ?? `localhost:${appPort}`}`;
        for (const [k, v] of Object.entries(securityHeaders(config, { nonce, hmrOrigin })))
          res.setHeader(k, v);
        // A 304 would keep an older page whose nonce no longer matches this response's CSP (modules keep theirs).
        if (req.headers.accept?.includes('text/html')) delete req.headers['if-none-match'];
        const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
        res.end = ((chunk?: unknown, ...rest: unknown[]) => {
          const html = String(res.getHeader('content-type') ?? '').startsWith('text/html');
          if (html && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
            const body = chunk.toString().replaceAll(DEV_NONCE_PLACEHOLDER, nonce);
            res.setHeader('content-length', Buffer.byteLength(body));
            res.setHeader('cache-control', 'no-store');
            res.removeHeader('etag');
            return end(body, ...rest);
          }
          return end(chunk, ...rest);
        }) as typeof res.end;
        next();
      });
      serveConfig(server, config);
    },
    configurePreviewServer(server) {
      const config = localConfig();
      const headers = securityHeaders(config);
      server.middlewares.use((req, res, next) => {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        // The production caching rules (dist/_headers), over the static server's own `no-cache`.
        const cacheControl = cacheControlFor(req.url?.split('?')[0] ?? '');
        if (cacheControl) {
          const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
          res.writeHead = ((...args: unknown[]) => {
            for (const arg of args)
              if (arg && typeof arg === 'object' && !Array.isArray(arg))
                for (const key of Object.keys(arg))
                  if (key.toLowerCase() === 'cache-control') delete (arg as Record<string, unknown>)[key];
            res.setHeader('cache-control', cacheControl);
            return writeHead(...args);
          }) as typeof res.writeHead;
        }
        next();
      });
      serveConfig(server, config);
    },
  };
}

/** Announces the chunks of PRELOADED_MODULES (src/config/preloadedChunks.ts) in index.html as modulepreload. */
function preloadAppChunks(): Plugin {
  let base = '/';
  return {
    name: 'fst-preload-app-chunks',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.bundle || !ctx.filename.endsWith('index.html')) return;
        const chunks = Object.values(ctx.bundle).filter((c) => c.type === 'chunk');
        const entry = chunks.find((c) => c.isEntry && c.facadeModuleId === ctx.filename);
        const preloaded = chunks.filter((c) => PRELOADED_MODULES.some((m) => c.facadeModuleId?.endsWith(m)));
        if (!entry || preloaded.length !== PRELOADED_MODULES.length)
          throw new Error(`fst-preload-app-chunks: a chunk of ${PRELOADED_MODULES.join(', ')} is missing`);
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const closure = (file: string, into: Set<string>) => {
          if (into.has(file)) return into;
          into.add(file);
          for (const i of byFile.get(file)?.imports ?? []) closure(i, into);
          return into;
        };
        const initial = closure(entry.fileName, new Set());
        const wanted = new Set<string>();
        for (const chunk of preloaded) closure(chunk.fileName, wanted);
        return [...wanted]
          .filter((file) => !initial.has(file))
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: '', href: `${base}${file}` },
            injectTo: 'head' as const,
          }));
      },
    },
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

/**
 * The offline shell (issue 38): a Workbox service worker that precaches the built files only — the pages,
 * scripts, styles and icons of this build, by content hash — so the app opens without a network. No FHIR
 * answer is ever cached by it (the FHIR servers are other origins and no runtime route matches them; the app
 * keeps its own encrypted copy, src/features/offline). config.json is read from the network first and from
 * the last copy only when there is none (it names servers, never a patient). Registered by src/main.tsx.
 */
function offlineShell() {
  return VitePWA({
    injectRegister: false,
    registerType: 'autoUpdate',
    manifest: false,
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,woff2}'],
      // The PDF engine (≈ 530 kB; the discharge needs the servers anyway) is left to the network: installing
      // the worker must not compete with the workspace on a slow phone network.
      manifestTransforms: [
        async (entries) => ({ manifest: entries.filter((e) => e.size < 400_000), warnings: [] }),
      ],
      navigateFallback: 'index.html',
      navigateFallbackDenylist: [/^\/launch\.html/, /^\/fhir\//],
      cleanupOutdatedCaches: true,
      clientsClaim: true,
      skipWaiting: true,
      runtimeCaching: [
        {
          urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.endsWith('/config.json'),
          handler: 'NetworkFirst',
          options: { cacheName: 'fst-config', networkTimeoutSeconds: 5 },
        },
      ],
    },
  });
}

export default defineConfig(({ command, isPreview }) => ({
  // Development only: the placeholder the dev server swaps for each response's nonce (see localConfigServer).
  html: { cspNonce: command === 'serve' && !isPreview ? DEV_NONCE_PLACEHOLDER : undefined },
  plugins: [react(), headersFromConfig(), localConfigServer(), preloadAppChunks(), offlineShell()],
  // fhirclient's "pure" build: no fetch / AbortController polyfills (src/vendor/fhirclientShims.ts).
  define: {
    FHIRCLIENT_PURE: 'true',
    // The caregiver's pages carry the crisis lines in their code: they show without a connection.
    __FST_CRISIS__: JSON.stringify(
      (appConfig.ehrs[0]?.crisis.numbers ?? []).map(({ label, tel, when, es }) => ({ label, tel, when, es })),
    ),
  },
  resolve: {
    alias: [
      // pdfkit's PNG reader would start a blob: Worker our CSP refuses: see src/vendor/fflateNoWorker.ts.
      { find: /^fflate$/, replacement: vendor('fflateNoWorker.ts') },
      // fhirclient's polyfills for old browsers, replaced by the platform.
      { find: /^(isomorphic-webcrypto|js-base64)$/, replacement: vendor('fhirclientShims.ts') },
      { find: /^debug$/, replacement: vendor('silentDebug.cjs') },
      { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-(dev-)?runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
      { find: /^use-sync-external-store\/shim(\/index\.js)?$/, replacement: 'preact/compat' },
    ],
  },
  server: { host: 'localhost', port: appPort, strictPort: true },
  preview: { host: 'localhost', port: appPort, strictPort: true },
  build: {
    target: 'es2022',
    sourcemap: false,
    // dist/.vite/manifest.json: `npm run bench` reads the initial and lazy chunks from it.
    manifest: true,
    rollupOptions: { input: { main: 'index.html', launch: 'launch.html', caregiver: 'caregiver.html' } },
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
            'services/**/*.test.ts',
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
          // The testing library's ES build, bundled by Vite, so the alias to Preact reaches its React too: the
          // components are tested on the runtime that ships.
          alias: [
            {
              find: /^@testing-library\/react$/,
              replacement: fileURLToPath(
                new URL(
                  './node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
                  import.meta.url,
                ),
              ),
            },
          ],
          server: {
            deps: {
              inline: [
                /@testing-library\/react/,
                /@tanstack\/react-query/,
                /@tanstack\/react-virtual/,
                /wouter/,
                /react-intl/,
                /use-sync-external-store/,
                /@formatjs/,
              ],
            },
          },
          testTimeout: 20_000,
        },
      },
    ],
  },
}));
