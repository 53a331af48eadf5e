import { describe, expect, it } from 'vitest';
import { styleVariables } from './smartStyle';

describe('smart_style_url', () => {
  it('maps the EHR colours to our CSS variables', () => {
    expect(
      styleVariables({
        color_background: '#f4f6f8',
        color_highlight: 'rgb(35, 78, 112)',
        color_text: '#111',
        font_family_body: 'Arial, sans-serif',
      }),
    ).toEqual({
      '--bg': '#f4f6f8',
      '--accent': 'rgb(35, 78, 112)',
      '--fg': '#111',
      '--font-body': 'Arial, sans-serif',
    });
  });

  it('refuses anything that is not a plain colour', () => {
    expect(styleVariables({ color_background: 'red; background-image: url(https://evil)' })).toEqual({});
    expect(styleVariables('nonsense')).toEqual({});
  });
});
