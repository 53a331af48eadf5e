import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { launch, PINNED_SANDBOX } from '../support/e2eSandbox';

/**
 * A chart of hostile and broken records (sandbox/data/hostile.ts, served unvalidated as a legacy EHR
 * would): markup and script in every text, javascript: URLs, right-to-left overrides, spreadsheet formulas,
 * a 1 MB note, wrong types, missing fields, references to nothing, 3,000 contacts. Nothing may run (every
 * payload would set window.__xss), nothing may crash, every unreadable record is named, the CSV is safe.
 */
test('hostile records: nothing runs, nothing crashes, the unreadable are listed, history and CSV work', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(launch('youth-x1', 'fp-rosa', PINNED_SANDBOX));
  const banner = page.getByRole('region', { name: 'Patient' });
  // Markup shows as the text it is.
  await expect(banner).toContainText('<script>window.__xss=1</script>');
  await expect(banner).toContainText('2013-02-30 (not a valid date)');
  const unreadable = page.getByRole('status').filter({ hasText: 'could not be read' });
  await expect(unreadable).toContainText('Communication/comm-x1-3001');
  await expect(unreadable).toContainText('Communication/comm-x1-3002');
  await expect(unreadable).toContainText('Goal/goal-x1-2');
  await expect(page.getByRole('region', { name: 'Plan goals' })).toContainText('Go to school <img src=x');
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);

  await page.getByRole('link', { name: 'Contact history' }).click();
  await expect(page.getByRole('heading', { name: /Contact timeline/ })).toContainText('(3002)');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Export CSV/ }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  // A formula is text in a spreadsheet (apostrophe), and the 1 MB note is bounded, not dropped.
  expect(csv).toContain(`'=HYPERLINK(""http://evil.example""`);
  expect(csv).not.toMatch(/,"?=HYPERLINK/);
  expect(csv).toContain('[truncated:');
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
