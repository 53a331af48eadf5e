import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Communication } from 'fhir/r4';
import { renderAtPatient } from '../../../test/fixtures/render';
import { CodeSystems } from '../../fhir/codes';
import {
  answerBatch,
  BASE,
  capabilityStatement,
  caregiver,
  goal,
  patient,
  plan,
  searchset,
} from '../../../test/fixtures/fhir';
import { WorkspacePage } from '../workspace/WorkspacePage';
import { testSession } from '../../../test/fixtures/session';

const team = {
  resourceType: 'CareTeam',
  id: 'team1',
  participant: [
    {
      role: [
        {
          coding: [
            {
              system: CodeSystems.careTeamRole,
              code: 'icc-care-coordinator',
              display: 'ICC Care Coordinator',
            },
          ],
        },
      ],
      member: { reference: 'Practitioner/icc1' },
    },
  ],
};
const coordinator = {
  resourceType: 'Practitioner',
  id: 'icc1',
  name: [{ given: ['Marcus'], family: 'Bell' }],
};
const fpPractitioner = {
  resourceType: 'Practitioner',
  id: 'fp',
  name: [{ given: ['Rosa'], family: 'Delgado' }],
};
const fpRole = {
  resourceType: 'PractitionerRole',
  id: 'role-fp',
  practitioner: { reference: 'Practitioner/fp' },
  code: [{ coding: [{ system: CodeSystems.careTeamRole, code: 'family-partner' }] }],
};
const planWithTeam = { ...plan, careTeam: [{ reference: 'CareTeam/team1' }] };

const saved = new Map<string, Communication>();
let postResponses: ('ok' | 'fail500' | 'bad400')[] = [];
let posts = 0;

const server = setupServer(
  http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement({ batch: true, include: true }))),
  http.post(
    `${BASE}/`,
    answerBatch({
      'Patient/p1': patient,
      RelatedPerson: searchset([caregiver]),
      CarePlan: searchset([planWithTeam as never, goal, team as never, coordinator as never]),
      Communication: () => searchset([...saved.values()]),
      'Practitioner/fp': fpPractitioner as never,
      'PractitionerRole?practitioner': searchset([fpRole as never]),
      'PractitionerRole?role': searchset([fpRole as never]),
    }),
  ),
  http.post(`${BASE}/Communication`, async ({ request }) => {
    posts++;
    const body = (await request.json()) as Communication;
    const key = body.identifier?.[0]?.value ?? '';
    const mode = postResponses.shift() ?? 'ok';
    if (mode === 'bad400') {
      return HttpResponse.json(
        {
          resourceType: 'OperationOutcome',
          issue: [
            { severity: 'error', code: 'invariant', details: { text: 'Recipient is not on the care team' } },
          ],
        },
        { status: 400 },
      );
    }
    if (saved.has(key)) return HttpResponse.json(saved.get(key));
    const stored = { ...body, id: `c${saved.size + 1}`, meta: { ...body.meta, versionId: '1' } };
    saved.set(key, stored);
    if (mode === 'fail500') return new HttpResponse(null, { status: 500 });
    return HttpResponse.json(stored, { status: 201 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  saved.clear();
  postResponses = [];
  posts = 0;
});
afterAll(() => server.close());

const session = (scope = 'patient/*.cruds user/*.rs') =>
  testSession({ scope, user: { resourceType: 'Practitioner', id: 'fp' }, needPatientBanner: false });

function renderWorkspace(s = session()) {
  return renderAtPatient(<WorkspacePage />, s);
}

async function openForm() {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Log contact' }));
  return { user, form: screen.getByRole('form', { name: 'Log contact' }) };
}

describe('Log contact', () => {
  it('offers the caregivers and the ICC care coordinator, with the accessible names the spec names', async () => {
    renderWorkspace();
    const { user, form } = await openForm();
    const options = within(within(form).getByLabelText('Contact with'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual(['Angela Thompson (mother)', 'Marcus Bell — ICC Care Coordinator']);
    for (const name of [
      'Method',
      'Date and time',
      'Duration (minutes)',
      'Progress note',
      'Attempt only (no contact made)',
    ]) {
      expect(within(form).getByLabelText(name)).toBeTruthy();
    }
    expect(within(form).getByRole('group', { name: 'Purpose' })).toBeTruthy();
    expect(within(form).getByRole('group', { name: 'Goals addressed' })).toBeTruthy();
    expect(within(form).queryByLabelText('Telehealth requested by family')).toBeNull();
    await user.selectOptions(within(form).getByLabelText('Method'), 'video');
    expect(within(form).getByLabelText('Telehealth requested by family')).toBeTruthy();
  });

  it('refuses to save a contact without a note, and says so', async () => {
    renderWorkspace();
    const { user, form } = await openForm();
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    expect(within(form).getByRole('alert').textContent).toContain('Check 1 field(s)');
    expect(within(form).getByText('Write the progress note: every contact is documented.')).toBeTruthy();
    expect(posts).toBe(0);
  });

  it("shows the server's reason on a 400 and keeps every word typed", async () => {
    postResponses = ['bad400'];
    renderWorkspace();
    const { user, form } = await openForm();
    await user.type(within(form).getByLabelText('Progress note'), 'Long careful note');
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    expect((await within(form).findByRole('alert')).textContent).toContain(
      'Recipient is not on the care team',
    );
    expect((within(form).getByLabelText('Progress note') as HTMLTextAreaElement).value).toBe(
      'Long careful note',
    );
  });

  it('a 500 then a retry stores the contact exactly once', async () => {
    postResponses = ['fail500', 'ok'];
    renderWorkspace();
    const { user, form } = await openForm();
    await user.type(within(form).getByLabelText('Progress note'), 'Weekly call');
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('The FHIR server had a problem');
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    expect(await screen.findByText('Contact was already saved.')).toBeTruthy();
    expect(posts).toBe(2);
    expect(saved.size).toBe(1);
  });

  it('keeps the draft in this tab across a remount (reload)', async () => {
    const first = renderWorkspace();
    const { user, form } = await openForm();
    await user.type(within(form).getByLabelText('Progress note'), 'Draft text');
    first.unmount();
    renderWorkspace();
    const { form: again } = await openForm();
    expect((within(again).getByLabelText('Progress note') as HTMLTextAreaElement).value).toBe('Draft text');
    expect(Object.keys(sessionStorage).some((k) => k.startsWith('fst-contact-draft:'))).toBe(true);
    expect(localStorage.length).toBe(0);
  });

  it('is disabled, with the reason, when the token cannot create Communications', async () => {
    renderWorkspace(session('patient/*.rs user/*.rs'));
    const button = await screen.findByRole('button', { name: 'Log contact' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/does not allow recording contacts/)).toBeTruthy();
  });
});
