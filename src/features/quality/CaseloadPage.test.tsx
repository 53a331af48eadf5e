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

const server = setupServer(
  http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement({ batch: true, include: true }))),
  // The signed-in supervisor (Dana, a Senior Family Partner), the referrals with the open incident
  // reviews, and the staff list come in batches.
  http.post(
    `${BASE}/`,
    answerBatch({
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
    }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('CaseloadPage', () => {
  it("lists each youth's FST referral by its next deadline, links to the youth, and leaves other Tasks out", async () => {
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
    const table = await screen.findByRole('table', { name: 'Caseload' });
    // New referrals wait for the supervisor at the top.
    expect(screen.getByRole('heading', { name: /New referrals awaiting acceptance \(2\)/ })).toBeTruthy();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual(['Ben Test', 'Ava Test']);
    expect(rows[0].textContent).toContain('Overdue');
    expect(rows[1].textContent).toContain('Due');
    expect(within(rows[1]).getByRole('link').getAttribute('href')).toBe('/patients/a');
  });
});
