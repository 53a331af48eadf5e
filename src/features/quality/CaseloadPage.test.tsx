import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { Resource } from 'fhir/r4';
import { SessionContext } from '../../app/SessionContext';
import { createQueryClient } from '../../app/queryClient';
import { testSession } from '../../../test/fixtures/session';
import { answerBatch, BASE, capabilityStatement, searchset } from '../../../test/fixtures/fhir';
import { CodeSystems, Profiles } from '../../fhir/codes';
import type { CaseloadEntry } from '../../domain/caseload';
import { toEpisodeReport, toSummaryReport } from '../../fhir/mappers/storedReports';
import { MEASURES_RUN_MEASURE } from '../../fhir/storedCaseload';
import { CaseloadPage } from './CaseloadPage';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const youth = (id: string, given: string): Resource =>
  ({ resourceType: 'Patient', id, name: [{ given: [given], family: 'Test' }] }) as Resource;
const task = (id: string, patient: string, authoredOn: string, fst = true): Resource =>
  ({
    resourceType: 'Task',
    id,
    ...(fst ? { meta: { profile: [Profiles.referralTask] } } : {}),
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    for: { reference: `Patient/${patient}` },
    authoredOn,
  }) as Resource;

/** What the measures job stored, as its own mappers write it: none by default (the job never ran). */
let storedReports: Resource[] = [];
let batches = 0;
const server = setupServer(
  http.get(`${BASE}/MeasureReport`, ({ request }) => {
    const url = new URL(request.url);
    // The caseload's one search reads episode reports and run records; the quality report the summaries.
    const summaries = url.searchParams.has('identifier');
    return HttpResponse.json(
      searchset(
        storedReports.filter((r) =>
          summaries
            ? (r as { type?: string }).type === 'summary'
            : (r as { type?: string }).type !== 'summary',
        ),
      ),
    );
  }),
  http.get(`${BASE}/Task`, () => HttpResponse.json(searchset([]))),
  http.get(`${BASE}/PractitionerRole`, () => HttpResponse.json(searchset([]))),
  http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement({ batch: true, include: true }))),
  // The signed-in supervisor (Dana, a Senior Family Partner), the referrals with the open incident
  // reviews, and the staff list come in batches.
  http.post(`${BASE}/`, async (info) => {
    batches++;
    return answerBatch({
      'Task?code=fulfill': () =>
        searchset([
          task('t-soon', 'a', daysAgo(1)),
          task('t-late', 'b', daysAgo(9)),
          task('t-lab', 'c', daysAgo(0), false),
        ]),
      // The youths are read by id, per chunk, beside their contacts.
      'Patient?_id=': () => searchset([youth('a', 'Ava'), youth('b', 'Ben')]),
      'Practitioner/sfp': {
        resourceType: 'Practitioner',
        id: 'sfp',
        name: [{ given: ['Dana'], family: 'W' }],
      } as Resource,
      'PractitionerRole?practitioner': searchset([
        {
          resourceType: 'PractitionerRole',
          id: 'role-sfp',
          practitioner: { reference: 'Practitioner/sfp' },
          code: [{ coding: [{ system: CodeSystems.careTeamRole, code: 'senior-family-partner' }] }],
        } as Resource,
      ]),
    })(info);
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  storedReports = [];
  batches = 0;
});
afterAll(() => server.close());

function renderPage() {
  const location = memoryLocation({ path: '/caseload' });
  render(
    <SessionContext.Provider
      value={testSession({
        patientId: undefined,
        scope: 'user/*.rs',
        user: { resourceType: 'Practitioner', id: 'sfp' },
      })}
    >
      <QueryClientProvider client={createQueryClient(() => undefined)}>
        <Router hook={location.hook}>
          <CaseloadPage />
        </Router>
      </QueryClientProvider>
    </SessionContext.Provider>,
  );
}

const entry = (id: string, name: string, overdue: number): CaseloadEntry => ({
  youth: { id, name: { full: name } as CaseloadEntry['youth']['name'] },
  referral: { id: `t-${id}`, status: 'in-progress', stage: undefined, authoredOn: daysAgo(40) } as never,
  attention: {
    clock: 'weekly-caregiver-contact',
    status: overdue ? 'overdue' : 'due',
    dueDate: daysAgo(-2),
    daysLeft: overdue ? -3 : 2,
  } as never,
  overdue,
  due: overdue ? 0 : 1,
  pastMissedWeeks: 3,
});
/** The job's state record and two episode reports as of `asOf`, and one month's agency summary. */
function jobRan(asOf: string) {
  const month = new Date().toISOString().slice(0, 7);
  storedReports = [
    {
      resourceType: 'MeasureReport',
      status: 'complete',
      type: 'data-collection',
      measure: MEASURES_RUN_MEASURE,
      period: { start: asOf, end: asOf },
      extension: [
        {
          url: 'https://fst-companion.example.org/fhir/StructureDefinition/fst-data-as-of',
          valueInstant: asOf,
        },
      ],
    } as Resource,
    ...[entry('s1', 'Stored One', 0), entry('s2', 'Stored Two', 1)].map(
      (e) =>
        toEpisodeReport({
          entry: e,
          months: [],
          period: { start: '2026-01-01', end: '2026-01-31' },
          date: asOf,
          dataAsOf: asOf,
        }) as Resource,
    ),
    toSummaryReport({
      scope: { kind: 'agency' },
      month,
      families: 2,
      measures: [{ id: 'weeks-with-caregiver-contact', numerator: 7, denominator: 10 }],
      date: asOf,
      dataAsOf: asOf,
    }) as Resource,
  ];
}

describe('CaseloadPage', () => {
  it("lists each youth's FST referral by its next deadline, links to the youth, and leaves other Tasks out", async () => {
    renderPage();
    const table = await screen.findByRole('table', { name: 'Caseload' });
    // The job never ran: the page computes live and says so.
    expect(screen.getByRole('note').textContent).toContain('The measures job has not stored any figures yet');
    // New referrals wait for the supervisor at the top.
    expect(screen.getByRole('heading', { name: /New referrals awaiting acceptance \(2\)/ })).toBeTruthy();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual(['Ben Test', 'Ava Test']);
    expect(rows[0].textContent).toContain('Overdue');
    expect(rows[1].textContent).toContain('Due');
    expect(within(rows[1]).getByRole('link').getAttribute('href')).toBe('/patients/a');
  });

  it("a supervisor reads the job's fresh stored reports: rows and quality as of its run, no live read", async () => {
    const asOf = new Date(Date.now() - 30 * 60_000).toISOString();
    jobRan(asOf);
    renderPage();
    const table = await screen.findByRole('table', { name: 'Caseload' });
    const rows = within(table).getAllByRole('row').slice(1);
    // Overdue first, as the live caseload sorts them.
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual(['Stored Two', 'Stored One']);
    expect(screen.getByText(/Figures as of/).textContent).toContain(String(new Date(asOf).getUTCFullYear()));
    const quality = await screen.findByRole('table', { name: 'Quality measures' });
    expect(
      within(quality).getByRole('row', { name: /Service weeks with caregiver contact/ }).textContent,
    ).toContain('7 / 10');
    // No batch of the families' records: only the staff list (one batch) and the user (one).
    expect(batches).toBeLessThanOrEqual(2);
    expect(screen.queryByText('Ben Test')).toBeNull();
  });

  it('reports older than the configured age are not shown: the page computes live and says from when they were', async () => {
    jobRan(new Date(Date.now() - 25 * 3_600_000).toISOString());
    renderPage();
    await screen.findByRole('table', { name: 'Caseload' });
    expect(screen.getByRole('note').textContent).toMatch(/last figures are as of .* older than 24 hours/);
    expect(screen.getAllByText('Ben Test').length).toBeGreaterThan(0);
  });
});
