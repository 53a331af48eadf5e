/**
 * `npm start`'s dev server sends the production security headers too, with only what hot reload needs added
 * (a per-response nonce, the HMR WebSocket). Runs its own sandbox and dev server, as `npm start` does.
 */
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';

const SANDBOX_PORT = process.env.E2E_DEV_SANDBOX_PORT ?? '8184';
const DEV_PORT = process.env.E2E_DEV_APP_PORT ?? '5184';
const SANDBOX = `http://localhost:${SANDBOX_PORT}`;
const DEV = `http://localhost:${DEV_PORT}`;

const children: ChildProcess[] = [];

async function until(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const env = { ...process.env, SANDBOX_PORT, APP_PORT: DEV_PORT };
  children.push(
    spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], { env, stdio: 'ignore' }),
    spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', DEV_PORT, '--strictPort'], {
      env,
      stdio: 'ignore',
    }),
  );
  await Promise.all([until(`${SANDBOX}/fhir/metadata`, 90_000), until(`${DEV}/launch.html`, 90_000)]);
});

test.afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

test('the dev server sends a CSP with a fresh nonce per page, and the app runs under it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const first = await fetch(`${DEV}/`);
  const second = await fetch(`${DEV}/`);
  const nonceOf = (csp: string | null) => /script-src 'self' 'nonce-([^']+)'/.exec(csp ?? '')?.[1];
  const nonce = nonceOf(first.headers.get('content-security-policy'));
  expect(nonce).toBeTruthy();
  expect(nonceOf(second.headers.get('content-security-policy'))).not.toBe(nonce);
  const html = await first.text();
  // Every inline script Vite injects carries this response's nonce; none goes without.
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(1);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect(first.headers.get('content-security-policy')).not.toContain('unsafe');
  expect(first.headers.get('referrer-policy')).toBe('no-referrer');
  expect(first.headers.get('cache-control')).toBe('no-store');
  // A page revalidated by the browser is sent again with a new nonce, never a 304 of an older one.
  const revalidated = await fetch(`${DEV}/`, { headers: { accept: 'text/html', 'if-none-match': '*' } });
  expect(revalidated.status).toBe(200);
  expect(nonceOf(revalidated.headers.get('content-security-policy'))).not.toBe(nonce);

  // The launch page offers the sandbox that runs (SANDBOX_PORT), not the default port-8080 one.
  await page.goto(`${DEV}/launch.html`);
  const hrefs = await page
    .locator('a[href*="iss="]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.some((h) => h.includes(encodeURIComponent(`localhost:${SANDBOX_PORT}`)))).toBe(true);
  expect(hrefs.filter((h) => h.includes(encodeURIComponent('localhost:8080')))).toEqual([]);

  const violations: string[] = [];
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation(v: string): void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  await page.goto(
    `${SANDBOX}/launch?patient=youth-01&user=fp-rosa&app=${encodeURIComponent(`${DEV}/launch.html`)}`,
  );
  await expect(page.getByRole('heading', { name: 'Maya Thompson' })).toBeVisible({ timeout: 90_000 });
  // Hot reload's WebSocket is allowed (connect-src) ...
  await expect.poll(() => consoleLines.some((l) => l.includes('[vite] connected'))).toBe(true);
  expect(violations).toEqual([]);
  // ... and an injected inline script is not.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.injectedRan = true';
    document.body.append(s);
    return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.some((v) => v.startsWith('script-src'))).toBe(true);
});
