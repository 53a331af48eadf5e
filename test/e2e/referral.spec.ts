import { expect, test } from '@playwright/test';
import { fhirAs, launch, SANDBOX } from '../support/e2eSandbox';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';

test('a care coordinator refers a youth; the supervisor accepts, assigns and waitlists, each step by the rules', async ({
  page,
}) => {
  // youth-08's earlier episode ended (discharged): the care coordinator can refer again.
  await page.goto(launch('youth-08', 'icc-marcus'));
  await page.getByRole('link', { name: 'Refer to FST' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-08\/refer$/);
  const form = page.getByRole('form', { name: 'Refer to FST' });
  // A new episode starts from the plan in force: the discharged episode's achieved goal is not offered.
  const goals = form.getByRole('group', { name: 'Initial goals for FST' });
  await expect(goals.getByRole('checkbox')).toHaveCount(1);
  await expect(goals).toContainText('Caregiver keeps the support network going after a school change');
  await expect(goals).not.toContainText('two natural supports');
  await goals.getByRole('checkbox').first().check();
  // Seed 000 process 1: the referrer names the initial goals, also ones not yet in the plan.
  await goals.getByLabel('Other initial goals, one per line').fill('Caregiver plans the summer routine');
  await form
    .getByLabel('Reason for referral')
    .fill('Caregiver asks for help building natural supports again.');
  // Seed 000 process 7: what the caregiver would like in a Family Partner.
  const wishes = form.getByRole('group', { name: /What the caregiver would like in a Family Partner/ });
  await wishes.getByLabel('Lived experience of special education (IEP)').check();
  await wishes.getByLabel('Culture or community to share or know').fill('Haitian community');
  await expect(form.getByLabel('FST provider')).toHaveValue('Organization/org-harbor');
  const criteria = form.getByRole('group', { name: 'Admission criteria' }).getByRole('checkbox');
  await criteria.nth(0).check();
  await criteria.nth(1).check();
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(form.getByRole('alert')).toContainText('All three admission criteria must be confirmed');
  await criteria.nth(2).check();
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(page).toHaveURL(/\/patients\/youth-08$/);
  const card = page.getByRole('region', { name: 'FST referral' });
  await expect(card).toContainText('Referred, awaiting acceptance');
  await expect(card).toContainText('the FST provider, not yet assigned');
  // The care coordinator cannot accept, neither in the app nor at the server.
  await expect(card.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  const asMarcus = await fhirAs('youth-08', 'icc-marcus', 'patient/Task.rus');
  const tasks = await (await asMarcus('Task?patient=Patient/youth-08&status=requested')).json();
  const task = tasks.entry[0].resource;
  expect(task.meta.profile).toEqual([
    'https://fst-companion.example.org/fhir/StructureDefinition/fst-referral-task',
  ]);
  const sneak = await asMarcus(`Task/${task.id}`, {
    method: 'PUT',
    headers: { 'if-match': `W/"${task.meta.versionId}"` },
    body: JSON.stringify({ ...task, status: 'accepted' }),
  });
  expect(sneak.status).toBe(403);

  // The supervisor accepts, assigns a Family Partner and puts the family on the waitlist — deciding on what
  // the referrer sent: the reason, the goals chosen and the admission criteria.
  await page.goto(launch('youth-08', 'sfp-dana'));
  const sent = card.getByRole('definition').filter({ hasText: 'natural supports again' });
  await expect(sent).toHaveText('Caregiver asks for help building natural supports again.');
  const facts = card.getByLabel('What the referrer sent');
  await expect(facts).toContainText('Caregiver keeps the support network going after a school change');
  await expect(facts).toContainText(
    'Caregiver plans the summer routine (named in the referral, not yet in the plan)',
  );
  // The new episode starts clean: the earlier episode's contacts are in the history, not on the overview.
  await expect(page.getByRole('region', { name: 'Recent contacts' })).toContainText(
    /0 contacts recorded in this episode; \d+ of earlier episodes are in the contact history/,
  );
  await expect(facts).toContainText(
    'B. Level of functioning allows services in an outpatient milieu: confirmed',
  );
  await expect(facts).toContainText('A Family Partner with lived experience of special education (IEP)');
  await expect(facts).toContainText('Culture or community: Haitian community');
  await card.getByRole('button', { name: 'Accept' }).click();
  await expect(card).toContainText('Status' + 'Accepted');
  // Ranked on what the caregiver asked for, with the reason; another choice takes a reason of its own.
  const choice = card.getByLabel('Family Partner');
  await expect(choice.getByRole('option').first()).toContainText('Rosa Delgado — speaks');
  await expect(choice.getByRole('option').first()).toContainText('lived experience: special education (IEP)');
  await expect(card).toContainText('The caregiver’s culture or community: Haitian community.');
  await choice.selectOption('PractitionerRole/role-fp-james');
  await card.getByRole('button', { name: 'Assign' }).click();
  await expect(card.getByRole('alert')).toContainText('Say why');
  await card
    .getByLabel('Why this Family Partner rather than the best match?')
    .fill('James lives near the family and the caregiver met him at the parent group.');
  await card.getByRole('button', { name: 'Assign' }).click();
  await expect(card).toContainText('(Family Partner)');
  await expect(card).toContainText(
    'Matching: James Okoro chosen over the best match, Rosa Delgado — James lives near the family',
  );
  await card.getByRole('button', { name: 'Add to waitlist' }).click();
  await card.getByRole('button', { name: 'Add to waitlist' }).click();
  await expect(card).toContainText('Say why (add to waitlist).');
  await card.getByLabel(/Reason/).fill('No Family Partner with capacity this week');
  await card.getByRole('button', { name: 'Add to waitlist' }).click();
  await expect(card).toContainText('StatusWaitlisted');
  const history = card.getByRole('list', { name: 'Referral status history' });
  await expect(history).toContainText(
    'Waitlisted · by Dana Whitfield · No Family Partner with capacity this week',
  );

  // On the server: the Task accepted with the waitlist as business status, and its reason.
  const asDana = await fhirAs('youth-08', 'sfp-dana', 'patient/Task.rs');
  const after = await (await asDana(`Task/${task.id}`)).json();
  expect(after.status).toBe('accepted');
  expect(after.businessStatus.coding[0].code).toBe('waitlisted');
  expect(after.statusReason.text).toBe('No Family Partner with capacity this week');
  expect(after.owner.reference).toBe('PractitionerRole/role-fp-james');
  // The reason for choosing him over the best match is kept on the Task, in the supervisor's name.
  expect(after.note).toEqual([
    expect.objectContaining({
      authorReference: { reference: 'Practitioner/sfp-dana' },
      text: 'James lives near the family and the caregiver met him at the parent group.',
    }),
  ]);
});

test('for a Spanish-speaking caregiver the Spanish-speaking Family Partner is suggested first, with the reason', async ({
  page,
}) => {
  await page.goto(launch('youth-03', 'sfp-dana'));
  const select = page.getByRole('region', { name: 'FST referral' }).getByLabel('Family Partner');
  const first = select.locator('option').first();
  await expect(first).toContainText('Rosa Delgado');
  await expect(first).toContainText('speaks Spanish');
  await expect(select.locator('option').nth(1)).toContainText('James Okoro');
});

test('a Family Partner sees "My families": the families they own, with the next action and its deadline, on a phone too', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openCaseloadPicker(page, SANDBOX, 'Rosa Delgado — Family Partner');
  await page.getByRole('button', { name: 'Continue' }).click();
  const mine = page.getByRole('table', { name: 'My families' });
  await expect(mine).toBeVisible();
  await expect(mine).toContainText('Sofía Ramírez');
  // Referrals not yet assigned to her (still with the provider) are not hers.
  await expect(mine).not.toContainText('Noah Patel');
  // The Due column stays on a phone; the Family Partner column folds away.
  await expect(mine.getByRole('columnheader', { name: 'Due' })).toBeVisible();
  // What is due is said on a phone too: the Next action column stays.
  await expect(mine.getByRole('columnheader', { name: 'Next action' })).toBeVisible();
  // Sofía's row: status, next action (a weekly contact or the review), due.
  const sofia = mine.getByRole('row', { name: /Sofía Ramírez/ }).getByRole('cell');
  await expect(sofia.nth(1)).toBeVisible();
  await expect(sofia.nth(1)).toContainText(/ — by |No open deadline|review/);
  await expect(mine.getByRole('columnheader', { name: 'Family Partner' })).toBeHidden();
  await expect(page.getByRole('heading', { name: /New referrals awaiting acceptance/ })).toHaveCount(0);
});

test('a supervisor sees new referrals on top, with the call deadline counted in days', async ({ page }) => {
  await openCaseloadPicker(page, SANDBOX, DANA);
  await page.getByRole('button', { name: 'Continue' }).click();
  const awaiting = page.getByRole('region', { name: /New referrals awaiting acceptance/ });
  await expect(awaiting).toContainText('Noah Patel');
  await expect(awaiting).toContainText(/Call caregiver — day \d of 5/);
  await expect(page.getByRole('table', { name: 'Waitlist' })).toContainText('Liam Nguyen');
});

test('an EHR that opens the app on a referral (fhirContext Task) shows that referral', async ({ page }) => {
  // After the first test, youth-08 has two FST referrals: the discharged one and the new, waitlisted one.
  await page.goto(`${launch('youth-08', 'sfp-dana')}&task=task-08`);
  const card = page.getByRole('region', { name: 'FST referral' });
  await expect(card).toContainText('StatusDischarged');
  await page.goto(launch('youth-08', 'sfp-dana'));
  await expect(card).toContainText('StatusWaitlisted');
});

test('a declined referral is declined everywhere and stops its clock; the FST provider then records a self-referral', async ({
  page,
}) => {
  // youth-05 was referred 8 days ago and called late (contacts.spec): the supervisor declines it.
  await page.goto(launch('youth-05', 'sfp-dana'));
  const card = page.getByRole('region', { name: 'FST referral' });
  const clocks = page.getByRole('table', { name: 'Compliance clocks' });
  // Its 5-day call was missed or late (other specs may have called since): whatever it was, it stays.
  const call = clocks.getByRole('row', { name: /Caregiver called within 5 days/ });
  await expect(call).toContainText(/Late|Overdue/);
  const before = await call.textContent();
  await card.getByRole('button', { name: 'Decline' }).click();
  await card.getByLabel(/Reason/).fill('Family already served by another FST provider');
  await card.getByRole('button', { name: 'Decline' }).click();
  await expect(card).toContainText('StatusReferral declined');
  await expect(card.getByRole('list', { name: 'Referral status history' })).toContainText(
    'Referral declined · by Dana Whitfield · Family already served by another FST provider',
  );
  // The Task says so too: rejected, with the business status "declined".
  const asDana = await fhirAs('youth-05', 'sfp-dana', 'patient/Task.rs');
  const declined = (await (await asDana('Task?patient=Patient/youth-05&status=rejected')).json()).entry[0]
    .resource;
  expect(declined.businessStatus.coding[0].code).toBe('declined');
  // What happened stays as it was (a call already overdue stays a miss: issue 35); no new action is offered.
  if (before?.includes('Overdue')) await expect(call).toContainText('Missed: the deadline');
  else await expect(call).toHaveText(before ?? '');
  await expect(page.getByRole('link', { name: 'Log meeting' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Plan discharge' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Log contact' })).toBeDisabled();

  // The mother calls the agency herself: a self-referral, with the caregiver as requester.
  await page.getByRole('link', { name: 'Record self-referral' }).click();
  const form = page.getByRole('form', { name: 'Record self-referral' });
  await expect(form.getByLabel('Referred by (caregiver)')).toHaveValue('RelatedPerson/cg-05-1');
  await form.getByLabel('Reason for referral').fill('Guardian called asking to start again.');
  await form.getByRole('button', { name: 'Send referral' }).click();
  // Seed 000 process 1: a referral names its initial goals, a self-referral too.
  await expect(form.getByRole('alert')).toContainText('Name at least one initial goal');
  await form.getByRole('group', { name: 'Initial goals for FST' }).getByRole('checkbox').first().check();
  for (const box of await form.getByRole('group', { name: 'Admission criteria' }).getByRole('checkbox').all())
    await box.check();
  await form.getByRole('button', { name: 'Send referral' }).click();
  await expect(card).toContainText('Referred, awaiting acceptance');
  const tasks = await (await asDana('Task?patient=Patient/youth-05&status=requested')).json();
  expect(tasks.entry[0].resource.requester.reference).toBe('RelatedPerson/cg-05-1');
  // The new referral's 5-day call clock runs afresh.
  await expect(clocks.getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText('Due');
});

test('a family that stopped without notice is closed before a new referral; a typed address refuses as the button does', async ({
  page,
}) => {
  await page.goto(launch('youth-07', 'sfp-dana'));
  const card = page.getByRole('region', { name: 'FST referral' });
  await expect(card).toContainText('StatusStopped without notice');
  await expect(page.getByRole('link', { name: 'Record self-referral' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Plan discharge' })).toBeVisible();
  // Typed: the referral form's address says why, as the missing button would.
  await page.goto(page.url().replace(/\/patients\/youth-07.*$/, '/patients/youth-07/refer?self=1'));
  await expect(page.getByRole('alert')).toContainText('You cannot refer this youth');
  await expect(page.getByRole('alert')).toContainText('close it (Plan discharge) before a new referral');
});

test('a care coordinator typing the service plan or discharge address is refused with the reason; cancelling in service is not theirs', async ({
  page,
}) => {
  await page.goto(launch('youth-01', 'icc-marcus'));
  const card = page.getByRole('region', { name: 'FST referral' });
  await expect(card).toContainText('StatusIn service');
  await expect(card.getByRole('button', { name: 'Cancel referral' })).toHaveCount(0);
  await page.goto(page.url().replace(/\/patients\/youth-01.*$/, '/patients/youth-01/service-plan'));
  await expect(page.getByRole('alert')).toContainText('You cannot write the service plan');
  await expect(page.getByRole('alert')).toContainText(
    'Only the assigned Family Partner or an FST supervisor',
  );
  await expect(page.getByRole('form', { name: 'FST service plan' })).toHaveCount(0);
  await page.goto(page.url().replace(/\/patients\/youth-01.*$/, '/patients/youth-01/discharge'));
  await expect(page.getByRole('alert')).toContainText('You cannot discharge this family');
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(card).toContainText('StatusIn service');
});

test('the assigned Family Partner calls the caregiver, starts services and saves the service plan; the clinician sees both', async ({
  page,
}) => {
  // youth-08's new referral was accepted, assigned (James, the first suggestion for an English-speaking
  // caregiver) and waitlisted by the first test of this file.
  await page.goto(launch('youth-08', 'fp-james'));
  const card = page.getByRole('region', { name: 'FST referral' });
  await expect(card).toContainText('James Okoro (Family Partner)');
  const clocks = page.getByRole('table', { name: 'Compliance clocks' });
  await expect(clocks.getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText('Due');
  await page.getByRole('button', { name: 'Log contact' }).click();
  const form = page.getByRole('form', { name: 'Log contact' });
  await form.getByLabel('Method').selectOption('phone');
  await form.getByLabel('Duration (minutes)').fill('15');
  await form.getByRole('group', { name: 'Purpose' }).getByLabel('Supporting').check();
  await form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first().check();
  await form.getByLabel('Progress note').fill('First call: offered a home visit next Tuesday.');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(clocks.getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText('Met');

  // Starting asks the date of the first session (today: the home visit happened after the call).
  await card.getByRole('button', { name: 'Start services' }).click();
  const first = card.getByLabel('Date of the first session');
  await expect(first).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await first.fill('2020-01-01');
  await card.getByRole('button', { name: 'Start services' }).click();
  await expect(card).toContainText('The first session cannot be before the referral.');
  await first.fill(
    await page.evaluate(() => new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' })),
  );
  await card.getByRole('button', { name: 'Start services' }).click();
  await expect(card).toContainText('StatusIn service');
  // Seed 000 process 5: only a logged session provides the service — the typed start leaves the 14 days due.
  const start = clocks.getByRole('row', { name: /Services started within 14 days/ });
  await expect(start).toContainText('Due');
  await expect(start).toContainText('no session is logged: log the first session');
  await page.getByRole('link', { name: 'Write service plan' }).click();
  const plan = page.getByRole('form', { name: 'FST service plan' });
  await plan.getByLabel('Hours').fill('3');
  await plan
    .getByRole('group', { name: 'Target date per goal' })
    .locator('input[type=date]')
    .first()
    .fill('2027-03-01');
  await expect(plan.getByLabel(/Share with the referring provider/)).toBeChecked();
  await plan.getByRole('button', { name: 'Save service plan' }).click();
  const shown = page.getByRole('region', { name: 'FST service plan' });
  await expect(shown).toContainText('Weekly on Tuesday at 17:00, at home');
  await expect(shown).toContainText('3 hour(s) per week');
  await expect(shown).toContainText(/Next meeting: \w{3} \d+, \d{4}, 5:00 PM ET/);

  // The referring care coordinator sees the status and the plan.
  await page.goto(launch('youth-08', 'icc-marcus'));
  await expect(card).toContainText('StatusIn service');
  await expect(page.getByRole('region', { name: 'FST service plan' })).toContainText(
    'Weekly on Tuesday at 17:00',
  );
  // And the plan reached them: a Communication about it, addressed to them.
  const asMarcus = await fhirAs('youth-08', 'icc-marcus', 'patient/Communication.rs patient/CarePlan.rs');
  const notes = await (await asMarcus('Communication?subject=Patient/youth-08&category=notification')).json();
  expect(notes.entry?.[0]?.resource.recipient[0].reference).toBe('Practitioner/icc-marcus');
  const plans = await (await asMarcus('CarePlan?subject=Patient/youth-08')).json();
  const servicePlan = plans.entry
    .map((e: any) => e.resource)
    .find((r: any) => r.title === 'FST service plan');
  expect(servicePlan.meta.profile).toEqual([
    'https://fst-companion.example.org/fhir/StructureDefinition/fst-service-plan',
  ]);
});

test("the family's next planned meeting shows on the Family Partner's caseload", async ({ page }) => {
  await openCaseloadPicker(page, SANDBOX, 'James Okoro — Family Partner');
  await page.getByRole('button', { name: 'Continue' }).click();
  const row = page.getByRole('table', { name: 'My families' }).getByRole('row', { name: /Jackson Reed/ });
  await expect(row).toContainText(/Next meeting \w{3} \w{3} \d+ 17:00, at home/);
});

test('the Family Partner records the continuing-stay review; the clock counts from it', async ({ page }) => {
  await page.goto(launch('youth-08', 'fp-james'));
  const clocks = page.getByRole('table', { name: 'Compliance clocks' });
  const review = clocks.getByRole('row', { name: /Continuing-stay review/ });
  await expect(review).toContainText('First review due by');
  await page.getByRole('button', { name: 'Record continuing-stay review' }).click();
  const form = page.getByRole('group', { name: 'Continuing-stay review' });
  await form.getByLabel('The admission criteria (A–C) still hold').check();
  await form.getByLabel('Progress notes document progress toward the goals').check();
  await form.getByLabel('Not all goals have been achieved yet').check();
  await form.getByRole('button', { name: 'Save review' }).click();
  await expect(review).toContainText(/Last review [A-Z][a-z]{2} \d{1,2}, \d{4}; next due by/);
});
