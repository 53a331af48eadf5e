/**
 * The HTTP headers the app's static files should be served with, derived from config.json:
 * a strict CSP whose connect-src lists exactly the configured FHIR (and auth) origins and whose
 * frame-ancestors lists the EHRs allowed to embed the app. Used by `vite preview` and the dev server, written
 * to dist/_headers at build (docs/deploy.md shows the same for nginx and others).
 */
import type { AppConfig } from './config';

export function connectOrigins(config: AppConfig): string[] {
  const origins = new Set<string>();
  for (const ehr of config.ehrs) {
    for (const iss of ehr.iss) origins.add(new URL(iss).origin);
    for (const extra of ehr.connectOrigins) origins.add(new URL(extra).origin);
    // The agency's record store: its FHIR base and the token endpoint of the exchange.
    if (ehr.recordStore)
      for (const url of [ehr.recordStore.fhirBase, ehr.recordStore.tokenEndpoint])
        origins.add(new URL(url).origin);
  }
  return [...origins].sort();
}

/**
 * What the development server adds to the production policy, and nothing more: Vite's hot reload injects
 * inline scripts and styles (allowed by a per-response nonce, never 'unsafe-inline') and talks to its own
 * origin over a WebSocket.
 */
export interface DevelopmentAllowances {
  nonce: string;
  hmrOrigin: string;
}

export function contentSecurityPolicy(config: AppConfig, dev?: DevelopmentAllowances): string {
  const nonce = dev ? ` 'nonce-${dev.nonce}'` : '';
  const hmr = dev ? ` ${dev.hmrOrigin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${nonce}`,
    `style-src 'self'${nonce}`,
    "img-src 'self' data:",
    `connect-src 'self' ${connectOrigins(config).join(' ')}${hmr}`,
    `frame-ancestors ${config.embedding.frameAncestors.join(' ')}`,
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(config: AppConfig, dev?: DevelopmentAllowances): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(config, dev),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** Caching by file kind: hashed assets forever, the configuration never, the pages revalidated. */
const CACHE_RULES: readonly (readonly [path: string, cacheControl: string])[] = [
  ['/assets/*', 'public, max-age=31536000, immutable'],
  ['/config.json', 'no-store'],
  // The offline shell's worker: revalidated on each visit, so a new build's worker is found at once.
  ['/sw.js', 'no-cache'],
  // Not fingerprinted, so not immutable; a day spares a request on every navigation.
  ['/favicon.svg', 'public, max-age=86400'],
  ['/*.html', 'no-cache'],
  ['/', 'no-cache'],
];

/** The Cache-Control a path is served with (the preview's, the same as `_headers` says). */
export function cacheControlFor(path: string): string | undefined {
  return CACHE_RULES.find(([pattern]) =>
    pattern.endsWith('/*')
      ? path.startsWith(pattern.slice(0, -1))
      : pattern.startsWith('/*')
        ? path.endsWith(pattern.slice(2))
        : path === pattern,
  )?.[1];
}

/** `_headers` (Netlify / Cloudflare Pages format): security headers everywhere, caching by file kind. */
export function headersFile(config: AppConfig): string {
  const lines = ['/*', ...Object.entries(securityHeaders(config)).map(([k, v]) => `  ${k}: ${v}`)];
  for (const [path, cacheControl] of CACHE_RULES) lines.push(path, `  Cache-Control: ${cacheControl}`);
  return `${lines.join('\n')}\n`;
}
