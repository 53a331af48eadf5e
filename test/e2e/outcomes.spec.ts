import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fhirAs, launch, SANDBOX } from '../support/e2eSandbox';
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

/**
 * Seed 000 quality 2: "outcome measures" — the agency's own instrument (config.json `instruments`, a FHIR
 * Questionnaire), filled in with the caregiver, checked before saving, and kept as a QuestionnaireResponse the
 * server treats as an FST outcome measure.
 */
test('the Family Partner fills in the agency’s own instrument; the card and the server show the answers', async ({
  page,
}) => {
  await page.goto(launch('youth-03', 'fp-rosa'));
  const agency = outcomes(page).getByRole('list', { name: 'The agency’s instruments' });
  await expect(agency).toContainText(
    'Caregiver confidence check-in (Harbor Family Services) · not answered yet',
  );
  await agency.getByRole('link', { name: 'Fill in' }).click();
  const form = page.getByRole('form', { name: 'Caregiver confidence check-in (Harbor Family Services)' });
  await expect(form).toContainText('Ask the caregiver and record their own answers.');
  await form.getByLabel('School meetings the caregiver attended this month').fill('two');
  await form.getByRole('button', { name: 'Save answers' }).click();
  await expect(form.getByRole('alert')).toContainText('Answer this question.');
  await expect(form.getByRole('alert')).toContainText('Enter a whole number.');
  await form.getByRole('radio', { name: 'Sure', exact: true }).check();
  await form.getByRole('radio', { name: 'Yes' }).check();
  await form.getByLabel('School meetings the caregiver attended this month').fill('2');
  await form.getByLabel("In the caregiver's words: what helped most?").fill('Knowing who to call at night.');
  await form.getByRole('button', { name: 'Save answers' }).click();
  await expect(agency).toContainText(/answered 1 time, last on/);
  // The answer set itself, read back from the server (issue 36: not only "answered 1 time").
  const answers = agency.getByRole('list', { name: /^Answers: Caregiver confidence check-in/ });
  await expect(answers).toContainText('How sure are you of what to do if your child is in crisis?: Sure');
  await expect(answers).toContainText('School meetings the caregiver attended this month: 2');
  await expect(answers).toContainText('Did the family use a new community resource this month?: yes');

  const fhir = await fhirAs('youth-03', 'fp-rosa', 'patient/QuestionnaireResponse.rs');
  const found = (await (
    await fhir(
      `QuestionnaireResponse?subject=Patient/youth-03&questionnaire=${encodeURIComponent('https://harbor-family.example.org/fhir/Questionnaire/caregiver-confidence|1')}`,
    )
  ).json()) as {
    entry?: {
      resource: { meta?: { tag?: { code?: string }[] }; item: { linkId: string; answer: unknown[] }[] };
    }[];
  };
  expect(found.entry).toHaveLength(1);
  const response = found.entry?.[0].resource;
  expect(response?.meta?.tag?.[0]?.code).toBe('outcome-measure');
  expect(response?.item.map((i) => i.linkId)).toEqual([
    'crisis-plan',
    'new-resource',
    'school-meetings',
    'helped',
  ]);
  expect(response?.item[2].answer).toEqual([{ valueInteger: 2 }]);

  // The server holds it to the outcome-measure rule: a care coordinator cannot write one.
  const marcus = await fhirAs('youth-03', 'icc-marcus', 'patient/QuestionnaireResponse.crs');
  const refused = await marcus('QuestionnaireResponse', {
    method: 'POST',
    body: JSON.stringify({
      ...response,
      id: undefined,
      meta: { tag: response?.meta?.tag },
      identifier: undefined,
    }),
  });
  expect(refused.status).toBe(403);
});
