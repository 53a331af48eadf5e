import { expect, test } from '@playwright/test';

const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;
const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;

test('the crisis protocol opens with the network cut: steps, tap-to-call numbers and the safety plan', async ({
  page,
  context,
}) => {
  await page.goto(
    `${SANDBOX}/launch?patient=youth-01&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await expect(page.getByRole('heading', { name: 'Plan goals' })).toBeVisible();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Crisis' }).click();
  const panel = page.getByRole('region', { name: 'Crisis protocol' });
  await expect(panel).toContainText('If anyone is in immediate danger, call 911.');
  const numbers = panel.getByRole('list', { name: 'Crisis numbers' });
  await expect(numbers.getByRole('link', { name: /988 Suicide & Crisis Lifeline/ })).toHaveAttribute(
    'href',
    'tel:988',
  );
  await expect(numbers.getByRole('link', { name: /On-call licensed clinician/ })).toHaveAttribute(
    'href',
    'tel:+16175550199',
  );
  await expect(panel.getByRole('list', { name: "Steps of Maya's safety plan" })).toContainText(
    'Call Aunt Lisa',
  );
  expect(requests).toEqual([]);
  await context.setOffline(false);
  // A crisis call is logged afterwards with the purpose "Crisis".
  await page.getByRole('button', { name: 'Log contact' }).click();
  await expect(
    page
      .getByRole('form', { name: 'Log contact' })
      .getByRole('group', { name: 'Purpose' })
      .getByLabel('Crisis'),
  ).toBeVisible();
});
