/**
 * The token-exchange service a site runs beside its FST record store (docs/deploy.md, "The token-exchange
 * service"): the app's one sign-in across the EHR and the store. The logic is exchange.ts, the sandbox's own; this
 * file adds only what a deployment needs around it — configuration, the store's directory over its FHIR API,
 * and an HTTP server.
 *
 *   POST /token               RFC 8693: the EHR's id_token (subject) and access token (actor) → a store token
 *   POST /token/revocation    RFC 7009: a store token ends now
 *   POST /token/introspection RFC 7662, for the store (HTTP Basic with its credentials): is a store token current?
 *   GET  /health              200 when it runs
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LINKED_RECORD_SYSTEM, linkedStubOf } from '../../src/fhir/crossServer';
import { createTokenExchange, introspectAt, linkYouthFromEhr } from './exchange';
import type { StoreDirectory } from './exchange';

export interface ServiceConfig {
  port: number;
  host: string;
  /** The EHR's OpenID issuer (the id_token's `iss`) and its keys (default: its discovery's `jwks_uri`). */
  ehrIssuer: string;
  ehrJwksUri?: string;
  /** The EHR's FHIR base (the `iss` of the launch): youths' stubs are identified by `<base>/Patient/<id>`. */
  ehrFhirBase: string;
  /**
   * The EHR's introspection endpoint (default: its discovery's `introspection_endpoint`), and the store's client
   * id and secret there.
   */
  ehrIntrospection: { endpoint?: string; clientId: string; clientSecret: string };
  /** The app's client id at the EHR. */
  appClientId: string;
  /** The store's FHIR base, and the bearer token this service reads staff and youths and writes stubs with. */
  storeFhirBase: string;
  storeToken: string;
  /** Whether the first sign-in on a youth links her and her caregivers in the store (default on). */
  linkYouths: boolean;
  /** The app's origins (CORS: the browser calls this service). */
  allowedOrigins: string[];
  /** Who may introspect store tokens (the store): id → secret. */
  introspectionClients: Map<string, string>;
}

export class ConfigError extends Error {}

/** The configuration from the environment; every missing or wrong variable named in one message. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const problems: string[] = [];
  const required = (name: string) => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set`);
    return value ?? '';
  };
  const url = (name: string, optional = false) => {
    const value = env[name]?.trim();
    if (!value) {
      if (!optional) problems.push(`${name} is not set`);
      return undefined;
    }
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && !['localhost', '127.0.0.1'].includes(parsed.hostname))
        problems.push(`${name} must be https (or localhost): ${value}`);
    } catch {
      problems.push(`${name} is not a URL: ${value}`);
    }
    return value.replace(/\/$/, '');
  };
  const issuer = url('EHR_ISSUER');
  const port = Number(env.TOKEN_EXCHANGE_PORT ?? 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`TOKEN_EXCHANGE_PORT is not a port: ${env.TOKEN_EXCHANGE_PORT}`);
  const clients = new Map<string, string>();
  for (const pair of (env.STORE_INTROSPECTION_CLIENTS ?? '').split(',').filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon < 1) problems.push('STORE_INTROSPECTION_CLIENTS must be id:secret pairs, comma-separated');
    else clients.set(pair.slice(0, colon), pair.slice(colon + 1));
  }
  const config: ServiceConfig = {
    port,
    host: env.TOKEN_EXCHANGE_HOST?.trim() || '127.0.0.1',
    ehrIssuer: issuer ?? '',
    ehrJwksUri: url('EHR_JWKS_URI', true),
    ehrFhirBase: url('EHR_FHIR_BASE') ?? '',
    ehrIntrospection: {
      endpoint: url('EHR_INTROSPECTION_ENDPOINT', true),
      clientId: required('EHR_INTROSPECTION_CLIENT_ID'),
      clientSecret: required('EHR_INTROSPECTION_CLIENT_SECRET'),
    },
    appClientId: required('APP_CLIENT_ID'),
    storeFhirBase: url('STORE_FHIR_BASE') ?? '',
    storeToken: required('STORE_TOKEN'),
    linkYouths: env.LINK_YOUTHS !== 'off',
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    introspectionClients: clients,
  };
  if (!config.allowedOrigins.length) problems.push('ALLOWED_ORIGINS is not set (the app’s origin)');
  if (problems.length)
    throw new ConfigError(`The token-exchange service cannot start:\n  - ${problems.join('\n  - ')}`);
  return config;
}

/** The store's people over its FHIR API, with the service's own bearer token. */
export function fhirDirectory(storeFhirBase: string, token: string): StoreDirectory {
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${storeFhirBase}/${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/fhir+json',
        ...(init.body ? { 'content-type': 'application/fhir+json' } : {}),
      },
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 404 || res.status === 410) return undefined;
    // The store's own words stay with the operator; the user is told the store could not be read.
    if (!res.ok) throw new Error(`the record store answered ${res.status} to ${init.method ?? 'GET'}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const idOf = async (type: string, ehrUrl: string) => {
    const bundle = await call(
      `${type}?identifier=${encodeURIComponent(`${LINKED_RECORD_SYSTEM}|${ehrUrl}`)}&_count=1&_elements=id`,
    );
    const [entry] = (bundle?.entry ?? []) as { resource?: { id?: string } }[];
    return entry?.resource?.id;
  };
  return {
    staffId: (ehrUrl) => idOf('Practitioner', ehrUrl),
    patientId: (ehrUrl) => idOf('Patient', ehrUrl),
    readStub: (type, id) => call(`${type}/${encodeURIComponent(id)}`),
    putStub: async (stub) => {
      await call(`${stub.resourceType}/${encodeURIComponent(stub.id)}`, {
        method: 'PUT',
        body: JSON.stringify(stub),
      });
    },
  };
}

export interface RunningService {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** The EHR's keys and introspection endpoint, from its OpenID discovery unless configured. */
async function discover(config: ServiceConfig): Promise<{ jwksUri: string; introspection: string }> {
  if (config.ehrJwksUri && config.ehrIntrospection.endpoint)
    return { jwksUri: config.ehrJwksUri, introspection: config.ehrIntrospection.endpoint };
  // The OpenID discovery names the keys; SMART's (beside the FHIR base) names introspection too.
  const read = (where: string) =>
    fetch(where, { signal: AbortSignal.timeout(10_000) })
      .then(async (res) => (res.ok ? ((await res.json()) as Record<string, unknown>) : undefined))
      .catch(() => undefined);
  const openid = `${config.ehrIssuer}/.well-known/openid-configuration`;
  const smart = `${config.ehrFhirBase}/.well-known/smart-configuration`;
  const found = [await read(openid), await read(smart)];
  const first = (field: string) =>
    found.map((f) => f?.[field]).find((v): v is string => typeof v === 'string');
  const jwksUri = config.ehrJwksUri ?? first('jwks_uri');
  const introspection = config.ehrIntrospection.endpoint ?? first('introspection_endpoint');
  if (!jwksUri || !introspection)
    throw new ConfigError(
      `The token-exchange service cannot start: neither ${openid} nor ${smart} names the EHR's ` +
        `${!jwksUri ? 'jwks_uri' : 'introspection_endpoint'}; set ${!jwksUri ? 'EHR_JWKS_URI' : 'EHR_INTROSPECTION_ENDPOINT'}`,
    );
  return { jwksUri, introspection };
}

export async function startTokenExchangeService(config: ServiceConfig): Promise<RunningService> {
  const { jwksUri, introspection } = await discover(config);
  const directory = fhirDirectory(config.storeFhirBase, config.storeToken);
  const exchange = createTokenExchange({
    trustedIssuer: config.ehrIssuer,
    jwksUri,
    clientId: config.appClientId,
    ehrFhirBase: config.ehrFhirBase,
    introspect: introspectAt(
      introspection,
      config.ehrIntrospection.clientId,
      config.ehrIntrospection.clientSecret,
    ),
    directory,
    linkYouth: config.linkYouths ? linkYouthFromEhr(config.ehrFhirBase, directory, linkedStubOf) : undefined,
    allowedOrigins: new Set(config.allowedOrigins),
    introspectionClients: config.introspectionClients,
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://service').pathname;
    // An id_token is a few kB: a large form is refused unread.
    if (Number(req.headers['content-length'] ?? 0) > 64 * 1024) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'The request is too large' }));
      req.resume();
      return;
    }
    if (path === '/health' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    } else if (['/token', '/token/revocation', '/token/introspection'].includes(path)) {
      exchange.handle(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not_found' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
