/**
 * The HTTP headers the app's static files should be served with, derived from config.json:
 * a strict CSP whose connect-src lists exactly the configured FHIR (and auth) origins and whose
 * frame-ancestors lists the EHRs allowed to embed the app. Used by `vite preview` and written to
 * dist/_headers at build (docs/deploy.md shows the same for nginx and others).
 */
import type { AppConfig } from './config';

export function connectOrigins(config: AppConfig): string[] {
  const origins = new Set<string>();
  for (const ehr of config.ehrs) {
    for (const iss of ehr.iss) origins.add(new URL(iss).origin);
    for (const extra of ehr.connectOrigins) origins.add(new URL(extra).origin);
  }
  return [...origins].sort();
}

export function contentSecurityPolicy(config: AppConfig): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connectOrigins(config).join(' ')}`,
    `frame-ancestors ${config.embedding.frameAncestors.join(' ')}`,
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(config: AppConfig): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(config),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** `_headers` (Netlify / Cloudflare Pages format): security headers everywhere, caching by file kind. */
export function headersFile(config: AppConfig): string {
  const lines = ['/*', ...Object.entries(securityHeaders(config)).map(([k, v]) => `  ${k}: ${v}`)];
  lines.push('/assets/*', '  Cache-Control: public, max-age=31536000, immutable');
  lines.push('/config.json', '  Cache-Control: no-store');
  lines.push('/*.html', '  Cache-Control: no-cache');
  lines.push('/', '  Cache-Control: no-cache');
  return `${lines.join('\n')}\n`;
}
