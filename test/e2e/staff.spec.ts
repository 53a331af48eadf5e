import { expect, test } from '@playwright/test';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';
import { DEFAULT_SCOPES } from '../../src/config/config';
import { fhirAs, handMadeContact, PINNED_SANDBOX } from '../support/e2eSandbox';
import { PINNED_NOW } from '../support/pinnedTime';

/**
 * Seed 000 staffing 8: a supervisor logs a dyad supervision for two Family Partners; both grids show the
 * week met with the clinician's name. The seeded sessions leave the current week open.
 */
test('a supervisor logs a dyad supervision for two Family Partners; both grids show the week met', async ({
  page,
}) => {
  await page.clock.install({ time: new Date(PINNED_NOW) });
  // The week of PINNED_NOW in Massachusetts (weeks start on Sunday): the grid's current week.
  const weekStart = await page.evaluate(() => {
    const day = new Date(new Date().toLocaleString('en-US', { timeZone: 'America/New_York' }));
    day.setDate(day.getDate() - day.getDay());
    return day.toLocaleDateString('en-CA');
  });
  await openCaseloadPicker(page, PINNED_SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: /Staff compliance/ }).click();
  await expect(page.getByRole('heading', { name: 'Staff compliance', level: 1 })).toBeVisible();
  const rosa = page.getByRole('table', { name: 'Weekly supervision: Rosa Delgado' });
  const james = page.getByRole('table', { name: 'Weekly supervision: James Okoro' });
  for (const grid of [rosa, james])
    await expect(grid.getByRole('row').nth(1).getByRole('cell').nth(1)).toContainText('Due this week');
  // James's insurance expires within the month; two of his annual topics are overdue.
  await expect(page.getByRole('list', { name: 'Needs attention: James Okoro' })).toContainText(
    'Auto insurance',
  );

  // A Senior Family Partner gives weekly supervision; she is not graded on receiving it (seed 000 staffing 8).
  const dana = page.getByRole('region', { name: 'Dana Whitfield (Senior Family Partner)' });
  await expect(dana).toContainText('Weekly supervision is required of Family Partners');
  await expect(dana).not.toContainText('Everything current');
  await expect(page.getByRole('table', { name: 'Weekly supervision: Dana Whitfield' })).toHaveCount(0);

  const form = page.getByRole('form', { name: 'Log supervision' });
  // Dana (a Senior Family Partner) is proposed as supervisor; a clinician's kind leaves no choice made, and
  // saving then says so — what is saved is what the box shows, never Dana as the "licensed clinician".
  await expect(form.getByLabel('Supervisor')).toHaveValue('Practitioner/sfp-dana');
  await form.getByLabel('Kind').selectOption({ label: 'Dyad (two supervisees), with a licensed clinician' });
  await expect(form.getByLabel('Supervisor')).toHaveValue('');
  await expect(form.getByLabel('Supervisor').getByRole('option', { name: 'Dana Whitfield' })).toHaveCount(0);
  await form.getByRole('checkbox', { name: 'Rosa Delgado' }).check();
  await form.getByRole('checkbox', { name: 'James Okoro' }).check();
  await form.getByRole('button', { name: 'Save supervision' }).click();
  await expect(form.getByRole('alert')).toContainText('Choose the supervisor.');
  await form.getByRole('checkbox', { name: 'James Okoro' }).uncheck();
  await form.getByLabel('Supervisor').selectOption({ label: 'Grace Lin' });
  await form.getByRole('checkbox', { name: 'Rosa Delgado' }).check();
  await form.getByRole('button', { name: 'Save supervision' }).click();
  await expect(form.getByRole('alert')).toContainText('A dyad has exactly two supervisees.');
  // The summary takes the focus and links to the field, which names its problem too.
  await expect(form.getByRole('alert')).toBeFocused();
  await expect(
    form.getByRole('link', { name: 'Supervisees: A dyad has exactly two supervisees.' }),
  ).toBeVisible();
  await expect(form.getByRole('group', { name: 'Supervisees' })).toHaveAccessibleDescription(
    'A dyad has exactly two supervisees.',
  );
  await form.getByRole('checkbox', { name: 'James Okoro' }).check();
  await form.getByRole('button', { name: 'Save supervision' }).click();
  await expect(form.getByRole('status')).toContainText('Supervision saved for 2 people.');

  for (const grid of [rosa, james]) {
    const thisWeek = grid.getByRole('row').nth(1).getByRole('cell').nth(1);
    await expect(thisWeek).toContainText('Met');
    await expect(thisWeek).toContainText('Grace Lin');
    // A dyad is not the Senior Family Partner's supervision.
    await expect(grid.getByRole('row').nth(1).getByRole('cell').nth(0)).toContainText('Due this week');
  }

  // The other kind: Dana's individual supervision of Rosa meets the Senior Family Partner requirement.
  await form.getByLabel('Kind').selectOption({ label: 'Individual, with a Senior Family Partner' });
  await form.getByLabel('Supervisor').selectOption({ label: 'Dana Whitfield' });
  await form.getByRole('checkbox', { name: 'Rosa Delgado' }).check();
  await form.getByRole('button', { name: 'Save supervision' }).click();
  await expect(form.getByRole('status')).toContainText(/Supervision saved for 1 (person|people)/);
  await expect(rosa.getByRole('row').nth(1).getByRole('cell').nth(0)).toContainText('Met');
  await expect(rosa.getByRole('row').nth(1).getByRole('cell').nth(0)).toContainText('Dana Whitfield');

  // The grid, the CSV and the server agree (issue 26's supervisor walk).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export supervision CSV' }).click(),
  ]);
  const csv = Buffer.concat(await (await download.createReadStream()).toArray())
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const rows = parseCsv(csv);
  const header = rows[0];
  const col = (name: string) => header.indexOf(name);
  const rosaRows = rows.filter((r) => r[col('staff')] === 'Rosa Delgado');
  const sessionsThisWeek = rosaRows.filter(
    (r) => r[col('record')] === 'session' && r[col('date')] >= weekStart,
  );
  expect(sessionsThisWeek.map((r) => r[col('supervisor')]).sort()).toEqual(['Dana Whitfield', 'Grace Lin']);
  const thisWeekRows = rosaRows.filter((r) => r[col('record')] === 'week' && r[col('date')] === weekStart);
  expect(thisWeekRows.map((r) => r[col('status')])).toEqual(['met', 'met']);
  const asDana = await fhirAs('youth-01', 'sfp-dana', 'user/Encounter.rs', PINNED_SANDBOX);
  const found = (await (
    await asDana(`Encounter?participant=Practitioner/fp-rosa&date=ge${weekStart}&_count=50`)
  ).json()) as { entry?: { resource: { type?: { coding?: { system?: string }[] }[] } }[] };
  const onServer = (found.entry ?? []).filter((e) =>
    e.resource.type?.some((t) => t.coding?.some((c) => c.system?.endsWith('fst-supervision-kind'))),
  );
  expect(onServer).toHaveLength(sessionsThisWeek.length);
});

test('a Family Partner sees her own compliance, read-only, from the caseload sign-in on a phone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openCaseloadPicker(page, PINNED_SANDBOX, 'James Okoro — Family Partner');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Your supervision, training and credentials' }).click();
  await expect(page.getByRole('heading', { name: 'Your staff compliance', level: 1 })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('Read-only');
  // His own card only: what is missing (staffing 1 b) and his own supervision weeks; nobody else's.
  await expect(page.getByRole('list', { name: 'Needs attention: James Okoro' })).toContainText(
    'Experience navigating child- and family-serving systems (1b)',
  );
  await expect(page.getByRole('table', { name: 'Weekly supervision: James Okoro' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Weekly supervision: Rosa Delgado' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Log supervision' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export supervision CSV' })).toHaveCount(0);
});

/**
 * Seed 000 staffing 6 names program managers beside Family Partners and supervisory staff. A program manager
 * oversees: the agency's caseload and everyone's staff records, read-only, her own course among them; she
 * writes nothing, on the screen or at the server.
 */
test('a program manager reads the agency caseload and every staff record, read-only, her own training too', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openCaseloadPicker(page, PINNED_SANDBOX, 'Teresa Nguyen — FST program manager');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Caseload and quality report', level: 1 })).toBeVisible();
  // The agency's families (Rosa's among them), not "My families" of nobody.
  const caseload = page.getByRole('table', { name: 'Caseload' });
  await expect(caseload.getByRole('link', { name: 'Sofía Ramírez' })).toBeVisible();
  // Incident reviews are the supervisor's.
  await expect(page.getByRole('region', { name: /Incident/ })).toHaveCount(0);

  await page.getByRole('link', { name: /Staff compliance/ }).click();
  await expect(page.getByRole('heading', { name: 'Staff compliance', level: 1 })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('Read-only');
  await expect(page.getByRole('table', { name: 'Weekly supervision: Rosa Delgado' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Weekly supervision: James Okoro' })).toBeVisible();
  // Her own card: the course only, with this year's risk-management topic overdue.
  const own = page.getByRole('region', { name: 'Teresa Nguyen (Program manager)' });
  await expect(page.getByRole('list', { name: 'Needs attention: Teresa Nguyen' })).toContainText(
    'Risk management / safety planning',
  );
  await expect(own).not.toContainText('Driver');
  await expect(own).not.toContainText('ICC training');
  await expect(page.getByRole('form', { name: 'Log supervision' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export supervision CSV' })).toBeVisible();

  // Where the data is: the sandbox refuses her an FST contact, as it refuses the button.
  const fhir = await fhirAs('youth-01', 'pm-teresa', DEFAULT_SCOPES.join(' '), PINNED_SANDBOX);
  const refused = await fhir('Communication', {
    method: 'POST',
    body: handMadeContact('youth-01', 'Practitioner/pm-teresa', new Date(PINNED_NOW).toISOString()),
  });
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('Only Family Partners and FST supervisors log FST contacts');
});

/**
 * Seed 000 staffing 9: a licensed clinician on call "during all hours in which any Family Partners provide
 * services … including evenings and weekends". The supervisor keeps the roster; the caseload lists the services
 * delivered with nobody on call, and the count follows the roster.
 */
test('the supervisor keeps the on-call roster; the caseload flags services with nobody on call', async ({
  page,
}) => {
  await page.clock.install({ time: new Date(PINNED_NOW) });
  await openCaseloadPicker(page, PINNED_SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const gaps = page.getByRole('heading', { name: /Caregiver services with no licensed clinician on call/ });
  await expect(gaps).toBeVisible();
  const before = Number(/\((\d+)\)/.exec((await gaps.textContent()) ?? '')?.[1]);
  expect(before).toBeGreaterThan(0);

  await page.getByRole('link', { name: /Staff compliance/ }).click();
  const roster = page.getByRole('list', { name: 'On-call hours of Grace Lin' });
  await expect(roster.getByRole('listitem')).toHaveText([
    'Mon–Fri 08:00–20:00 Remove',
    'Sat 09:00–13:00 Remove',
  ]);
  const form = page.getByRole('form', { name: 'Add on-call hours' });
  await form.getByRole('button', { name: 'Add hours' }).click();
  await expect(form.getByRole('alert')).toContainText('Choose at least one day.');
  await expect(form.getByLabel('Licensed clinician')).toHaveValue('Practitioner/lc-grace');
  await form.getByLabel('From').fill('00:00');
  await form.getByLabel('Until').fill('00:00');
  for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])
    await form.getByRole('checkbox', { name: day, exact: true }).check();
  await form.getByRole('button', { name: 'Add hours' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'On-call hours saved for Grace Lin.' }),
  ).toBeVisible();
  await expect(roster).toContainText('Mon–Sun 00:00–24:00');

  // On the server: the clinician's Practitioner carries the three stretches.
  const fhir = await fhirAs('youth-01', 'sfp-dana', DEFAULT_SCOPES.join(' '), PINNED_SANDBOX);
  const grace = (await (await fhir('Practitioner/lc-grace')).json()) as { extension?: { url: string }[] };
  expect(grace.extension?.filter((e) => e.url.endsWith('/fst-on-call-hours'))).toHaveLength(3);

  await page.getByRole('link', { name: 'Back to the caseload' }).click();
  await expect(gaps).toContainText('(0)');
  await expect(
    page.getByText('Every caregiver service in the period had a licensed clinician on call'),
  ).toBeVisible();

  // Taken off again: the roster and the count are as before.
  await page.getByRole('link', { name: /Staff compliance/ }).click();
  await roster.getByRole('button', { name: 'Remove Mon–Sun 00:00–24:00 from Grace Lin' }).click();
  await expect(roster.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('link', { name: 'Back to the caseload' }).click();
  await expect(gaps).toContainText(`(${before})`);
});

/** Seed 000 process 7: a Family Partner's lived experience is what a caregiver's wishes are matched against. */
test('the supervisor records a Family Partner’s lived experience, with no date, for matching', async ({
  page,
}) => {
  await openCaseloadPicker(page, PINNED_SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: /Staff compliance/ }).click();
  const rosa = page.getByRole('region', { name: 'Rosa Delgado (Family Partner)' });
  await expect(rosa).toContainText(
    'Lived experience, for matching families: special education (IEP), child welfare (DCF) involvement',
  );
  const form = page.getByRole('form', { name: 'Record training or credential' });
  await form.getByLabel('Person').selectOption({ label: 'Rosa Delgado' });
  await form
    .getByLabel('Training or credential')
    .selectOption({ label: 'Lived experience of developmental disability' });
  await form.getByRole('button', { name: 'Record' }).click();
  await expect(form.getByRole('status')).toHaveText('Recorded for Rosa Delgado.');
  await expect(rosa).toContainText('child welfare (DCF) involvement, developmental disability');
});

/** RFC 4180 rows: quoted fields may hold commas ("Individual, with a Senior Family Partner"). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted && ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += ch;
      }
      cells.push(cell);
      return cells;
    });
}
