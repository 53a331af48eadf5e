import { expect, test } from '@playwright/test';
import { accessibilityViolations } from '../support/axe';
import { DANA, openCaseloadPicker } from '../support/caseloadLaunch';

const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;
const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;
const launch = (patient: string, user: string) =>
  `${SANDBOX}/launch?patient=${patient}&user=${user}&app=${encodeURIComponent(`${APP}/launch.html`)}`;

for (const [width, label] of [
  [1280, 'desktop'],
  [375, 'phone'],
  // WCAG 1.4.10's own width: a 375 px phone with the text zoomed, or a small one.
  [320, 'small phone'],
] as const) {
  test.describe(`axe, ${label} (${width} px)`, () => {
    // axe is injected as a script: the app's CSP (script-src 'self') would block it, so only this spec bypasses it.
    test.use({ viewport: { width, height: 900 }, bypassCSP: true });

    test('workspace overview, contact form with errors, history', async ({ page }) => {
      await page.goto(launch('youth-03', 'fp-rosa'));
      await expect(page.getByRole('heading', { name: 'Plan goals' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Log contact' }).click();
      await page
        .getByRole('form', { name: 'Log contact' })
        .getByRole('button', { name: 'Save contact' })
        .click();
      await expect(page.getByRole('form', { name: 'Log contact' }).getByRole('alert')).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Contact history' }).click();
      await expect(page.getByRole('heading', { name: /Contact timeline/ })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    test('caseload and quality report', async ({ page }) => {
      await openCaseloadPicker(page, SANDBOX, DANA);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.getByRole('table', { name: 'Caseload' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    test('referral form and referral actions', async ({ page }) => {
      await page.goto(launch('youth-02', 'icc-marcus'));
      await expect(page.getByRole('region', { name: 'FST referral' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.goto(launch('youth-04', 'sfp-dana'));
      await expect(page.getByRole('button', { name: 'Accept' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    test('the forms: referral (with its error summary) and service plan', async ({ page }) => {
      // youth-08's episode ended: the care coordinator may refer (this spec runs before referral.spec).
      await page.goto(launch('youth-08', 'icc-marcus'));
      await page.getByRole('link', { name: 'Refer to FST' }).click();
      const form = page.getByRole('form', { name: 'Refer to FST' });
      await form.getByRole('button', { name: 'Send referral' }).click();
      await expect(form.getByRole('alert')).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.goto(launch('youth-03', 'fp-rosa'));
      await page.getByRole('link', { name: /service plan/ }).click();
      await expect(page.getByRole('form', { name: 'FST service plan' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    test('discharge wizard: each step, the error summary, the Spanish preview (nothing is finalised)', async ({
      page,
    }) => {
      await page.goto(launch('youth-03', 'fp-rosa'));
      await page.getByRole('link', { name: 'Plan discharge' }).click();
      const wizard = page.getByRole('form', { name: 'Plan discharge' });
      await wizard.getByRole('button', { name: 'Next' }).click();
      await expect(wizard.getByRole('alert')).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await wizard
        .getByRole('radio', { name: 'Treaters and caregiver determine FST is no longer needed' })
        .check();
      await wizard.getByLabel('Meeting date').fill('2026-11-01');
      await wizard.getByLabel('Participants').fill('Caregiver and Family Partner');
      await wizard.getByRole('checkbox', { name: /^A\./ }).check();
      await wizard.getByRole('checkbox', { name: /^D\./ }).check();
      const goals = wizard.getByRole('group', { name: 'Outcome of each goal' }).getByRole('group');
      for (let i = 0; i < (await goals.count()); i++)
        await goals.nth(i).getByRole('radio', { name: 'Partially achieved' }).check();
      for (const [label, text] of [
        ['Strategies', 'Praise and routines'],
        ['Supports', 'Grandmother'],
        ['Services in place', 'Outpatient therapy'],
        [/^Resources/, 'Parent group; 988'],
      ] as const)
        await wizard.getByLabel(label).fill(text);
      await wizard.getByLabel('Follow-up plan').fill('Call in two weeks');
      await wizard.getByRole('button', { name: 'Next' }).click();
      await expect(wizard.getByRole('heading', { name: /Step 2 of 3/ })).toBeVisible();
      await wizard.getByRole('radio', { name: 'Draw the signature' }).check();
      await expect(wizard.getByRole('img', { name: /Signature area/ })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await wizard.getByRole('radio', { name: 'Typed signature' }).check();
      await wizard.getByLabel('Typed name').fill('Lucía Ramírez');
      await wizard.getByRole('checkbox', { name: 'I confirm this is my signature' }).check();
      await wizard.getByRole('button', { name: 'Next' }).click();
      await expect(wizard.getByRole('article', { name: 'Preview of the discharge plan' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    test('meeting and incident forms with their error summaries; the staff compliance view', async ({
      page,
    }) => {
      await page.goto(launch('youth-03', 'fp-rosa'));
      await page.getByRole('link', { name: 'Log meeting' }).click();
      const meeting = page.getByRole('form', { name: 'Log meeting' });
      await meeting.getByRole('button', { name: 'Save meeting' }).click();
      await expect(meeting.getByRole('alert')).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.goto(launch('youth-03', 'fp-rosa'));
      await page.getByRole('link', { name: 'Report incident' }).click();
      const incident = page.getByRole('form', { name: 'Report incident' });
      await incident.getByRole('button', { name: 'Save report' }).click();
      await expect(incident.getByRole('alert')).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await openCaseloadPicker(page, SANDBOX, DANA);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('link', { name: /Staff compliance/ }).click();
      await expect(page.getByRole('heading', { name: 'Staff compliance', level: 1 })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    test('not launched', async ({ page }) => {
      await page.goto(`${APP}/`);
      await expect(page.getByRole('heading', { name: 'FST Companion is not launched' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
    });
  });
}
