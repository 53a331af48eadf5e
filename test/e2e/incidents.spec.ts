import { expect, test } from '@playwright/test';
import type { Bundle, Task } from 'fhir/r4';
import { DEFAULT_SCOPES } from '../../src/config/config';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';
import { fhirAs, launch, PINNED_SANDBOX } from '../support/e2eSandbox';

/** Seed 000 quality management 4: a Family Partner reports an incident; the supervisor reviews and closes it. */
test('a Family Partner reports an incident; the supervisor sees it on the caseload and closes it with a note', async ({
  page,
}) => {
  await page.goto(launch('youth-02', 'fp-rosa', PINNED_SANDBOX));
  await page.getByRole('link', { name: 'Report incident' }).click();
  const form = page.getByRole('form', { name: 'Report incident' });
  await form.getByRole('button', { name: 'Save report' }).click();
  await expect(form.getByRole('alert')).toContainText('Choose the category.');
  await form.getByLabel('Category').selectOption({ label: 'Abuse or neglect report' });
  await form.getByRole('radio', { name: 'Not serious' }).check();
  await expect(form.getByText(/must be reported to the relevant authority/)).toBeVisible();
  await form.getByLabel('What happened').fill('Ethan said he was hit with a belt at his uncle’s house.');
  await form
    .getByLabel('Immediate actions')
    .fill('Stayed with Ethan and his grandmother; called the supervisor.');
  await form.getByRole('checkbox', { name: 'Supervisor' }).check();
  await form.getByLabel('Who (supervisor)').fill('Dana Whitfield');
  // When the supervisor was told is in provider time, and the field says so.
  await expect(form.getByLabel('When (supervisor)')).toHaveAccessibleDescription(/Provider time \(/);
  await form.getByRole('button', { name: 'Save report' }).click();

  const card = page.getByRole('region', { name: 'Incident reports' });
  await expect(card).toContainText('Abuse or neglect report');
  await expect(card).toContainText('Waiting for supervisor review');

  await openCaseloadPicker(page, PINNED_SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const reviews = page.getByRole('region', { name: /Incident reviews/ });
  await expect(reviews).toContainText('Abuse or neglect report');
  await expect(reviews).toContainText('Ethan Walker');
  await reviews.getByRole('button', { name: 'Close review' }).click();
  await expect(reviews.getByText('Write what you reviewed')).toBeVisible();
  await reviews
    .getByLabel('Review note')
    .fill('51A filed by the supervisor; safety plan reviewed with the family.');
  // Abuse or neglect is reported to the authority (seed 000 quality management 4): to whom, and when.
  await reviews.getByRole('button', { name: 'Close review' }).click();
  await expect(reviews.getByRole('alert')).toContainText('Say which authority was told');
  await reviews.getByLabel('Reported to (agency, report number)').fill('DCF hotline, 51A #4471');
  await reviews.getByRole('button', { name: 'Close review' }).click();
  await expect(page.getByRole('region', { name: /Incident reviews/ })).toHaveCount(0);
  // The caseload is still on screen: the reviews left it, the page did not go blank.
  await expect(page.getByRole('table', { name: 'Caseload' })).toBeVisible();

  const fhir = await fhirAs('youth-02', 'sfp-dana', DEFAULT_SCOPES.join(' '), PINNED_SANDBOX);
  const code = encodeURIComponent(
    'https://fst-companion.example.org/fhir/CodeSystem/fst-task-code|incident-review',
  );
  const found = (await (await fhir(`Task?patient=Patient/youth-02&code=${code}`)).json()) as Bundle;
  const [review] = (found.entry ?? []).map((e) => e.resource as Task);
  expect(review.status).toBe('completed');
  expect(review.note?.at(-1)?.text).toContain('51A filed');
  // The report to the authority travels with the review: to whom and when.
  expect(JSON.stringify(review.extension)).toContain('DCF hotline, 51A #4471');
});
