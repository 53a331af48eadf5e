/**
 * A session whose FST records live in the agency's record store: the EHR session plus the store's token
 * (exchanged from the EHR's id_token), both CapabilityStatements, and the router that makes the two servers
 * one for the app. Loaded only for an EHR with `recordStore` in config.json.
 */
import type Client from 'fhirclient/lib/Client';
import type { EhrConfig, RecordStoreConfig } from '../config/config';
import { ASSUMED_CAPABILITIES, loadCapabilities } from './capabilities';
import { reportLaunchStep } from './launchProgress';
import { parseScopes } from './smartScopes';
import { RecordRouter } from './recordRouter';
import {
  accessTokenOf,
  exchangeIdToken,
  idTokenExpired,
  idTokenOf,
  RecordStoreSignInError,
  staleIdTokenMessage,
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
    if (idTokenExpired(idToken, Date.now()))
      throw new RecordStoreSignInError(staleIdTokenMessage(store.name));
    return exchangeIdToken(store, ehr.clientId, idToken, accessToken);
  };
  reportLaunchStep({ waitingFor: store.name });
  // A store that does not answer at launch leaves the EHR's part usable: the router reports the store as
  // unreachable and every store request tries the exchange again (issue 36). A refusal still stops the launch.
  const [token, ehrCaps] = await Promise.all([
    exchange().catch((err: unknown) => {
      if (err instanceof RecordStoreSignInError && err.unreachable) return undefined;
      throw err;
    }),
    session.publicCapabilities?.then((c) => c ?? loadCapabilities(session.transport)) ??
      loadCapabilities(session.transport),
  ]);
  const transport = storeTransport(store, token, ehr.requestTimeoutMs, exchange);
  // Unread while the store is down: assumed (the writes then fail naming the store, never silently).
  const storeCaps = token ? await loadCapabilities(transport) : ASSUMED_CAPABILITIES;
  const router = new RecordRouter({
    ehr: { transport: session.transport, caps: ehrCaps, scopes: session.scopes },
    store: { transport, caps: storeCaps, scopes: token?.scopes ?? parseScopes(store.scopes.join(' ')) },
    inStore: store.inStore,
    storeName: store.name,
    reachable: token !== undefined,
  });
  return {
    ...session,
    transport: router.transport,
    scopes: router.scopes,
    publicCapabilities: Promise.resolve(router.caps),
    recordStore: { name: store.name, router },
  };
}
