import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { WithPhoneLinks } from './CrisisProtocol';

const links = (text: string) => {
  const { container, unmount } = render(
    <p>
      <WithPhoneLinks text={text} />
    </p>,
  );
  const found = [...container.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]);
  const whole = container.textContent;
  unmount();
  return { found, whole };
};

describe('phone numbers in the crisis protocol', () => {
  it('makes every number a tap-to-call link and keeps the text as it was', () => {
    expect(links('If anyone is in immediate danger, call 911.')).toEqual({
      found: [['911', 'tel:911']],
      whole: 'If anyone is in immediate danger, call 911.',
    });
    expect(links('Call Aunt Lisa (555-0142) to come and sit with her.').found).toEqual([
      ['555-0142', 'tel:5550142'],
    ]);
    expect(links('On call: (617) 555-0199, or 988 for the Lifeline').found).toEqual([
      ['(617) 555-0199', 'tel:6175550199'],
      ['988', 'tel:988'],
    ]);
  });

  it('leaves dates, times and other numbers alone', () => {
    expect(links('Review on 2026-12-02 at 9119 Main St, room 4911').found).toEqual([]);
  });
});
