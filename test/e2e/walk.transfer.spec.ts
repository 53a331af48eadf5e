import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fhirAs, handMadeContact, launch, SANDBOX } from '../support/e2eSandbox';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';
import { fillGoalsMetPlanAndSign } from '../support/dischargeWizard';

/**
 * Issue 35's third walk, where two paths meet: a Family Partner leaves and the supervisor moves her family (on a
 * phone), then the rest of her families at once (at 1280 px); the former Family Partner is refused in the app and
 * on the server; a second referral of a youth in service is refused; a stopped episode tells the referrer what
 * must happen first; a youth whose episode ended is referred again. After each step the servers are read and
 * compared with what the screen says. Runs after walk.spec.ts (file order): the families it moves are left
 * moved.
 */
test.describe.configure({ mode: 'serial' });

const ROSA = 'PractitionerRole/role-fp-rosa';
const JAMES = 'PractitionerRole/role-fp-james';
const NAMES: Record<string, string> = { [ROSA]: 'Rosa Delgado', [JAMES]: 'James Okoro' };
const HISTORY = 'https://fst-companion.example.org/fhir/StructureDefinition/fst-status-history';
const card = (page: Page) => page.getByRole('region', { name: 'FST referral' });
const noSidewaysScroll = async (page: Page, width: number) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

type Json = Record<string, any>;
const supervisorReads = () => fhirAs('youth-02', 'lc-grace', 'user/Task.rs user/Communication.rs');
const part = (entry: Json, url: string) => entry.extension.find((e: Json) => e.url === url);
/** The FST referral Tasks of a youth, as the server holds them. */
async function referralTasks(youth: string): Promise<Json[]> {
  const read = await fhirAs(youth, 'lc-grace', 'user/Task.rs');
  const bundle = await (await read(`Task?patient=Patient/${youth}&code=fulfill&_count=100`)).json();
  return (bundle.entry ?? [])
    .map((e: Json) => e.resource)
    .filter((t: Json) => (t.meta?.profile ?? []).some((p: string) => p.endsWith('fst-referral-task')));
}
const OPEN = ['requested', 'accepted', 'in-progress', 'on-hold'];
const openOf = (tasks: Json[]) =>
  tasks.filter((t) => OPEN.includes(t.status) && t.businessStatus?.coding?.[0]?.code !== 'stopped');

let former = ROSA;
let current = JAMES;

test('on a phone the supervisor moves a family to another Family Partner: asked why, confirmed, recorded', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const read = await supervisorReads();
  const before = await (await read('Task/task-02')).json();
  former = before.owner.reference;
  current = former === ROSA ? JAMES : ROSA;
  await page.goto(launch('youth-02', 'lc-grace'));
  const choice = card(page).getByLabel('Family Partner');
  // The panel starts on the Family Partner the server holds, and marks her.
  await expect(choice).toHaveValue(former);
  await expect(choice.locator('option:checked')).toContainText(`${NAMES[former]} (assigned now)`);
  await expect(card(page)).toContainText(`Assigned now: ${NAMES[former]}.`);
  await expect(card(page).getByText(/Each serves at most \d+ families\./)).toBeVisible();
  await choice.selectOption(current);
  await card(page)
    .getByRole('button', { name: `Move to ${NAMES[current]}…` })
    .click();
  // One press moves nothing: the move is confirmed, with its reason.
  const confirm = card(page).getByRole('group', { name: 'Confirm the move' });
  await expect(confirm).toContainText(`Move this family from ${NAMES[former]} to ${NAMES[current]}?`);
  expect((await (await read('Task/task-02')).json()).meta.versionId).toBe(before.meta.versionId);
  await card(page)
    .getByRole('button', { name: `Confirm move to ${NAMES[current]}` })
    .click();
  await expect(card(page).getByRole('alert')).toContainText('Say why the family moves');
  await confirm.getByLabel('Why the family moves').fill('Leaving the agency at the end of the month');
  await card(page)
    .getByRole('button', { name: `Confirm move to ${NAMES[current]}` })
    .click();
  await expect(card(page).getByRole('status').filter({ hasText: 'Moved to' })).toHaveText(
    `Moved to ${NAMES[current]}; the move is in the status history.`,
  );
  const history = card(page).getByRole('list', { name: 'Referral status history' });
  await expect(history).toContainText(
    `Moved from ${NAMES[former]} to ${NAMES[current]} · by Grace Lin · Leaving the agency at the end of the month`,
  );
  await expect(card(page)).toContainText(`${NAMES[current]} (Family Partner)`);
  await noSidewaysScroll(page, 375);

  // On the server: the owner, and one history entry saying who, when, from whom, to whom and why.
  const after = await (await read('Task/task-02')).json();
  expect(after.owner.reference).toBe(current);
  expect(after.status).toBe(before.status);
  const entries = after.extension.filter((e: Json) => e.url === HISTORY);
  expect(entries).toHaveLength(before.extension.filter((e: Json) => e.url === HISTORY).length + 1);
  const entry = entries.at(-1);
  expect(part(entry, 'fromOwner').valueReference.reference).toBe(former);
  expect(part(entry, 'toOwner').valueReference.reference).toBe(current);
  expect(part(entry, 'by').valueReference.reference).toBe('Practitioner/lc-grace');
  expect(part(entry, 'reason').valueString).toBe('Leaving the agency at the end of the month');
  expect(Date.now() - Date.parse(part(entry, 'at').valueDateTime)).toBeLessThan(10 * 60_000);
});

test('the former Family Partner is told, and her writes are refused — in the app and on the server', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const user = former === ROSA ? 'fp-rosa' : 'fp-james';
  await page.goto(launch('youth-02', user));
  await expect(
    card(page).getByRole('status').filter({ hasText: 'You no longer serve this family' }),
  ).toContainText(
    `moved from you to ${NAMES[current]} by Grace Lin (Leaving the agency at the end of the month)`,
  );
  const log = page.getByRole('button', { name: 'Log contact' });
  await expect(log).toBeDisabled();
  await expect(log).toHaveAccessibleDescription(
    /This family was moved to another Family Partner on \d{4}-\d{2}-\d{2}/,
  );

  const read = await supervisorReads();
  const count = async () =>
    (await (await read('Communication?subject=Patient/youth-02&_summary=count')).json()).total;
  const contacts = await count();
  const asFormer = await fhirAs('youth-02', user, 'patient/Communication.crus');
  const res = await asFormer('Communication', {
    method: 'POST',
    body: handMadeContact('youth-02', `Practitioner/${user}`, new Date().toISOString()),
  });
  expect(res.status).toBe(403);
  const outcome = await res.json();
  expect(outcome.issue[0].details.text).toContain('This family was moved to another Family Partner on');
  expect(await count()).toBe(contacts);
});

test('the supervisor moves the rest of a Family Partner’s families at once, after a preview of who goes to whom', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // Whose open families the server holds for the Family Partner who now has youth-02: all of them move back.
  const read = await fhirAs('youth-02', 'sfp-dana', 'user/Task.rs user/Patient.rs');
  const owned = await (
    await read(`Task?code=fulfill&owner=${current}&status=${OPEN.join(',')}&_count=200&_include=Task:patient`)
  ).json();
  const tasks = (owned.entry ?? [])
    .filter((e: Json) => e.resource.resourceType === 'Task')
    .map((e: Json) => e.resource);
  const patients = new Map<string, string>(
    (owned.entry ?? [])
      .filter((e: Json) => e.resource.resourceType === 'Patient')
      .map((e: Json) => [
        `Patient/${e.resource.id}`,
        `${e.resource.name[0].given[0]} ${e.resource.name[0].family}`,
      ]),
  );
  expect(tasks.length).toBeGreaterThan(0);
  await openCaseloadPicker(page, SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const move = page.getByRole('region', { name: 'Move a Family Partner’s families' });
  await move.getByLabel('From').selectOption(current);
  await move.getByLabel('To').selectOption(former);
  await move.getByRole('button', { name: 'Preview the move' }).click();
  await expect(move.getByRole('alert')).toContainText('Say why the families move');
  await move.getByLabel('Why they move').fill('Back from leave');
  await move.getByRole('button', { name: 'Preview the move' }).click();
  const preview = move.getByRole('list', { name: 'Families to move' });
  // The preview is what the server holds: each of her open families, to whom it goes.
  await expect(preview.getByRole('listitem')).toHaveCount(tasks.length);
  for (const t of tasks)
    await expect(preview).toContainText(`${patients.get(t.for.reference)} → ${NAMES[former]}`);
  for (const t of tasks) expect((await (await read(`Task/${t.id}`)).json()).owner.reference).toBe(current);
  await move.getByRole('button', { name: /^Move \d+ famil/ }).click();
  const moved = move.getByRole('list', { name: 'Moved families' });
  await expect(moved.getByRole('listitem')).toHaveCount(tasks.length);
  // Each move is a normal transfer on the server, and the screen says what the server wrote.
  for (const t of tasks) {
    const after = await (await read(`Task/${t.id}`)).json();
    expect(after.owner.reference).toBe(former);
    const entry = after.extension.filter((e: Json) => e.url === HISTORY).at(-1);
    expect(part(entry, 'fromOwner').valueReference.reference).toBe(current);
    expect(part(entry, 'by').valueReference.reference).toBe('Practitioner/sfp-dana');
    expect(part(entry, 'reason').valueString).toBe('Back from leave');
    await expect(moved).toContainText(`${patients.get(t.for.reference)}: now with ${NAMES[former]}`);
  }
});

for (const width of [1280, 375]) {
  test(`a second referral of a youth in service is refused, on screen and on the server (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    const [open] = openOf(await referralTasks('youth-01'));
    expect(open).toBeDefined();
    await page.goto(launch('youth-01', 'op-helen'));
    await expect(card(page)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Refer to FST' })).toHaveCount(0);
    await page.goto(page.url().replace(/\/patients\/youth-01.*$/, '/patients/youth-01/refer'));
    await expect(page.getByRole('alert')).toContainText('You cannot refer this youth');
    await expect(page.getByRole('alert')).toContainText('This youth already has an open FST referral.');
    // On a phone the compliance clocks keep their details: what a status rests on.
    await page.getByRole('link', { name: 'Back to the overview' }).click();
    const rows = page.getByRole('table', { name: 'Compliance clocks' }).getByRole('row');
    await expect(rows.nth(1)).toBeVisible();
    for (const row of await rows.all()) {
      if (await row.getByRole('columnheader').count()) continue;
      const details = row.locator('.clock-details');
      if (width === 375) await expect(details).toBeVisible();
      else await expect(details).toBeHidden();
      await expect(details).not.toHaveText('');
    }
    await noSidewaysScroll(page, width);
    // The server refuses it too, naming the open one; the youth keeps one open referral.
    const asHelen = await fhirAs('youth-01', 'op-helen', 'patient/Task.crus');
    const second = { ...open, id: undefined, meta: undefined, status: 'requested' } as Json;
    second.identifier = [
      { system: 'https://fst-companion.example.org/fhir/identifier/client-request', value: `walk-${width}` },
    ];
    second.requester = { reference: 'Practitioner/op-helen' };
    second.owner = { reference: 'Organization/org-harbor' };
    second.extension = [];
    const res = await asHelen('Task', { method: 'POST', body: JSON.stringify(second) });
    expect(res.status).toBe(403);
    expect((await res.json()).issue[0].details.text).toContain(
      `already has an open FST referral (Task/${open.id}`,
    );
    expect(openOf(await referralTasks('youth-01'))).toHaveLength(1);
  });
}

test('a stopped episode tells the clinician what must happen before she can refer, and who does it', async ({
  page,
}) => {
  const tasks = await referralTasks('youth-07');
  const stopped = tasks.find(
    (t) => t.businessStatus?.coding?.[0]?.code === 'stopped' && OPEN.includes(t.status),
  );
  test.skip(!stopped, 'youth-07’s stopped episode was closed by an earlier spec (discharge.spec.ts)');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(launch('youth-07', 'op-helen'));
  const refer = page.getByRole('button', { name: 'Refer to FST' });
  await expect(refer).toBeDisabled();
  await expect(refer).toHaveAccessibleDescription(
    /The assigned Family Partner or an FST supervisor closes it first .*Close without signature/,
  );
  expect(openOf(await referralTasks('youth-07'))).toHaveLength(0);
});

test('a youth whose episode ended is referred again, on a phone; the server holds one open referral and the ended one', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  // The first youth whose FST episodes have all ended, one of them discharged (youth-08 alone; in the whole
  // run earlier specs re-refer youth-08 and discharge youth-03 and youth-07, so any demo youth may be the one).
  let youth = '';
  let ended: Json[] = [];
  for (const y of [
    'youth-08',
    'youth-03',
    'youth-07',
    'youth-06',
    'youth-02',
    'youth-04',
    'youth-05',
    'youth-01',
  ]) {
    const tasks = await referralTasks(y);
    if (tasks.length && openOf(tasks).length === 0 && tasks.some((t) => t.status === 'completed')) {
      youth = y;
      ended = tasks;
      break;
    }
  }
  // In the whole run referral.spec re-refers the one discharged family of this sandbox first: then there is none
  // left to re-refer here (the spec runs in full with the walk specs alone). Said, not hidden: see the note.
  test.skip(youth === '', 'no discharged family left on this sandbox (referral.spec re-referred it)');
  await page.goto(launch(youth, 'icc-marcus'));
  await expect(card(page)).toContainText('Discharged');
  await page.getByRole('link', { name: 'Refer to FST' }).click();
  const form = page.getByRole('form', { name: 'Refer to FST' });
  await form.getByRole('group', { name: 'Initial goals for FST' }).getByRole('checkbox').first().check();
  await form.getByLabel('Reason for referral').fill('The family asks for support again after a move.');
  const criteria = form.getByRole('group', { name: 'Admission criteria' }).getByRole('checkbox');
  for (let i = 0; i < 3; i++) await criteria.nth(i).check();
  await noSidewaysScroll(page, 375);
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(card(page)).toContainText('Referred, awaiting acceptance');
  await expect(card(page)).toContainText('by Marcus Bell');
  // The server: one open referral, Marcus's; the ended ones as they were.
  const now = await referralTasks(youth);
  const open = openOf(now);
  expect(open).toHaveLength(1);
  expect(open[0].requester.reference).toBe('Practitioner/icc-marcus');
  expect(open[0].status).toBe('requested');
  for (const t of ended) {
    const still = now.find((n) => n.id === t.id);
    expect(still?.status).toBe(t.status);
    expect(still?.meta.versionId).toBe(t.meta.versionId);
  }
});

for (const width of [1280, 375]) {
  test(`Put on hold and Resume keep the user’s place: the change is announced and focused, as the server holds it (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(launch('youth-02', 'lc-grace'));
    // Every step of the card fits it: none is cut off at its edge.
    const box = await card(page).boundingBox();
    for (const button of await card(page).getByRole('button').all()) {
      const b = await button.boundingBox();
      if (!b || !box) continue;
      expect(b.x + b.width, await button.innerText()).toBeLessThanOrEqual(box.x + box.width + 0.5);
    }
    const read = await supervisorReads();
    await card(page).getByRole('button', { name: 'Put on hold' }).click();
    await card(page)
      .getByLabel(/Reason/)
      .fill('Family away for two weeks');
    await card(page).getByRole('button', { name: 'Put on hold' }).click();
    const announced = card(page).locator('.referral-actions [role=status]');
    await expect(announced).toHaveText('Saved: the referral is now on hold.');
    await expect(announced).toBeFocused();
    expect((await (await read('Task/task-02')).json()).status).toBe('on-hold');
    await card(page).getByRole('button', { name: 'Resume' }).click();
    await expect(announced).toHaveText('Saved: the referral is now in service.');
    await expect(announced).toBeFocused();
    expect((await (await read('Task/task-02')).json()).status).toBe('in-progress');
  });
}

test('on a phone the caseload breaks no word in two (“Discharg/ed”, “202/6”)', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openCaseloadPicker(page, SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const table = page.getByRole('table', { name: 'Caseload' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  // Each word of each visible cell lies on one line (a break at a hyphen, as in "Continuing-stay", is a word's own).
  const broken = await table.evaluate((el) => {
    const out: string[] = [];
    for (const cell of el.querySelectorAll('td, th')) {
      if ((cell as HTMLElement).offsetParent === null) continue;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const m of (n.textContent ?? '').matchAll(/[^\s\-–—]+/g)) {
          const range = document.createRange();
          range.setStart(n, m.index ?? 0);
          range.setEnd(n, (m.index ?? 0) + m[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  });
  expect(broken).toEqual([]);
});

test('the EHR replaces youth-02’s caregiver with a Spanish-speaking guardian: banner, card, contact form and discharge lead with her; the family is discharged and referred again (375 px)', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  // The EHR's own write (its registration desk, not the app): the current caregivers ended yesterday, a guardian added.
  const reads = await fhirAs('youth-02', 'lc-grace', 'patient/RelatedPerson.rs');
  const ehr = (path: string, method: string, body: Json) =>
    fetch(`${SANDBOX}/_sandbox/ehr/${path}`, { method, body: JSON.stringify(body) });
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA', {
    timeZone: 'America/New_York',
  });
  const people = (await (await reads('RelatedPerson?patient=Patient/youth-02')).json()).entry.map(
    (e: Json) => e.resource,
  );
  for (const rp of people.filter((p: Json) => p.active !== false)) {
    const res = await ehr(`RelatedPerson/${rp.id}`, 'PUT', {
      ...rp,
      active: false,
      period: { ...rp.period, end: yesterday },
    });
    expect(res.status, await res.text()).toBe(200);
  }
  const added = await ehr('RelatedPerson', 'POST', {
    resourceType: 'RelatedPerson',
    active: true,
    patient: { reference: 'Patient/youth-02' },
    relationship: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'GUARD' }] },
    ],
    name: [{ given: ['Elena'], family: 'Brooks' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }] }, preferred: true }],
  });
  expect(added.status).toBe(201);
  const guardian = `RelatedPerson/${(await added.json()).id}`;
  // The server holds what the EHR wrote: one current caregiver, the others ended.
  const held = (await (await reads('RelatedPerson?patient=Patient/youth-02')).json()).entry.map(
    (e: Json) => e.resource,
  );
  expect(held.filter((p: Json) => p.active !== false).map((p: Json) => `RelatedPerson/${p.id}`)).toEqual([
    guardian,
  ]);

  await page.goto(launch('youth-02', 'lc-grace'));
  // Banner and card: the guardian first; each ended caregiver marked with the day it ended.
  const banner = page.getByRole('region', { name: 'Patient', exact: true });
  const caregivers = page.getByRole('region', { name: 'Caregivers' });
  await expect(caregivers.getByRole('listitem').first()).toContainText('Elena Brooks');
  await expect(caregivers.getByRole('listitem').first()).toContainText('Spanish');
  for (let i = 1; i <= people.length; i++)
    await expect(caregivers.getByRole('listitem').nth(i)).toContainText(
      `former caregiver (ended ${yesterday})`,
    );
  await expect(banner).toContainText(/Elena Brooks \([^)]*\)/);
  // The contact form leads with her.
  await page.getByRole('button', { name: 'Log contact' }).click();
  const contactForm = page.getByRole('form', { name: 'Log contact' });
  await expect(contactForm.getByLabel('Contact with')).toHaveValue(guardian);
  // The discharge plan goes to her, in Spanish; then the family is discharged.
  await page.getByRole('link', { name: 'Plan discharge' }).click();
  await expect(page.getByLabel('Caregiver who receives the plan')).toHaveValue(guardian);
  await fillGoalsMetPlanAndSign(page);
  await expect(page.getByRole('group', { name: /Caregiver signature/ }).locator('legend')).toContainText(
    'Elena Brooks',
  );
  await page.getByRole('button', { name: 'Next' }).click();
  const preview = page.getByRole('article', { name: 'Preview of the discharge plan' });
  await expect(preview).toHaveAttribute('lang', 'es-US');
  await page.getByRole('button', { name: 'Finalise discharge' }).click();
  await expect(page.getByRole('heading', { name: 'Discharge finalised' })).toBeVisible();
  const ended = await referralTasks('youth-02');
  expect(openOf(ended)).toHaveLength(0);
  expect(ended.find((t) => t.id === 'task-02')?.status).toBe('completed');

  // Referred again, on the phone: the server holds one open referral and the discharged one as it was.
  await page.goto(launch('youth-02', 'icc-marcus'));
  await expect(card(page)).toContainText('Discharged');
  await page.getByRole('link', { name: 'Refer to FST' }).click();
  const form = page.getByRole('form', { name: 'Refer to FST' });
  await form.getByRole('group', { name: 'Initial goals for FST' }).getByRole('checkbox').first().check();
  await form.getByLabel('Reason for referral').fill('The guardian asks for support after the move.');
  const criteria = form.getByRole('group', { name: 'Admission criteria' }).getByRole('checkbox');
  for (let i = 0; i < 3; i++) await criteria.nth(i).check();
  await noSidewaysScroll(page, 375);
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(card(page)).toContainText('Referred, awaiting acceptance');
  const now = await referralTasks('youth-02');
  const open = openOf(now);
  expect(open).toHaveLength(1);
  expect(open[0].requester.reference).toBe('Practitioner/icc-marcus');
  const before = ended.find((t) => t.id === 'task-02') as Json;
  const after = now.find((t) => t.id === 'task-02') as Json;
  expect(after.meta.versionId).toBe(before.meta.versionId);
});
