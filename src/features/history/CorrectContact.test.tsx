import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Bundle, Communication } from 'fhir/r4';
import { renderAtPatient } from '../../../test/fixtures/render';
import { testSession } from '../../../test/fixtures/session';
import { contactOf, rosa } from '../../../test/fixtures/workspace';
import { BASE, capabilityStatement } from '../../../test/fixtures/fhir';
import { CodeSystems } from '../../fhir/codes';
import { CorrectContact } from './CorrectContact';

let stored: Communication;
let transactions: Bundle[] = [];
const server = setupServer(
  http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement({ batch: true, include: true }))),
  http.get(`${BASE}/Communication/c1`, () => HttpResponse.json(stored)),
  http.post(`${BASE}/`, async ({ request }) => {
    const bundle = (await request.json()) as Bundle;
    transactions.push(bundle);
    const put = bundle.entry?.[0]?.resource as Communication;
    stored = { ...put, meta: { versionId: String(Number(stored.meta?.versionId) + 1) } };
    return HttpResponse.json({
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: [{ resource: stored }, {}],
    });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  transactions = [];
});
afterAll(() => server.close());

const communication = (versionId: string, note: string): Communication => ({
  resourceType: 'Communication',
  id: 'c1',
  meta: { versionId },
  status: 'completed',
  sent: '2026-11-20T15:00:00Z',
  category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'caregiver-contact' }] }],
  sender: { reference: 'Practitioner/fp' },
  payload: [{ contentString: note }],
});
const session = () => testSession({ scope: 'patient/*.cruds' });

describe('CorrectContact', () => {
  it('is offered to the author, and explains itself to anyone else', () => {
    renderAtPatient(
      <CorrectContact contact={contactOf('c1', '2026-11-20T15:00:00Z')} user={rosa} />,
      session(),
    );
    expect(screen.getByRole('button', { name: 'Amend note or date' })).toBeTruthy();
    const coordinator = {
      ...rosa,
      references: ['Practitioner/icc'],
      roles: new Set(['care-coordinator'] as const),
    };
    renderAtPatient(
      <CorrectContact contact={contactOf('c1', '2026-11-20T15:00:00Z')} user={coordinator} />,
      session(),
    );
    expect(screen.getByText('Only the contact’s author or an FST supervisor can correct it.')).toBeTruthy();
  });

  it('asks before withdrawing, then writes the status and a NULLIFY Provenance in one transaction', async () => {
    stored = communication('1', 'Wrong family');
    const user = userEvent.setup();
    renderAtPatient(
      <CorrectContact contact={contactOf('c1', '2026-11-20T15:00:00Z')} user={rosa} />,
      session(),
    );
    await user.click(screen.getByRole('button', { name: 'Mark entered in error' }));
    await user.type(screen.getByLabelText('Reason it was entered in error'), 'Logged on the wrong family');
    await user.click(screen.getByRole('button', { name: 'Withdraw contact' }));
    expect(transactions).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toContain('Withdraw this contact?');
    await user.click(screen.getByRole('button', { name: 'Yes, withdraw it' }));
    await screen.findByRole('button', { name: 'Amend note or date' }).catch(() => undefined);
    expect(transactions).toHaveLength(1);
    const [put, provenance] = transactions[0].entry ?? [];
    expect((put.resource as Communication).status).toBe('entered-in-error');
    expect(put.request?.ifMatch).toBe('W/"1"');
    expect(provenance.resource).toMatchObject({
      resourceType: 'Provenance',
      activity: { coding: [{ code: 'NULLIFY' }] },
    });
  });

  it("shows the other person's version on a conflict and applies the change on top of it", async () => {
    stored = communication('2', 'Their edit');
    const user = userEvent.setup();
    renderAtPatient(
      <CorrectContact contact={contactOf('c1', '2026-11-20T15:00:00Z')} user={rosa} />,
      session(),
    );
    await user.click(screen.getByRole('button', { name: 'Amend note or date' }));
    const box = screen.getByLabelText('Amended note');
    await user.clear(box);
    await user.type(box, 'My amendment');
    // No reason, no amendment: the audit trail says why a note changed.
    expect(screen.getByRole('button', { name: 'Save amendment' })).toHaveProperty('disabled', true);
    await user.type(screen.getByLabelText('Reason for the amendment'), 'Wrong date in the note');
    await user.click(screen.getByRole('button', { name: 'Save amendment' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Their edit');
    expect(transactions).toHaveLength(0);
    expect((screen.getByLabelText('Amended note') as HTMLTextAreaElement).value).toBe('My amendment');
    await user.click(screen.getByRole('button', { name: 'Apply my change to their version' }));
    await user.click(screen.getByRole('button', { name: 'Save amendment' }));
    await screen.findByRole('button', { name: 'Amend note or date' });
    expect(transactions[0].entry?.[0]?.request?.ifMatch).toBe('W/"2"');
  });

  it('amends the contact’s date without withdrawing it: a new version, If-Match, the old date in the reason', async () => {
    stored = communication('1', 'Called about school');
    const user = userEvent.setup();
    renderAtPatient(
      <CorrectContact contact={contactOf('c1', '2026-11-20T15:00:00Z')} user={rosa} />,
      session(),
    );
    await user.click(screen.getByRole('button', { name: 'Amend note or date' }));
    const when = screen.getByLabelText('Date and time of the contact') as HTMLInputElement;
    expect(when.value).toBe('2026-11-20T10:00');
    // A date in the future is refused before anything is sent, with the reason beside the field.
    await user.clear(when);
    await user.type(when, '2099-01-01T10:00');
    await user.type(screen.getByLabelText('Reason for the amendment'), 'Logged on the wrong day');
    expect(screen.getByText('The contact cannot be in the future.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save amendment' })).toHaveProperty('disabled', true);
    await user.clear(when);
    await user.type(when, '2026-11-19T10:00');
    await user.click(screen.getByRole('button', { name: 'Save amendment' }));
    await screen.findByRole('button', { name: 'Amend note or date' });
    const [put, provenance] = transactions[0].entry ?? [];
    expect((put.resource as Communication).sent).toBe('2026-11-19T15:00:00.000Z');
    expect((put.resource as Communication).payload).toEqual([{ contentString: 'Called about school' }]);
    expect(put.request?.ifMatch).toBe('W/"1"');
    expect(provenance.resource).toMatchObject({
      activity: { coding: [{ code: 'UPDATE' }] },
      reason: [{ text: 'Date corrected from Nov 20, 2026, 10:00 AM ET: Logged on the wrong day' }],
    });
  });
});
