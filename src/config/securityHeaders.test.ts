import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseConfig } from './config';
import { contentSecurityPolicy, headersFile } from './securityHeaders';

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

  it('never caches config.json and caches hashed assets for a year', () => {
    const file = headersFile(config);
    expect(file).toMatch(/\/config\.json\n {2}Cache-Control: no-store/);
    expect(file).toMatch(/\/assets\/\*\n {2}Cache-Control: public, max-age=31536000, immutable/);
  });

  it('the shipped config.json is valid', () => {
    const shipped = parseConfig(JSON.parse(readFileSync('public/config.json', 'utf8')));
    expect(shipped.ehrs[0].clientId).toBe('fst-companion');
  });
});
