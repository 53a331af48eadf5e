import { expect, test } from '@playwright/test';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';
import { PINNED_SANDBOX } from '../support/e2eSandbox';

/**
 * Seed 000 staffing 8: a supervisor logs a dyad supervision for two Family Partners; both grids show the
 * week met with the clinician's name. The seeded sessions leave the current week open.
 */
test('a supervisor logs a dyad supervision for two Family Partners; both grids show the week met', async ({
  page,
}) => {
  await openCaseloadPicker(page, PINNED_SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: /Staff compliance/ }).click();
  await expect(page.getByRole('heading', { name: 'Staff compliance', level: 1 })).toBeVisible();
  const rosa = page.getByRole('table', { name: 'Weekly supervision: Rosa Delgado' });
  const james = page.getByRole('table', { name: 'Weekly supervision: James Okoro' });
  for (const grid of [rosa, james])
    await expect(grid.getByRole('row').nth(1).getByRole('cell').nth(1)).toContainText('Due this week');
  // James's insurance expires within the month; two of his annual topics are overdue.
  await expect(page.getByRole('list', { name: 'Needs attention: James Okoro' })).toContainText(
    'Auto insurance',
  );

  const form = page.getByRole('form', { name: 'Log supervision' });
  await form.getByLabel('Kind').selectOption({ label: 'Dyad (two supervisees), with a licensed clinician' });
  await form.getByLabel('Supervisor').selectOption({ label: 'Grace Lin' });
  await form.getByRole('checkbox', { name: 'Rosa Delgado' }).check();
  await form.getByRole('button', { name: 'Save supervision' }).click();
  await expect(form.getByRole('alert')).toContainText('A dyad has exactly two supervisees.');
  // The summary takes the focus and links to the field, which names its problem too.
  await expect(form.getByRole('alert')).toBeFocused();
  await expect(
    form.getByRole('link', { name: 'Supervisees: A dyad has exactly two supervisees.' }),
  ).toBeVisible();
  await expect(form.getByRole('group', { name: 'Supervisees' })).toHaveAccessibleDescription(
    'A dyad has exactly two supervisees.',
  );
  await form.getByRole('checkbox', { name: 'James Okoro' }).check();
  await form.getByRole('button', { name: 'Save supervision' }).click();
  await expect(form.getByRole('status')).toContainText('Supervision saved for 2 people.');

  for (const grid of [rosa, james]) {
    const thisWeek = grid.getByRole('row').nth(1).getByRole('cell').nth(1);
    await expect(thisWeek).toContainText('Met');
    await expect(thisWeek).toContainText('Grace Lin');
    // A dyad is not the Senior Family Partner's supervision.
    await expect(grid.getByRole('row').nth(1).getByRole('cell').nth(0)).toContainText('Due this week');
  }
});
