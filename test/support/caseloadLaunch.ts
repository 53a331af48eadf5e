import type { Page } from '@playwright/test';

/**
 * A standalone caseload launch from the app's launch page, as a Family Partner or supervisor without a
 * patient: the sandbox's picker asks who they are only.
 */
export async function openCaseloadPicker(page: Page, sandbox: string, persona: string): Promise<void> {
  await page.goto('/launch.html');
  await page
    .getByRole('link', {
      name: `FST Sandbox EHR (localhost:${new URL(sandbox).port}): caseload and quality report`,
    })
    .click();
  await page.getByLabel('Who are you?').selectOption({ label: persona });
}

export const DANA = 'Dana Whitfield — Senior Family Partner (supervisor)';
