import { expect, test } from '@playwright/test';
import type { Bundle, Encounter } from 'fhir/r4';
import { DEFAULT_SCOPES } from '../../src/config/config';
import { fhirAs, launch, PINNED_SANDBOX } from '../support/e2eSandbox';
import { PINNED_NOW } from '../support/pinnedTime';

/**
 * A Care Planning Team meeting as the week's collateral contact (seed 000 process 9). The pinned sandbox
 * and the browser's clock agree on the day: at PINNED_NOW (Wed Nov 18, 21:00 in Massachusetts) Maya
 * Thompson's last provider call was a week ago, so this week's provider contact is due until the meeting.
 */
test("a CPT meeting with the care coordinator present meets this week's provider contact", async ({
  page,
}) => {
  await page.clock.install({ time: new Date(PINNED_NOW) });
  await page.goto(launch('youth-01', 'fp-rosa', PINNED_SANDBOX));
  const clocks = page.getByRole('table', { name: 'Compliance clocks' });
  const provider = clocks.getByRole('row', { name: /Weekly provider contact/ });
  await expect(provider).toContainText('Due');

  await page.getByRole('link', { name: 'Log meeting' }).click();
  const form = page.getByRole('form', { name: 'Log meeting' });
  await form.getByLabel('Kind of meeting').selectOption({ label: 'Care Planning Team (ICC)' });
  await form.getByLabel('Duration (minutes)').fill('45');
  // Saving with nothing checked: told who attended is missing, nothing saved.
  await form.getByRole('button', { name: 'Save meeting' }).click();
  await expect(form.getByRole('alert')).toContainText('Say who attended.');
  await form.getByRole('checkbox', { name: /ICC Care Coordinator/ }).check();
  await form.getByRole('checkbox', { name: /Angela Thompson/ }).check();
  await form.getByLabel(/Others not in the chart/).fill('Ms. Ortiz, school adjustment counsellor');
  const goal = form
    .getByRole('group', { name: /Goals discussed/ })
    .getByRole('checkbox')
    .first();
  await goal.check();
  await form.getByLabel('Update given').fill('Three full school weeks in a row.');
  await expect(form.getByRole('status')).toContainText(
    "This meeting counts as this week's collateral contact",
  );
  await form.getByLabel('Next meeting').fill('2026-12-02T16:00');
  await form.getByRole('button', { name: 'Save meeting' }).click();

  await expect(provider).toContainText('Met');
  await expect(provider).toContainText("by a team meeting with the youth's provider");
  const meetings = page.getByRole('region', { name: 'Team meetings' });
  await expect(meetings).toContainText('Counts as collateral contact');
  await expect(meetings).toContainText('Next meeting: Dec 2, 2026');
  // One list of meetings, whoever recorded them: FST's marked attended, the clinic's own beside them.
  const list = meetings.getByRole('list', { name: 'Team meetings' });
  await expect(list.getByRole('listitem').filter({ hasText: 'FST attended' })).toHaveCount(1);
  await expect(
    list
      .getByRole('listitem')
      .filter({ hasText: 'Recorded by the clinic; FST attendance not recorded.' })
      .first(),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Visits' })).not.toContainText('Care Planning Team meeting');

  // The meeting is in the history beside the contacts; "Team meeting" shows meetings only.
  await page.getByRole('link', { name: 'Contact history' }).click();
  const timeline = page.getByRole('list', { name: 'Contact timeline' });
  await expect(timeline).toContainText('Team meeting · Care Planning Team (ICC)');
  await page.getByLabel('Type').selectOption({ label: 'Team meeting' });
  await expect(timeline.getByRole('listitem')).toHaveCount(1);
  await expect(timeline).toContainText('Three full school weeks in a row.');

  const fhir = await fhirAs('youth-01', 'fp-rosa', DEFAULT_SCOPES.join(' '), PINNED_SANDBOX);
  const found = (await (
    await fhir(
      `Encounter?subject=Patient/youth-01&type=${encodeURIComponent('https://fst-companion.example.org/fhir/CodeSystem/fst-meeting-kind|cpt')}`,
    )
  ).json()) as Bundle;
  const encounters = (found.entry ?? []).map((e) => e.resource as Encounter);
  expect(encounters).toHaveLength(1);
  expect(encounters[0].meta?.profile?.[0]).toContain('fst-team-meeting');
  expect(encounters[0].participant?.map((p) => p.individual?.reference ?? p.individual?.display)).toEqual(
    expect.arrayContaining(['Practitioner/fp-rosa', 'Ms. Ortiz, school adjustment counsellor']),
  );
});
