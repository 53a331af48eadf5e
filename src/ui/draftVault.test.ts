import { describe, expect, it } from 'vitest';
import { DRAFT_LIFETIME_MS, DraftVault, newDraftKey } from './draftVault';
import type { SealedDraft, VaultBackend } from './draftVault';

/** The vault's backend as a Map (IndexedDB in the browser; the e2e fault walk drives that one). */
function memoryBackend() {
  const drafts = new Map<string, SealedDraft>();
  const key = newDraftKey();
  const backend: VaultBackend = {
    key: () => key,
    get: async (id) => drafts.get(id),
    put: async (id, sealed) => void drafts.set(id, sealed),
    delete: async (id) => void drafts.delete(id),
    all: async () => [...drafts],
  };
  return { backend, drafts, key };
}

const KEY = 'fst-draft:contact:http://ehr.example/fhir:Practitioner/fp-rosa:youth-01';

describe('the draft vault', () => {
  it('gives back what was typed, to the same server and user only', async () => {
    const { backend } = memoryBackend();
    const vault = new DraftVault(backend);
    await vault.save(KEY, { note: 'Call Maria back on Thursday' });
    expect(await vault.restore((k) => k.includes('Practitioner/fp-rosa'))).toEqual([
      { key: KEY, value: { note: 'Call Maria back on Thursday' } },
    ]);
    expect(await vault.restore((k) => k.includes('Practitioner/fp-james'))).toEqual([]);
  });

  it('keeps neither the text nor the ids in clear, under a key that cannot be exported', async () => {
    const { backend, drafts, key } = memoryBackend();
    await new DraftVault(backend).save(KEY, { note: 'Call Maria back on Thursday' });
    const [[id, sealed]] = [...drafts];
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const bytes = new TextDecoder('latin1').decode(new Uint8Array(sealed.data));
    expect(bytes).not.toContain('Maria');
    expect(bytes).not.toContain('youth-01');
    expect((await key).extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', await key)).rejects.toThrow();
  });

  it('forgets a draft when its form is saved, and every draft after a day', async () => {
    const { backend, drafts } = memoryBackend();
    let now = Date.parse('2026-12-07T09:00:00Z');
    const vault = new DraftVault(backend, () => now);
    await vault.save(KEY, { n: 1 });
    await vault.forget(KEY);
    expect(drafts.size).toBe(0);
    await vault.save(KEY, { n: 2 });
    now += DRAFT_LIFETIME_MS + 1;
    expect(await vault.restore(() => true)).toEqual([]);
    expect(drafts.size).toBe(0);
  });

  it('keeps the last of several quick writes', async () => {
    const { backend } = memoryBackend();
    const vault = new DraftVault(backend);
    await Promise.all([1, 2, 3, 4].map((n) => vault.save(KEY, { n })));
    expect(await vault.restore(() => true)).toEqual([{ key: KEY, value: { n: 4 } }]);
  });
});
