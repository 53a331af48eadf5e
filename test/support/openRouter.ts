import { DEFAULT_SCOPES, DEFAULT_STORE_SCOPES } from '../../src/config/config';
import { loadCapabilities } from '../../src/fhir/capabilities';
import type { FhirTransport } from '../../src/fhir/http';
import { RecordRouter } from '../../src/fhir/recordRouter';
import { parseScopes } from '../../src/fhir/smartScopes';

/**
 * The record router over an EHR and a record store that ask no token, with the app's default scopes: for tests
 * and benches that measure where records are read and written, not who may.
 */
export async function openRouter(ehrBase: string, storeBase: string, inStore: readonly string[] = []) {
  const open = (baseUrl: string): FhirTransport => ({ baseUrl, authorization: async () => null });
  const ehr = open(ehrBase);
  const store = open(storeBase);
  return new RecordRouter({
    ehr: { transport: ehr, caps: await loadCapabilities(ehr), scopes: parseScopes(DEFAULT_SCOPES.join(' ')) },
    store: {
      transport: store,
      caps: await loadCapabilities(store),
      scopes: parseScopes(DEFAULT_STORE_SCOPES.join(' ')),
    },
    inStore,
  });
}
