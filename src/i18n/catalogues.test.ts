import { describe, expect, it } from 'vitest';
import { loadDischargeMessages } from './catalogues';

describe('the typed signature, as a caregiver reads it (issue 37)', () => {
  it('in Spanish says a name typed on a keyboard, never "firma escrita" (read as handwritten)', async () => {
    const es = (await loadDischargeMessages('es'))['signature.typed'];
    expect(es).not.toMatch(/firma escrita/i);
    expect(es).toMatch(/escrito con el teclado/);
    // The English says the same thing.
    expect((await loadDischargeMessages('en'))['signature.typed']).toMatch(/typed signature/);
  });
});
