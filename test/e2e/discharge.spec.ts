import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import type { Bundle, Communication, Consent, DocumentReference, Provenance, Task } from 'fhir/r4';
import { DEFAULT_SCOPES } from '../../src/config/config';
import { launch, PINNED_SANDBOX, fhirAs } from '../support/e2eSandbox';
import { readPdf } from '../support/pdfText';

/**
 * The end of an episode in Chromium against the sandbox (its pinned twin, which other specs leave alone):
 * a Family Partner discharges Sofía Ramírez, whose mother reads Spanish. One injected failure inside the
 * transaction leaves the chart as it was and the wizard as it was typed; the retry lands everything once.
 */
const todayInMassachusetts = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());

test('a Family Partner finalises a Spanish discharge plan; a failed transaction changes nothing and loses nothing', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const fhir = await fhirAs('youth-03', 'fp-rosa', DEFAULT_SCOPES.join(' '), PINNED_SANDBOX);
  const read = async <T>(path: string) => (await (await fhir(path)).json()) as T;
  const plans = async () =>
    (
      await read<Bundle>('DocumentReference?subject=Patient/youth-03&type=http://loinc.org|18842-5')
    ).entry?.map((e) => e.resource as DocumentReference) ?? [];
  const taskBefore = await read<Task>('Task/task-03');
  expect(taskBefore.status).toBe('in-progress');
  expect(await plans()).toHaveLength(0);

  await page.goto(launch('youth-03', 'fp-rosa', PINNED_SANDBOX));
  await page.getByRole('link', { name: 'Plan discharge' }).click();
  await expect(page.getByRole('heading', { name: 'Step 1 of 3: The plan' })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('Deliver the signed plan by');

  // Next without answers: the summary names what is missing, and nothing moves on.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert')).toContainText('Reason for discharge');
  await expect(page.getByRole('heading', { name: 'Step 1 of 3: The plan' })).toBeVisible();

  await page.getByRole('radio', { name: 'The goals are met' }).check();
  await page.getByLabel('Meeting date').fill(todayInMassachusetts());
  await page.getByLabel('Participants').fill('Lucía Ramírez, Rosa Alvarez, in-home therapist');
  await page.getByRole('checkbox', { name: /^A\. An adequate continuing care plan/ }).check();
  await page.getByRole('checkbox', { name: /^B\. Goals substantially met/ }).check();
  const goals = page.getByRole('group', { name: 'Outcome of each goal' }).getByRole('group');
  const goalCount = await goals.count();
  expect(goalCount).toBeGreaterThan(0);
  for (let i = 0; i < goalCount; i++)
    await goals.nth(i).getByRole('radio', { name: 'Achieved', exact: true }).check();
  await page.getByLabel('Strategies').fill('Elogios y rutina de la tarde');
  await page.getByLabel('Supports').fill('Su hermana entre semana');
  await page.getByLabel('Services in place').fill('Terapia en casa hasta enero');
  await page.getByLabel(/^Resources/).fill('Grupo de padres los martes; 988');
  await page.getByLabel('Follow-up plan').fill('Llamada de seguimiento en diciembre');
  await expect(page.getByLabel('Last date of service')).not.toHaveValue('');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { name: 'Step 2 of 3: Signature and consent' })).toBeVisible();
  await page.getByRole('radio', { name: /The caregiver consents now/ }).check();
  await page.getByRole('radio', { name: 'Draw the signature' }).check();
  const pad = page.getByRole('img', { name: /Signature area/ });
  const box = await pad.boundingBox();
  if (!box) throw new Error('no signature pad');
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let x = 20; x < Math.min(300, box.width - 10); x += 20)
    await page.mouse.move(box.x + x, box.y + box.height / 2 + (x % 40 === 0 ? -20 : 20));
  await page.mouse.up();
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { name: 'Step 3 of 3: Review and finalise' })).toBeVisible();
  const preview = page.getByRole('article', { name: 'Preview of the discharge plan' });
  await expect(preview).toHaveAttribute('lang', 'es-US');
  await expect(preview).toContainText('Plan de alta de Apoyo y Capacitación Familiar');
  await expect(preview).toContainText('Joven: Sofía Ramírez');
  await expect(preview.getByRole('img', { name: 'Firma de Lucía Ramírez' })).toBeVisible();
  // The plan names the family's assigned Family Partner, and the preparer in their own role.
  await expect(preview).toContainText('Compañero(a) familiar: Rosa Delgado');
  await expect(preview).toContainText('Preparado por Rosa Delgado, compañero(a) familiar');

  // A reload mid-wizard loses nothing: the step, every answer and the drawn signature come back.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Step 3 of 3: Review and finalise' })).toBeVisible();
  await expect(preview.getByRole('img', { name: 'Firma de Lucía Ramírez' })).toBeVisible();
  await expect(preview).toContainText('Llamada de seguimiento en diciembre');

  // A failure inside the server's transaction: everything is rolled back.
  expect((await fetch(`${PINNED_SANDBOX}/_sandbox/fail-next-transaction`, { method: 'POST' })).status).toBe(
    204,
  );
  await page.getByRole('button', { name: 'Finalise discharge' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The discharge was not finalised' })).toBeVisible();
  expect((await read<Task>('Task/task-03')).status).toBe('in-progress');
  expect(await plans()).toHaveLength(0);

  // Every field is as it was typed.
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('Participants')).toHaveValue('Lucía Ramírez, Rosa Alvarez, in-home therapist');
  await expect(page.getByLabel('Follow-up plan')).toHaveValue('Llamada de seguimiento en diciembre');
  await expect(page.getByRole('radio', { name: 'The goals are met' })).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: /The caregiver consents now/ })).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(preview.getByRole('img', { name: 'Firma de Lucía Ramírez' })).toBeVisible();

  await page.getByRole('button', { name: 'Finalise discharge' }).click();
  await expect(page.getByRole('heading', { name: 'Discharge finalised' })).toBeVisible({ timeout: 20_000 });
  // The confirmation claims no delivery: per recipient, what the chart holds (issue 35 §2).
  await expect(
    page.getByRole('status').filter({ hasText: 'The signed plan is in the chart.' }),
  ).not.toContainText('delivered to');
  const said = page.getByRole('list', { name: 'Deliveries of the plan, as the chart holds them' });
  await expect(said.getByRole('listitem').first()).toContainText('planned');

  // Read back what the server holds.
  const [plan, ...more] = await plans();
  expect(more).toHaveLength(0);
  const held = (
    (await read<Bundle>('Communication?subject=Patient/youth-03&category=discharge-plan-delivery&_count=50'))
      .entry ?? []
  )
    .map((e) => e.resource as Communication)
    .filter((c) => c.payload?.[0]?.contentReference?.reference === `DocumentReference/${plan.id}`);
  // As many lines as deliveries, each saying planned exactly when the server holds it planned.
  await expect(said.getByRole('listitem')).toHaveCount(held.length);
  expect(held.length).toBeGreaterThan(0);
  await expect(said.getByText('planned', { exact: true })).toHaveCount(
    held.filter((d) => d.status === 'preparation').length,
  );
  expect(plan.status).toBe('current');
  // The chart's copy in English for the treaters (issue 36), the caregiver's in Spanish.
  expect(plan.content.map((c) => c.attachment.language).slice(0, 2)).toEqual(['en-US', 'es-US']);
  const own = plan.content.find((c) => c.attachment.language === 'es-US')?.attachment;
  const pdf = await readPdf(Uint8Array.from(Buffer.from(own?.data ?? '', 'base64')));
  const text = pdf.text.replace(/\s+/g, ' ');
  expect(pdf.tagged).toBe(true);
  expect(pdf.lang).toBe('es-US');
  expect(text).toContain('Sofía Ramírez');
  expect(text).toContain('Menos berrinches en casa: lograda');
  expect(text).toContain('Llamada de seguimiento en diciembre');
  const signatures =
    (await read<Bundle>(`Provenance?target=DocumentReference/${plan.id}`)).entry?.map(
      (e) => e.resource as Provenance,
    ) ?? [];
  expect(signatures.map((p) => p.signature?.[0].sigFormat).sort()).toEqual(['image/png', 'text/plain']);
  const consents =
    (await read<Bundle>('Consent?patient=Patient/youth-03&status=active')).entry?.map(
      (e) => e.resource as Consent,
    ) ?? [];
  expect(consents).toHaveLength(1);
  expect((await read<Task>('Task/task-03')).status).toBe('completed');

  // The workspace shows the ended episode: no second discharge.
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  const card = page.getByRole('region', { name: 'FST referral' });
  await expect(card).toContainText(/Discharged/);
  // Asked once the overview is on screen: on an empty page the link would be missing too.
  await expect(page.getByRole('link', { name: 'Plan discharge' })).toHaveCount(0);
  // Finalising plans the deliveries; each is recorded as it happens, and only then is the plan delivered.
  const deliveries = card.getByRole('list', { name: 'Deliveries of the plan' });
  await expect(deliveries.getByRole('listitem')).toHaveCount(2);
  await expect(deliveries).toContainText('Lucía Ramírez: not yet delivered');
  await expect(card).not.toContainText('delivered to all');
  for (let i = 0; i < 2; i++) {
    await deliveries.getByRole('button', { name: 'Record delivery' }).first().click();
    const form = deliveries.getByRole('form', { name: /Record delivery to/ });
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect(form.getByRole('alert')).toContainText('Say how the plan was delivered.');
    await form.getByLabel('How').selectOption({ label: i === 0 ? 'In person' : 'Secure message' });
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect(form).toHaveCount(0);
    // The card is read again after each delivery: the next one is recorded on what it then shows.
    await expect(deliveries.getByRole('listitem').filter({ hasText: /: delivered / })).toHaveCount(i + 1);
  }
  await expect(deliveries).toContainText(/Lucía Ramírez: delivered .* · in person/);
  await expect(card).toContainText(/delivered to all 2 recipients by/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: "Download the caregiver's copy (Spanish, PDF)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('discharge-plan.pdf');
  const saved = await readPdf(new Uint8Array(await readFile(await download.path())));
  expect(saved.text).toContain('Sofía Ramírez');
  expect(saved.lang).toBe('es-US');
  await expect(card.getByRole('button', { name: 'Download the chart copy (English, PDF)' })).toBeVisible();

  // A correction starts from the plan as written and replaces it; the first stays, superseded.
  await card.getByRole('link', { name: 'Correct the plan' }).click();
  await expect(page.getByRole('heading', { name: 'Correct the discharge plan' })).toBeVisible();
  await expect(page.getByLabel('Follow-up plan')).toHaveValue('Llamada de seguimiento en diciembre');
  await page.getByLabel('Follow-up plan').fill('Llamada de seguimiento en enero');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Typed name').fill('Lucía Ramírez');
  await page.getByRole('checkbox', { name: 'I confirm this is my signature' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Save the corrected plan' }).click();
  await expect(page.getByRole('heading', { name: 'Corrected plan saved' })).toBeVisible({ timeout: 20_000 });
  const all = await plans();
  expect(all.map((d) => d.status).sort()).toEqual(['current', 'superseded']);
  const corrected = all.find((d) => d.status === 'current');
  expect(corrected?.relatesTo?.[0].target.reference).toBe(`DocumentReference/${plan.id}`);
});

test('the family that stopped without notice: every effort to contact before closing, unsigned, never "requested discharge" (phone)', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 375, height: 800 });
  const fhir = await fhirAs('youth-07', 'sfp-dana', DEFAULT_SCOPES.join(' '), PINNED_SANDBOX);
  const read = async <T>(path: string) => (await (await fhir(path)).json()) as T;

  // The assigned Family Partner: two unanswered calls are not every effort.
  await page.goto(launch('youth-07', 'fp-rosa', PINNED_SANDBOX));
  await page.getByRole('link', { name: 'Plan discharge' }).click();
  await expect(page.getByRole('radio', { name: 'The caregiver stopped without notice' })).toBeChecked();
  await expect(page.getByLabel('Meeting date')).toHaveCount(0);
  const outreach = page.getByRole('region', { name: /Outreach attempts/ });
  await expect(outreach.getByRole('listitem')).toHaveCount(2);
  // C is the family's own request: not offered to a family that vanished.
  await expect(page.getByRole('checkbox', { name: /^A\./ })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^C\./ })).toHaveCount(0);
  await page.getByRole('checkbox', { name: /^A\./ }).check();
  await page.getByRole('radio', { name: 'Not achieved' }).first().check();
  await page.getByLabel(/^Resources/).fill('Parent support group; 988 crisis line');
  // Seed 000 discharge 5 asks all four; for a family that stopped, "not known" is the recorded answer.
  for (const what of ['strategies', 'supports', 'services in place'])
    await page.getByRole('button', { name: new RegExp(`Not known.*\\(${what}\\)`) }).click();
  await page.getByLabel('Follow-up plan').fill('Letter with the crisis numbers and how to come back');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert')).toContainText('by 2 different methods');
  await expect(page.getByRole('alert')).toContainText('only an FST supervisor can close with fewer');
  await expect(page.getByLabel('Why fewer attempts are enough (supervisor)')).toHaveCount(0);

  // The supervisor may close with fewer, and says why; the letter says what happened, in the family's terms.
  await page.goto(launch('youth-07', 'sfp-dana', PINNED_SANDBOX));
  await page.getByRole('link', { name: 'Plan discharge' }).click();
  await page.getByRole('checkbox', { name: /^A\./ }).check();
  await page.getByRole('radio', { name: 'Not achieved' }).first().check();
  await page.getByLabel(/^Resources/).fill('Parent support group; 988 crisis line');
  // Seed 000 discharge 5 asks all four; for a family that stopped, "not known" is the recorded answer.
  for (const what of ['strategies', 'supports', 'services in place'])
    await page.getByRole('button', { name: new RegExp(`Not known.*\\(${what}\\)`) }).click();
  await page.getByLabel('Follow-up plan').fill('Letter with the crisis numbers and how to come back');
  await page
    .getByLabel('Why fewer attempts are enough (supervisor)')
    .fill('The family moved; the forwarding address is unknown');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'No signature' }).check();
  await page.getByLabel('Why the caregiver did not sign').fill('Unreachable since the last visit');
  await page.getByRole('button', { name: 'Next' }).click();
  const preview = page.getByRole('article', { name: 'Preview of the discharge plan' });
  await expect(preview).toContainText('Services stopped without notice.');
  await expect(preview).toContainText('How we tried to reach you');
  await expect(preview).toContainText('Family Partner: Rosa Delgado');
  await expect(preview).toContainText('Prepared by Dana Whitfield, Senior Family Partner');
  await expect(preview).not.toContainText('requested discharge');
  // Nothing scrolls sideways on the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  await page.getByRole('button', { name: 'Finalise discharge' }).dblclick();
  await expect(page.getByRole('heading', { name: 'Discharge finalised' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/The referral is closed as stopped without notice/)).toBeVisible();
  const plans =
    (
      await read<Bundle>('DocumentReference?subject=Patient/youth-07&type=http://loinc.org|18842-5')
    ).entry?.map((e) => e.resource as DocumentReference) ?? [];
  expect(plans).toHaveLength(1);
  expect((await read<Task>('Task/task-07')).status).toBe('failed');
  const pdf = await readPdf(
    Uint8Array.from(Buffer.from(plans[0].content[0].attachment.data ?? '', 'base64')),
  );
  expect(pdf.text.replace(/\s+/g, ' ')).not.toContain('requested discharge');
});
