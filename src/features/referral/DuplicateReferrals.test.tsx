import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Bundle, Task } from 'fhir/r4';
import { renderAtPatient } from '../../../test/fixtures/render';
import { testSession } from '../../../test/fixtures/session';
import { referralOf, rosa } from '../../../test/fixtures/workspace';
import { BASE, capabilityStatement } from '../../../test/fixtures/fhir';
import type { AppUser } from '../../domain/permissions';
import { DuplicateReferrals } from './DuplicateReferrals';

const puts: Task[] = [];
const server = setupServer(
  http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement({ batch: true, include: true }))),
  http.get(`${BASE}/Task/t2`, () =>
    HttpResponse.json({
      resourceType: 'Task',
      id: 't2',
      meta: { versionId: '1' },
      status: 'requested',
      intent: 'order',
      for: { reference: 'Patient/p1' },
      authoredOn: '2026-12-02T15:00:00Z',
    }),
  ),
  http.post(`${BASE}/`, async ({ request }) => {
    const bundle = (await request.json()) as Bundle;
    const entries = bundle.entry ?? [];
    for (const e of entries) if (e.resource?.resourceType === 'Task') puts.push(e.resource as Task);
    return HttpResponse.json({
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: entries.map((e) => ({
        resource: e.resource && { ...e.resource, meta: { versionId: '2' } },
        response: { status: '200 OK' },
      })),
    });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const first = referralOf({
  id: 't1',
  status: 'requested',
  stage: 'referred',
  authoredOn: '2026-12-01T15:00:00Z',
  requesterReference: 'Practitioner/clin',
  versionId: '1',
});
const second = referralOf({
  id: 't2',
  status: 'requested',
  stage: 'referred',
  authoredOn: '2026-12-02T15:00:00Z',
  requesterReference: 'Practitioner/icc',
  versionId: '1',
});
const names = (ref: string | undefined) =>
  ref === 'Practitioner/clin' ? 'Dr. Lee' : ref === 'Practitioner/icc' ? 'Marcus Bell' : '';
const supervisor: AppUser = {
  kind: 'Practitioner',
  references: ['Practitioner/sup'],
  roles: new Set(['fst-supervisor']),
};
const session = () => testSession({ scope: 'patient/*.cruds' });

describe('DuplicateReferrals', () => {
  it('says nothing when one referral is open', () => {
    const { container } = renderAtPatient(
      <DuplicateReferrals referrals={[first]} user={supervisor} nameOf={names} timeZone="America/New_York" />,
      session(),
    );
    expect(container.textContent).toBe('');
  });

  it('shows both open referrals with who sent each and when; only someone who may cancel is offered it', () => {
    renderAtPatient(
      <DuplicateReferrals
        referrals={[second, first]}
        user={rosa}
        nameOf={names}
        timeZone="America/New_York"
      />,
      session(),
    );
    const alert = screen.getByText('2 open FST referrals for this youth').closest('div') as HTMLElement;
    expect(alert.textContent).toContain(
      'Task/t1 · Referred, awaiting acceptance · sent by Dr. Lee on Dec 1, 2026',
    );
    expect(alert.textContent).toContain(
      'Task/t2 · Referred, awaiting acceptance · sent by Marcus Bell on Dec 2, 2026',
    );
    expect(screen.queryByRole('button', { name: /Keep this one/ })).toBeNull();
    expect(alert.textContent).toContain('An FST supervisor can keep one and cancel the others');
  });

  it('the supervisor keeps one: the other is cancelled with a reason naming the one kept', async () => {
    const user = userEvent.setup();
    renderAtPatient(
      <DuplicateReferrals
        referrals={[first, second]}
        user={supervisor}
        nameOf={names}
        timeZone="America/New_York"
      />,
      session(),
    );
    const keep = screen.getAllByRole('button', { name: 'Keep this one, cancel the other' });
    expect(keep).toHaveLength(2);
    await user.click(keep[0]);
    expect(await screen.findByText('Kept Task/t1. Task/t2: referral cancelled.')).toBeTruthy();
    expect(puts).toHaveLength(1);
    expect(puts[0].status).toBe('cancelled');
    expect(puts[0].statusReason?.text).toContain('merged into Task/t1, sent by Dr. Lee on 2026-12-01');
  });
});
