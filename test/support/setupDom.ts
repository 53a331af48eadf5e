// The device store of the offline outbox (src/features/offline/vault.ts): jsdom has no IndexedDB.
import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});
