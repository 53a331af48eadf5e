import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { App } from './App';
import { startApp } from './start';
import { NotLaunchedError } from '../fhir/session';
import { BASE } from '../../test/fixtures/fhir';
import { testSession } from '../../test/fixtures/session';
import { draftKey } from '../ui/drafts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const session = testSession({ transport: { baseUrl: BASE, authorization: async () => 'Bearer expired' } });

/** The app on a server that answers every request 401: the session has expired. */
async function renderExpired() {
  server.use(
    http.get(`${BASE}/metadata`, () => new HttpResponse(null, { status: 401 })),
    http.post(`${BASE}/`, () => new HttpResponse(null, { status: 401 })),
  );
  await act(async () => {
    render(<App start={startApp(Promise.resolve(session))} />);
  });
}

describe('App', () => {
  it('says "session expired" when the server answers 401', async () => {
    await renderExpired();
    expect(await screen.findByText('Your session has expired')).toBeTruthy();
    // No form was touched: no draft is promised.
    expect(screen.getByText(/the screen stays as it was/)).toBeTruthy();
    expect(screen.queryByText(/will be waiting/)).toBeNull();
    // The screen behind it stays: the app is not replaced by the message.
    expect(screen.getByText('FST Companion')).toBeTruthy();
  });

  it('promises the draft only when a form holds one', async () => {
    sessionStorage.setItem(draftKey('contact', BASE, 'Practitioner/fp', 'p1'), JSON.stringify({ note: 'x' }));
    await renderExpired();
    expect(await screen.findByText('Your session has expired')).toBeTruthy();
    expect(
      screen.getByText(
        /What you typed is kept, encrypted on this device for a day: .* in this tab or a new one, and the form will be waiting/,
      ),
    ).toBeTruthy();
    sessionStorage.clear();
  });

  it('shows the not-launched screen without a launch', async () => {
    window.history.pushState({}, '', '/');
    const notLaunched = Promise.reject(new NotLaunchedError());
    notLaunched.catch(() => undefined);
    await act(async () => {
      render(<App start={startApp(notLaunched)} />);
    });
    expect(await screen.findByRole('heading', { name: 'FST Companion is not launched' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'start a standalone launch' }).getAttribute('href')).toBe(
      // Absolute: the link works from any route (e.g. /patients/p1/history).
      '/launch.html',
    );
  });

  it('a second tab opened on a youth’s address says the sign-in stays in the first tab, and gives a way on', async () => {
    window.history.pushState({}, '', '/patients/p1/history');
    const notLaunched = Promise.reject(new NotLaunchedError());
    notLaunched.catch(() => undefined);
    await act(async () => {
      render(<App start={startApp(notLaunched)} />);
    });
    expect(await screen.findByRole('heading', { name: 'This tab is not signed in' })).toBeTruthy();
    expect(screen.getByText(/Go back to the tab you launched from/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Sign in again in this tab' }).getAttribute('href')).toBe(
      '/launch.html',
    );
    window.history.pushState({}, '', '/');
  });

  it('refuses a patient or family member with a plain message, before reading anything', async () => {
    await act(async () => {
      render(
        <App
          start={startApp(Promise.resolve(testSession({ user: { resourceType: 'Patient', id: 'p1' } })))}
        />,
      );
    });
    expect(await screen.findByRole('heading', { name: 'FST Companion is for staff' })).toBeTruthy();
    expect(
      screen.getByText(/for the staff who provide and coordinate Family Support and Training/),
    ).toBeTruthy();
  });

  it('warns before a session that cannot be renewed ends', async () => {
    server.use(
      http.get(`${BASE}/metadata`, () => HttpResponse.json({ resourceType: 'CapabilityStatement' })),
      http.get(`${BASE}/*`, () =>
        HttpResponse.json({ resourceType: 'Bundle', type: 'searchset', entry: [] }),
      ),
      http.post(`${BASE}/`, () =>
        HttpResponse.json({ resourceType: 'Bundle', type: 'batch-response', entry: [] }),
      ),
    );
    const ending = testSession({
      canRefresh: false,
      expiresAt: Math.floor(Date.now() / 1000) + 120,
      patientId: undefined,
    });
    await act(async () => {
      render(<App start={startApp(Promise.resolve(ending))} />);
    });
    expect(await screen.findByText('Your session ends soon')).toBeTruthy();
    expect(screen.getByText(/cannot be renewed and ends at .* ET/)).toBeTruthy();
  });

  it("keeps a patient-level launch to its own youth: another youth's address is refused", async () => {
    server.use(
      http.get(`${BASE}/metadata`, () => HttpResponse.json({ resourceType: 'CapabilityStatement' })),
    );
    // The last test of this file: the address is not reset (the router would follow it).
    window.history.pushState(null, '', '/patients/someone-else/history');
    await act(async () => {
      render(<App start={startApp(Promise.resolve(testSession()))} />);
    });
    expect(await screen.findByText('This launch is for another youth')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go back to that youth' }).getAttribute('href')).toBe(
      '/patients/p1',
    );
  });
});
