import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseConfig } from './config';
import { cacheControlFor, contentSecurityPolicy, headersFile } from './securityHeaders';

describe('security headers from config.json', () => {
  const config = parseConfig({
    ehrs: [
      {
        name: 'A',
        iss: ['https://fhir.a.example/r4'],
        clientId: 'x',
        connectOrigins: ['https://login.a.example/oauth2'],
      },
      { name: 'B', iss: 'https://fhir.b.example/api/FHIR/R4', clientId: 'y' },
    ],
    embedding: { frameAncestors: ["'self'", 'https://ehr.a.example'] },
  });

  it('lets the browser reach only the configured servers, and be framed only by the configured EHRs', () => {
    const csp = contentSecurityPolicy(config);
    expect(csp).toContain(
      "connect-src 'self' https://fhir.a.example https://fhir.b.example https://login.a.example",
    );
    expect(csp).toContain("frame-ancestors 'self' https://ehr.a.example");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe');
  });

  it('development adds only a nonce for scripts and styles and the hot-reload socket, never unsafe-inline', () => {
    const dev = contentSecurityPolicy(config, { nonce: 'abc123', hmrOrigin: 'ws://localhost:5173' });
    expect(dev).toContain("script-src 'self' 'nonce-abc123';");
    expect(dev).toContain("style-src 'self' 'nonce-abc123';");
    expect(dev).toMatch(/connect-src 'self' [^;]* ws:\/\/localhost:5173;/);
    expect(dev).not.toContain('unsafe');
    // Everything else is the production policy.
    const strip = (csp: string) => csp.replace(/ 'nonce-abc123'/g, '').replace(' ws://localhost:5173', '');
    expect(strip(dev)).toBe(contentSecurityPolicy(config));
  });

  it('never caches config.json and caches hashed assets for a year', () => {
    const file = headersFile(config);
    expect(file).toMatch(/\/config\.json\n {2}Cache-Control: no-store/);
    expect(file).toMatch(/\/assets\/\*\n {2}Cache-Control: public, max-age=31536000, immutable/);
  });

  it('the preview serves each path with the Cache-Control that _headers gives it', () => {
    expect(cacheControlFor('/assets/index-abc123.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('/config.json')).toBe('no-store');
    expect(cacheControlFor('/favicon.svg')).toBe('public, max-age=86400');
    expect(cacheControlFor('/launch.html')).toBe('no-cache');
    expect(cacheControlFor('/')).toBe('no-cache');
    expect(cacheControlFor('/patients/youth-01')).toBeUndefined();
  });

  it('the shipped config.json is valid', () => {
    const shipped = parseConfig(JSON.parse(readFileSync('public/config.json', 'utf8')));
    expect(shipped.ehrs[0].clientId).toBe('fst-companion');
  });
});

describe('npm run headers', () => {
  it('regenerates _headers from a deployed config.json, without a rebuild', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fst-headers-'));
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        ehrs: [{ name: 'New EHR', iss: 'https://fhir.new-ehr.example/r4', clientId: 'x' }],
        embedding: { frameAncestors: ["'self'", 'https://chart.new-ehr.example'] },
      }),
    );
    const out = join(dir, '_headers');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/headers.mts', config, out], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const headers = readFileSync(out, 'utf8');
    expect(headers).toContain("connect-src 'self' https://fhir.new-ehr.example");
    expect(headers).toContain("frame-ancestors 'self' https://chart.new-ehr.example");
    expect(headers).toContain('/config.json\n  Cache-Control: no-store');
  });
});
