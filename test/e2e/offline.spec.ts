import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { ehrLaunchToken } from '../support/smartFlow';

/**
 * Issue 38: a Family Partner without signal. The workspace is opened online, the network goes (Playwright's
 * setOffline: the browser has none, the sandbox keeps running), contacts are logged into the device's outbox,
 * the page is reloaded offline (the service worker's shell, the device's encrypted copy of the workspace),
 * and the connection comes back: the replay writes each record once, or shows the server's refusal.
 */
test.use({ serviceWorkers: 'allow' });

// The SMART v1 sandbox, which no other spec writes to: youth-09's first call is still due here (contacts.spec
// meets it on the main sandbox earlier in the run).
const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_V1_PORT ?? '8182'}`;
const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;
const CLIENT_REQUEST = 'https://fst-companion.example.org/fhir/identifier/client-request';

async function tokenFor(patient: string, user: string, scope: string) {
  const token = await ehrLaunchToken(SANDBOX, {
    patient,
    user,
    scope: `launch openid fhirUser ${scope}`,
    issuer: `${SANDBOX}/auth`,
    fhirBase: `${SANDBOX}/fhir`,
    appUrl: APP,
  });
  return String(token.access_token);
}

// SMART v1 scopes: this is the v1 sandbox.
async function communications(patient: string): Promise<any[]> {
  const token = await tokenFor(patient, 'sfp-dana', 'patient/Communication.read');
  const res = await fetch(`${SANDBOX}/fhir/Communication?subject=Patient/${patient}&_count=500`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const bundle = (await res.json()) as { entry?: { resource: any }[] };
  return (bundle.entry ?? []).map((e) => e.resource);
}

const requestIdOf = (c: any): string | undefined =>
  c.identifier?.find((i: any) => i.system === CLIENT_REQUEST)?.value;

async function openWorkspace(page: Page, patient: string) {
  await page.goto(
    `${SANDBOX}/launch?patient=${patient}&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await expect(page.getByRole('table', { name: 'Compliance clocks' })).toBeVisible();
  // The offline shell is installed and controls the page before the network goes.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForFunction(async () => (await caches.match('/config.json')) !== undefined);
}

/** The contact form's idempotency key, from the draft kept in this tab. */
async function draftRequestId(page: Page): Promise<string> {
  const id = await page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i) ?? '';
      if (!key.startsWith('fst-draft:contact:')) continue;
      return /"requestId":"([^"]+)"/.exec(sessionStorage.getItem(key) ?? '')?.[1];
    }
    return undefined;
  });
  if (!id) throw new Error('no contact draft in this tab');
  return id;
}

async function logContact(
  page: Page,
  opts: { with?: string; method: string; minutes?: string; note: string; attempt?: string },
): Promise<string> {
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  if (opts.with) await form.getByLabel('Contact with').selectOption(opts.with);
  await form.getByLabel('Method').selectOption({ label: opts.method });
  // Seed 000 service component 5: an in-person contact says where it took place.
  if (opts.method === 'Face-to-face' && !opts.attempt)
    await form.getByLabel('Place of service').selectOption({ label: "The caregiver's home" });
  if (opts.attempt) {
    await form.getByLabel('Attempt only (no contact made)').check();
    await form.getByLabel('Reason').selectOption({ label: opts.attempt });
  } else {
    await form.getByLabel('Duration (minutes)').fill(opts.minutes ?? '30');
    await form.getByRole('group', { name: 'Purpose' }).getByLabel('Educating').check();
    await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  }
  await form.getByLabel('Progress note').fill(opts.note);
  const requestId = await draftRequestId(page);
  await form.getByRole('button', { name: 'Save contact' }).click();
  return requestId;
}

test('offline: two contacts and an attempt wait on the device, survive a reload, and are stored once each', async ({
  page,
  context,
}) => {
  const before = await communications('youth-09');
  await openWorkspace(page, 'youth-09');
  const clocks = page.getByRole('table', { name: 'Compliance clocks' });
  const firstCall = clocks.getByRole('row', { name: /Caregiver called within 5 days/ });
  await expect(firstCall).toContainText('Due');

  await context.setOffline(true);
  await expect(page.getByRole('status').filter({ hasText: 'Offline.' })).toBeVisible();
  const ids: string[] = [];
  ids.push(
    await logContact(page, { method: 'Face-to-face', minutes: '60', note: 'Doorstep visit, no signal.' }),
  );
  const queued = page.getByText(
    'Saved on this device, not yet on the server: it is sent when you are connected.',
  );
  const pending = page.getByRole('list', { name: 'Pending records' });
  await expect(queued).toBeVisible();
  await expect(pending.getByRole('listitem')).toHaveCount(1);
  ids.push(
    await logContact(page, {
      with: 'Practitioner/icc-marcus',
      method: 'Phone',
      minutes: '15',
      note: 'Told the care coordinator about the visit.',
    }),
  );
  await expect(pending.getByRole('listitem')).toHaveCount(2);
  ids.push(
    await logContact(page, { method: 'Phone', attempt: 'No answer', note: 'Called back, no answer.' }),
  );
  expect(new Set(ids).size).toBe(3);
  await expect(pending.getByRole('listitem')).toHaveCount(3);
  await expect(pending).toContainText('(attempt)');
  // A pending contact counts as pending, never as met, until the server holds it.
  await expect(firstCall).toContainText('Pending: not yet sent');
  await expect(page.getByRole('region', { name: 'Recent contacts' })).toContainText('Pending: not yet sent');
  // The server holds none of them yet.
  expect((await communications('youth-09')).length).toBe(before.length);

  // Reloaded without a network: the shell from the service worker, the workspace from the device's copy.
  await page.reload();
  await expect(
    page.getByRole('status').filter({ hasText: 'Showing the copy kept on this device' }),
  ).toBeVisible();
  await expect(clocks).toBeVisible();
  await expect(pending.getByRole('listitem')).toHaveCount(3);
  await expect(firstCall).toContainText('Pending: not yet sent');
  expect((await communications('youth-09')).length).toBe(before.length);

  // The connection is back: the outbox replays in order, once.
  await context.setOffline(false);
  await expect(pending).toHaveCount(0);
  await expect(firstCall).toContainText('Met');
  const after = await communications('youth-09');
  const added = after.filter((c) => !before.some((b) => b.id === c.id));
  expect(added).toHaveLength(3);
  expect(added.map(requestIdOf).sort()).toEqual([...ids].sort());
  const attempt = added.find((c) => requestIdOf(c) === ids[2]);
  expect(attempt.status).toBe('not-done');
  // Sent in the order saved: the server's versions were created one after the other.
  const order = [...added].sort((a, b) => a.meta.lastUpdated.localeCompare(b.meta.lastUpdated));
  expect(order.map(requestIdOf)).toEqual(ids);

  // Coming back to the app replays again: nothing is written twice.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await page.reload();
  await expect(firstCall).toContainText('Met');
  expect((await communications('youth-09')).length).toBe(before.length + 3);

  // Signing out deletes the device's copies of what was read, and this tab's sign-in.
  expect(await readCopies(page)).toBeGreaterThan(0);
  page.once('dialog', (d) => {
    expect(d.message()).toContain('copies of workspaces kept on this device');
    void d.accept();
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeFocused();
  expect(await readCopies(page)).toBe(0);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});

/** How many workspace reads the device keeps (sealed: only counted, never read here). */
function readCopies(page: Page): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('reads').objectStore('reads').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
    'fst-offline',
  );
}

test('a replay the server refuses is kept under "needs review" with the server’s words', async ({
  page,
  context,
}) => {
  await openWorkspace(page, 'youth-05');
  // One contact online: the server's copy of it is the template of the conflicting records below.
  const first = await logContact(page, { method: 'Phone', minutes: '20', note: 'Weekly call.' });
  await expect(page.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();

  await context.setOffline(true);
  const queuedId = await logContact(page, { method: 'Phone', minutes: '25', note: 'Call from the car.' });
  await expect(page.getByRole('list', { name: 'Pending records' }).getByRole('listitem')).toHaveCount(1);

  // Meanwhile two records claiming the same client request id reach the server (another system's import):
  // the replay's conditional create can no longer tell which one is its own.
  const token = await tokenFor(
    'youth-05',
    'fp-rosa',
    'patient/Communication.write patient/Communication.read',
  );
  const template = (await communications('youth-05')).find((c) => requestIdOf(c) === first);
  expect(template).toBeDefined();
  for (let i = 0; i < 2; i++) {
    const { id: _id, meta: _meta, ...rest } = template;
    const body = {
      ...rest,
      identifier: [{ system: CLIENT_REQUEST, value: queuedId }],
      meta: { profile: template.meta.profile },
    };
    const res = await fetch(`${SANDBOX}/fhir/Communication`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
  }

  await context.setOffline(false);
  const review = page.getByRole('list', { name: 'Records that need review' });
  await expect(review.getByRole('listitem')).toHaveCount(1);
  // The server's own words, named by the server's name; nothing was stored by the replay.
  await expect(review).toContainText('FST Sandbox EHR said:');
  await expect(page.getByRole('list', { name: 'Pending records' })).toHaveCount(0);
  const same = (await communications('youth-05')).filter((c) => requestIdOf(c) === queuedId);
  expect(same).toHaveLength(2);
  // It stays after a reload: nothing is dropped silently.
  await page.reload();
  await expect(review.getByRole('listitem')).toHaveCount(1);
});
