import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvDocument } from './csv';

describe('CSV', () => {
  it('starts with the UTF-8 byte-order mark, so Excel reads "Sofía" as written', () => {
    const file = csvDocument([['name'], ['Sofía Ramírez']]);
    expect(file.startsWith(CSV_BOM)).toBe(true);
    expect(new TextEncoder().encode(file).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(file.slice(1)).toBe('name\r\nSofía Ramírez\r\n');
  });

  it('neutralises formulas and quotes per RFC 4180', () => {
    for (const f of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(f).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('plain')).toBe('plain');
  });
});
