import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { renderAtPatient } from '../../../test/fixtures/render';
import {
  answerBatch,
  BASE,
  capabilityStatement,
  caregiver,
  contact,
  goal,
  patient,
  plan,
  searchset,
} from '../../../test/fixtures/fhir';
import { WorkspacePage } from './WorkspacePage';
import { testSession } from '../../../test/fixtures/session';

const server = setupServer(
  http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement({ batch: true, include: true }))),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const session = testSession;

function renderPage(s: ReturnType<typeof testSession>) {
  return renderAtPatient(<WorkspacePage />, s);
}

const workspaceBatch = () =>
  server.use(
    http.post(
      `${BASE}/`,
      answerBatch({
        'Patient/p1': patient,
        RelatedPerson: searchset([caregiver]),
        CarePlan: searchset([plan, goal]),
        Communication: searchset([contact('c1', '2026-11-20T15:00:00Z'), contact('bad', undefined)]),
      }),
    ),
  );

describe('WorkspacePage', () => {
  it('shows the banner, the plan goals and the unreadable record', async () => {
    workspaceBatch();
    renderPage(session());
    const banner = await screen.findByRole('region', { name: 'Patient' });
    expect(within(banner).getByRole('heading', { name: 'Maya Thompson' })).toBeTruthy();
    expect(banner.textContent).toContain('Angela Thompson (mother)');
    // The cards below the referral and its clocks come in a deferred render.
    const goals = await screen.findByRole('list', { name: 'Goals of Individual Care Plan (ICC)' });
    expect(
      within(goals)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([expect.stringContaining('Reduce school refusal')]);
    expect(screen.getByText('Communication/bad has no sent date')).toBeTruthy();
  });

  it('leaves the banner to the EHR when need_patient_banner is false', async () => {
    workspaceBatch();
    renderPage(session({ needPatientBanner: false }));
    await screen.findByRole('heading', { name: 'Plan goals' });
    expect(screen.queryByRole('region', { name: 'Patient' })).toBeNull();
  });

  it('renders server text as text, never as markup', async () => {
    const hostile = { ...goal, description: { text: '<img src=x onerror=alert(1)>Goal' } };
    server.use(
      http.post(
        `${BASE}/`,
        answerBatch({ 'Patient/p1': patient, CarePlan: searchset([plan, hostile as never]) }),
      ),
    );
    const { container } = renderPage(session());
    await screen.findByText('<img src=x onerror=alert(1)>Goal');
    expect(container.querySelector('img')).toBeNull();
  });

  it('says plainly when the record cannot be loaded, with a retry', async () => {
    let attempts = 0;
    server.use(
      http.post(`${BASE}/`, () => {
        attempts++;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    renderPage(session());
    const alert = await screen.findByRole('alert', {}, { timeout: 8000 });
    expect(attempts).toBe(3); // server errors are retried twice before the user sees them
    expect(alert.textContent).toContain('The FHIR server had a problem');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('isolates names for bidirectional text, survives a null entry and counts in words', async () => {
    const rtl = { ...patient, name: [{ given: ['\u202Eevil'], family: 'Doe' }] };
    const withNull = {
      ...searchset([contact('c1', '2026-11-20T15:00:00Z')]),
      entry: [null, ...(searchset([contact('c1', '2026-11-20T15:00:00Z')]).entry ?? [])],
    };
    server.use(
      http.post(`${BASE}/`, answerBatch({ 'Patient/p1': rtl as never, Communication: withNull as never })),
    );
    renderPage(session());
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading.querySelector('bdi')?.textContent).toBe('evil Doe');
    expect(await screen.findByText('1 contact recorded.')).toBeTruthy();
  });
});
