import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { encode } from 'uqr';
import LinkQr from './LinkQr';

describe('the link as a QR code', () => {
  it('draws every dark module of the link’s code, inside a white border, as one labelled image', () => {
    const link = 'http://localhost:5173/caregiver.html#link=abc&at=http%3A%2F%2Flocalhost%3A8080%2Ffhir';
    render(<LinkQr text={link} label="QR code of the link" />);
    const img = screen.getByRole('img', { name: 'QR code of the link' });
    const d = img.querySelector('path')?.getAttribute('d') ?? '';
    const drawn = new Set(
      d
        .split('M')
        .filter(Boolean)
        .map((m) => m.split('h')[0]),
    );
    const { data } = encode(link, { ecc: 'M', border: 2 });
    const dark = data.flatMap((row, y) => row.flatMap((on, x) => (on ? [`${x} ${y}`] : [])));
    expect(drawn).toEqual(new Set(dark));
    // The quiet zone: nothing drawn in the border, the finder pattern's corner just inside it.
    expect(drawn.has('0 0')).toBe(false);
    expect(drawn.has('2 2')).toBe(true);
    expect(img.getAttribute('viewBox')).toBe(`0 0 ${data.length} ${data.length}`);
  });
});
