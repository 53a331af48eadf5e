/**
 * The record store's token endpoint: OAuth 2.0 Token Exchange (RFC 8693) of the EHR's id_token for the
 * store's own access token. What it checks, in order — each refusal an OAuth error the app shows in words:
 * the grant and token types; the id_token's signature against the trusted EHR issuer's published keys (a
 * token from another issuer, signed by another key or altered fails here); its issuer, audience (our client)
 * and expiry; its `fhirUser`, which must be a staff member the store knows (a linked record whose identifier
 * is the EHR record's URL). The store's tokens are opaque and kept in memory; they never outlive the id_token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Practitioner } from '@medplum/fhirtypes';
import { Operator } from '@medplum/core';
import { DEFAULT_STORE_SCOPES } from '../../src/config/config';
import { LINKED_RECORD_SYSTEM } from '../../src/fhir/crossServer';
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/fhir/recordStore';
import { parseScopes } from '../../src/fhir/smartScopes';
import type { AccessTokenInfo } from '../auth/provider';
import type { ValidatingRepository } from '../fhir/repository';

export interface TokenExchangeOptions {
  /** The EHR's OpenID issuer the store trusts, and where its keys are published. */
  trustedIssuer: string;
  jwksUri: string;
  /** The app's client id at the EHR: the id_token's audience. */
  clientId: string;
  repo: ValidatingRepository;
  allowedOrigins: ReadonlySet<string>;
  /** The store's clock (tests move it past an id_token's expiry). */
  now?: () => number;
}

export interface TokenExchange {
  handle(req: IncomingMessage, res: ServerResponse): void;
  verifyAccessToken(token: string): Promise<AccessTokenInfo>;
  setNow(now: () => number): void;
}

const MAX_TTL_S = 3600;

class Refusal extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function createTokenExchange(options: TokenExchangeOptions): TokenExchange {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  const issued = new Map<string, AccessTokenInfo & { expiresAt: number }>();
  let now = options.now ?? (() => Date.now());
  const allowed = DEFAULT_STORE_SCOPES;

  async function exchange(form: URLSearchParams) {
    if (form.get('grant_type') !== TOKEN_EXCHANGE_GRANT)
      throw new Refusal('unsupported_grant_type', 'This store signs users in by token exchange only');
    if (form.get('subject_token_type') !== ID_TOKEN_TYPE)
      throw new Refusal('invalid_request', "subject_token_type must be the EHR's id_token");
    const requested = form.get('requested_token_type');
    if (requested && requested !== ACCESS_TOKEN_TYPE)
      throw new Refusal('invalid_request', 'Only an access token can be issued');
    const subject = form.get('subject_token') ?? '';
    const payload = await jwtVerify(subject, jwks, {
      issuer: options.trustedIssuer,
      audience: options.clientId,
      currentDate: new Date(now()),
    }).then(
      (r) => r.payload,
      (err: unknown) => {
        const code = (err as { code?: string }).code;
        throw new Refusal(
          'invalid_grant',
          code === 'ERR_JWT_EXPIRED'
            ? 'The EHR sign-in has expired'
            : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
              ? `The sign-in was not issued by the EHR this store trusts, or not for this app (${(err as { claim?: string }).claim ?? 'claim'})`
              : 'The EHR sign-in could not be verified (signature)',
        );
      },
    );
    const fhirUser = typeof payload.fhirUser === 'string' ? payload.fhirUser : undefined;
    if (!fhirUser) throw new Refusal('invalid_grant', 'The EHR sign-in names no fhirUser');
    const [staff] = await options.repo.searchResources<Practitioner>({
      resourceType: 'Practitioner',
      filters: [
        { code: 'identifier', operator: Operator.EQUALS, value: `${LINKED_RECORD_SYSTEM}|${fhirUser}` },
      ],
      count: 1,
    });
    if (!staff?.id)
      throw new Refusal('invalid_grant', 'This record store does not know the user the EHR signed in');
    const asked = (form.get('scope') ?? allowed.join(' ')).split(/\s+/).filter(Boolean);
    const scope = asked.filter((s) => allowed.includes(s)).join(' ');
    if (!scope) throw new Refusal('invalid_scope', 'None of the scopes asked for is offered by this store');
    const expiresIn = Math.max(0, Math.min(MAX_TTL_S, Math.floor((payload.exp ?? 0) - now() / 1000)));
    const token = randomBytes(32).toString('base64url');
    issued.set(token, {
      scopes: parseScopes(scope),
      fhirUser: `Practitioner/${staff.id}`,
      expiresAt: now() + expiresIn * 1000,
    });
    return {
      access_token: token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope,
    };
  }

  return {
    handle(req, res) {
      const origin = req.headers.origin;
      const cors: Record<string, string> =
        origin && options.allowedOrigins.has(origin)
          ? { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'content-type, accept' }
          : {};
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST' });
        res.end();
        return;
      }
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, {
          ...cors,
          'content-type': 'application/json',
          'cache-control': 'no-store',
          pragma: 'no-cache',
        });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST')
        return answer(405, { error: 'invalid_request', error_description: 'POST only' });
      readForm(req)
        .then(exchange)
        .then(
          (body) => answer(200, body),
          (err: unknown) =>
            err instanceof Refusal
              ? answer(err.status, { error: err.error, error_description: err.description })
              : answer(500, {
                  error: 'server_error',
                  error_description: 'The store could not sign the user in',
                }),
        );
    },
    async verifyAccessToken(token) {
      const info = issued.get(token);
      if (!info || info.expiresAt <= now()) throw new Error('unknown or expired token');
      return { scopes: info.scopes, fhirUser: info.fhirUser };
    },
    setNow(fn) {
      now = fn;
    },
  };
}
