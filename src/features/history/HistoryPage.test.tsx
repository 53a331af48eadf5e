import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { BASE, capabilityStatement, contact, searchset } from '../../../test/fixtures/fhir';
import userEvent from '@testing-library/user-event';
import { renderAtPatient } from '../../../test/fixtures/render';
import { testSession } from '../../../test/fixtures/session';
import { contactOf, workspaceOf } from '../../../test/fixtures/workspace';
import { HistoryPage } from './HistoryPage';
import { UNBOUNDED } from '../../fhir/workspace';

const ws = workspaceOf({
  contacts: [
    contactOf('kept', '2026-11-20T15:00:00Z', {
      recordedAt: '2026-12-05T19:30:00Z',
      corrections: [{ kind: 'amended', at: '2026-11-21T14:00:00Z', by: 'Practitioner/sfp' }],
    }),
    contactOf('gone', '2026-11-19T15:00:00Z', {
      status: 'entered-in-error',
      note: 'Wrong family',
      corrections: [
        { kind: 'withdrawn', at: '2026-11-20T13:00:00Z', by: 'Practitioner/fp', reason: 'Wrong family' },
      ],
    }),
    contactOf('ghost', '2026-11-18T15:00:00Z', {
      recipientReference: 'Practitioner/nobody',
      recordedAt: '2026-11-18T16:00:00Z',
    }),
  ],
});

beforeEach(() => {
  // jsdom has neither print nor object URLs: the page calls them; here they are observed.
  window.print = vi.fn();
  URL.createObjectURL = vi.fn(() => 'blob:test');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.restoreAllMocks());

const server = setupServer(
  http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement({ batch: true, include: true }))),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

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
    // A contact logged two weeks late says so; one logged the same day says when (issue 35).
    expect(printed.textContent).toContain(
      'Logged late: Recorded Dec 5, 2026, 2:30 PM ET, 15 days after the contact',
    );
    expect(printed.textContent).toContain('Recorded Nov 18, 2026, 11:00 AM ET, the same day');
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

describe('HistoryPage of a family whose workspace read only the latest and first contacts', () => {
  const windows = workspaceOf({
    contacts: [contactOf('latest', '2026-11-20T15:00:00Z'), contactOf('first', '2025-01-07T15:00:00Z')],
    contactsGap: { after: '2025-01-07T15:00:00Z', before: '2026-11-20T15:00:00Z' },
  });

  it('reads the whole history once, and exports only when it is there', async () => {
    const reads: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    server.use(
      http.get(`${BASE}/Communication`, async ({ request }) => {
        reads.push(new URL(request.url).searchParams.get('_count') ?? '');
        await held;
        return HttpResponse.json(
          searchset([
            contact('latest', '2026-11-20T15:00:00Z'),
            contact('middle', '2025-12-01T15:00:00Z'),
            contact('first', '2025-01-07T15:00:00Z'),
          ]),
        );
      }),
    );
    renderAtPatient(<HistoryPage ws={windows} />, testSession());
    expect((await screen.findByRole('status')).textContent).toMatch(
      /Reading the contacts before Nov 20, 2026/,
    );
    expect(screen.getByRole('button', { name: 'Export CSV' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Print' })).toHaveProperty('disabled', true);
    release();
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: /Contact timeline/ }).textContent).toContain('(3)'),
    );
    expect(screen.getByRole('button', { name: 'Export CSV' })).toHaveProperty('disabled', false);
    expect(screen.queryByRole('status')).toBeNull();
    expect(reads).toEqual(['1000']);
  });

  it('when the latest contacts could not be read, says it reads the whole history (no date)', async () => {
    server.use(http.get(`${BASE}/Communication`, () => new Promise<Response>(() => undefined)));
    renderAtPatient(
      <HistoryPage ws={{ ...windows, contactsGap: { after: '2025-01-07T15:00:00Z', before: UNBOUNDED } }} />,
      testSession(),
    );
    expect((await screen.findByRole('status')).textContent).toMatch(/^Reading the whole contact history…/);
    expect(screen.getByRole('button', { name: 'Export CSV' })).toHaveProperty('disabled', true);
  });

  it('a failed read says so, keeps what the workspace holds, and can be tried again', async () => {
    let fail = true;
    server.use(
      http.get(`${BASE}/Communication`, () =>
        fail
          ? HttpResponse.json(
              {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'too-costly', details: { text: 'Search too costly' } }],
              },
              { status: 400 },
            )
          : HttpResponse.json(
              searchset([
                contact('latest', '2026-11-20T15:00:00Z'),
                contact('middle', '2025-12-01T15:00:00Z'),
                contact('first', '2025-01-07T15:00:00Z'),
              ]),
            ),
      ),
    );
    const user = userEvent.setup();
    renderAtPatient(<HistoryPage ws={windows} />, testSession());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The earlier contacts could not be read');
    expect(alert.textContent).toContain('Search too costly');
    expect(screen.getByRole('heading', { name: /Contact timeline/ }).textContent).toContain('(2)');
    expect(screen.getByRole('button', { name: 'Export CSV' })).toHaveProperty('disabled', true);
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: /Contact timeline/ }).textContent).toContain('(3)'),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
