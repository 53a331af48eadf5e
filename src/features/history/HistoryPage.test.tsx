import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderAtPatient } from '../../../test/fixtures/render';
import { testSession } from '../../../test/fixtures/session';
import { contactOf, workspaceOf } from '../../../test/fixtures/workspace';
import { HistoryPage } from './HistoryPage';

const ws = workspaceOf({
  contacts: [
    contactOf('kept', '2026-11-20T15:00:00Z', {
      corrections: [{ kind: 'amended', at: '2026-11-21T14:00:00Z', by: 'Practitioner/sfp' }],
    }),
    contactOf('gone', '2026-11-19T15:00:00Z', {
      status: 'entered-in-error',
      note: 'Wrong family',
      corrections: [
        { kind: 'withdrawn', at: '2026-11-20T13:00:00Z', by: 'Practitioner/fp', reason: 'Wrong family' },
      ],
    }),
    contactOf('ghost', '2026-11-18T15:00:00Z', { recipientReference: 'Practitioner/nobody' }),
  ],
});

beforeEach(() => {
  // jsdom has neither print nor object URLs: the page calls them; here they are observed.
  window.print = vi.fn();
  URL.createObjectURL = vi.fn(() => 'blob:test');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.restoreAllMocks());

describe('HistoryPage', () => {
  it('prints every contact with who amended it and when, in the provider time zone', async () => {
    const user = userEvent.setup();
    renderAtPatient(<HistoryPage ws={ws} />, testSession());
    await user.click(screen.getByRole('button', { name: 'Print' }));
    await waitFor(() => expect(window.print).toHaveBeenCalled());
    // While printing, every row is in the page (the screen list holds only the visible ones).
    const printed = screen
      .getByRole('heading', { name: 'Contact history (2)' })
      .closest('section') as HTMLElement;
    expect(printed.textContent).toContain('Note kept');
    expect(printed.textContent).toContain('Note ghost');
    expect(printed.textContent).toContain('Amended by Dana Whitfield on 2026-11-21 09:00');
    expect(printed.textContent).toContain('Nov 20, 2026, 10:00 AM ET');
    window.dispatchEvent(new Event('afterprint'));
    expect(await screen.findByRole('heading', { name: /Contact timeline/ })).toBeTruthy();
  });

  it('shows withdrawn entries with who withdrew them and why, on request', async () => {
    const user = userEvent.setup();
    renderAtPatient(<HistoryPage ws={ws} />, testSession());
    const timeline = screen.getByRole('heading', { name: /Contact timeline/ });
    expect(timeline.textContent).toContain('(2)');
    await user.click(screen.getByLabelText('Show withdrawn entries'));
    expect(screen.getByRole('heading', { name: /Contact timeline/ }).textContent).toContain('(3)');
  });

  it('exports CSV as a file with initials and dates only in its name', async () => {
    const user = userEvent.setup();
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    renderAtPatient(<HistoryPage ws={ws} />, testSession());
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(clicks).toEqual(['FST-contacts-MT-2026-11-18-to-2026-11-20.csv']);
    const blob = (URL.createObjectURL as ReturnType<typeof vi.fn>).mock.calls[0][0] as Blob;
    const text = await blob.text();
    expect(text.split('\r\n')[0]).toContain('time_zone');
    expect(text).toContain('Amended by Dana Whitfield on 2026-11-21 09:00');
    expect(text).toContain('Practitioner/nobody (not in the chart)');
  });
});
