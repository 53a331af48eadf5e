import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Communication } from 'fhir/r4';
import { renderAtPatient } from '../../../test/fixtures/render';
import { CodeSystems, Extensions } from '../../fhir/codes';
import {
  answerBatch,
  BASE,
  capabilityStatement,
  caregiver,
  goal,
  patient,
  plan,
  referralTask,
  searchset,
} from '../../../test/fixtures/fhir';
import { WorkspacePage } from '../workspace/WorkspacePage';
import { testSession } from '../../../test/fixtures/session';
import { ownerOf } from '../../domain/outbox';
import { list } from '../offline/outboxStore';

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
      'Task?patient=Patient/p1&code=fulfill': searchset([referralTask]),
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
beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  // The workspace loads the form lazily (and fetches it once on screen, as here): loaded before the first
  // test, so that test does not also time the module's first transform.
  await import('./LogContactForm');
});
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
  return { user, form: await screen.findByRole('form', { name: 'Log contact' }) };
}

/** What a completed contact needs besides the note: how, how long, why, and which goal. */
async function fillRequired(user: ReturnType<typeof userEvent.setup>, form: HTMLElement) {
  await user.selectOptions(within(form).getByLabelText('Method'), 'phone');
  await user.type(within(form).getByLabelText('Duration (minutes)'), '10');
  await user.click(within(within(form).getByRole('group', { name: 'Purpose' })).getByLabelText('Coaching'));
  await user.click(
    within(within(form).getByRole('group', { name: 'Goals addressed' })).getAllByRole('checkbox')[0],
  );
}

describe('Log contact', () => {
  it('offers the caregivers and the ICC care coordinator, with the accessible names the spec names', async () => {
    renderWorkspace();
    const { user, form } = await openForm();
    const options = within(within(form).getByLabelText('Contact with'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    // Plain names: no invisible marks (issue 36) — bidi controls are stripped where names are read.
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

  it('opens with safe defaults only: the caregiver and now; how, how long and why are left to the user', async () => {
    saved.set('earlier', {
      resourceType: 'Communication',
      id: 'c0',
      status: 'completed',
      sent: '2026-11-01T15:00:00Z',
      category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'caregiver-contact' }] }],
      medium: [{ coding: [{ system: CodeSystems.participationMode, code: 'FACE' }] }],
      extension: [{ url: Extensions.contactDuration, valueDuration: { value: 60, unit: 'min' } }],
      reasonCode: [{ coding: [{ system: CodeSystems.contactPurpose, code: 'modeling' }] }],
    } as Communication);
    renderWorkspace();
    const { user, form } = await openForm();
    // Focus goes to the first field.
    expect(document.activeElement).toBe(within(form).getByLabelText('Contact with'));
    expect((within(form).getByLabelText('Contact with') as HTMLSelectElement).value).toBe(
      'RelatedPerson/rp1',
    );
    expect((within(form).getByLabelText('Method') as HTMLSelectElement).value).toBe('');
    expect((within(form).getByLabelText('Duration (minutes)') as HTMLInputElement).value).toBe('');
    expect(
      within(within(form).getByRole('group', { name: 'Purpose' }))
        .getAllByRole('checkbox')
        .some((c) => (c as HTMLInputElement).checked),
    ).toBe(false);
    // The last 60-minute home visit is copied only on demand.
    await user.click(within(form).getByRole('button', { name: 'Same as last contact' }));
    expect((within(form).getByLabelText('Method') as HTMLSelectElement).value).toBe('face-to-face');
    expect((within(form).getByLabelText('Duration (minutes)') as HTMLInputElement).value).toBe('60');
    expect((within(form).getByLabelText('Modeling') as HTMLInputElement).checked).toBe(true);
  });

  it('names every field to fix in a summary that takes the focus and links to each field', async () => {
    renderWorkspace();
    const { user, form } = await openForm();
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    const summary = within(form).getByRole('alert');
    expect(summary.textContent).toContain('Check 5 items before saving');
    const links = within(summary)
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(links).toEqual([
      'Method: Choose how the contact happened.',
      'Duration (minutes): Enter the duration in whole minutes (1–480).',
      'Purpose: Choose at least one purpose.',
      'Goals addressed: Choose at least one plan goal the contact addressed.',
      'Progress note: Write the progress note: every contact is documented.',
    ]);
    const noteLink = within(summary).getByRole('link', { name: /Progress note/ });
    expect(document.getElementById(noteLink.getAttribute('href')!.slice(1))).toBe(
      within(form).getByLabelText('Progress note'),
    );
    // The fields to fix are marked invalid for assistive technology; the ones that are fine are not.
    expect(within(form).getByLabelText('Method').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByLabelText('Progress note').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByLabelText('Contact with').hasAttribute('aria-invalid')).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(summary));
    expect(posts).toBe(0);
  });

  it("shows the server's reason on a 400 and keeps every word typed", async () => {
    postResponses = ['bad400'];
    renderWorkspace();
    const { user, form } = await openForm();
    await fillRequired(user, form);
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
    await fillRequired(user, form);
    await user.type(within(form).getByLabelText('Progress note'), 'Weekly call');
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('The FHIR server had a problem');
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    const confirmation = await screen.findByText('Contact was already saved.');
    // The confirmation takes the focus the closed form had.
    await waitFor(() => expect(document.activeElement).toBe(confirmation));
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
    expect(Object.keys(sessionStorage).some((k) => k.startsWith('fst-draft:contact:'))).toBe(true);
    expect(localStorage.length).toBe(0);
  });

  it('is disabled, with the reason, when the token cannot create Communications', async () => {
    renderWorkspace(session('patient/*.rs user/*.rs'));
    const button = await screen.findByRole('button', { name: 'Log contact' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/does not allow writing Communication/)).toBeTruthy();
  });

  it('offline, keeps the contact on the device as pending, sends nothing, and says it is not on the server', async () => {
    renderWorkspace();
    const { user, form } = await openForm();
    await fillRequired(user, form);
    await user.type(within(form).getByLabelText('Progress note'), 'Typed in the car');
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      await user.click(within(form).getByRole('button', { name: 'Save contact' }));
      expect(
        await screen.findByText(
          'Saved on this device, not yet on the server: it is sent when you are connected.',
        ),
      ).toBeTruthy();
      expect(posts).toBe(0);
      const pending = await screen.findByRole('list', { name: 'Pending records' });
      expect(within(pending).getAllByRole('listitem')).toHaveLength(1);
      const signedIn = session();
      const queued = await list<{ note: string }>(
        ownerOf(signedIn.serverUrl, `${signedIn.user?.resourceType}/${signedIn.user?.id}`),
      );
      expect(queued.map((e) => [e.kind, e.state, e.record.note])).toEqual([
        ['contact', 'pending', 'Typed in the car'],
      ]);
    } finally {
      online.mockRestore();
    }
  });

  it("never shows one user's draft to another user of the same tab", async () => {
    const first = renderWorkspace();
    const { user, form } = await openForm();
    await user.type(within(form).getByLabelText('Progress note'), 'Rosa’s private draft');
    first.unmount();
    renderWorkspace(
      testSession({
        scope: 'patient/*.cruds user/*.rs',
        user: { resourceType: 'Practitioner', id: 'sfp' },
        needPatientBanner: false,
      }),
    );
    const { form: theirs } = await openForm();
    expect((within(theirs).getByLabelText('Progress note') as HTMLTextAreaElement).value).toBe('');
  });
});
