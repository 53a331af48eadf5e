import { expect, test } from '@playwright/test';
import { ehrLaunchToken } from '../support/smartFlow';

const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;
const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;

async function communications(patient: string): Promise<any[]> {
  const token = await ehrLaunchToken(SANDBOX, {
    patient,
    user: 'sfp-dana',
    scope: 'launch openid fhirUser patient/Communication.rs',
    issuer: `${SANDBOX}/auth`,
    fhirBase: `${SANDBOX}/fhir`,
    appUrl: APP,
  });
  const res = await fetch(`${SANDBOX}/fhir/Communication?subject=Patient/${patient}&_count=500`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  const bundle = (await res.json()) as { entry?: { resource: any }[] };
  return (bundle.entry ?? []).map((e) => e.resource);
}

test('the Family Partner logs a caregiver call and a collateral contact; the clocks and the server agree', async ({
  page,
}) => {
  const before = await communications('youth-09');
  await page.goto(
    `${SANDBOX}/launch?patient=youth-09&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  const clocks = page.getByRole('table', { name: 'Compliance clocks' });
  await expect(clocks.getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText('Due');

  // The weekly task comes first among the Family Partner's actions, after only the crisis protocol.
  const actions = await page.locator('.toolbar').locator('button, a').allTextContents();
  expect(actions.slice(0, 2)).toEqual([expect.stringMatching(/Crisis/), 'Log contact']);
  // Referred, not yet accepted: no team meeting to log yet (FST is not provided), an incident is reported.
  expect(actions).toEqual(expect.arrayContaining(['Report incident']));
  expect(actions).not.toContain('Log meeting');
  // First session with the caregiver, face-to-face: the caregiver and now are the only defaults.
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  await expect(form.getByLabel('Contact with')).toHaveValue('RelatedPerson/cg-09-1');
  await expect(form.getByLabel('Contact with')).toBeFocused();
  await form.getByLabel('Method').selectOption({ label: 'Face-to-face' });
  // Seed 000 service component 5: an in-person contact says where it took place.
  await form.getByLabel('Place of service').selectOption({ label: "The caregiver's home" });
  await form.getByLabel('Duration (minutes)').fill('60');
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Educating').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form.getByLabel('Progress note').fill('First home visit; agreed a weekly schedule.');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();
  await expect(clocks.getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText('Met');

  // Collateral contact with the ICC care coordinator.
  await page.getByRole('button', { name: 'Log contact' }).click();
  await form.getByLabel('Contact with').selectOption('Practitioner/icc-marcus');
  await expect(form.getByLabel('Contact with')).toContainText('Marcus Bell');
  await form.getByLabel('Method').selectOption({ label: 'Phone' });
  await form.getByLabel('Duration (minutes)').fill('15');
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Supporting').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form.getByLabel('Progress note').fill('Told the clinician the family is engaged.');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Recent contacts' })).toContainText(
    'Told the clinician the family is engaged.',
  );

  // The care coordinator reviews the history: both contacts, and this week is met on both columns.
  await page.goto(
    `${SANDBOX}/launch?patient=youth-09&user=icc-marcus&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await expect(page.getByLabel('Signed in user')).toContainText('Marcus Bell');
  await page.getByRole('link', { name: 'Contact history' }).click();
  const timeline = page.getByRole('list', { name: 'Contact timeline' });
  await expect(timeline).toContainText('First home visit; agreed a weekly schedule.');
  await expect(timeline).toContainText('Told the clinician the family is engaged.');
  const thisWeek = page.getByRole('table', { name: 'Weekly compliance' }).getByRole('row').nth(1);
  await expect(thisWeek.getByRole('cell').nth(0)).toHaveText('Met');
  await expect(thisWeek.getByRole('cell').nth(1)).toHaveText('Met');

  const after = await communications('youth-09');
  const added = after.filter((c) => !before.some((b) => b.id === c.id));
  expect(added).toHaveLength(2);
  expect(added.map((c) => c.meta.profile[0]).sort()).toEqual([
    'https://fst-companion.example.org/fhir/StructureDefinition/fst-caregiver-contact',
    'https://fst-companion.example.org/fhir/StructureDefinition/fst-collateral-contact',
  ]);
  expect(added.every((c) => c.identifier?.[0]?.value)).toBe(true);
  // Where each took place, as the CMS place-of-service code: home (12) for the visit, telehealth (10) for the call.
  const place = (c: any) =>
    c.extension?.find((e: any) => e.url.endsWith('/fst-place-of-service'))?.valueCoding?.code;
  const visit = added.find((c) => c.meta.profile[0].endsWith('fst-caregiver-contact'));
  const call = added.find((c) => c.meta.profile[0].endsWith('fst-collateral-contact'));
  expect([place(visit), place(call)]).toEqual(['12', '10']);
});

test('bad input gets a clear message and nothing typed is lost', async ({ page }) => {
  await page.goto(
    `${SANDBOX}/launch?patient=youth-05&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  await form.getByLabel('Method').selectOption({ label: 'Phone' });
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Coaching').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form.getByLabel('Duration (minutes)').fill('0');
  await form.getByRole('button', { name: 'Save contact' }).click();
  const summary = form.getByRole('alert');
  await expect(summary).toContainText('Check 2 items before saving');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    'Duration (minutes): Enter the duration in whole minutes (1–480).',
    'Progress note: Write the progress note: every contact is documented.',
  ]);
  // Each entry takes the user to its field.
  await summary.getByRole('link', { name: /Progress note/ }).click();
  await expect(form.getByLabel('Progress note')).toBeFocused();
  // A draft survives a reload within the tab.
  await form.getByLabel('Progress note').fill('Half-written note');
  await page.reload();
  await page.getByRole('button', { name: 'Log contact' }).click();
  await expect(page.getByRole('form', { name: 'Log contact' }).getByLabel('Progress note')).toHaveValue(
    'Half-written note',
  );
});

/**
 * Seed 000 service component 6: telehealth "at the family's request". The request is recorded on the contact
 * and so is the agency's platform (config.json `telehealthPlatform`), on screen and on the server.
 */
test('a telehealth session records the family’s request and the agency’s platform', async ({ page }) => {
  const before = await communications('youth-05');
  await page.goto(
    `${SANDBOX}/launch?patient=youth-05&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  await form.getByLabel('Method').selectOption({ label: 'Telehealth video' });
  const requested = form.getByRole('checkbox', { name: /Telehealth requested by family/ });
  await expect(requested).toHaveAccessibleName(/held on Doxy\.me/);
  await requested.check();
  await form.getByLabel('Duration (minutes)').fill('45');
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Coaching').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form
    .getByLabel('Progress note')
    .fill('Video session at the mother’s request; practised the bedtime plan.');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();

  await page.getByRole('link', { name: 'Contact history' }).click();
  const entry = page
    .getByRole('list', { name: 'Contact timeline' })
    .getByRole('listitem')
    .filter({ hasText: 'practised the bedtime plan' });
  await expect(entry).toContainText('Telehealth video (Doxy.me (HIPAA BAA in place))');
  await expect(entry).not.toContainText('not requested by the family');

  const added = (await communications('youth-05')).filter((c) => !before.some((b) => b.id === c.id));
  expect(added).toHaveLength(1);
  const ext = (url: string) => added[0].extension.find((e: { url: string }) => e.url.endsWith(url));
  expect(ext('fst-telehealth-requested-by-family')?.valueBoolean).toBe(true);
  expect(ext('fst-telehealth-platform')?.valueString).toBe('Doxy.me (HIPAA BAA in place)');
});
