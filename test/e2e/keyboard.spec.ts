import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { launch } from '../support/e2eSandbox';

/** The focused element shows a visible focus ring. */
async function expectVisibleFocus(page: Page, target: Locator) {
  await expect(target).toBeFocused();
  const outline = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

test('a contact is logged with the keyboard alone, with visible focus throughout', async ({ page }) => {
  await page.goto(launch('youth-05', 'fp-rosa'));
  const open = page.getByRole('button', { name: 'Log contact' });
  await open.focus();
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Log contact' });
  await expect(form.getByLabel('Contact with')).toBeFocused();
  // Tab to the next field, pick by typing, as keyboard users do.
  await page.keyboard.press('Tab');
  await expectVisibleFocus(page, form.getByLabel('Method'));
  await page.keyboard.type('Phone');
  await expect(form.getByLabel('Method')).toHaveValue('phone');
  await form.getByLabel('Duration (minutes)').focus();
  await page.keyboard.type('12');
  const purpose = form.getByRole('group', { name: 'Purpose' }).getByLabel('Supporting');
  await purpose.focus();
  await expectVisibleFocus(page, purpose);
  await page.keyboard.press('Space');
  await expect(purpose).toBeChecked();
  const goal = form.getByRole('group', { name: 'Goals addressed' }).getByRole('checkbox').first();
  await goal.focus();
  await page.keyboard.press('Space');
  await expect(goal).toBeChecked();
  await form.getByLabel('Progress note').focus();
  await page.keyboard.type('Called to introduce FST; the guardian will call back.');
  const save = form.getByRole('button', { name: 'Save contact' });
  await save.focus();
  await expectVisibleFocus(page, save);
  await page.keyboard.press('Enter');
  const confirmation = page.getByRole('status').filter({ hasText: 'Contact saved.' });
  await expect(confirmation).toBeFocused();
});

test('referral actions work from the keyboard: a reason is asked for and given without the mouse', async ({
  page,
}) => {
  await page.goto(launch('youth-09', 'sfp-dana'));
  const card = page.getByRole('region', { name: 'FST referral' });
  const decline = card.getByRole('button', { name: 'Decline' });
  await decline.focus();
  await expectVisibleFocus(page, decline);
  await page.keyboard.press('Enter');
  // The reason field takes the focus; the step is finished with Tab and Enter.
  await expect(card.getByLabel('Reason (decline)')).toBeFocused();
  await page.keyboard.type('The family lives outside our service area.');
  await page.keyboard.press('Tab');
  await expectVisibleFocus(page, card.getByRole('button', { name: 'Decline' }));
  await page.keyboard.press('Enter');
  await expect(card).toContainText('StatusReferral declined');
});
