import { expect, test } from '@playwright/test';
import { handMadeContact, launch, SANDBOX, tokenFor } from '../support/e2eSandbox';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';

test("a clinician's launch cannot log an FST contact: hidden in the app, refused by the EHR", async ({
  page,
}) => {
  await page.goto(launch('youth-04', 'op-helen'));
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('Noah Patel');
  await expect(page.getByLabel('Signed in user')).toContainText('Helen Park · Clinician');
  const button = page.getByRole('button', { name: 'Log contact' });
  await expect(button).toBeDisabled();
  await expect(page.getByText('Only Family Partners and FST supervisors log FST contacts')).toBeVisible();

  // The same write made directly with her token is refused where the data is.
  const token = await tokenFor('youth-04', 'op-helen', 'patient/Communication.crs');
  const response = await fetch(`${SANDBOX}/fhir/Communication`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
    body: handMadeContact('youth-04', 'Practitioner/op-helen', new Date().toISOString()),
  });
  expect(response.status).toBe(403);
  expect(JSON.stringify(await response.json())).toContain('Only Family Partners');
});

test("a care coordinator cannot amend a Family Partner's note", async ({ page }) => {
  await page.goto(launch('youth-03', 'icc-marcus'));
  await page.getByRole('link', { name: 'Contact history' }).click();
  const first = page.getByRole('list', { name: 'Contact timeline' }).getByRole('listitem').first();
  await expect(first).toContainText('by Rosa Delgado');
  await expect(first).toContainText('Only the contact’s author or an FST supervisor can correct it.');
  await expect(first.getByRole('button', { name: 'Amend note or date' })).toHaveCount(0);

  const token = await tokenFor('youth-03', 'icc-marcus', 'patient/Communication.rus');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' };
  const current = await (await fetch(`${SANDBOX}/fhir/Communication/comm-03-1`, { headers })).json();
  const put = await fetch(`${SANDBOX}/fhir/Communication/comm-03-1`, {
    method: 'PUT',
    headers: { ...headers, 'if-match': `W/"${current.meta.versionId}"` },
    body: JSON.stringify({ ...current, payload: [{ contentString: 'Changed by the coordinator' }] }),
  });
  expect(put.status).toBe(403);
  const after = await (await fetch(`${SANDBOX}/fhir/Communication/comm-03-1`, { headers })).json();
  expect(after.payload).toEqual(current.payload);
});

test('the contact history has its own address: reload and Back keep the user where they were', async ({
  page,
}) => {
  await page.goto(launch('youth-02', 'fp-rosa'));
  await expect(page).toHaveURL(/\/patients\/youth-02$/);
  await page.getByRole('link', { name: 'Contact history' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-02\/history$/);
  await page.reload();
  await expect(page).toHaveURL(/\/patients\/youth-02\/history$/);
  const heading = page.getByRole('heading', { name: /Contact timeline/ });
  await expect(heading).toContainText(/\(\d{3}\)/); // the data, not an empty page
  await expect(page.getByRole('link', { name: 'Contact history' })).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page).toHaveURL(/\/patients\/youth-02$/);
  await expect(page.getByRole('heading', { name: 'Plan goals' })).toBeVisible();
});

test("a caseload row opens that youth's workspace", async ({ page }) => {
  await openCaseloadPicker(page, SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const caseload = page.getByRole('table', { name: 'Caseload' });
  await caseload.getByRole('link', { name: 'Liam Nguyen' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-06$/);
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText('Liam Nguyen');
  // The waitlist is part of the status history, with who put the family on it and why.
  const history = page.getByRole('list', { name: 'Referral status history' });
  await expect(history).toContainText(
    'Waitlisted · by Dana Whitfield · No Family Partner with capacity this week',
  );
  await page.goBack();
  await expect(page.getByRole('table', { name: 'Caseload' })).toBeVisible();
});

test('a Task with code=fulfill that is not ours is not the FST referral', async ({ page }) => {
  // youth-01 also has a newer lab-order Task with code=fulfill.
  await page.goto(launch('youth-01', 'fp-rosa'));
  const referral = page.getByRole('region', { name: 'FST referral' });
  // The current status is the FST referral's, and its history is the FST referral's own.
  await expect(referral).toContainText(/^FST referralStatusIn service/);
  await expect(
    referral.getByRole('list', { name: 'Referral status history' }).getByRole('listitem'),
  ).toHaveCount(3);
  await expect(page.getByRole('table', { name: 'Compliance clocks' })).toBeVisible();
});
