/**
 * SMART Backend Services sign-in (client_credentials with `private_key_jwt`): the job proves itself with a
 * short-lived JWT signed by its own key — header `alg` RS384 (or ES384), `kid`, `typ: JWT`; claims `iss` and `sub`
 * = its client id, `aud` = the token endpoint, `exp` at most five minutes ahead, a fresh `jti` — and asks for the
 * `system/` scopes it needs. No secret is ever sent.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { JWK } from 'jose';

export interface BackendSignIn {
  clientId: string;
  tokenEndpoint: string;
  privateJwk: JWK;
  scope: string;
}

export interface BackendToken {
  accessToken: string;
  scope: string;
  expiresAt: number;
}

/** The server's refusal, named (`invalid_client`, `invalid_scope`, …) with its description. */
export class SignInError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string | undefined,
  ) {
    super(
      `The authorization server refused the sign-in (${status} ${error})${description ? `: ${description}` : ''}`,
    );
  }
}

export async function clientAssertion(
  options: Pick<BackendSignIn, 'clientId' | 'tokenEndpoint' | 'privateJwk'>,
): Promise<string> {
  const alg = options.privateJwk.alg ?? 'RS384';
  const key = await importJWK(options.privateJwk, alg);
  return new SignJWT({})
    .setProtectedHeader({ alg, kid: options.privateJwk.kid, typ: 'JWT' })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.tokenEndpoint)
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(key);
}

export async function signIn(options: BackendSignIn, fetchImpl: typeof fetch = fetch): Promise<BackendToken> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: options.scope,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(options),
  });
  const res = await fetchImpl(options.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof json.access_token !== 'string')
    throw new SignInError(
      res.status,
      String(json.error ?? 'no access token'),
      typeof json.error_description === 'string' ? json.error_description : undefined,
    );
  return {
    accessToken: json.access_token,
    scope: String(json.scope ?? ''),
    expiresAt: Date.now() + Number(json.expires_in ?? 300) * 1000,
  };
}
