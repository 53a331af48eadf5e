import { expect, test } from '@playwright/test';

const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;

test('EHR launch as the Family Partner lands in the youth workspace with banner and ICP goals', async ({
  page,
}) => {
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
