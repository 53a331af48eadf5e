import { expect, test } from '@playwright/test';

/**
 * The clocks and the demo data count days in the provider's time zone (America/New_York), whatever the
 * hour in UTC. The pinned sandbox builds its data at PINNED_NOW (Wed Nov 18, 21:00 ET, Thursday in UTC);
 * the browser is set to two times of that Wednesday: morning, and evening when UTC is a day ahead.
 */
const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PINNED_PORT ?? '8183'}`;
const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;

const TIMES = [
  ['08:00 ET (13:00 UTC)', '2026-11-18T13:00:00Z'],
  ['21:30 ET (02:30 UTC, already Thursday in UTC)', '2026-11-19T02:30:00Z'],
] as const;

for (const [label, instant] of TIMES) {
  test(`compliance clocks at ${label}: day 4 of 5 is due with 2 days left, an 8-day-old referral is overdue`, async ({
    page,
  }) => {
    await page.clock.install({ time: new Date(instant) });
    const launch = (patient: string) =>
      page.goto(
        `${SANDBOX}/launch?patient=${patient}&user=fp-rosa&app=${encodeURIComponent(`${APP}/launch.html`)}`,
      );
    await launch('youth-04');
    const clocks = page.getByRole('table', { name: 'Compliance clocks' });
    const call = clocks.getByRole('row', { name: /Caregiver called within 5 days/ });
    await expect(call).toContainText('Due');
    await expect(call).toContainText('2 day(s) left');
    await expect(call).toContainText('Nov 20, 2026');
    await launch('youth-05');
    await expect(clocks.getByRole('row', { name: /Caregiver called within 5 days/ })).toContainText(
      'Overdue',
    );
  });
}
