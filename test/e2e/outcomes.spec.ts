import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { launch, SANDBOX } from '../support/e2eSandbox';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';

/**
 * Outcomes and satisfaction (seed 000 quality 2–3) for Sofía Ramírez (youth-03), whose mother reads Spanish:
 * the Family Partner hands over the phone for the satisfaction survey — in Spanish, kept across a reload —
 * then rates the goals at the continuing-stay review; the family's chart shows both, and the supervisor's
 * quality report counts them. A clinician's typed address to the survey is refused as its button would be.
 */
test.describe.configure({ mode: 'serial' });

const outcomes = (page: Page) => page.getByRole('region', { name: 'Outcomes' });

test('the caregiver answers the satisfaction survey in Spanish on the phone; a reload keeps the answers', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(launch('youth-03', 'fp-rosa'));
  await outcomes(page).getByRole('link', { name: 'Caregiver survey' }).click();
  const form = page.getByRole('form', { name: 'Encuesta de satisfacción para cuidadores' });
  await expect(form).toHaveAttribute('lang', 'es-US');
  await form
    .getByRole('group', { name: 'Mi compañero(a) familiar me trató con respeto.' })
    .getByLabel('Muy de acuerdo')
    .check();
  await form
    .getByRole('group', { name: 'Mi compañero(a) familiar escuchó lo que necesita mi familia.' })
    .getByLabel('Muy de acuerdo')
    .check();
  // Too few answers: the survey says so and is not saved.
  await form.getByRole('button', { name: 'Save survey' }).click();
  await expect(form.getByRole('status')).toContainText('2 of 6 answered');
  await page.reload();
  const again = page.getByRole('form', { name: 'Encuesta de satisfacción para cuidadores' });
  await expect(
    again
      .getByRole('group', { name: 'Mi compañero(a) familiar me trató con respeto.' })
      .getByLabel('Muy de acuerdo'),
  ).toBeChecked();
  for (const statement of [
    'Pude hablar con mi compañero(a) familiar en el idioma que prefiero.',
    'Aprendí habilidades que me ayudan a apoyar a mi hijo(a).',
    'Tengo más voz en el cuidado de mi hijo(a) y en las reuniones del equipo.',
    'Recomendaría Apoyo y Capacitación Familiar a otra familia.',
  ])
    await again.getByRole('group', { name: statement }).getByLabel('De acuerdo', { exact: true }).check();
  await again.getByLabel('¿Algo más que quiera decirnos?').fill('Rosa siempre llega a tiempo.');
  await again.getByRole('button', { name: 'Save survey' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-03$/);
  // (5 + 5 + 4 + 4 + 4 + 4) / 6 = 4.3
  const surveys = outcomes(page).getByRole('list', { name: 'Caregiver satisfaction surveys' });
  await expect(surveys).toContainText('4.3 of 5 · answered in Spanish');
  await expect(surveys).toContainText('Rosa siempre llega a tiempo.');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('the Family Partner rates the goals at the review; the chart shows the change since intake', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(launch('youth-03', 'fp-rosa'));
  // The demo family's intake rating is on the chart before anything is added.
  const ratings = outcomes(page).getByRole('list', { name: 'Goal attainment' }).getByRole('listitem');
  await expect(ratings.first()).toContainText('Intake');
  const before = await ratings.count();
  await outcomes(page).getByRole('link', { name: 'Rate goals' }).click();
  const form = page.getByRole('form', { name: 'Goal attainment' });
  // The intake rating exists: the next is the review's.
  await expect(form.getByLabel('When in the episode')).toHaveValue('review');
  const goals = form.getByRole('group');
  const count = await goals.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await goals.nth(i).getByLabel('4 · Mostly there').check();
  await form.getByRole('button', { name: 'Save ratings' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-03$/);
  const list = outcomes(page).getByRole('list', { name: 'Goal attainment' });
  await expect(list.getByRole('listitem')).toHaveCount(before + 1);
  await expect(list.getByRole('listitem').last()).toContainText('Continuing-stay review');
  await expect(list.getByRole('listitem').last()).toContainText('4.0 of 5');
  await expect(outcomes(page)).toContainText(/Change since intake: \+\d\.\d/);
  await expect(
    outcomes(page).getByRole('img', { name: /Goal attainment over the episode: .*4\.0$/ }),
  ).toBeVisible();
});

test('a clinician reaching the survey by its address is refused, as the missing button says', async ({
  page,
}) => {
  await page.goto(launch('youth-03', 'op-helen'));
  await expect(outcomes(page)).toContainText('Caregiver satisfaction');
  await expect(outcomes(page).getByRole('link', { name: 'Caregiver survey' })).toHaveCount(0);
  await page.goto(page.url().replace(/\/patients\/youth-03.*$/, '/patients/youth-03/outcomes/survey'));
  await expect(page.getByRole('alert')).toContainText('You cannot record outcomes here');
});

test("the supervisor's quality report counts the survey and the ratings", async ({ page }) => {
  await openCaseloadPicker(page, SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const report = page.getByRole('table', { name: 'Quality measures' });
  const surveys = report.getByRole('row', { name: /Caregiver satisfaction surveys answered/ });
  await expect(surveys.getByRole('cell').first()).toHaveText(/^[1-9]\d*$/);
  await expect(
    report
      .getByRole('row', { name: /Mean caregiver satisfaction/ })
      .getByRole('cell')
      .first(),
  ).toHaveText(/^\d\.\d$/);
  const improved = report.getByRole('row', { name: /Families whose goal attainment rose since intake/ });
  await expect(improved.getByRole('cell').last()).toHaveText(/^[1-9]\d* \/ [1-9]\d*$/);
});
