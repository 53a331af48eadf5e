import type { Page } from '@playwright/test';

/**
 * The discharge wizard's first two steps as a Family Partner fills them for a family whose goals are met (all
 * four sustaining answers, each goal achieved), then the caregiver's consent and typed signature on this device.
 * Leaves the wizard on the signature step, its box ticked: the spec goes on from there.
 */
export async function fillGoalsMetPlanAndSign(page: Page): Promise<void> {
  await fillGoalsMetPlan(page);
  await page.getByRole('radio', { name: /The caregiver consents now/ }).check();
  await page.getByRole('radio', { name: 'Typed signature' }).check();
  const sign = page.getByRole('group', { name: /Caregiver signature/ });
  await sign
    .getByLabel('Typed name')
    .fill((await sign.locator('legend').innerText()).replace(/^Caregiver signature: /, ''));
  await sign.getByRole('checkbox').check();
}

/** Step 1 alone, as above; leaves the wizard on step 2. */
export async function fillGoalsMetPlan(page: Page): Promise<void> {
  await page.getByRole('radio', { name: 'The goals are met' }).check();
  await page
    .getByLabel('Meeting date')
    .fill(
      await page.evaluate(() => new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' })),
    );
  await page.getByLabel('Participants').fill('Caregiver, Rosa Delgado');
  await page.getByRole('checkbox', { name: /^A\. An adequate continuing care plan/ }).check();
  await page.getByRole('checkbox', { name: /^B\. Goals substantially met/ }).check();
  const goals = page.getByRole('group', { name: 'Outcome of each goal' }).getByRole('group');
  for (let i = 0; i < (await goals.count()); i++)
    await goals.nth(i).getByRole('radio', { name: 'Achieved', exact: true }).check();
  await page.getByLabel('Strategies').fill('Weekly routine chart');
  await page.getByLabel('Supports').fill('Grandmother on Tuesdays');
  await page.getByLabel('Services in place').fill('Outpatient therapy');
  await page.getByLabel(/^Resources/).fill('Parent group; 988');
  await page.getByLabel('Follow-up plan').fill('Call in January');
  await page.getByRole('button', { name: 'Next' }).click();
}
