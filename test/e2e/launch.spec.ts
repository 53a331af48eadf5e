import { expect, test } from '@playwright/test';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';

const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;

test('EHR launch as the Family Partner lands in the youth workspace with banner and ICP goals', async ({
  page,
}) => {
  // Under the production CSP nothing the app does is refused: no eval probe, no inline style or script.
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation(v: string): void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  await page.goto(`${SANDBOX}/`);
  await page.getByLabel('User').selectOption({ label: 'Rosa Delgado — Family Partner' });
  await page.getByLabel('Patient').selectOption({ value: 'youth-01' });
  await page.getByRole('button', { name: 'Launch' }).click();

  const banner = page.getByRole('region', { name: 'Patient' });
  await expect(banner.getByRole('heading', { name: 'Maya Thompson' })).toBeVisible();
  await expect(banner).toContainText('Angela Thompson (mother)');
  await expect(page.getByLabel('Signed in user')).toContainText('Rosa Delgado');
  await expect(page.getByLabel('Signed in user')).toContainText('Family Partner');

  const goals = page.getByRole('list', { name: /Goals of Individual Care Plan/ });
  await expect(goals.getByRole('listitem')).toHaveCount(3);
  await expect(goals).toContainText('Reduce school refusal');
  // The authorization response never stays in the address bar.
  expect(new URL(page.url()).search).toBe('');
  expect(violations).toEqual([]);
});

test('standalone launch: pick persona and patient, land in the workspace', async ({ page }) => {
  await page.goto(`/launch.html?iss=${encodeURIComponent(`${SANDBOX}/fhir`)}`);
  await page.getByLabel('Who are you?').selectOption({ label: 'Rosa Delgado — Family Partner' });
  await page.getByLabel('Patient').selectOption({ value: 'youth-03' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Sofía Ramírez' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('Lucía Ramírez (mother)');
});

test('opened without a launch: a clear "not launched" screen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'FST Companion is not launched' })).toBeVisible();
});

test('an unlisted iss is refused before any redirect', async ({ page }) => {
  await page.goto(`/launch.html?iss=${encodeURIComponent('https://evil.example.com/fhir')}&launch=x`);
  await expect(page.getByRole('heading', { name: 'Launch refused' })).toBeVisible();
  expect(page.url()).toContain('/launch.html');
});

async function launch(page: import('@playwright/test').Page, patient: string, user = 'fp-rosa') {
  await page.goto(
    `${SANDBOX}/launch?patient=${patient}&user=${user}&app=${encodeURIComponent('http://localhost:' + (process.env.E2E_APP_PORT ?? '5183') + '/launch.html')}`,
  );
  return page.getByRole('table', { name: 'Compliance clocks' });
}

test("compliance clocks: the 13-month family shows this week's state, with its past missed weeks apart", async ({
  page,
}) => {
  const clocks = await launch(page, 'youth-02');
  const caregiver = clocks.getByRole('row', { name: /Weekly caregiver contact/ });
  // Met or due depends on the day of the week the test runs; either way it is this week's state.
  await expect(caregiver).toContainText(
    /This week: (met \w{3} \w{3} \d+|no caregiver contact yet, due by \w{3} \w{3} \d+)\./,
  );
  await expect(caregiver).toContainText('4 past week(s) missed');
  await expect(caregiver).toContainText(/Met|Due/);
  await expect(clocks.getByRole('row', { name: /Weekly provider contact/ })).toContainText(
    'past week(s) missed',
  );
});

test('SMART 1 server: the app asks for v1 scopes and still lands in the workspace', async ({ page }) => {
  const v1 = `http://localhost:${process.env.E2E_SANDBOX_V1_PORT ?? '8182'}`;
  const config = await (await page.request.get(`${v1}/fhir/.well-known/smart-configuration`)).json();
  expect(config.capabilities).not.toContain('permission-v2');
  const authorizeUrls: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${v1}/auth/auth?`)) authorizeUrls.push(r.url());
  });
  await page.goto(
    `${v1}/launch?patient=youth-01&user=fp-rosa&app=${encodeURIComponent('http://localhost:' + (process.env.E2E_APP_PORT ?? '5183') + '/launch.html')}`,
  );
  await expect(
    page.getByRole('list', { name: /Goals of Individual Care Plan/ }).getByRole('listitem'),
  ).toHaveCount(3);
  const scope = new URL(authorizeUrls[0]).searchParams.get('scope') ?? '';
  expect(scope).toContain('patient/Communication.read');
  expect(scope).not.toContain('.crs');
});

test('embedded in the EHR chart (iframe): launches in the frame, leaves the banner to the EHR', async ({
  page,
}) => {
  const app = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}/launch.html`;
  await page.goto(`${SANDBOX}/embed?patient=youth-03&user=fp-rosa&app=${encodeURIComponent(app)}`);
  const frame = page.frameLocator('iframe[title="FST Companion"]');
  await expect(
    frame.getByRole('list', { name: /Goals of In-Home Therapy treatment plan/ }).getByRole('listitem'),
  ).toHaveCount(2);
  await expect(frame.getByRole('region', { name: 'Patient' })).toHaveCount(0);
  // The EHR's colours from smart_style_url are applied.
  const accent = await frame
    .locator('html')
    .evaluate((el) => getComputedStyle(el).getPropertyValue('--accent').trim());
  expect(accent).toBe('#1f5f8b'); // the sandbox EHR's highlight colour, not our default
});

/**
 * A browser that blocks storage for sites embedded by another (Chromium with third-party cookies blocked throws
 * on sessionStorage in a cross-site frame; done here for the frame only). The sign-in runs in a small window of
 * its own, hands the session over and closes; the app then runs in the frame from memory, and a reload says
 * plainly that the session ended.
 */
test('embedded in a storage-blocking browser: signs in through a small window and runs in the frame from memory', async ({
  page,
  context,
}) => {
  await context.addInitScript(() => {
    if (window.top === window) return;
    Object.defineProperty(window, 'sessionStorage', {
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
  });
  const app = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}/launch.html`;
  await page.goto(`${SANDBOX}/embed?patient=youth-03&user=fp-rosa&app=${encodeURIComponent(app)}`);
  const frame = page.frameLocator('iframe[title="FST Companion"]');
  await expect(frame.getByRole('heading', { name: 'Sign in to open FST Companion here' })).toBeVisible();
  const [signIn] = await Promise.all([
    page.waitForEvent('popup'),
    frame.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await signIn.waitForEvent('close');
  await expect(
    frame.getByRole('list', { name: /Goals of In-Home Therapy treatment plan/ }).getByRole('listitem'),
  ).toHaveCount(2);
  await expect(frame.getByText('Rosa Delgado').first()).toBeVisible();
  // The frame shows the app's own address (no launch parameters); the page never navigated.
  const appFrame = page.frames().find((f) => f.url().startsWith(new URL(app).origin));
  expect(new URL(appFrame?.url() ?? '').pathname).toBe('/patients/youth-03');
  // Nothing of the session was stored: a reload of the frame ends it, and says so.
  await appFrame?.evaluate(() => window.location.reload());
  await expect(frame.getByRole('heading', { name: 'Launch FST Companion again' })).toBeVisible();
  await expect(frame.getByText('a reload ended it')).toBeVisible();
});

test('supervisor caseload launch: no patient, the quality report and the caseload by urgency', async ({
  page,
}) => {
  await openCaseloadPicker(page, SANDBOX, DANA);
  await expect(page.getByLabel('Patient')).toHaveCount(0);
  await page.getByRole('button', { name: 'Continue' }).click();
  const measures = page.getByRole('table', { name: 'Quality measures' });
  await expect(measures.getByRole('row', { name: /called within 5 calendar days/ })).toContainText('%');
  await expect(measures.getByRole('row', { name: /Families on the waitlist/ })).toContainText('1');
  const caseload = page.getByRole('table', { name: 'Caseload' });
  await expect(caseload.getByRole('row')).toHaveCount(10); // header + 9 demo families (and any the other tests added)
  // By the next deadline: an overdue family on top.
  await expect(caseload.getByRole('row').nth(1)).toContainText('Overdue');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export MeasureReport' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^FST-quality-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.MeasureReport\.json$/,
  );
  const report = JSON.parse(
    Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8'),
  );
  expect(report.resourceType).toBe('MeasureReport');
  // The same rows as the screen and the CSV: the team-meeting and the outcome rows included.
  expect(report.group).toHaveLength(16);
  expect(report.group.map((g: { code: { coding: { code: string }[] } }) => g.code.coding[0].code)).toEqual(
    expect.arrayContaining([
      'team-meetings',
      'families-with-team-meetings',
      'waitlist-average-days',
      'satisfaction-mean',
      'goal-attainment-change',
      'satisfaction-surveys-by-caregiver',
    ]),
  );
  await expect(measures.getByRole('row', { name: /Team meetings attended in the period/ })).toBeVisible();
});

test('the preview serves hashed assets as immutable and pages and config.json never stale', async () => {
  const app = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;
  const page = await fetch(`${app}/`);
  expect(page.headers.get('cache-control')).toBe('no-cache');
  const script = /<script type="module" crossorigin src="([^"]+)"/.exec(await page.text())?.[1];
  expect(script).toMatch(/^\/assets\//);
  const asset = await fetch(`${app}${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect((await fetch(`${app}/config.json`)).headers.get('cache-control')).toBe('no-store');
  // The chunks announced for download beside the script (the launch machinery, the workspace) are there.
  const html = await (await fetch(`${app}/`)).text();
  const preloaded = [...html.matchAll(/<link rel="modulepreload" crossorigin(?:="")? href="([^"]+)"/g)].map(
    (m) => m[1],
  );
  expect(preloaded.some((href) => /\/assets\/session-[^/]+\.js$/.test(href))).toBe(true);
  expect(preloaded.some((href) => /\/assets\/WorkspacePage-[^/]+\.js$/.test(href))).toBe(true);
  for (const href of preloaded) expect((await fetch(`${app}${href}`)).status).toBe(200);
});
