import { expect, test } from '@playwright/test';
import type { Bundle, Consent, DocumentReference, Provenance, Task } from 'fhir/r4';
import { APP } from '../support/e2eSandbox';
import { accessibilityViolations } from '../support/axe';
import { fillGoalsMetPlan } from '../support/dischargeWizard';
import { ehrLaunchToken } from '../support/smartFlow';

/**
 * "Sign the plan" on the caregiver's own phone (issue 39), by the one-time link: the Family Partner sends the
 * discharge plan from the wizard; the grandmother opens it at 375 px, reads it, chooses with whom it is shared
 * and signs by typing her name; the Family Partner reads her signature back and finalises with it. The server
 * is read after each step. On the SMART v1 sandbox, with Ethan Walker (youth-02), whom no spec there touches.
 */
const V1 = `http://localhost:${process.env.E2E_SANDBOX_V1_PORT ?? '8182'}`;
const YOUTH = 'youth-02';
const HER = 'RelatedPerson/cg-02-1';

async function reader() {
  const token = await ehrLaunchToken(V1, {
    patient: YOUTH,
    user: 'fp-rosa',
    // SMART v1 scopes: this is the v1 sandbox.
    scope:
      'launch openid fhirUser patient/Task.read patient/Provenance.read patient/Consent.read patient/DocumentReference.read patient/Patient.read patient/Communication.read',
    issuer: `${V1}/auth`,
    fhirBase: `${V1}/fhir`,
    appUrl: APP,
  });
  return async <T>(path: string): Promise<T> => {
    const res = await fetch(`${V1}/fhir/${path}`, {
      headers: { authorization: `Bearer ${String(token.access_token)}` },
    });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
}

test('she signs the plan on her phone; the Family Partner finalises with her signature and consent', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const read = await reader();
  await page.goto(
    `${V1}/launch?patient=${YOUTH}&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await page.getByRole('link', { name: 'Plan discharge' }).click();
  await fillGoalsMetPlan(page);
  await expect(page.getByRole('heading', { name: 'Step 2 of 3: Signature and consent' })).toBeVisible();
  await page.getByRole('radio', { name: 'She signs on her own phone' }).check();
  await page.getByRole('button', { name: 'Send the plan to her phone' }).click();
  const sent = page.getByRole('status').filter({ hasText: 'works once' });
  const link = (await sent.getByRole('link').getAttribute('href')) ?? '';
  expect(link).toMatch(/\/caregiver\.html#link=[\w-]{43}&at=/);
  // The server holds her request, with the plan she will read and those she may share it with.
  const requests = await read<Bundle<Task>>(
    `Task?patient=Patient/${YOUTH}&code=${encodeURIComponent('https://fst-companion.example.org/fhir/CodeSystem/fst-task-code|caregiver-sign-plan')}&_sort=-authored-on`,
  );
  const request = requests.entry?.[0]?.resource as Task;
  expect(request.status).toBe('requested');
  expect(request.owner?.reference).toBe(HER);
  const offered = (request.input ?? []).filter((i) => i.type.text === 'share-with');
  expect(offered.length).toBeGreaterThan(0);
  // Finalising before she signed is refused, and says why.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert')).toContainText('She has not signed on her phone yet');

  const phone = await browser.newContext({
    viewport: { width: 375, height: 740 },
    locale: 'en-US',
    bypassCSP: true,
  });
  const her = await phone.newPage();
  await her.goto(link);
  const youth = await read<{ birthDate: string }>(`Patient/${YOUTH}`);
  await her.getByLabel('Your child’s date of birth').fill(youth.birthDate);
  await her.getByRole('button', { name: 'Continue' }).click();
  const plan = her.getByRole('article', { name: 'Preview of the discharge plan' });
  await expect(plan).toContainText('Ethan Walker');
  await expect(plan).toContainText('Call in January');
  await expect(plan).toContainText('Waiting for the signature of Loretta Walker');
  expect(await accessibilityViolations(her)).toEqual([]);
  // She agrees to share it with the first person proposed; the plan she reads says so at once.
  const first = offered[0].valueReference?.display ?? '';
  await her.getByRole('group', { name: 'Who may see this plan' }).getByLabel(first).check();
  await expect(plan).toContainText(`with your consent: ${first}`);
  await her.getByLabel('Your full name').fill('Loretta Walker');
  await her.getByRole('checkbox', { name: /This is my signature/ }).check();
  await her.getByRole('button', { name: 'Sign the plan' }).click();
  await expect(her.getByRole('status')).toContainText('You signed the plan');
  await expect(her.getByText(`You agreed to share it with: ${first}.`)).toBeVisible();
  expect(await her.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // The server holds her signature and her consent, in her name, on her request.
  const done = await read<Task>(`Task/${request.id ?? ''}`);
  expect(done.status).toBe('completed');
  const written = (done.output ?? []).map((o) => o.valueReference?.reference ?? '');
  const signature = await read<Provenance>(written.find((r) => r.startsWith('Provenance/')) ?? '');
  expect(signature.signature?.[0].who.reference).toBe(HER);
  expect(signature.target[0].reference).toBe(`Task/${request.id ?? ''}`);
  const consent = await read<Consent>(written.find((r) => r.startsWith('Consent/')) ?? '');
  expect(consent.performer?.[0].reference).toBe(HER);
  expect(consent.provision?.actor?.map((a) => a.reference.display)).toEqual([first]);

  // The Family Partner reads it back and finalises with it.
  await page.getByRole('button', { name: 'Check for her signature' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Signed on her phone' })).toContainText(
    `typed: “Loretta Walker”). She agreed to share it with: ${first}.`,
  );
  await page.getByRole('button', { name: 'Next' }).click();
  const preview = page.getByRole('article', { name: 'Preview of the discharge plan' });
  await expect(preview).toContainText('Loretta Walker (typed signature');
  await page.getByRole('button', { name: 'Finalise discharge' }).click();
  await expect(page.getByRole('heading', { name: 'Discharge finalised' })).toBeVisible({ timeout: 20_000 });

  // The plan in the chart carries her signature as she gave it, pointing to hers; the deliveries follow her consent.
  const plans = await read<Bundle<DocumentReference>>(
    `DocumentReference?subject=Patient/${YOUTH}&type=http://loinc.org|18842-5&_sort=-date`,
  );
  const finalised = plans.entry?.[0]?.resource as DocumentReference;
  const onPlan = await read<Bundle<Provenance>>(`Provenance?target=DocumentReference/${finalised.id ?? ''}`);
  const hers = (onPlan.entry ?? [])
    .map((e) => e.resource as Provenance)
    .find((p) => p.signature?.[0].who.reference === HER);
  expect(hers?.entity?.[0].what.reference).toBe(`Provenance/${signature.id ?? ''}`);
  expect(hers?.signature?.[0].data).toBe(signature.signature?.[0].data);
  const deliveries = await read<Bundle>(
    `Communication?subject=Patient/${YOUTH}&category=discharge-plan-delivery&_count=50`,
  );
  const recipients = (deliveries.entry ?? [])
    .map(
      (e) =>
        e.resource as {
          payload?: { contentReference?: { reference?: string } }[];
          recipient?: { reference?: string }[];
        },
    )
    .filter((c) => c.payload?.[0]?.contentReference?.reference === `DocumentReference/${finalised.id ?? ''}`)
    .map((c) => c.recipient?.[0]?.reference);
  expect(recipients.sort()).toEqual([HER, offered[0].valueReference?.reference].sort());
  expect((await read<Task>('Task/task-02')).status).toBe('completed');
  await phone.close();
});
