import type { Sandbox } from '../../sandbox/server';
import { DEFAULT_SCOPES } from '../../src/config/config';
import type { EhrConfig } from '../../src/config/config';
import { loadCapabilities } from '../../src/fhir/capabilities';
import type { FhirTransport } from '../../src/fhir/http';
import { exchangeIdToken, storeTransport } from '../../src/fhir/recordStore';
import { RecordRouter } from '../../src/fhir/recordRouter';
import { parseScopes } from '../../src/fhir/smartScopes';
import { ehrLaunchToken } from './smartFlow';

/**
 * The app's session after an EHR launch of `user` on `patient`: on an EHR with a record store (`ehr.recordStore`),
 * the store's sign-in by token exchange and the record router over both, as src/fhir/storeSession.ts builds it.
 */
export async function routedSession(
  sandbox: Sandbox,
  ehr: EhrConfig,
  patient: string,
  user: string,
): Promise<{ transport: FhirTransport; router?: RecordRouter }> {
  const token = await ehrLaunchToken(sandbox.baseUrl, {
    patient,
    user,
    scope: `launch ${DEFAULT_SCOPES.join(' ')}`,
    issuer: sandbox.issuer,
    fhirBase: sandbox.fhirBase,
  });
  const ehrTransport: FhirTransport = {
    baseUrl: sandbox.fhirBase,
    authorization: async () => `Bearer ${String(token.access_token)}`,
  };
  const recordStore = ehr.recordStore;
  if (!recordStore) return { transport: ehrTransport };
  const exchange = () =>
    exchangeIdToken(recordStore, ehr.clientId, String(token.id_token), String(token.access_token));
  const storeToken = await exchange();
  const storeT = storeTransport(recordStore, storeToken, 30_000, exchange);
  const router = new RecordRouter({
    ehr: {
      transport: ehrTransport,
      caps: await loadCapabilities(ehrTransport),
      scopes: parseScopes(String(token.scope)),
    },
    store: { transport: storeT, caps: await loadCapabilities(storeT), scopes: storeToken.scopes },
    inStore: [],
    storeName: recordStore.name,
  });
  return { transport: router.transport, router };
}
