/**
 * A session whose FST records live in the agency's record store: the EHR session plus the store's token
 * (exchanged from the EHR's id_token), both CapabilityStatements, and the router that makes the two servers
 * one for the app. Loaded only for an EHR with `recordStore` in config.json.
 */
import type Client from 'fhirclient/lib/Client';
import type { EhrConfig, RecordStoreConfig } from '../config/config';
import { loadCapabilities } from './capabilities';
import { RecordRouter } from './recordRouter';
import {
  accessTokenOf,
  exchangeIdToken,
  idTokenOf,
  RecordStoreSignInError,
  storeTransport,
} from './recordStore';
import type { SmartSession } from './session';

export async function withRecordStore(
  session: SmartSession,
  client: Client,
  ehr: EhrConfig & { recordStore: RecordStoreConfig },
): Promise<SmartSession> {
  const store = ehr.recordStore;
  const exchange = async () => {
    await client.refreshIfNeeded().catch(() => undefined);
    const idToken = idTokenOf(client);
    const accessToken = accessTokenOf(client);
    if (!idToken || !accessToken)
      throw new RecordStoreSignInError(
        `The EHR sent no id_token, so ${store.name} cannot be reached with the same sign-in. Relaunch the app; the EHR registration must allow the openid and fhirUser scopes.`,
      );
    return exchangeIdToken(store, ehr.clientId, idToken, accessToken);
  };
  const [token, ehrCaps] = await Promise.all([
    exchange(),
    session.publicCapabilities?.then((c) => c ?? loadCapabilities(session.transport)) ??
      loadCapabilities(session.transport),
  ]);
  const transport = storeTransport(store, token, ehr.requestTimeoutMs, exchange);
  const storeCaps = await loadCapabilities(transport);
  const router = new RecordRouter({
    ehr: { transport: session.transport, caps: ehrCaps, scopes: session.scopes },
    store: { transport, caps: storeCaps, scopes: token.scopes },
    inStore: store.inStore,
    storeName: store.name,
  });
  return {
    ...session,
    transport: router.transport,
    scopes: router.scopes,
    publicCapabilities: Promise.resolve(router.caps),
    recordStore: { name: store.name, router },
  };
}
