import { expect, test } from '@playwright/test';

const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;
const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;

test("the app's own refresh works against the sandbox: it sends client_id, and saving after the hour goes through", async ({
  page,
}) => {
  await page.clock.install();
  await page.goto(
    `${SANDBOX}/launch?patient=youth-03&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await expect(page.getByRole('region', { name: 'Patient' })).toBeVisible();
  // Two hours later (the access token lives one): the next request must refresh first.
  await page.clock.fastForward('02:00:00');
  const refresh = page.waitForRequest((r) => r.method() === 'POST' && /\/auth\/token/.test(r.url()));
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  // The browser's clock is two hours ahead of the server's: the contact is dated at the server's now, since
  // the server refuses a contact in its future (issue 35).
  const when = form.getByLabel('Date and time');
  const shown = await when.inputValue();
  const earlier = new Date(Date.parse(`${shown}:00Z`) - 2 * 3_600_000).toISOString().slice(0, 16);
  await when.fill(earlier);
  await form.getByLabel('Method').selectOption('phone');
  await form.getByLabel('Duration (minutes)').fill('12');
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Supporting').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form.getByLabel('Progress note').fill('Check-in after the hour.');
  await form.getByRole('button', { name: 'Save contact' }).click();
  const body = new URLSearchParams((await refresh).postData() ?? '');
  expect(body.get('grant_type')).toBe('refresh_token');
  expect(body.get('client_id')).toBe('fst-companion');
  await expect(page.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();
  await expect(page.getByText('Your session has expired')).toHaveCount(0);
});

test("the EHR's refusal is shown in its own words, and the error leaves the address bar", async ({
  page,
}) => {
  await page.goto(`${APP}/launch.html?iss=${encodeURIComponent(`${SANDBOX}/fhir`)}&launch=not-a-real-launch`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText("The EHR's sign-in refused the launch");
  await expect(alert).not.toContainText('Something went wrong');
  expect(new URL(page.url()).search).toBe('');
});

test('Back from the first screen after an EHR launch returns to the app with the session intact', async ({
  page,
}) => {
  await page.goto(
    `${SANDBOX}/launch?patient=youth-03&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('Sofía Ramírez');
  await page.getByRole('link', { name: 'Contact history' }).click();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Plan goals' })).toBeVisible();
  // One more Back reaches the used launch page: it sends the user forward again, without a new sign-in.
  await page.goBack();
  await expect(page).toHaveURL(/\/patients\/youth-03$/);
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('Sofía Ramírez');
  await expect(page.getByText('Your session has expired')).toHaveCount(0);
  await expect(page.getByText(/expired launch/)).toHaveCount(0);
});

// In an EHR frame the sign-in then runs through a small window (launch.spec); a tab of its own has no way round.
test('a browser that blocks storage for the app’s own tab is named as the cause, never the EHR', async ({
  page,
}) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'sessionStorage', {
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
  });
  await page.goto(`${APP}/launch.html?iss=${encodeURIComponent(`${SANDBOX}/fhir`)}&launch=any`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'This browser keeps FST Companion from signing in',
  );
  await expect(page.getByRole('alert')).toContainText('a browser privacy setting, not a fault of the EHR');
  await expect(page.getByText('The EHR could not be reached')).toHaveCount(0);
});
