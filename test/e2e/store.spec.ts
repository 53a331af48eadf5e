import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { Bundle, Communication, Consent, DocumentReference } from 'fhir/r4';
import { DEFAULT_SCOPES } from '../../src/config/config';
import { fhirAs, launch, LIMITED_SANDBOX, storeAs } from '../support/e2eSandbox';
import { readPdf } from '../support/pdfText';
import { fillGoalsMetPlanAndSign } from '../support/dischargeWizard';

/**
 * An EHR that reads the chart and accepts only the discharge plan (SANDBOX_EHR=limited), with the agency's FST
 * record store beside it (issue 23). One sign-in per user — the store is reached by exchanging the EHR's
 * id_token. The whole episode for Jackson Reed (youth-08, whose earlier episode ended): the care coordinator refers,
 * the supervisor accepts and assigns from the caseload sign-in, the Family Partner calls, starts, logs a contact
 * and a meeting, the clocks, caseload and quality report follow, and the discharge puts the plan in the EHR.
 * The EHR is never sent a write it refuses.
 */
test.describe.configure({ mode: 'serial' });

const card = (page: Page) => page.getByRole('region', { name: 'FST referral' });
const clocks = (page: Page) => page.getByRole('table', { name: 'Compliance clocks' });
const STORE_NOTE = 'FST records in Harbor Family Services FST record store';
const refusedByEhr = async () =>
  ((await (await fetch(`${LIMITED_SANDBOX}/_sandbox/refused-writes`)).json()) as { refusedByEhr: number })
    .refusedByEhr;

async function caseloadSignIn(page: Page, persona: string) {
  await page.goto('/launch.html');
  await page.getByRole('link', { name: new RegExp(`${STORE_NOTE}.*: caseload and quality report`) }).click();
  await page.getByLabel('Who are you?').selectOption({ label: persona });
  await page.getByRole('button', { name: 'Continue' }).click();
}

// The outpatient clinician refers: she is on none of Jackson's teams (issue 36: named everywhere all the same).
test('a clinician outside the care team refers from the EHR; the referral is kept in the store', async ({
  page,
}) => {
  expect(await refusedByEhr()).toBe(0);
  await page.goto(launch('youth-08', 'op-helen', LIMITED_SANDBOX));
  await expect(page.getByLabel('Signed in user')).toContainText(STORE_NOTE);
  await page.getByRole('link', { name: 'Refer to FST' }).click();
  const form = page.getByRole('form', { name: 'Refer to FST' });
  await form.getByRole('group', { name: 'Initial goals for FST' }).getByRole('checkbox').first().check();
  await form
    .getByLabel('Reason for referral')
    .fill('Caregiver asks for help building natural supports again.');
  const criteria = form.getByRole('group', { name: 'Admission criteria' }).getByRole('checkbox');
  for (let i = 0; i < 3; i++) await criteria.nth(i).check();
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-08$/);
  await expect(card(page)).toContainText('Referred, awaiting acceptance');
  await expect(card(page)).toContainText('by Helen Park');
  // The EHR holds no referral: it could not; the store does.
  const ehr = await fhirAs('youth-08', 'op-helen', DEFAULT_SCOPES.join(' '), LIMITED_SANDBOX);
  expect((await ehr('Task?patient=Patient/youth-08')).status).toBe(405);
  expect(await refusedByEhr()).toBe(0);
});

test('the supervisor accepts and assigns from the caseload sign-in on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await caseloadSignIn(page, 'Dana Whitfield — Senior Family Partner (supervisor)');
  const awaiting = page.getByRole('region', { name: /New referrals awaiting acceptance/ });
  await awaiting.getByRole('link', { name: /Jackson Reed/ }).click();
  await expect(card(page).getByLabel('What the referrer sent')).toContainText('natural supports again');
  await card(page).getByRole('button', { name: 'Accept' }).click();
  await expect(card(page)).toContainText('StatusAccepted');
  const rosa = card(page).getByLabel('Family Partner').locator('option', { hasText: 'Rosa Delgado' });
  await card(page)
    .getByLabel('Family Partner')
    .selectOption((await rosa.getAttribute('value')) ?? '');
  // Not the best match (James has more room): the reason is asked for, and kept with the referral in the store.
  await card(page).getByRole('button', { name: 'Assign' }).click();
  await expect(card(page).getByRole('alert')).toContainText('Say why');
  await card(page)
    .getByLabel('Why this Family Partner rather than the best match?')
    .fill('Rosa already knows the family from the parent group.');
  await card(page).getByRole('button', { name: 'Assign' }).click();
  await expect(card(page)).toContainText('Rosa Delgado (Family Partner)');
  await page.reload();
  await expect(card(page)).toContainText('Rosa Delgado (Family Partner)');
  await expect(card(page)).toContainText(
    'Matching: Rosa Delgado chosen over the best match, James Okoro — Rosa already knows the family',
  );
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('the Family Partner calls, starts, logs a contact and a meeting; the clocks follow', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(launch('youth-08', 'fp-rosa', LIMITED_SANDBOX));
  await expect(clocks(page).getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText(
    'Due',
  );
  for (const note of [
    'First call: agreed a home visit on Thursday.',
    'Home visit: planned the weekly routine.',
  ]) {
    await page.getByRole('button', { name: 'Log contact' }).click();
    const form = page.getByRole('form', { name: 'Log contact' });
    await form.getByLabel('Method').selectOption('phone');
    await form.getByLabel('Duration (minutes)').fill('20');
    await form.getByRole('group', { name: 'Purpose' }).getByLabel('Supporting').check();
    await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
    await form.getByLabel('Progress note').fill(note);
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByText('Contact saved.')).toBeVisible();
    if (note.startsWith('First')) {
      await expect(clocks(page).getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText(
        'Met',
      );
      await card(page).getByRole('button', { name: 'Start services' }).click();
      await card(page).getByRole('button', { name: 'Start services' }).click();
      await expect(card(page)).toContainText('StatusIn service');
      // Only a logged session meets the 14 days (seed 000 process 5): the phone call and the typed start do not.
      await expect(clocks(page).getByRole('row', { name: /Services started within 14 days/ })).toContainText(
        'no session is logged',
      );
    }
  }
  await page.getByRole('link', { name: 'Log meeting' }).click();
  const meeting = page.getByRole('form', { name: 'Log meeting' });
  await meeting.getByLabel('Kind of meeting').selectOption({ index: 1 });
  await meeting.getByLabel('Duration (minutes)').fill('30');
  await meeting.getByRole('checkbox').first().check();
  await meeting.getByLabel('Decisions').fill('Grandmother will cover Tuesdays.');
  await meeting.getByRole('button', { name: 'Save meeting' }).click();
  // One list: the meeting FST attended (from the store) beside the clinic's own (from the EHR).
  const meetings = page.getByRole('region', { name: 'Team meetings' });
  await expect(meetings).toContainText('FST attended');
  await expect(meetings).toContainText('Recorded by the clinic');
  // The service plan, shared with the referrer: the limited EHR takes no messages, so the card says it was not
  // delivered and how to deliver it, as the store holds it (not done, never sent); the EHR was sent nothing.
  await page.getByRole('link', { name: 'Write service plan' }).click();
  const plan = page.getByRole('form', { name: 'FST service plan' });
  await plan.getByLabel('Hours').fill('3');
  await plan.locator('input[type=date]').last().fill('2027-06-01');
  await expect(plan.getByLabel(/Share with the referring provider \(Helen Park\)/)).toBeChecked();
  await expect(plan).toContainText('accepts no messages from FST Companion');
  await plan.getByRole('button', { name: 'Save service plan' }).click();
  const shown = page.getByRole('region', { name: 'FST service plan' });
  await expect(shown.getByRole('alert')).toContainText('Not shared with Helen Park');
  await expect(shown).toContainText('by fax or secure message');
  const store = await storeAs('youth-08', 'fp-rosa', DEFAULT_SCOPES.join(' '));
  const shares = (
    ((await (await store('Communication?patient=Patient/youth-08&category=notification')).json()) as Bundle)
      .entry ?? []
  ).map((e) => e.resource as Communication);
  expect(shares.map((c) => [c.status, c.sent, c.recipient?.[0].reference])).toEqual([
    ['not-done', undefined, 'Practitioner/op-helen'],
  ]);
  // A reload reads both servers again: nothing of the episode is missing.
  await page.reload();
  await expect(card(page)).toContainText('StatusIn service');
  await expect(page.getByRole('region', { name: 'Recent contacts' })).toContainText(
    'Home visit: planned the weekly routine.',
  );
  expect(await refusedByEhr()).toBe(0);
});

test("the Family Partner's caseload and the quality report read the store", async ({ page }) => {
  await caseloadSignIn(page, 'Rosa Delgado — Family Partner');
  const mine = page.getByRole('table', { name: 'My families' });
  const row = mine.getByRole('row', { name: /Jackson Reed/ });
  await expect(row).toContainText('In service');
  // Every referral and contact is in the store: the measures count them (0 / 0 if the store went unread).
  const report = page.getByRole('table', { name: 'Quality measures' });
  const called = report.getByRole('row', { name: /caregiver called within 5 calendar days/ });
  await expect(called.getByRole('cell').last()).toHaveText(/^([1-9]\d*) \/ \1$/);
  await expect(page.getByRole('heading', { name: /My families \([1-9]/ })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the discharge writes the plan into the EHR, the rest into the store, and the EHR refused nothing', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const ehr = await fhirAs('youth-08', 'fp-rosa', DEFAULT_SCOPES.join(' '), LIMITED_SANDBOX);
  const plans = async () =>
    (
      (await (
        await ehr('DocumentReference?subject=Patient/youth-08&type=http://loinc.org|18842-5')
      ).json()) as Bundle
    ).entry?.map((e) => e.resource as DocumentReference) ?? [];
  const before = (await plans()).map((p) => p.id);
  await page.goto(launch('youth-08', 'fp-rosa', LIMITED_SANDBOX));
  await page.getByRole('link', { name: 'Plan discharge' }).click();
  await fillGoalsMetPlanAndSign(page);
  // The consent step names who the plan goes to: the referrer too, never "a member of the team".
  await expect(page.getByText(/The plan goes to: .*Helen Park, Marcus Bell/)).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 3 of 3: Review and finalise' })).toBeVisible();
  await page.getByRole('button', { name: 'Finalise discharge' }).click();
  await expect(page.getByRole('heading', { name: 'Discharge finalised' })).toBeVisible({ timeout: 20_000 });

  const after = await plans();
  expect(after).toHaveLength(before.length + 1);
  const plan = after.find((p) => !before.includes(p.id));
  // In the EHR's chart, naming the referral it closes by its address in the store, and in words.
  expect(plan?.context?.related?.[0].reference).toMatch(/\/store\/fhir\/Task\//);
  expect(plan?.context?.related?.[0].display).toBe('Family Support and Training referral');
  // A PDF only (this EHR refuses the structured JSON copy), declared US Core DocumentReference.
  expect(plan?.content.map((c) => [c.attachment.contentType, c.attachment.language])).toEqual([
    ['application/pdf', 'en-US'],
  ]);
  expect(plan?.meta?.profile).toContain(
    'http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference',
  );
  // The English goals-met family's letter (issue 26): the assigned Family Partner, the recipients by name
  // (the ICC care coordinator, who also referred, once), page numbers, never a raw reference.
  const pdf = await readPdf(Uint8Array.from(Buffer.from(plan?.content[0].attachment.data ?? '', 'base64')));
  const text = pdf.text.replace(/\s+/g, ' ');
  expect(pdf.lang).toBe('en-US');
  expect(text).toContain('Family Partner: Rosa Delgado');
  // The referrer, outside the care team, by her name (issue 36), then the care coordinator.
  expect(text).toContain('You, and with your consent: Helen Park');
  expect(text).not.toContain('a member of the team');
  expect(text.match(/Marcus Bell/g)?.length).toBe(1);
  expect(text).toMatch(/Jackson Reed · page 1 of \d/);
  expect(text).not.toMatch(/RelatedPerson\/|Practitioner\//);
  // The consent in the store names every recipient, as the letter does.
  const store = await storeAs('youth-08', 'fp-rosa', DEFAULT_SCOPES.join(' '));
  const consent = (
    ((await (await store('Consent?patient=Patient/youth-08&status=active')).json()) as Bundle).entry ?? []
  )
    .map((e) => e.resource as Consent)
    .find((c) => c.provision?.data?.[0].reference.reference?.endsWith(`DocumentReference/${plan?.id}`));
  expect(consent?.provision?.actor?.map((a) => a.reference.display)).toEqual(['Helen Park', 'Marcus Bell']);
  // The EHR never saw the FST records it does not accept.
  expect((await ehr('Provenance?target=DocumentReference/x')).status).toBe(405);
  expect(await refusedByEhr()).toBe(0);

  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(card(page)).toContainText(/Discharged|Closed|Ended/);
  await expect(page.getByRole('link', { name: 'Plan discharge' })).toHaveCount(0);
});
