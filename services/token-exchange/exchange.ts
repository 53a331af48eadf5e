/**
 * The record store's token endpoint: OAuth 2.0 Token Exchange (RFC 8693) of the EHR sign-in for the store's
 * own access token. The app sends the EHR's id_token (who signed in) as the subject and the EHR's access token
 * (what the EHR granted, and that it still stands) as the actor. What it checks, in order — each refusal an
 * OAuth error the app shows in words:
 * - the grant and token types;
 * - the id_token's signature against the trusted EHR issuer's published keys, its issuer, audience (our
 *   client) and expiry; its `fhirUser`, a staff member the store knows (a linked record whose identifier is the
 *   EHR record's URL);
 * - the EHR access token, by the EHR's token introspection (RFC 7662): active, issued to our client, for the
 *   same user. A revoked or expired EHR sign-in is exchanged for nothing;
 * - the grant is never wider than the EHR's: each store scope only for a record type the EHR token covers,
 *   with no permission it lacks, and patient-confined (to the EHR's launch patient) unless the EHR granted that
 *   type beyond one patient. A sign-in with no clinical scope gets no store token.
 * The store's tokens are opaque, held in memory, live at most ten minutes and never past either EHR token;
 * each use re-checks the EHR token at most every ten seconds, so revoking the EHR sign-in ends the store's
 * too; `/store/token/revocation` (RFC 7009) revokes a store token itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Patient, Practitioner } from '@medplum/fhirtypes';
import { Operator } from '@medplum/core';
import { DEFAULT_STORE_SCOPES } from '../../src/config/config';
import { LINKED_RECORD_SYSTEM } from '../../src/fhir/crossServer';
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/fhir/recordStore';
import { parseClinicalScope, parseScopes } from '../../src/fhir/smartScopes';
import type { Permission } from '../../src/fhir/smartScopes';
import type { AccessTokenInfo, Introspection } from '../auth/provider';
import type { ValidatingRepository } from '../fhir/repository';

export interface TokenExchangeOptions {
  /** The EHR's OpenID issuer the store trusts, and where its keys are published. */
  trustedIssuer: string;
  jwksUri: string;
  /** The app's client id at the EHR: the id_token's audience, and the EHR access token's client. */
  clientId: string;
  /** The EHR's FHIR base: its launch patient is the store's linked stub of `${ehrFhirBase}/Patient/<id>`. */
  ehrFhirBase: string;
  /** The EHR's token introspection (see `introspectAt`). */
  introspect: (token: string) => Promise<Introspection>;
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

/** A store token lives at most this long (and never past the EHR's tokens). */
const MAX_TTL_S = 600;
/** How often a store token's use re-checks that the EHR sign-in still stands. */
const LIVENESS_MS = 10_000;
const ORDER: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

/** RFC 7662 at the EHR's introspection endpoint, as the resource server `id` with its `secret`. */
export function introspectAt(endpoint: string, id: string, secret: string) {
  return async (token: string): Promise<Introspection> => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`introspection answered ${res.status}`);
    return (await res.json()) as Introspection;
  };
}

/**
 * The store scopes within what the EHR granted: per requested scope, the permissions some EHR scope of the same
 * type (or `*`) also holds — user-level where an EHR user- or system-level scope holds them, patient-level
 * where only a patient-level one does.
 */
export function scopesWithin(requested: readonly string[], ehrScope: string): string[] {
  const ehr = parseScopes(ehrScope).clinical.filter((e) => !e.query);
  const out: string[] = [];
  for (const scope of requested) {
    const want = parseClinicalScope(scope);
    if (!want || want.query) continue;
    const covering = ehr.filter((e) => e.resourceType === '*' || e.resourceType === want.resourceType);
    const held = (p: Permission, wide: boolean) =>
      covering.some((e) => e.permissions.has(p) && (e.context !== 'patient') === wide);
    const wanted = ORDER.filter((p) => want.permissions.has(p));
    const user = wanted.filter((p) => held(p, true));
    const patient = wanted.filter((p) => !user.includes(p) && held(p, false));
    if (user.length) out.push(`user/${want.resourceType}.${user.join('')}`);
    if (patient.length) out.push(`patient/${want.resourceType}.${patient.join('')}`);
  }
  return out;
}

class Refusal extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

interface Issued extends AccessTokenInfo {
  expiresAt: number;
  /** The EHR access token this one was exchanged with, and when it was last found active. */
  ehrToken: string;
  checkedAt: number;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function createTokenExchange(options: TokenExchangeOptions): TokenExchange {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  const issued = new Map<string, Issued>();
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
    // What the EHR granted, and that it still stands.
    if (form.get('actor_token_type') !== ACCESS_TOKEN_TYPE || !form.get('actor_token'))
      throw new Refusal(
        'invalid_request',
        "The EHR's access token must come with the sign-in (actor_token): the store grants nothing the EHR has not",
      );
    const ehrToken = form.get('actor_token') ?? '';
    const ehr = await options.introspect(ehrToken).catch(() => {
      throw new Refusal('temporarily_unavailable', 'The EHR could not confirm the sign-in; try again', 503);
    });
    if (!ehr.active) throw new Refusal('invalid_grant', 'The EHR sign-in has ended (expired or revoked)');
    if (ehr.client_id !== options.clientId || ehr.fhirUser !== fhirUser)
      throw new Refusal('invalid_grant', 'The EHR access token is not of this sign-in (another user or app)');
    const asked = (form.get('scope') ?? allowed.join(' ')).split(/\s+/).filter(Boolean);
    const granted = scopesWithin(
      asked.filter((s) => allowed.includes(s)),
      ehr.scope ?? '',
    );
    if (!granted.length)
      throw new Refusal(
        'invalid_scope',
        'The EHR sign-in grants none of the record types this store holds: relaunch with the app’s scopes',
      );
    const patientLevel = granted.some((s) => s.startsWith('patient/'));
    let patient: string | undefined;
    if (patientLevel) {
      const [stub] = ehr.patient
        ? await options.repo.searchResources<Patient>({
            resourceType: 'Patient',
            filters: [
              {
                code: 'identifier',
                operator: Operator.EQUALS,
                value: `${LINKED_RECORD_SYSTEM}|${options.ehrFhirBase}/Patient/${ehr.patient}`,
              },
            ],
            count: 1,
          })
        : [];
      if (!stub?.id)
        throw new Refusal('invalid_grant', 'This record store does not know the patient the EHR launched on');
      patient = stub.id;
    }
    const scope = granted.join(' ');
    const nowS = now() / 1000;
    const expiresIn = Math.max(
      0,
      Math.floor(Math.min(MAX_TTL_S, (payload.exp ?? 0) - nowS, (ehr.exp ?? 0) - nowS)),
    );
    const token = randomBytes(32).toString('base64url');
    issued.set(token, {
      scopes: parseScopes(scope),
      fhirUser: `Practitioner/${staff.id}`,
      patient,
      expiresAt: now() + expiresIn * 1000,
      ehrToken,
      checkedAt: now(),
    });
    return {
      access_token: token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope,
      ...(patient ? { patient } : {}),
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
      if (new URL(req.url ?? '/', 'http://store').pathname.endsWith('/revocation')) {
        // RFC 7009: the token ends now; an unknown one answers the same.
        readForm(req).then(
          (form) => {
            issued.delete(form.get('token') ?? '');
            answer(200, {});
          },
          () => answer(400, { error: 'invalid_request' }),
        );
        return;
      }
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
      if (now() - info.checkedAt > LIVENESS_MS) {
        const ehr = await options.introspect(info.ehrToken).catch(() => ({ active: false }));
        if (!ehr.active) {
          issued.delete(token);
          throw new Error('the EHR sign-in has ended');
        }
        info.checkedAt = now();
      }
      return { scopes: info.scopes, fhirUser: info.fhirUser, patient: info.patient };
    },
    setNow(fn) {
      now = fn;
    },
  };
}
