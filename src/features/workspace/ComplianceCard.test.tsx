import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderAtPatient } from '../../../test/fixtures/render';
import { testSession } from '../../../test/fixtures/session';
import { contactOf, referralOf, workspaceOf } from '../../../test/fixtures/workspace';
import { ComplianceCard } from './ComplianceCard';

describe('ComplianceCard', () => {
  it("shows the current FST referral's clocks, counting only FST staff's contacts", () => {
    // Referred today: the 5-day call is due; a clinician's call does not meet it.
    const authoredOn = new Date(Date.now() - 60_000).toISOString();
    const ws = workspaceOf({
      referrals: [
        referralOf({ authoredOn, status: 'requested', stage: 'referred' }),
        // A newer Task that is not ours (a lab order): not the referral.
        referralOf({ id: 'lab', authoredOn: new Date().toISOString(), status: 'completed', fstMarks: [] }),
      ],
      contacts: [contactOf('by-clinician', new Date().toISOString(), { senderReference: 'Practitioner/op' })],
    });
    renderAtPatient(<ComplianceCard ws={ws} />, testSession());
    const table = screen.getByRole('table', { name: 'Compliance clocks' });
    const call = within(table).getByRole('row', { name: /Caregiver called within 5 days/ });
    expect(call.textContent).toContain('Due');
    expect(call.textContent).toMatch(/5 day\(s\) left|4 day\(s\) left/);
  });

  it('shows nothing without an FST referral', () => {
    const ws = workspaceOf({ referrals: [referralOf({ fstMarks: [] })] });
    const { container } = renderAtPatient(<ComplianceCard ws={ws} />, testSession());
    expect(container.querySelector('table')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Compliance' })).toBeNull();
  });
});
