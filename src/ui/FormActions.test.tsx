import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { FormActions } from './FormActions';

const inRouter = (ui: ReactNode) =>
  render(<Router hook={memoryLocation({ path: '/patients/p1/meeting' }).hook}>{ui}</Router>);

describe('FormActions', () => {
  it('submits, and while saving says so and cannot be pressed again', () => {
    const { rerender } = inRouter(<FormActions label="Save meeting" pending={false} cancelHref="/" />);
    expect(screen.getByRole('button', { name: 'Save meeting' })).toHaveProperty('disabled', false);
    expect(screen.getByRole('button').getAttribute('type')).toBe('submit');
    rerender(
      <Router hook={memoryLocation({ path: '/' }).hook}>
        <FormActions label="Save meeting" pending cancelHref="/" />
      </Router>,
    );
    expect(screen.getByRole('button', { name: 'Saving…' })).toHaveProperty('disabled', true);
  });

  it('Cancel is a secondary link where one is given, and absent otherwise', () => {
    inRouter(<FormActions label="Send referral" pendingLabel="Sending…" pending={false} cancelHref="/" />);
    expect(screen.getByRole('link', { name: 'Cancel' }).className).toBe('button-link secondary');
  });

  it('Cancel discards a kept draft, and the footer says the draft is kept until then', async () => {
    let discarded = 0;
    inRouter(
      <FormActions label="Save meeting" pending={false} cancelHref="/" onCancel={() => discarded++} />,
    );
    expect(
      screen.getByText('What you type is kept in this tab until it is saved or cancelled.'),
    ).toBeTruthy();
    screen.getByRole('link', { name: 'Cancel' }).click();
    expect(discarded).toBe(1);
  });

  it('no Cancel without a place to go', () => {
    inRouter(<FormActions label="Record" pending={false} />);
    expect(screen.queryByRole('link', { name: 'Cancel' })).toBeNull();
  });
});
