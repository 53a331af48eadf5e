/**
 * The sandbox's SMART authorization server, built on oidc-provider (a certified OpenID Connect
 * implementation). What SMART adds on top is configuration: public client with PKCE S256,
 * `aud` and `launch` request parameters, SMART scopes as resource-server scopes on the FHIR base,
 * `fhirUser` in the id_token, and launch context in the token response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, decodeJwt } from 'jose';
import type { JWK } from 'jose';
import Provider, { errors } from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { parseClinicalScope, parseScopes } from '../../src/fhir/smartScopes';
import type { ClinicalScope, GrantedScopes } from '../../src/fhir/smartScopes';
import type { LaunchContext, LaunchRegistry } from './launches';
import type { CaregiverGrant } from '../../src/domain/caregiver';
import type { BackendClient } from './backendClient';
import { BACKEND_ALG } from './backendClient';

export const CLIENT_ID = 'fst-companion';
export type SmartVersion = 'v1' | 'v2';

/** Scopes the provider knows as OpenID / launch scopes; clinical scopes belong to the FHIR resource server. */
const OIDC_SCOPES = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'online_access',
  'offline_access',
];

export interface AccessTokenInfo {
  scopes: GrantedScopes;
  patient?: string;
  fhirUser?: string;
  /** A caregiver let in for one request (sandbox/caregiver/links.ts): her youth, the request, its purpose. */
  caregiver?: CaregiverGrant;
  /** SMART Backend Services: the token of a registered backend client (no user; `system/` scopes). */
  backendClient?: string;
}

export interface AuthServerOptions {
  issuer: string;
  fhirBase: string;
  redirectUris: string[];
  launches: LaunchRegistry;
  smartVersion: SmartVersion;
  /** Lists what the picker offers: personas and patients from the FHIR store. */
  renderPicker: (action: string, withPatient: boolean) => Promise<string>;
  /** The id_token `fhirUser` for a persona id. */
  fhirUserFor: (user: string) => string;
  smartStyleUrl: string;
  /** The clinical scopes the client is registered for: nothing beyond them is granted. */
  registeredScopes: readonly string[];
  /** Whether a picked user (Practitioner id) and patient exist: the picker accepts nothing invented. */
  exists: (type: 'Practitioner' | 'Patient', id: string) => boolean;
  /**
   * Resource servers that may introspect this server's access tokens (RFC 7662, HTTP Basic): the agency's
   * record store, which grants nothing an EHR token no longer holds.
   */
  introspectors?: ReadonlyMap<string, string>;
  /** SMART Backend Services clients (client_credentials, private_key_jwt): the measures job. */
  backendClients?: readonly BackendClient[];
}

/** What token introspection answers (RFC 7662 with SMART's fields). */
export interface Introspection {
  active: boolean;
  scope?: string;
  client_id?: string;
  exp?: number;
  sub?: string;
  fhirUser?: string;
  patient?: string;
}

export interface AuthServer {
  handle(req: IncomingMessage, res: ServerResponse): void;
  verifyAccessToken(token: string): Promise<AccessTokenInfo>;
  /** Introspection's answer for an access token (inactive when expired, revoked, forged or unknown). */
  introspect(token: string): Promise<Introspection>;
}

function isAllowedClinicalScope(scope: string, version: SmartVersion): boolean {
  const parsed = parseClinicalScope(scope);
  if (!parsed) return false;
  const isV1 = /\.(read|write|\*)$/.test(scope.split('?')[0]);
  // A v1 server does not understand v2 syntax; a v2 server accepts both (SMART 2 allows v1 for compatibility).
  return version === 'v2' || isV1;
}

/**
 * Whether `scope` may be granted: well formed for this server's SMART version, within what the client is
 * registered for, and — for patient scopes — only with a patient in context (without one, a patient scope
 * would reach every patient).
 */
export function grantable(
  scope: string,
  registered: readonly ClinicalScope[],
  version: SmartVersion,
  hasPatient: boolean,
): boolean {
  if (!isAllowedClinicalScope(scope, version)) return false;
  const wanted = parseClinicalScope(scope);
  if (!wanted || (wanted.context === 'patient' && !hasPatient)) return false;
  const v1Write = /\.write$/.test(scope.split('?')[0]);
  return registered.some(
    (r) =>
      r.context === wanted.context &&
      (r.resourceType === '*' || r.resourceType === wanted.resourceType) &&
      [...wanted.permissions].every(
        // A v1 `.write` (create and update) is granted as far as the registration writes at all.
        (p) => r.permissions.has(p) || (v1Write && (r.permissions.has('c') || r.permissions.has('u'))),
      ),
  );
}

/** SMART Backend Services: a client assertion lives at most five minutes. */
const MAX_ASSERTION_SECONDS = 300;

/** An authorization request without `state`: refused before any code can be issued. */
class StateRequired extends Error {}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function createAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const { issuer, fhirBase, launches } = options;
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    extractable: true,
  });
  const privateJwk: JWK = {
    ...(await exportJWK(privateKey)),
    alg: 'RS256',
    use: 'sig',
    kid: 'sandbox-1',
  };
  const publicJwk: JWK = {
    ...(await exportJWK(publicKey)),
    alg: 'RS256',
    use: 'sig',
    kid: 'sandbox-1',
  };
  const jwks = createLocalJWKSet({ keys: [publicJwk] });
  const allowedOrigins = new Set(options.redirectUris.map((u) => new URL(u).origin));
  const registered = options.registeredScopes
    .map(parseClinicalScope)
    .filter((s): s is ClinicalScope => s !== undefined);
  /** Access tokens revoked before they expire (by jti): JWTs cannot be recalled, so they are remembered. */
  const revoked = new Set<string>();
  const backends = new Map((options.backendClients ?? []).map((c) => [c.clientId, c]));
  const backendRegistered = new Map(
    [...backends].map(([id, c]) => [
      id,
      c.scopes.map(parseClinicalScope).filter((s): s is ClinicalScope => s !== undefined),
    ]),
  );

  const configuration: Configuration = {
    clients: [
      {
        client_id: CLIENT_ID,
        client_name: 'FST Companion',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      // SMART Backend Services: no redirect, no user; the client proves itself with a JWT signed by its key.
      ...[...backends.values()].map((c) => ({
        client_id: c.clientId,
        client_name: 'FST measures job',
        token_endpoint_auth_method: 'private_key_jwt' as const,
        token_endpoint_auth_signing_alg: BACKEND_ALG,
        jwks: c.jwks as never,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'RS384', 'ES384', 'PS256', 'ES256'] },
    // SMART Backend Services: `sub` is the client too, and an assertion lives at most five minutes.
    assertJwtClientAuthClaimsAndHeader: async (_ctx, claims, _header, client) => {
      if (claims.sub !== client.clientId)
        throw new errors.InvalidClientAuth('sub (JWT subject) must be the client_id');
      const exp = Number(claims.exp);
      if (!(exp <= Math.floor(Date.now() / 1000) + MAX_ASSERTION_SECONDS))
        throw new errors.InvalidClientAuth('exp must be at most five minutes ahead');
    },
    clientBasedCORS: (_ctx, origin) => allowedOrigins.has(origin),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [privateJwk as never] },
    scopes: OIDC_SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    extraParams: {
      aud(_ctx, value) {
        if (value !== fhirBase) {
          throw new errors.InvalidRequest(`aud must be the FHIR base URL ${fhirBase}`);
        }
      },
      launch(_ctx, value) {
        if (value !== undefined && !launches.find(value)) {
          throw new errors.InvalidRequest('unknown or expired launch');
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: backends.size > 0 },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBase,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator) => {
          if (indicator !== fhirBase) throw new errors.InvalidTarget();
          const backend = backendRegistered.get(ctx.oidc.client?.clientId ?? '');
          if (backend && ctx.oidc.params?.grant_type === 'client_credentials') {
            // Every scope asked is within the registration, or nothing is issued (never a silent narrowing).
            const asked = String(ctx.oidc.params.scope ?? '')
              .split(' ')
              .filter(Boolean);
            const wider = asked.filter(
              (s) => parseClinicalScope(s)?.context !== 'system' || !grantable(s, backend, 'v2', false),
            );
            if (wider.length || asked.length === 0)
              throw new errors.InvalidScope(
                asked.length ? `not registered for this client: ${wider.join(' ')}` : 'scope is required',
                wider.join(' '),
              );
            return {
              scope: asked.join(' '),
              audience: fhirBase,
              accessTokenFormat: 'jwt',
              accessTokenTTL: 300,
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          // The scopes this resource server accepts are exactly the well-formed clinical scopes requested.
          // At the token endpoint the grant holds them; at authorization, the request does.
          const granted = ctx.oidc.entities.Grant?.resources?.[fhirBase];
          const pool = String(granted ?? ctx.oidc.params?.scope ?? '').split(' ');
          return {
            // What the grant holds was decided (with the patient known) when it was made.
            scope: pool
              .filter((s) => (granted ? true : grantable(s, registered, options.smartVersion, true)))
              .join(' '),
            audience: fhirBase,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // Only the grant made by this authorization's own interaction counts: every launch is decided afresh
    // (a new patient, user or scope set must never ride on an earlier grant).
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    issueRefreshToken: (_ctx, client, source) =>
      client.grantTypeAllowed('refresh_token') &&
      (source.scopes.has('offline_access') || source.scopes.has('online_access')),
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, fhirUser: options.fhirUserFor(id) }),
    }),
    extraTokenClaims: (_ctx, token) => {
      const context = launches.forGrant((token as { grantId?: string }).grantId);
      if (!context) return undefined;
      return {
        fhirUser: options.fhirUserFor(context.user),
        ...(context.patient ? { patient: context.patient } : {}),
        ...(context.encounter ? { encounter: context.encounter } : {}),
        ...(context.fhirContext ? { fhirContext: context.fhirContext } : {}),
        need_patient_banner: context.needPatientBanner,
      };
    },
    interactions: {
      url: (_ctx, interaction) => `/auth/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 300,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 8 * 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p role="alert">${String(
        out.error_description ?? out.error,
      ).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`;
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = false;

  // SMART puts the launch context beside the token, not only inside it.
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    if (ctx.path !== '/token' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body.access_token !== 'string') return;
    const claims = decodeJwt(body.access_token);
    for (const key of ['patient', 'encounter', 'need_patient_banner', 'fhirContext'] as const) {
      if (claims[key] === undefined) continue;
      body[key] =
        key === 'fhirContext' ? (claims[key] as string[]).map((reference) => ({ reference })) : claims[key];
    }
    body.smart_style_url = options.smartStyleUrl;
    // oidc-provider scopes the access token to the resource server; report the OpenID and launch
    // scopes the grant holds too, so the app knows `openid fhirUser` were granted.
    const grantScopes = String(ctx.oidc.entities.Grant?.openid?.scope ?? '');
    body.scope = [...new Set([...String(body.scope ?? '').split(' '), ...grantScopes.split(' ')])]
      .filter(Boolean)
      .join(' ');
  });

  const callback = provider.callback();

  async function finish(
    req: IncomingMessage,
    res: ServerResponse,
    context: LaunchContext,
    requestedScope: string,
    launchId?: string,
  ): Promise<void> {
    const grant = new provider.Grant({
      accountId: context.user,
      clientId: CLIENT_ID,
    });
    const requested = requestedScope.split(' ').filter(Boolean);
    grant.addOIDCScope(requested.filter((s) => OIDC_SCOPES.includes(s)).join(' '));
    const clinical = requested.filter((s) => isAllowedClinicalScope(s, options.smartVersion));
    const granted = clinical.filter((s) =>
      grantable(s, registered, options.smartVersion, context.patient !== undefined),
    );
    grant.addResourceScope(fhirBase, granted.join(' '));
    // Refused, not pending: otherwise oidc-provider would ask again for what was asked and not given.
    const refused = clinical.filter((s) => !granted.includes(s));
    if (refused.length) grant.rejectResourceScope(fhirBase, refused.join(' '));
    const grantId = await grant.save();
    launches.bindGrant(grantId, context);
    // A launch id opens one authorization, once.
    if (launchId) launches.consume(launchId);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: context.user }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const params = details.params as Record<string, string | undefined>;
    const scope = params.scope ?? '';
    const ehrLaunch = launches.find(params.launch);
    if (ehrLaunch) {
      await finish(req, res, ehrLaunch, scope, params.launch);
      return;
    }
    const wantsPatient = scope.split(' ').includes('launch/patient');
    if (req.method === 'POST' && path.endsWith('/confirm')) {
      const form = await readForm(req);
      const user = form.get('user');
      const patient = form.get('patient') ?? undefined;
      if (!user || (wantsPatient && !patient)) throw new errors.InvalidRequest('choose a user and a patient');
      if (!options.exists('Practitioner', user) || (patient && !options.exists('Patient', patient)))
        throw new errors.InvalidRequest('unknown user or patient');
      await finish(req, res, { user, patient, needPatientBanner: true }, scope);
      return;
    }
    const html = await options.renderPicker(`/auth/interaction/${details.uid}/confirm`, wantsPatient);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(html);
  }

  /** Hands a request to oidc-provider, mounted under /auth (its issuer carries that path). */
  function forward(req: IncomingMessage, res: ServerResponse, url: string): void {
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice('/auth'.length) || '/';
    void callback(req, res);
  }

  /**
   * The authorization request as oidc-provider should see it: a POST (SMART `authorize-post`) becomes the
   * same request by GET, and `offline_access` carries `prompt=consent`, without which oidc-provider drops
   * it and issues no refresh token (the sandbox's consent is its picker).
   */
  async function authorization(req: IncomingMessage): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'POST') {
      for (const [k, v] of await readForm(req)) url.searchParams.set(k, v);
      req.method = 'GET';
      delete req.headers['content-type'];
      delete req.headers['content-length'];
    }
    // SMART App Launch: `state` is required (it binds the answer to the request that asked).
    if (!url.searchParams.get('state')) throw new StateRequired();
    const scope = (url.searchParams.get('scope') ?? '').split(' ');
    const prompt = (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
    if (scope.includes('offline_access') && !prompt.includes('consent'))
      url.searchParams.set('prompt', [...prompt, 'consent'].join(' '));
    return `${url.pathname}${url.search}`;
  }

  /**
   * Token revocation (RFC 7009) for a public client: a JWT access token is remembered as revoked until it
   * expires (a JWT cannot be recalled); a refresh token is destroyed. Unknown tokens answer 200, as the RFC says.
   */
  async function revoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const token = form.get('token') ?? '';
    if (form.get('client_id') !== CLIENT_ID) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_client' }));
      return;
    }
    if (token.split('.').length === 3) {
      const { payload } = await jwtVerify(token, jwks, { issuer }).catch(() => ({ payload: undefined }));
      if (payload?.jti) revoked.add(payload.jti);
    } else {
      const refresh = await provider.RefreshToken.find(token);
      if (refresh) await refresh.destroy();
    }
    res.writeHead(200, { 'cache-control': 'no-store' });
    res.end();
  }

  async function introspect(token: string): Promise<Introspection> {
    const verified = await jwtVerify(token, jwks, { issuer, audience: fhirBase }).catch(() => undefined);
    const payload = verified?.payload;
    if (!payload || (payload.jti && revoked.has(payload.jti))) return { active: false };
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return {
      active: true,
      scope: text(payload.scope),
      client_id: text(payload.client_id),
      exp: payload.exp,
      sub: payload.sub,
      fhirUser: text(payload.fhirUser),
      patient: text(payload.patient),
    };
  }

  /** RFC 7662 for the resource servers listed in `introspectors` (HTTP Basic); anyone else gets 401. */
  async function introspection(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const [id, secret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    const form = await readForm(req);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (!id || options.introspectors?.get(id) !== secret) return answer(401, { error: 'invalid_client' });
    answer(200, await introspect(form.get('token') ?? ''));
  }

  return {
    introspect,
    handle(req, res) {
      const url = req.url ?? '/';
      const path = url.split('?')[0];
      if (path === '/auth/token/introspection' && req.method === 'POST') {
        introspection(req, res).catch(() => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'invalid_request' }));
        });
        return;
      }
      if (path.startsWith('/auth/interaction/')) {
        handleInteraction(req, res, path).catch((err: unknown) => {
          res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(err instanceof Error ? err.message : 'interaction failed');
        });
        return;
      }
      if (path === '/auth/token/revocation' && req.method === 'POST') {
        revoke(req, res).catch(() => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'invalid_request' }));
        });
        return;
      }
      if (path === '/auth/auth') {
        authorization(req)
          .then((rewritten) => forward(req, res, rewritten))
          .catch((err: unknown) => {
            res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
            res.end(
              err instanceof StateRequired
                ? 'invalid_request: state is required (SMART App Launch)'
                : 'unreadable authorization request',
            );
          });
        return;
      }
      forward(req, res, url);
    },
    async verifyAccessToken(token) {
      const { payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: fhirBase,
      });
      if (payload.jti && revoked.has(payload.jti)) throw new Error('revoked');
      return {
        scopes: parseScopes(typeof payload.scope === 'string' ? payload.scope : ''),
        patient: typeof payload.patient === 'string' ? payload.patient : undefined,
        fhirUser: typeof payload.fhirUser === 'string' ? payload.fhirUser : undefined,
        // A backend client's token names no user: the guard judges it as that client (sandbox/fhir/guard.ts).
        ...(typeof payload.client_id === 'string' && backends.has(payload.client_id)
          ? { backendClient: payload.client_id }
          : {}),
      };
    },
  };
}
