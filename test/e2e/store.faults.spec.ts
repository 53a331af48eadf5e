import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { Bundle, Communication, DocumentReference, Patient, Task } from 'fhir/r4';
import { DEFAULT_SCOPES } from '../../src/config/config';
import { fhirAs, launch, LIMITED_SANDBOX, storeAs, storeFault } from '../support/e2eSandbox';
import { fillGoalsMetPlanAndSign } from '../support/dischargeWizard';

/**
 * Issue 36's fault walk on the EHR that accepts only the discharge plan, with the agency's record store beside
 * it (SANDBOX_EHR=limited, SANDBOX_FAULT_CONTROL): the store down at launch, the store failing mid-discharge
 * and the discharge finalised again from a new tab, the store's sign-in ending mid-form and the draft found by
 * a relaunch in a new tab. After each step both servers are read and compared with what the screen says.
 */
test.describe.configure({ mode: 'serial' });

const STORE = 'Harbor Family Services FST record store';
const card = (page: Page) => page.getByRole('region', { name: 'FST referral' });
const scopes = DEFAULT_SCOPES.join(' ');
const entries = async <T>(res: Response) =>
  ((await res.json()) as Bundle).entry?.map((e) => e.resource as T) ?? [];

test.afterEach(async () => storeFault('up'));

test("the store down at launch: the EHR's chart shows, the FST part names the store; it comes back on Try again", async ({
  page,
}) => {
  const ehr = await fhirAs('youth-01', 'fp-rosa', scopes, LIMITED_SANDBOX);
  const youth = (await (await ehr('Patient/youth-01')).json()) as Patient;
  const store = await storeAs('youth-01', 'fp-rosa', scopes);
  const tasks = await entries<Task>(await store('Task?patient=Patient/youth-01'));
  expect(tasks.length).toBeGreaterThan(0);

  await storeFault('down');
  await page.goto(launch('youth-01', 'fp-rosa', LIMITED_SANDBOX));
  const down = page.getByRole('alert').filter({ hasText: `${STORE} cannot be reached` });
  await expect(down).toBeVisible();
  await expect(down).toContainText('Still working');
  // The chart, as the EHR holds it.
  await expect(page.getByRole('region', { name: 'Patient' })).toContainText(
    youth.name?.[0]?.given?.[0] ?? '',
  );
  await expect(page.getByRole('region', { name: 'Caregivers' })).toBeVisible();
  // No FST card passes the unread store for an empty one, and nothing offers a write that cannot land.
  await expect(card(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Log contact' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Refer to FST' })).toHaveCount(0);
  await expect(page.getByText('could not start')).toHaveCount(0);

  await storeFault('up');
  await down.getByRole('button', { name: 'Try again' }).click();
  await expect(card(page)).toBeVisible();
  await expect(down).toHaveCount(0);
  // The screen's referral is the store's.
  const open = tasks.filter((t) => !['completed', 'failed', 'cancelled', 'rejected'].includes(t.status));
  expect(open.length).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Log contact' })).toBeVisible();
});

test('the store failing mid-discharge: half finished in the chart, shown so from a new tab, finalised once', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const ehr = await fhirAs('youth-03', 'fp-rosa', scopes, LIMITED_SANDBOX);
  const plans = async () =>
    entries<DocumentReference>(
      await ehr('DocumentReference?subject=Patient/youth-03&type=http://loinc.org|18842-5'),
    );
  const store = await storeAs('youth-03', 'fp-rosa', scopes);
  const referralStatus = async () =>
    (await entries<Task>(await store('Task?patient=Patient/youth-03&_sort=-authored'))).map((t) => t.status);
  const before = (await plans()).length;

  await page.goto(launch('youth-03', 'fp-rosa', LIMITED_SANDBOX));
  await page.getByRole('link', { name: 'Plan discharge' }).click();
  await fillGoalsMetPlanAndSign(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 3 of 3: Review and finalise' })).toBeVisible();

  // The store's transaction fails (the limited EHR takes the plan as a plain create, before it).
  expect((await fetch(`${LIMITED_SANDBOX}/_sandbox/fail-next-transaction`, { method: 'POST' })).status).toBe(
    204,
  );
  await page.getByRole('button', { name: 'Finalise discharge' }).click();
  const half = page.getByRole('alert').filter({ hasText: 'The discharge is half finished' });
  await expect(half).toBeVisible({ timeout: 30_000 });
  await expect(half).toContainText('The signed plan is in the chart');
  await expect(half).toContainText(STORE);
  // What the servers hold: the plan in the chart, the referral still open in the store.
  expect(await plans()).toHaveLength(before + 1);
  expect((await referralStatus())[0]).toBe('in-progress');

  // A relaunch in a new tab: the workspace says so, from the servers, with the action that finishes it.
  const second = await context.newPage();
  await second.goto(launch('youth-03', 'fp-rosa', LIMITED_SANDBOX));
  const banner = second.getByRole('alert').filter({ hasText: 'The discharge is half finished' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('is in the chart, but the referral is still open');
  await banner.getByRole('link', { name: 'Finish the discharge' }).click();
  // The draft was found in the new tab (the encrypted vault): the wizard is at its review, signed.
  await expect(second.getByRole('heading', { name: 'Step 3 of 3: Review and finalise' })).toBeVisible();
  await second.getByRole('button', { name: 'Finalise discharge' }).click();
  await expect(second.getByRole('heading', { name: 'Discharge finalised' })).toBeVisible({ timeout: 30_000 });
  // Once: one plan in the chart, the referral completed in the store.
  expect(await plans()).toHaveLength(before + 1);
  expect((await referralStatus())[0]).toBe('completed');
  await second.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(second.getByText('The discharge is half finished')).toHaveCount(0);
});

test("the store's sign-in ends mid-form: one message; a relaunch in a new tab finds the draft and saves it once", async ({
  page,
  context,
}) => {
  const note = `Called the grandmother about Tuesday pickups ${Date.now()}.`;
  const store = await storeAs('youth-01', 'fp-rosa', scopes);
  const notes = async () =>
    (await entries<Communication>(await store('Communication?patient=Patient/youth-01&_count=500')))
      .flatMap((c) => c.payload ?? [])
      .filter((p) => p.contentString === note);

  await page.goto(launch('youth-01', 'fp-rosa', LIMITED_SANDBOX));
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  await form.getByLabel('Method').selectOption('phone');
  await form.getByLabel('Duration (minutes)').fill('15');
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Supporting').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form.getByLabel('Progress note').fill(note);

  await storeFault('signed-out');
  await form.getByRole('button', { name: 'Save contact' }).click();
  const formAlert = form.getByRole('alert');
  await expect(formAlert).toContainText('What you typed is kept, encrypted on this device for a day');
  await expect(formAlert).not.toContainText('FST supervisor');
  const banner = page.locator('.session-banner');
  await expect(banner).toContainText('Your session has expired');
  await expect(banner).toContainText('What you typed is kept, encrypted on this device for a day');
  expect(await notes()).toHaveLength(0);

  await storeFault('up');
  const second = await context.newPage();
  await second.goto(launch('youth-01', 'fp-rosa', LIMITED_SANDBOX));
  await second.getByRole('button', { name: 'Log contact' }).click();
  const again = second.getByRole('form', { name: 'Log contact' });
  await expect(again.getByLabel('Progress note')).toHaveValue(note);
  await again.getByRole('button', { name: 'Save contact' }).click();
  await expect(second.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();
  expect(await notes()).toHaveLength(1);
  // Saved: the draft is gone from the vault too, so a third tab starts empty.
  const third = await context.newPage();
  await third.goto(launch('youth-01', 'fp-rosa', LIMITED_SANDBOX));
  await third.getByRole('button', { name: 'Log contact' }).click();
  await expect(third.getByRole('form', { name: 'Log contact' }).getByLabel('Progress note')).toHaveValue('');
});
