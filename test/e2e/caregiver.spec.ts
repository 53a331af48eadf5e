import { expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { fhirAs, launch } from '../support/e2eSandbox';
import { accessibilityViolations } from '../support/axe';

/**
 * The caregiver's own phone (issue 39), by the one-time link: the Family Partner sends it from the workspace;
 * the caregiver opens it at 375 px in her language, confirms the youth's date of birth and answers the survey
 * herself; the Family Partner then sees it answered. The servers are read after each step.
 */
test.describe.configure({ mode: 'serial' });

const SCOPES = 'patient/Task.rs patient/Patient.rs patient/QuestionnaireResponse.rs';
const card = (page: Page) => page.getByRole('region', { name: 'On the caregiver’s phone' });

async function sendLink(page: Page, youth: string): Promise<{ link: string; task: string }> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(launch(youth, 'fp-rosa'));
  await card(page).getByText('Links for the caregiver: send one, see their state').click();
  await card(page).getByRole('button', { name: 'Send the survey link' }).click();
  const status = card(page).getByRole('status');
  await expect(status).toContainText('works once');
  const link = (await status.getByRole('link').getAttribute('href')) ?? '';
  expect(link).toMatch(/\/caregiver\.html#link=[\w-]{43}&at=/);
  // The server holds the request: sent to her, with its end.
  const fhir = await fhirAs(youth, 'fp-rosa', SCOPES);
  const tasks = (await (
    await fhir(
      `Task?patient=Patient/${youth}&code=${encodeURIComponent('https://fst-companion.example.org/fhir/CodeSystem/fst-task-code|caregiver-survey')}&_sort=-authored-on`,
    )
  ).json()) as { entry: { resource: any }[] };
  const task = tasks.entry[0].resource;
  expect(task.status).toBe('requested');
  expect(Date.parse(task.restriction.period.end) - Date.now()).toBeGreaterThan(71 * 3600_000);
  await expect(card(page).getByRole('table')).toContainText('Sent, not opened yet');
  return { link, task: `Task/${task.id as string}` };
}

async function phone(browser: Browser, locale: string) {
  // bypassCSP only so axe-core can be injected (as accessibility.spec does).
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    locale,
    bypassCSP: true,
  });
  return context.newPage();
}

test('she answers the survey herself, in Spanish, and the Family Partner sees it answered', async ({
  page,
  browser,
}) => {
  const { link, task } = await sendLink(page, 'youth-03');
  const fhir = await fhirAs('youth-03', 'fp-rosa', SCOPES);
  const youth = (await (await fhir('Patient/youth-03')).json()) as { birthDate: string };

  // Her phone's browser is in English; the link knows she reads Spanish.
  const her = await phone(browser, 'en-US');
  await her.goto(link);
  await expect(her.getByRole('heading', { name: 'Primero, comprobemos que es usted' })).toBeVisible();
  await expect(her).toHaveURL(/\/caregiver\.html$/);
  expect(await accessibilityViolations(her)).toEqual([]);
  await her.getByLabel('La fecha de nacimiento de su hijo(a)').fill('2001-01-01');
  await her.getByRole('button', { name: 'Continuar' }).click();
  await expect(her.getByRole('alert')).toContainText('Le quedan 4 intentos.');
  await her.getByLabel('La fecha de nacimiento de su hijo(a)').fill(youth.birthDate);
  await her.getByRole('button', { name: 'Continuar' }).click();
  const survey = her.getByRole('form', { name: '¿Cómo lo estamos haciendo?' });
  await expect(survey).toBeVisible();
  expect((await (await fhir(task)).json()).status).toBe('in-progress');
  await expect(her.getByRole('region', { name: 'Su compañero(a) familiar' })).toContainText('Rosa');
  await expect(her.getByRole('complementary', { name: 'En una crisis' })).toContainText('911');
  expect(await accessibilityViolations(her)).toEqual([]);
  const groups = survey.getByRole('group');
  const count = await groups.count();
  for (let i = 0; i < count; i++) await groups.nth(i).getByLabel('Muy de acuerdo').check();
  await survey.getByRole('button', { name: 'Enviar mis respuestas' }).click();
  await expect(her.getByRole('status')).toContainText('Gracias. Recibimos sus respuestas');
  expect(await her.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // The server holds her answers in her name, and the request done.
  const done = await (await fhir(task)).json();
  expect(done.status).toBe('completed');
  const answers = await (await fhir(done.output[0].valueReference.reference)).json();
  expect(answers.author.reference).toBe('RelatedPerson/cg-03-1');
  expect(answers.source.reference).toBe('RelatedPerson/cg-03-1');
  expect(answers.language).toBe('es');

  // The Family Partner sees it answered; the link works no more.
  await page.reload();
  await card(page).getByText('Links for the caregiver: send one, see their state').click();
  await expect(card(page).getByRole('table').getByRole('row').nth(1)).toContainText('Answered');
  const again = await phone(browser, 'es-US');
  await again.goto(link);
  await expect(again.getByRole('alert')).toContainText('Esto ya está hecho');
});

test('a revoked link says so to her, in English', async ({ page, browser }) => {
  const { link, task } = await sendLink(page, 'youth-01');
  await card(page).getByRole('table').getByRole('row').nth(1).getByRole('button', { name: 'Revoke' }).click();
  await expect(card(page).getByRole('table').getByRole('row').nth(1)).toContainText('Revoked');
  const fhir = await fhirAs('youth-01', 'fp-rosa', SCOPES);
  expect((await (await fhir(task)).json()).status).toBe('cancelled');
  const her = await phone(browser, 'es-US');
  await her.goto(link);
  await expect(her.getByRole('alert')).toHaveText(
    'Your Family Partner cancelled this link. Ask them if you need a new one.',
  );
  expect(await accessibilityViolations(her)).toEqual([]);
});
