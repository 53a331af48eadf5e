import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { DateTimeField } from './DateTimeField';

describe('DateTimeField', () => {
  it('says the provider time zone and its error to assistive technology, and reports what is typed', () => {
    const onChange = vi.fn();
    render(
      <DateTimeField
        label="When it happened"
        id="when"
        value="2026-11-20T10:00"
        onChange={onChange}
        timeZone="America/New_York"
        error={<p id="when-error">Enter the date and time.</p>}
        describedBy="when-error"
      />,
    );
    const input = screen.getByLabelText('When it happened');
    expect(input.getAttribute('aria-describedby')).toBe('when-error when-zone');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('when-zone')?.textContent).toBe('Provider time (ET)');
    // What a browser fires as the user types (React and Preact both hear it as onChange).
    fireEvent.input(input, { target: { value: '2026-11-21T09:30' } });
    expect(onChange).toHaveBeenCalledWith('2026-11-21T09:30');
  });

  it('without an error, is neither invalid nor described by one', () => {
    render(
      <DateTimeField label="When" id="at" value="" onChange={() => undefined} timeZone="America/Chicago" />,
    );
    const input = screen.getByLabelText('When');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(input.getAttribute('aria-describedby')).toBe('at-zone');
    expect(document.getElementById('at-zone')?.textContent).toBe('Provider time (CT)');
  });
});
