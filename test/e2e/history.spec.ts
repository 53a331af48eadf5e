import { expect, test } from '@playwright/test';
import { readPdf } from '../support/pdfText';

const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;
const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;

test('care coordinator: the 13-month history is virtualised, filterable and exports CSV', async ({
  page,
}) => {
  await page.goto(
    `${SANDBOX}/launch?patient=youth-02&user=icc-marcus&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await page.getByRole('link', { name: 'Contact history' }).click();
  const heading = page.getByRole('heading', { name: /Contact timeline/ });
  await expect(heading).toContainText(/\((\d{3})\)/);
  const total = Number(/\((\d+)\)/.exec((await heading.textContent()) ?? '')?.[1]);
  const timeline = page.getByRole('list', { name: 'Contact timeline' });
  const rendered = await timeline.getByRole('listitem').count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(total); // only the visible rows are in the DOM

  await page.getByLabel('Type').selectOption('collateral');
  await page.getByLabel('Search notes').fill('week 12.');
  await expect(heading).toContainText('(1)');
  await expect(timeline).toContainText('Update to treating provider on progress, week 12.');

  // The coded filter is in the address (never the words searched for): a reload keeps it.
  expect(page.url()).toContain('kind=collateral');
  expect(page.url()).not.toContain('week');
  await page.reload();
  await expect(page.getByLabel('Type')).toHaveValue('collateral');
  await expect(page.getByLabel('Search notes')).toHaveValue('');
  await page.getByLabel('Search notes').fill('week 12.');
  await expect(heading).toContainText('(1)');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^FST-contacts-EW-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = await (await download.createReadStream()).toArray();
  const bytes = Buffer.concat(csv);
  // A UTF-8 byte-order mark first: Excel on Windows then reads "Sofía" as written.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe(
    'date,time,time_zone,type,status,method,with,family_partner,duration_minutes,h2014_units,place_of_service,pos_code,purposes,goals,attempt_reason,note,corrections,telehealth_platform,telehealth_requested_by_family,recorded_at,recorded_days_after',
  );
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(',America/New_York,collateral,completed,phone,Helen Park,Rosa Delgado,15,1,');

  // Header plus one row per month of the 13-month history (the filters do not apply to units).
  const unitRows = page.getByRole('table', { name: 'H2014 units per month' }).getByRole('row');
  await expect(unitRows.nth(13)).toBeVisible();
  // One date format: months read "Dec 2026", never ISO.
  await expect(unitRows.nth(1)).toContainText(/^[A-Z][a-z]{2} \d{4}/);
  await expect(unitRows.nth(1)).not.toContainText(/\d{4}-\d{2}/);
});

test('corrections: an amendment never overwrites a concurrent edit; withdrawing hides the contact', async ({
  page,
}) => {
  const { ehrLaunchToken } = await import('../support/smartFlow');
  await page.goto(
    `${SANDBOX}/launch?patient=youth-06&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await page.getByRole('link', { name: 'Contact history' }).click();
  const timeline = page.getByRole('list', { name: 'Contact timeline' });
  const item = timeline.getByRole('listitem').first();
  await item.getByRole('button', { name: 'Amend note or date' }).click();
  await item.getByLabel('Amended note').fill('Intro call; family prefers evenings.');
  await item.getByLabel('Reason for the amendment').fill('Added the family’s preferred time');

  // Someone else edits the same contact meanwhile.
  const token = await ehrLaunchToken(SANDBOX, {
    patient: 'youth-06',
    user: 'sfp-dana',
    scope: 'launch openid fhirUser patient/Communication.rus',
    issuer: `${SANDBOX}/auth`,
    fhirBase: `${SANDBOX}/fhir`,
    appUrl: APP,
  });
  const auth = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/fhir+json' };
  const current = await (await fetch(`${SANDBOX}/fhir/Communication/comm-06-1`, { headers: auth })).json();
  const put = await fetch(`${SANDBOX}/fhir/Communication/comm-06-1`, {
    method: 'PUT',
    headers: { ...auth, 'if-match': `W/"${current.meta.versionId}"` },
    body: JSON.stringify({ ...current, payload: [{ contentString: 'Supervisor edit' }] }),
  });
  expect(put.status).toBe(200);

  await item.getByRole('button', { name: 'Save amendment' }).click();
  const alert = item.getByRole('alert');
  await expect(alert).toContainText('Someone else changed this record');
  await expect(alert).toContainText('Supervisor edit'); // the other person's version, shown beside the typed text
  await expect(item.getByLabel('Amended note')).toHaveValue('Intro call; family prefers evenings.');
  await item.getByRole('button', { name: 'Apply my change to their version' }).click();
  await expect(item.getByRole('alert')).toHaveCount(0);
  await item.getByRole('button', { name: 'Save amendment' }).click();
  await expect(timeline).toContainText('Intro call; family prefers evenings.');
  // The audit trail: who amended, and when.
  await expect(timeline.getByRole('listitem').first()).toContainText(
    /Amended by Rosa Delgado on \d{4}-\d{2}-\d{2}/,
  );
  await expect(timeline.getByRole('listitem').first()).toContainText('Added the family’s preferred time');

  await timeline.getByRole('listitem').first().getByRole('button', { name: 'Mark entered in error' }).click();
  await timeline.getByLabel('Reason it was entered in error').fill('Logged on the wrong family');
  await timeline.getByRole('button', { name: 'Withdraw contact' }).click();
  // Withdrawing asks first.
  await expect(timeline.getByRole('alert')).toContainText('Withdraw this contact?');
  await timeline.getByRole('button', { name: 'Yes, withdraw it' }).click();
  await expect(page.getByRole('heading', { name: /Contact timeline/ })).toContainText('(0)');
  const after = await (await fetch(`${SANDBOX}/fhir/Communication/comm-06-1`, { headers: auth })).json();
  expect(after.status).toBe('entered-in-error');
  // The withdrawn view: the entry with who withdrew it and why.
  await page.getByLabel('Show withdrawn entries').check();
  await expect(timeline).toContainText('Withdrawn (entered in error)');
  await expect(timeline).toContainText(
    /Withdrawn by Rosa Delgado on [\d-]+ [\d:]+: Logged on the wrong family/,
  );
});

test('the printed history starts on the first page, says who printed it and when, numbers its pages and gives units', async ({
  page,
}) => {
  // The app calls window.print(); here the page is printed to PDF instead, as the browser would.
  await page.addInitScript(() => {
    window.print = () => undefined;
  });
  await page.goto(
    `${SANDBOX}/launch?patient=youth-02&user=icc-marcus&app=${encodeURIComponent(`${APP}/launch.html`)}`,
  );
  await page.getByRole('link', { name: 'Contact history' }).click();
  await page.getByRole('button', { name: 'Print' }).click();
  const printed = page.getByRole('region', { name: /^Contact history \(\d+\)$/ });
  await expect(printed).toContainText('Printed');
  await page.emulateMedia({ media: 'print' });
  const pdf = await readPdf(new Uint8Array(await page.pdf({ format: 'Letter' })));
  expect(pdf.pages).toBeGreaterThan(1);
  const first = pdf.pageTexts[0].replace(/\s+/g, ' ');
  // Not a blank first page: the history begins on it, with who printed it.
  expect(first).toMatch(/Printed .* by Marcus Bell/);
  expect(first).toMatch(/Contact history \(\d+\)/);
  expect(first).toMatch(/\d+ min \(\d+ units?\)/);
  expect(first).toContain(`Page 1 of ${pdf.pages}`);
  expect(pdf.pageTexts.at(-1)?.replace(/\s+/g, ' ')).toContain(`Page ${pdf.pages} of ${pdf.pages}`);
});
