import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { OnCallClinician } from '../../domain/onCall';
import { OnCallGaps } from './OnCallGaps';

const grace: OnCallClinician = {
  reference: 'Practitioner/grace',
  name: 'Grace Lin',
  hours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' }],
  licence: { end: '2030-01-31' },
};
const omar: OnCallClinician = {
  reference: 'Practitioner/omar',
  name: 'Omar Haddad',
  hours: [{ days: [1, 2, 3, 4, 5], start: '12:00', end: '17:00' }],
};

function show(onCall: OnCallClinician[]) {
  const staff = { references: new Set<string>(), names: new Map(), familyPartners: [], onCall };
  render(
    <Router hook={memoryLocation({ path: '/caseload' }).hook}>
      <OnCallGaps
        families={[]}
        staff={staff}
        period={{ from: '2026-09-01', to: '2026-11-30' }}
        timeZone="America/New_York"
        today="2026-11-30"
      />
    </Router>,
  );
}

// Seed 000 staffing 9: "a clinician licensed at the independent practice level is available during normal
// business hours for consultation".
describe('the on-call gaps card, staffing 9', () => {
  it('shows the business hours nobody licensed at the independent practice level covers, and why', () => {
    show([grace, omar]);
    const list = screen.getByRole('list', { name: 'Business hours with no licensed clinician on call' });
    expect(list.textContent).toBe('No licensed clinician on call: Mon–Fri 12:00–17:00');
    expect(
      screen.getByText(/no licence at the independent practice level is on record/).textContent,
    ).toContain('Omar Haddad');
  });

  it('says the business hours are covered when a licensed clinician is on call throughout', () => {
    show([grace, { ...omar, licence: {} }]);
    expect(
      screen.getByText(/A clinician licensed at the independent practice level is on call throughout/),
    ).toBeTruthy();
    expect(
      screen.queryByRole('list', { name: 'Business hours with no licensed clinician on call' }),
    ).toBeNull();
  });
});
