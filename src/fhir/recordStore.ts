/**
 * One sign-in for the agency's FST record store: the EHR's id_token (openid fhirUser: who) and its access token
 * (what the EHR granted, and that it still stands) are exchanged at the store's token endpoint (OAuth 2.0
 * Token Exchange, RFC 8693: subject and actor) for the store's own access token. The store trusts the EHR's
 * issuer, maps the id_token's fhirUser to its own staff record and grants nothing wider than the EHR token
 * (patient-confined when the launch was). The token is held in memory only; a reload exchanges again (both
 * EHR tokens are in fhirclient's session state).
 */
import type Client from 'fhirclient/lib/Client';
import { z } from '../schema/z';
import type { RecordStoreConfig } from '../config/config';
import { FhirError, SessionExpiredError } from './http';
import type { FhirTransport } from './http';
import { parseScopes } from './smartScopes';
import type { GrantedScopes } from './smartScopes';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const tokenSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.string(),
  expires_in: z.optional(z.number()),
  scope: z.optional(z.string()),
  issued_token_type: z.optional(z.string()),
});

const errorSchema = z.object({ error: z.string(), error_description: z.optional(z.string()) });

/** The store refused the exchange: in its own words, with what the user can do. */
export class RecordStoreSignInError extends Error {
  override name = 'RecordStoreSignInError';
  constructor(
    message: string,
    /** No answer at all (down, offline, CORS): an outage to wait out, not a sign-in that ended. */
    readonly unreachable = false,
  ) {
    super(message);
  }
}

export interface StoreToken {
  accessToken: string;
  scopes: GrantedScopes;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** POSTs the exchange; a refusal becomes a RecordStoreSignInError naming the store's reason. */
export async function exchangeIdToken(
  store: RecordStoreConfig,
  clientId: string,
  idToken: string,
  accessToken: string,
  signal?: AbortSignal,
): Promise<StoreToken> {
  const form = new URLSearchParams({
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: idToken,
    subject_token_type: ID_TOKEN_TYPE,
    actor_token: accessToken,
    actor_token_type: ACCESS_TOKEN_TYPE,
    requested_token_type: ACCESS_TOKEN_TYPE,
    client_id: clientId,
    scope: store.scopes.join(' '),
  });
  let response: Response;
  try {
    response = await fetch(store.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: signal ?? AbortSignal.timeout(30_000),
      cache: 'no-store',
    });
  } catch {
    throw new RecordStoreSignInError(
      `${store.name} could not be reached to sign in. Check the connection and try again.`,
      true,
    );
  }
  const json: unknown = await response.json().catch(() => undefined);
  // A gateway or a server fault is the store being down, not the sign-in being refused.
  if (response.status >= 500)
    throw new RecordStoreSignInError(
      `${store.name} could not sign you in (HTTP ${response.status}). Try again in a moment.`,
      true,
    );
  if (!response.ok) {
    const refusal = errorSchema.safeParse(json);
    const reason = refusal.success
      ? `${refusal.data.error_description ?? refusal.data.error} (${refusal.data.error})`
      : `HTTP ${response.status}`;
    throw new RecordStoreSignInError(
      `${store.name} refused the sign-in: ${reason}. Relaunch the app; if it happens again, ask your administrator.`,
    );
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer')
    throw new RecordStoreSignInError(
      `${store.name} answered the sign-in with something the app cannot read.`,
    );
  return {
    accessToken: parsed.data.access_token,
    scopes: parseScopes(parsed.data.scope ?? store.scopes.join(' ')),
    expiresAt: Date.now() + (parsed.data.expires_in ?? 300) * 1000,
  };
}

/**
 * Whether an id_token has expired (its `exp`, seconds). A refresh that returns no new id_token leaves the first
 * one, and once it has expired the store cannot be signed in again: said so, rather than the store's refusal.
 */
export function idTokenExpired(idToken: string, now: number): boolean {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && exp * 1000 <= now;
  } catch {
    return false;
  }
}

/** What the user is told when the EHR's refresh brought no new id_token (docs/deploy.md, "Sign-in"). */
export const staleIdTokenMessage = (storeName: string) =>
  `The EHR renewed its sign-in without a new id_token, so ${storeName} cannot renew yours: nothing more can be saved there in this session. Relaunch FST Companion from your EHR. If this happens every time the sign-in is renewed, ask your EHR administrator to have the EHR return an id_token on refresh.`;

/** The id_token the EHR issued with this session's token (refreshed with it). */
export function idTokenOf(client: Client): string | undefined {
  const token = (client.state.tokenResponse as { id_token?: unknown } | undefined)?.id_token;
  return typeof token === 'string' && token ? token : undefined;
}

/** The EHR access token of this session (refreshed by fhirclient). */
export function accessTokenOf(client: Client): string | undefined {
  const token = client.state.tokenResponse?.access_token;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * The store's transport: its base URL and a bearer token, exchanged again a minute before it expires (after
 * the EHR session renews its own, so the id_token is fresh). One exchange at a time. Without a first token
 * (the store could not be reached at launch) every request tries the exchange again, so the FST records come
 * back once the store answers. A store that does not answer is an outage (status 0, naming the store); a
 * store that refuses the exchange has ended this sign-in (401).
 */
export function storeTransport(
  store: RecordStoreConfig,
  first: StoreToken | undefined,
  timeoutMs: number,
  renew: () => Promise<StoreToken>,
): FhirTransport {
  let token = first;
  let renewing: Promise<StoreToken> | undefined;
  return {
    baseUrl: store.fhirBase.replace(/\/+$/, ''),
    timeoutMs,
    serverName: store.name,
    async authorization() {
      if (!token || token.expiresAt - 60_000 < Date.now()) {
        renewing ??= renew().finally(() => {
          renewing = undefined;
        });
        try {
          token = await renewing;
        } catch (err) {
          if (err instanceof RecordStoreSignInError && err.unreachable)
            throw new FhirError(
              0,
              {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'transient', details: { text: err.message } }],
              },
              store.name,
            );
          throw new SessionExpiredError(
            401,
            {
              resourceType: 'OperationOutcome',
              issue: [
                {
                  severity: 'error',
                  code: 'login',
                  details: { text: err instanceof Error ? err.message : 'Session expired' },
                },
              ],
            },
            store.name,
          );
        }
      }
      return `Bearer ${token.accessToken}`;
    },
  };
}
