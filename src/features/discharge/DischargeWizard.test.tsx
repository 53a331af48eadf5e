import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderAtPatient } from '../../../test/fixtures/render';
import { testSession } from '../../../test/fixtures/session';
import { contactOf, referralOf, workspaceOf } from '../../../test/fixtures/workspace';
import { DischargeWizard } from './DischargeWizard';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

/** Rosa's family: she is the assigned Family Partner; the last visit was 4 days ago, then two calls went unanswered. */
const ws = () =>
  workspaceOf({
    referrals: [referralOf({ ownerReference: 'PractitionerRole/role-fp', authoredOn: daysAgo(60) })],
    contacts: [
      contactOf('visit', daysAgo(4), { method: 'face-to-face' }),
      contactOf('try-1', daysAgo(2), { status: 'not-done', attemptReason: 'no-answer' }),
      contactOf('try-2', daysAgo(1), {
        status: 'not-done',
        method: 'face-to-face',
        attemptReason: 'no-answer',
      }),
    ],
  });

describe('DischargeWizard', () => {
  it('a family that stopped without notice: outreach listed, no meeting, closed unsigned only with a reason', async () => {
    const user = userEvent.setup();
    renderAtPatient(<DischargeWizard ws={ws()} />, testSession(), '/discharge');
    const form = screen.getByRole('form', { name: 'Plan discharge' });
    // The deadline is on screen from the start: the last date of service defaults to the last visit.
    expect(within(form).getByRole('note').textContent).toMatch(
      /Deliver the signed plan by .*5 business days/,
    );
    expect((within(form).getByLabelText('Last date of service') as HTMLInputElement).value).not.toBe('');

    await user.click(within(form).getByRole('radio', { name: 'The caregiver stopped without notice' }));
    expect(within(form).queryByLabelText('Meeting date')).toBeNull();
    const outreach = within(form).getByRole('region', { name: /Outreach attempts/ });
    expect(within(outreach).getAllByRole('listitem')).toHaveLength(2);
    await user.click(within(form).getByRole('checkbox', { name: /^A\./ }));
    // C is the family's own request (seed 004 §V C): not offered to a family that vanished.
    expect(within(form).queryByRole('checkbox', { name: /^C\./ })).toBeNull();
    expect(within(form).getByRole('checkbox', { name: /^B\./ })).toBeTruthy();
    await user.click(within(form).getByRole('radio', { name: 'Not achieved' }));
    await user.type(within(form).getByLabelText(/^Resources/), 'Parent group; 988');
    await user.type(within(form).getByLabelText('Follow-up plan'), 'Letter with crisis numbers sent');
    // Seed 000 discharge 5 asks strategies, supports and services in place of every plan: none written, no step 2.
    await user.click(within(form).getByRole('button', { name: 'Next' }));
    expect(within(form).getByRole('alert').textContent).toContain(
      'missing: strategies, supports, services in place',
    );
    // For a family that stopped without notice, "not known" is an answer the plan records.
    for (const what of ['strategies', 'supports', 'services in place'])
      await user.click(within(form).getByRole('button', { name: new RegExp(`Not known.*\\(${what}\\)`) }));
    expect((within(form).getByLabelText('Strategies') as HTMLTextAreaElement).value).toBe(
      'Not known: the family stopped without notice.',
    );
    await user.click(within(form).getByRole('button', { name: 'Next' }));

    expect(within(form).getByRole('heading', { name: 'Step 2 of 3: Signature and consent' })).toBeTruthy();
    await user.click(within(form).getByRole('radio', { name: 'No signature' }));
    await user.click(within(form).getByRole('button', { name: 'Next' }));
    expect(within(form).getByRole('alert').textContent).toContain('Say why the caregiver did not sign.');
    await user.type(
      within(form).getByLabelText('Why the caregiver did not sign'),
      'Unreachable since the last visit',
    );
    await user.click(within(form).getByRole('button', { name: 'Next' }));

    const preview = await within(form).findByRole('article', { name: 'Preview of the discharge plan' });
    expect(preview.getAttribute('lang')).toBe('en-US');
    expect(preview.textContent).toContain('Services stopped without notice.');
    expect(preview.textContent).toContain('How we tried to reach you');
    expect(preview.textContent).toContain('Not signed by the caregiver: Unreachable since the last visit');
    expect(preview.textContent).toContain('Only you.');
    expect(preview.textContent).not.toContain('requested discharge');
  });

  it('on the ordinary path the caregiver must sign: there is no "No signature" choice; typed signing works by keyboard', async () => {
    const user = userEvent.setup();
    renderAtPatient(<DischargeWizard ws={ws()} />, testSession(), '/discharge');
    const form = screen.getByRole('form', { name: 'Plan discharge' });
    await user.click(within(form).getByRole('radio', { name: 'The goals are met' }));
    await user.type(
      within(form).getByLabelText('Meeting date'),
      new Date(Date.now() - DAY).toISOString().slice(0, 10),
    );
    await user.type(within(form).getByLabelText('Participants'), 'Angela, Rosa');
    await user.click(within(form).getByRole('checkbox', { name: /^A\./ }));
    await user.click(within(form).getByRole('checkbox', { name: /^B\./ }));
    await user.click(within(form).getByRole('radio', { name: 'Achieved' }));
    for (const [label, text] of [
      ['Strategies', 'Praise'],
      ['Supports', 'Aunt'],
      ['Services in place', 'Therapy'],
      [/^Resources/, 'Parent group'],
    ] as const)
      await user.type(within(form).getByLabelText(label), text);
    await user.type(within(form).getByLabelText('Follow-up plan'), 'Parent group');
    await user.click(within(form).getByRole('button', { name: 'Next' }));
    expect(within(form).queryByRole('radio', { name: 'No signature' })).toBeNull();

    // Keyboard only: the typed name, then Tab to the confirmation and Space.
    await user.click(within(form).getByLabelText('Typed name'));
    await user.keyboard('Angela Thompson');
    await user.tab();
    expect(document.activeElement).toBe(
      within(form).getByRole('checkbox', { name: 'I confirm this is my signature' }),
    );
    await user.keyboard(' ');
    await user.keyboard('{Enter}');
    expect(await within(form).findByRole('article', { name: 'Preview of the discharge plan' })).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Finalise discharge' })).toBeTruthy();
  });

  it('refuses a user who is neither the assigned Family Partner nor a supervisor', () => {
    const other = workspaceOf({
      referrals: [referralOf({ ownerReference: 'PractitionerRole/someone-else' })],
    });
    renderAtPatient(<DischargeWizard ws={other} />, testSession(), '/discharge');
    expect(screen.getByRole('alert').textContent).toContain('You cannot discharge this family');
  });
});
