import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fhirAs, launch, SANDBOX } from '../support/e2eSandbox';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';

/**
 * The episode as its users walk it, from referral to service (Noah Patel, youth-04, referred three days ago by
 * his outpatient clinician): the clinician from the EHR, the supervisor from the caseload sign-in on a phone,
 * the Family Partner from both, through accept → assign → call → start (with its date) → service plan →
 * contacts → meeting → hold → resume → continuing-stay review, with reload and Back at the seams. Runs last
 * (w): the other specs leave youth-04 referred.
 */
test.describe.configure({ mode: 'serial' });

const JAMES = 'James Okoro — Family Partner';
const card = (page: Page) => page.getByRole('region', { name: 'FST referral' });
const clocks = (page: Page) => page.getByRole('table', { name: 'Compliance clocks' });
const todayInProvider = (page: Page) =>
  page.evaluate(() => new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' }));

test('the clinician sees the referral she made; nothing of FST’s is hers to do, by button or by address', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(launch('youth-04', 'op-helen'));
  await expect(card(page)).toContainText('StatusReferred, awaiting acceptance');
  await expect(card(page)).toContainText('by Helen Park');
  await expect(card(page).getByLabel('What the referrer sent')).toContainText(
    'Caregivers learn to support medication adherence',
  );
  await expect(card(page).getByRole('button', { name: 'Accept' })).toHaveCount(0);
  // Her own referral she may still cancel before services begin.
  await expect(card(page).getByRole('button', { name: 'Cancel referral' })).toBeVisible();
  for (const [address, title] of [
    ['meeting', 'You cannot log a meeting here'],
    ['service-plan', 'You cannot write the service plan'],
    ['discharge', 'You cannot discharge this family'],
  ] as const) {
    await page.goto(page.url().replace(/\/patients\/youth-04.*$/, `/patients/youth-04/${address}`));
    await expect(page.getByRole('alert')).toContainText(title);
  }
});

test('the supervisor, signed in to the caseload on a phone, reads the referral, accepts and assigns', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openCaseloadPicker(page, SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const awaiting = page.getByRole('region', { name: /New referrals awaiting acceptance/ });
  await awaiting.getByRole('link', { name: 'Noah Patel' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-04$/);
  const facts = card(page).getByLabel('What the referrer sent');
  await expect(facts).toContainText(
    'Caregiver needs support with caregivers learn to support medication adherence',
  );
  await expect(facts).toContainText(
    'C. Assessment indicates needs that a family intervention can support: confirmed',
  );
  // Nothing scrolls sideways on the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await card(page).getByRole('button', { name: 'Accept' }).click();
  await expect(card(page)).toContainText('StatusAccepted');
  // Starting needs a Family Partner first: shown, disabled, with the reason.
  const start = card(page).getByRole('button', { name: 'Start services' });
  await expect(start).toBeDisabled();
  await expect(start).toHaveAccessibleDescription('Assign a Family Partner first.');
  await expect(
    card(page).getByText(/Those with room in their caseload first, then by the caregiver’s language/),
  ).toBeVisible();
  const james = card(page).getByLabel('Family Partner').locator('option', { hasText: 'James Okoro' });
  await card(page)
    .getByLabel('Family Partner')
    .selectOption((await james.getAttribute('value')) ?? '');
  await card(page).getByRole('button', { name: 'Assign' }).click();
  await expect(card(page)).toContainText('James Okoro (Family Partner)');
  // Reload keeps her where she was, and the way back to the list is on screen.
  await page.reload();
  await expect(card(page)).toContainText('James Okoro (Family Partner)');
  await page.getByRole('link', { name: '← Caseload' }).click();
  await expect(page).toHaveURL(/\/caseload$/);
  const row = page.getByRole('table', { name: 'Caseload' }).getByRole('row', { name: /Noah Patel/ });
  await expect(row).toContainText('Accepted');
  await expect(row).toContainText(/Call caregiver — day \d of 5/);
});

test('the Family Partner calls from the EHR, starts with the first session’s date, and plans with the family', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(launch('youth-04', 'fp-james'));
  await expect(clocks(page).getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText(
    'Due',
  );
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  await form.getByLabel('Method').selectOption('face-to-face');
  await form.getByLabel('Place of service').selectOption('home');
  await form.getByLabel('Duration (minutes)').fill('60');
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Supporting').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form.getByLabel('Progress note').fill('Home visit: met both parents, agreed weekly visits.');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByText('Contact saved.')).toBeVisible();
  await expect(clocks(page).getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText(
    'Met',
  );
  // The confirmation belongs to that screen: the history and back do not repeat it.
  await page.getByRole('link', { name: 'Contact history' }).click();
  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(card(page)).toBeVisible();
  await expect(page.locator('.saved-message')).toHaveText('');

  // Start: the date proposed is the home visit's (today).
  await card(page).getByRole('button', { name: 'Start services' }).click();
  await expect(card(page).getByLabel('Date of the first session')).toHaveValue(await todayInProvider(page));
  await card(page).getByRole('button', { name: 'Start services' }).click();
  await expect(card(page)).toContainText('StatusIn service');
  await expect(clocks(page).getByRole('row', { name: /Services started within 14 days/ })).toContainText(
    'Met',
  );

  // The service plan: too many hours is refused with the reason; a reload keeps what was typed.
  await page.getByRole('link', { name: 'Write service plan' }).click();
  const plan = page.getByRole('form', { name: 'FST service plan' });
  // No cap on the hours by default (the Family Partner determines them): only a number a week cannot hold.
  await plan.getByLabel('Hours').fill('200');
  await plan.getByRole('button', { name: 'Save service plan' }).click();
  await expect(plan.getByRole('alert')).toContainText('more than a week holds');
  await page.reload();
  await expect(plan.getByLabel('Hours')).toHaveValue('200');
  await plan.getByLabel('Hours').fill('3');
  await plan.locator('input[type=date]').last().fill('2027-06-01');
  await plan.getByRole('button', { name: 'Save service plan' }).click();
  await expect(page.getByRole('region', { name: 'FST service plan' })).toContainText('3 hour(s) per week');
  // Saved: the draft is gone.
  await page.getByRole('link', { name: 'Revise service plan' }).click();
  await expect(page.getByRole('form', { name: 'FST service plan' }).getByLabel('Hours')).toHaveValue('3');
});

test('the Family Partner logs a team meeting (kept across Back), holds and resumes services', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(launch('youth-04', 'fp-james'));
  await page.getByRole('link', { name: 'Log meeting' }).click();
  const meeting = page.getByRole('form', { name: 'Log meeting' });
  await meeting.getByLabel('Decisions').fill('Parents will keep a medication chart on the fridge.');
  // Back, then forward again: nothing typed is lost.
  await page.goBack();
  await expect(card(page)).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('form', { name: 'Log meeting' }).getByLabel('Decisions')).toHaveValue(
    'Parents will keep a medication chart on the fridge.',
  );

  await page.getByRole('link', { name: 'Cancel' }).click();
  await card(page).getByRole('button', { name: 'Put on hold' }).click();
  await expect(card(page)).toContainText('the weekly caregiver and provider contacts are not required');
  await card(page)
    .getByLabel(/Reason/)
    .fill('Family travelling for two weeks');
  await card(page).getByRole('button', { name: 'Put on hold' }).click();
  await expect(card(page)).toContainText('StatusOn hold');
  // The server holds the hold; the weekly clocks say so, since today, and none turned Missed (issue 35 §2).
  const asJames = await fhirAs('youth-04', 'fp-james', 'patient/Task.rs');
  expect(((await (await asJames('Task/task-04')).json()) as { status: string }).status).toBe('on-hold');
  const today = await todayInProvider(page);
  for (const name of [/Weekly caregiver contact/, /Weekly provider contact/]) {
    const row = clocks(page).getByRole('row', { name });
    await expect(row.getByText('On hold', { exact: true })).toBeVisible();
    await expect(row).not.toContainText('Missed');
    await expect(row).toContainText(
      `On hold since ${new Date(`${today}T12:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })}`,
    );
  }
  await card(page).getByRole('button', { name: 'Resume' }).click();
  await expect(card(page)).toContainText('StatusIn service');
  expect(((await (await asJames('Task/task-04')).json()) as { status: string }).status).toBe('in-progress');
  await expect(clocks(page).getByRole('row', { name: /Weekly caregiver contact/ })).not.toContainText(
    'On hold',
  );
  const history = card(page).getByRole('list', { name: 'Referral status history' });
  await expect(history).toContainText('On hold · by James Okoro · Family travelling for two weeks');
  await expect(history).not.toContainText('Practitioner/');
});

test('from the caseload sign-in on a phone, the Family Partner records the continuing-stay review', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openCaseloadPicker(page, SANDBOX, JAMES);
  await page.getByRole('button', { name: 'Continue' }).click();
  const mine = page.getByRole('table', { name: 'My families' });
  await expect(mine.getByRole('columnheader', { name: 'Next action' })).toBeVisible();
  await mine.getByRole('link', { name: 'Noah Patel' }).click();
  await page.getByRole('button', { name: 'Record continuing-stay review' }).click();
  const review = page.getByRole('group', { name: 'Continuing-stay review' });
  await review.getByLabel('The admission criteria (A–C) still hold').check();
  await review.getByLabel('Progress notes document progress toward the goals').check();
  await review.getByLabel('Not all goals have been achieved yet').check();
  await review.getByRole('button', { name: 'Save review' }).click();
  await expect(clocks(page).getByRole('row', { name: /Continuing-stay review/ })).toContainText(
    /Last review/,
  );

  // On the server: one review, authored by him, and the Task in service with its history.
  const asJames = await fhirAs('youth-04', 'fp-james', 'patient/QuestionnaireResponse.rs patient/Task.rs');
  const reviews = await (
    await asJames(
      `QuestionnaireResponse?subject=Patient/youth-04&questionnaire=${encodeURIComponent('https://fst-companion.example.org/fhir/Questionnaire/fst-continuing-stay')}`,
    )
  ).json();
  expect(reviews.entry).toHaveLength(1);
  expect(reviews.entry[0].resource.author.reference).toBe('Practitioner/fp-james');
  const task = (await (await asJames('Task/task-04')).json()) as { status: string };
  expect(task.status).toBe('in-progress');
});
