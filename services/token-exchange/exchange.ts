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
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEFAULT_STORE_SCOPES } from '../../src/config/config';
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/fhir/recordStore';
import { parseClinicalScope, parseScopes } from '../../src/fhir/smartScopes';
import type { GrantedScopes, Permission } from '../../src/fhir/smartScopes';

/** RFC 7662's answer, from the EHR about its token, and from this service about a store token. */
export interface Introspection {
  active: boolean;
  scope?: string;
  client_id?: string;
  exp?: number;
  sub?: string;
  fhirUser?: string;
  patient?: string;
}

/** What a store token lets its bearer do, as the store's FHIR endpoint needs it. */
export interface StoreTokenInfo {
  scopes: GrantedScopes;
  /** The store's own staff record, `Practitioner/<id>`. */
  fhirUser: string;
  /** The store's stub of the launch patient, when the grant is patient-confined. */
  patient?: string;
}

/**
 * The store's people, as the exchange needs them: found by the EHR record's URL (the linked identifier), and
 * the youth's stub (with her caregivers') made at the first sign-in on her — so nobody has to create the stub of
 * each new youth and caregiver by hand. The sandbox answers from its repository, the service over FHIR.
 */
export interface StoreDirectory {
  /** The id of the store's Practitioner linked to `ehrUrl` (the EHR's `fhirUser`), if any. */
  staffId(ehrUrl: string): Promise<string | undefined>;
  /** The id of the store's Patient linked to `ehrUrl`, if any. */
  patientId(ehrUrl: string): Promise<string | undefined>;
  /** Creates or refreshes the store's stub of a person the EHR holds (`linkedStubOf`), by its id. */
  putStub(stub: { resourceType: string; id: string }): Promise<void>;
  /** The stub the store holds under this type and id (to skip a write when nothing changed). */
  readStub(type: string, id: string): Promise<unknown>;
}

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
  directory: StoreDirectory;
  /**
   * Makes the stubs of the launch youth and her caregivers from the EHR (with the user's EHR access token)
   * when the store lacks them: `linkYouthFromEhr`, or nothing (a store whose stubs a job of the site's makes).
   */
  linkYouth?: (ehrPatientId: string, ehrAccessToken: string) => Promise<void>;
  allowedOrigins: ReadonlySet<string>;
  /** Resource servers (the store) that may ask `<token endpoint>/introspection` about a store token: id → secret. */
  introspectionClients?: ReadonlyMap<string, string>;
  /** The store's clock (tests move it past an id_token's expiry). */
  now?: () => number;
}

export interface TokenExchange {
  handle(req: IncomingMessage, res: ServerResponse): void;
  verifyAccessToken(token: string): Promise<StoreTokenInfo>;
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

interface Issued extends StoreTokenInfo {
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
    const staffId = await options.directory.staffId(fhirUser);
    if (!staffId)
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
    // The first sign-in on a youth links her (and her caregivers) in the store: records the app writes next
    // name them, and a patient-confined grant needs her stub. A failure here refuses nothing it can do without.
    if (ehr.patient && options.linkYouth)
      await options.linkYouth(ehr.patient, ehrToken).catch(() => {
        process.stderr.write('token exchange: linking the launch youth in the store failed\n');
      });
    const patientLevel = granted.some((s) => s.startsWith('patient/'));
    let patient: string | undefined;
    if (patientLevel) {
      const stub = ehr.patient
        ? await options.directory.patientId(`${options.ehrFhirBase}/Patient/${ehr.patient}`)
        : undefined;
      if (!stub)
        throw new Refusal('invalid_grant', 'This record store does not know the patient the EHR launched on');
      patient = stub;
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
      fhirUser: `Practitioner/${staffId}`,
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

  async function verifyAccessToken(token: string): Promise<StoreTokenInfo> {
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
  }

  async function introspectStoreToken(token: string): Promise<Introspection> {
    const info = await verifyAccessToken(token).catch(() => undefined);
    const expiresAt = issued.get(token)?.expiresAt;
    if (!info || expiresAt === undefined) return { active: false };
    return {
      active: true,
      scope: info.scopes.raw.join(' '),
      client_id: options.clientId,
      exp: Math.floor(expiresAt / 1000),
      fhirUser: info.fhirUser,
      ...(info.patient ? { patient: info.patient } : {}),
    };
  }

  return {
    handle(req, res) {
      const origin = req.headers.origin;
      const cors: Record<string, string> =
        origin && options.allowedOrigins.has(origin)
          ? {
              'access-control-allow-origin': origin,
              'access-control-allow-headers': 'content-type, accept',
              vary: 'origin',
            }
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
      const pathname = new URL(req.url ?? '/', 'http://store').pathname;
      if (pathname.endsWith('/introspection')) {
        // RFC 7662 for the store (a resource server with its own credentials): is this store token current?
        if (!introspectionClient(req.headers.authorization, options.introspectionClients))
          return answer(401, {
            error: 'invalid_client',
            error_description: 'Introspection needs the store’s credentials',
          });
        readForm(req)
          .then((form) => introspectStoreToken(form.get('token') ?? ''))
          .then(
            (body) => answer(200, body),
            () => answer(400, { error: 'invalid_request' }),
          );
        return;
      }
      if (pathname.endsWith('/revocation')) {
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
    verifyAccessToken,
    setNow(fn) {
      now = fn;
    },
  };
}

/** Whether `authorization` is HTTP Basic of one of `clients` (id → secret), compared in constant time. */
function introspectionClient(
  authorization: string | undefined,
  clients: ReadonlyMap<string, string> | undefined,
): boolean {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match || !clients) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const expected = clients.get(decodeURIComponent(decoded.slice(0, colon)));
  if (colon < 0 || expected === undefined) return false;
  const given = Buffer.from(decodeURIComponent(decoded.slice(colon + 1)));
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * `linkYouth` over the EHR's FHIR API, with the user's own EHR access token (so it reads only what the EHR lets
 * this user read): the youth's stub, and each caregiver's (`RelatedPerson?patient=`), written where the store
 * lacks them or holds an older name.
 */
export function linkYouthFromEhr(
  ehrFhirBase: string,
  directory: StoreDirectory,
  stubOf: (ehrBase: string, r: { resourceType: string; id?: string }) => { resourceType: string; id: string },
) {
  return async (patientId: string, ehrAccessToken: string): Promise<void> => {
    type Person = { resourceType: string; id: string };
    const get = (path: string) =>
      fetch(`${ehrFhirBase}/${path}`, {
        headers: { authorization: `Bearer ${ehrAccessToken}`, accept: 'application/fhir+json' },
        signal: AbortSignal.timeout(10_000),
      }).then(async (res) => (res.ok ? ((await res.json()) as Record<string, unknown>) : undefined));
    const [youth, found] = await Promise.all([
      get(`Patient/${encodeURIComponent(patientId)}`),
      get(`RelatedPerson?patient=${encodeURIComponent(`Patient/${patientId}`)}&_count=50`),
    ]);
    const entries = (found?.entry ?? []) as { resource?: Person }[];
    const caregivers = entries
      .map((e) => e.resource)
      .filter((r): r is Person => r?.resourceType === 'RelatedPerson' && !!r.id);
    const youthRecord =
      youth?.resourceType === 'Patient' && youth.id === patientId ? (youth as Person) : undefined;
    for (const person of [youthRecord ?? { resourceType: 'Patient', id: patientId }, ...caregivers]) {
      const stub = stubOf(ehrFhirBase, person);
      const held = (await directory.readStub(stub.resourceType, stub.id)) as
        Record<string, unknown> | undefined;
      const { meta: _meta, ...heldBody } = held ?? {};
      if (!held || JSON.stringify(heldBody) !== JSON.stringify(stub)) await directory.putStub(stub);
    }
  };
}
