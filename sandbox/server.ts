/**
 * The sandbox EHR: a FHIR R4 server (Medplum fhir-router), a SMART authorization server
 * (oidc-provider), a launch page and synthetic data, on one node:http server bound to loopback.
 */
import './env';
import { createServer } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FhirRouter } from '@medplum/fhir-router';
import { getStatus } from '@medplum/core';
import type { Bundle, Patient, Practitioner, PractitionerRole, Resource } from '@medplum/fhirtypes';
import { createAuthServer } from './auth/provider';
import type { AccessTokenInfo, SmartVersion } from './auth/provider';
import { CLIENT_ID } from './auth/provider';
import { LaunchRegistry } from './auth/launches';
import {
  generateMeasuresClient,
  MEASURES_CLIENT_ID,
  MEASURES_SCOPES,
  readSiteJwks,
} from './auth/backendClient';
import type { BackendCredentials } from './auth/backendClient';
import { loadDefinitions } from './fhir/definitions';
import { createFhirEndpoint } from './fhir/http';
import { createBulkExport } from './fhir/bulkExport';
import { ValidatingRepository } from './fhir/repository';
import { DEFAULT_CASELOAD_SCOPES, DEFAULT_SCOPES } from '../src/config/config';
import { resolveReferences } from '../src/fhir/write';
import { buildDemoBundles } from './data/demo';
import { hostileResources } from './data/hostile';
import { createTokenExchange, introspectAt, repoDirectory } from './store/tokenExchange';
import type { TokenExchange } from './store/tokenExchange';
import { linkYouthFromEhr } from '../services/token-exchange/exchange';
import { linkedStubOf } from '../src/fhir/crossServer';
import { parseScopes } from '../src/fhir/smartScopes';
import { linkStaffInStore, moveFstRecordsToStore } from './store/split';
import { parseRecordKindList } from '../src/domain/recordKinds';
import type { RecordKindName } from '../src/domain/recordKinds';
import { createLinkService, SHOWN_ONLY, webhookSender } from './caregiver/links';
import type { LinkService } from './caregiver/links';
import {
  LIMITED_EHR,
  limitedCapabilityStatement,
  storeCapabilityStatement,
  storeSmartConfiguration,
} from './fhir/discovery';
import { embedPage, errorPage, launchPage, patientList, personaList, pickerPage } from './pages';

export interface SandboxOptions {
  port: number;
  /** Where the app is served; its `/launch.html` and `/` are the launch and redirect URLs. */
  appUrl: string;
  auth: boolean;
  smartVersion: SmartVersion;
  /** Extra transaction Bundles (files or folders of .json) loaded after the demo data. */
  dataFiles: string[];
  demoData: boolean;
  /** Further Bundles given in memory (benchmarks). */
  extraBundles?: Bundle[];
  /** SANDBOX_FAULTS: the share (0–1) of writes that fail; SANDBOX_FAULT_SEED makes the sequence repeatable. */
  faults?: { share: number; seed: number };
  /** SANDBOX_HOSTILE=1: one more family with hostile and broken records, stored unvalidated (sandbox/data/hostile.ts). */
  hostileData?: boolean;
  /** SANDBOX_FAULT_CONTROL=1: `POST /_sandbox/fail-next-transaction` arms a failing transaction (tests). */
  faultControl?: boolean;
  /**
   * SANDBOX_EHR_CONTROL=1: `POST /_sandbox/ehr/RelatedPerson` and `PUT /_sandbox/ehr/RelatedPerson/<id>` write a
   * caregiver as the EHR's own registration desk does (validated, no SMART token: the app is not involved). Only
   * RelatedPerson: FST records are never written around the guard. Tests only (issue 35's caregiver change).
   */
  ehrControl?: boolean;
  /** SANDBOX_LATENCY_MS: milliseconds every FHIR and authorization answer waits (a remote EHR's network). */
  latencyMs?: number;
  today?: Date;
  /**
   * SANDBOX_EHR=limited: the EHR answers as a vendor's public API that reads the chart and accepts only a
   * clinical note (DocumentReference create), and an FST record store stands beside it at `/store/fhir`
   * (token exchange at `/store/token`, the write guard). Default `full`: one server for everything.
   */
  ehr?: 'full' | 'limited';
  /**
   * SANDBOX_STORE=on: the record store beside a full EHR too (an EHR that accepts every FST write, and an agency
   * that keeps a store, e.g. since before its EHR accepted writes). Always on with `ehr: 'limited'`.
   */
  store?: boolean;
  /**
   * SANDBOX_STATE_DIR: a folder the sandbox keeps its records in between starts (`ehr.json`, `store.json`,
   * written at close). A start that finds them loads them instead of the demo data, and moves nothing: so a
   * second start in another EHR mode runs over the same data, as a site that changes its EHR's mode does.
   */
  stateDir?: string;
  /**
   * SANDBOX_IN_STORE: the record kinds the app keeps in the store even where the EHR accepts them
   * (config.json `recordStore.inStore`; `npm start` gives them to the app). With SANDBOX_STORE=on the demo's
   * records of these kinds start in the store. A misspelt kind stops the start, naming the kinds.
   */
  inStore?: RecordKindName[];
  /**
   * The record store's credentials for a token-exchange service run on its own (services/token-exchange), as a
   * site runs it: SANDBOX_STORE_INTROSPECTION_SECRET, the store's secret at the EHR's introspection endpoint
   * (client `fst-record-store`), and SANDBOX_STORE_DIRECTORY_TOKEN, the bearer token the service reads and
   * links people in the store with. Generated at each start when not given.
   */
  storeIntrospectionSecret?: string;
  storeDirectoryToken?: string;
  /** SANDBOX_CAREGIVER_LINK_HOURS: how long a one-time link to a caregiver works (default 72). */
  caregiverLinkHours?: number;
  /** SANDBOX_CAREGIVER_LINK_SENDER: a gateway's URL the link is POSTed to (docs/deploy.md); default: shown only. */
  caregiverLinkSender?: string;
  /**
   * SANDBOX_MEASURES_JWKS: the measures job's public JWKS, as a site registers its own key. Without it the sandbox
   * generates the job's key pair and hands the private key to `npm run measures` (Sandbox.measuresClient).
   */
  measuresJwksFile?: string;
}

export interface Sandbox {
  baseUrl: string;
  fhirBase: string;
  issuer: string;
  repo: ValidatingRepository;
  launches: LaunchRegistry;
  /** The next `n` transactions fail after being applied, and are rolled back. */
  failNextTransactions(n?: number): void;
  /** SANDBOX_EHR=limited: the FST record store beside the EHR. */
  store?: {
    fhirBase: string;
    tokenEndpoint: string;
    repo: ValidatingRepository;
    exchange: TokenExchange;
    /** What a token-exchange service of its own needs (services/token-exchange). */
    introspection: { endpoint: string; clientId: string; clientSecret: string };
    directoryToken: string;
    /** FST writes the EHR refused (405) since start: the e2e walk expects none. */
    refusedByEhr(): number;
  };
  /** The record store's one-time links to caregivers (sandbox/caregiver/links.ts). */
  caregiverLinks: LinkService;
  /** Moves the clock of the links and of the guard's "is the request still open" (tests). */
  setCaregiverClock(now: () => number): void;
  /**
   * The measures job's SMART Backend Services client: its id, the token endpoint, and the private key the sandbox
   * generated for it (undefined when a site's JWKS was given: the site holds its key).
   */
  measuresClient: Omit<BackendCredentials, 'privateJwk'> & { privateJwk?: BackendCredentials['privateJwk'] };
  /** Changes SANDBOX_LATENCY_MS while running (benchmarks). */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxOptions {
  const appPort = env.APP_PORT ?? '5173';
  if (env.SANDBOX_NOW && Number.isNaN(Date.parse(env.SANDBOX_NOW)))
    throw new Error(`SANDBOX_NOW is not a date-time: ${env.SANDBOX_NOW} (e.g. 2026-11-18T17:00:00Z)`);
  const latency = env.SANDBOX_LATENCY_MS === undefined ? undefined : Number(env.SANDBOX_LATENCY_MS);
  if (latency !== undefined && !(latency >= 0))
    throw new Error(
      `SANDBOX_LATENCY_MS is not a number of milliseconds: ${env.SANDBOX_LATENCY_MS} (e.g. 150)`,
    );
  return {
    port: Number(env.SANDBOX_PORT ?? 8080),
    appUrl: env.APP_URL ?? `http://localhost:${appPort}`,
    auth: env.SANDBOX_AUTH !== 'off',
    smartVersion: env.SANDBOX_SMART === 'v1' ? 'v1' : 'v2',
    dataFiles: (env.SANDBOX_DATA ?? '').split(',').filter(Boolean),
    demoData: env.SANDBOX_DEMO_DATA !== 'off',
    faults: env.SANDBOX_FAULTS
      ? { share: Number(env.SANDBOX_FAULTS), seed: Number(env.SANDBOX_FAULT_SEED ?? 1) }
      : undefined,
    faultControl: env.SANDBOX_FAULT_CONTROL === '1',
    ehrControl: env.SANDBOX_EHR_CONTROL === '1',
    latencyMs: latency,
    hostileData: env.SANDBOX_HOSTILE === '1',
    ehr: env.SANDBOX_EHR === 'limited' ? 'limited' : 'full',
    store: env.SANDBOX_STORE === 'on',
    stateDir: env.SANDBOX_STATE_DIR || undefined,
    inStore: parseRecordKindList(env.SANDBOX_IN_STORE, 'SANDBOX_IN_STORE'),
    caregiverLinkHours: env.SANDBOX_CAREGIVER_LINK_HOURS
      ? Number(env.SANDBOX_CAREGIVER_LINK_HOURS)
      : undefined,
    caregiverLinkSender: env.SANDBOX_CAREGIVER_LINK_SENDER || undefined,
    measuresJwksFile: env.SANDBOX_MEASURES_JWKS || undefined,
    storeIntrospectionSecret: env.SANDBOX_STORE_INTROSPECTION_SECRET || undefined,
    storeDirectoryToken: env.SANDBOX_STORE_DIRECTORY_TOKEN || undefined,
    // The instant the demo data is built around (tests pin it; default: now).
    today: env.SANDBOX_NOW ? new Date(env.SANDBOX_NOW) : undefined,
  };
}

function listJsonFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(path, n));
}

export async function loadBundle(
  router: FhirRouter,
  repo: ValidatingRepository,
  bundle: Bundle,
): Promise<void> {
  const [outcome] = await router.handleRequest(
    {
      method: 'POST',
      url: '',
      pathname: '',
      body: bundle,
      params: {},
      query: {},
      config: { transactions: true },
    },
    repo,
  );
  if (getStatus(outcome) >= 400) {
    throw new Error(
      `Could not load bundle: ${outcome.issue?.map((i) => i.details?.text ?? i.diagnostics).join('; ')}`,
    );
  }
}

/**
 * A data file's Bundle of any size, entry by entry (Medplum refuses transactions of over 50 updates):
 * every entry that validates is stored, and every one that does not is reported (index, resource, reason)
 * in one message, instead of a stack trace and no sandbox.
 */
export async function loadDataBundle(
  router: FhirRouter,
  repo: ValidatingRepository,
  bundle: Bundle,
): Promise<{ loaded: number; rejected: string[] }> {
  const resolved = new Map<string, string>();
  const rejected: string[] = [];
  let loaded = 0;
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    const resource = resolveReferences(entry.resource, resolved);
    const method = entry.request?.method ?? (resource?.id ? 'PUT' : 'POST');
    const url =
      entry.request?.url ??
      (resource ? `${resource.resourceType}${method === 'PUT' ? `/${resource.id}` : ''}` : '');
    const [outcome, stored] = await router.handleRequest(
      {
        method,
        url,
        pathname: '',
        body: resource,
        params: {},
        query: {},
        config: { transactions: true },
      } as never,
      repo,
    );
    if (getStatus(outcome) >= 400 || !stored) {
      const reason = outcome.issue?.map((i) => i.details?.text ?? i.diagnostics).join('; ') ?? 'rejected';
      rejected.push(
        `entry ${index} (${resource?.resourceType ?? 'no resource'}/${resource?.id ?? '—'}): ${reason}`,
      );
      continue;
    }
    if (entry.fullUrl) resolved.set(entry.fullUrl, `${stored.resourceType}/${stored.id}`);
    loaded++;
  }
  return { loaded, rejected };
}

/** The record store's client id at the EHR's introspection endpoint. */
const STORE_CLIENT = 'fst-record-store';
/** The token-exchange service's client in the store: it reads staff and youths, and writes the linked stubs. */
const DIRECTORY_CLIENT = 'fst-token-exchange';
const DIRECTORY_SCOPES = parseScopes('system/Practitioner.rs system/Patient.crus system/RelatedPerson.crus');

/** The largest form a sign-in endpoint reads: an id_token is a few kB. */
export const MAX_FORM_BYTES = 64 * 1024;

/**
 * Whether a request to a sign-in endpoint may be read: its declared length is within MAX_FORM_BYTES (413
 * otherwise) and declared at all when it has a body (411: a chunked body's size is known only by reading it).
 */
function smallBody(req: IncomingMessage, res: ServerResponse): boolean {
  const length = req.headers['content-length'];
  const refuse = (status: number, error_description: string) => {
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: 'invalid_request', error_description }));
    req.resume();
    return false;
  };
  if (length !== undefined && Number(length) > MAX_FORM_BYTES)
    return refuse(413, `The request body is larger than ${MAX_FORM_BYTES / 1024} kB`);
  if (length === undefined && req.headers['transfer-encoding'])
    return refuse(411, 'Send the request body with a Content-Length');
  return true;
}

/** The records a previous start kept in `dir` (SANDBOX_STATE_DIR), or undefined when there are none. */
function readState(dir: string): { ehr: Resource[]; store?: Resource[] } | undefined {
  const read = (name: string) =>
    existsSync(join(dir, name))
      ? (JSON.parse(readFileSync(join(dir, name), 'utf8')) as Resource[])
      : undefined;
  const ehr = read('ehr.json');
  return ehr ? { ehr, store: read('store.json') } : undefined;
}

function writeState(dir: string, ehr: ValidatingRepository, store?: ValidatingRepository) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ehr.json'), JSON.stringify(ehr.allStored()));
  if (store) writeFileSync(join(dir, 'store.json'), JSON.stringify(store.allStored()));
}

/** Whether a presented secret is this one, in constant time. */
function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The EHR's own caregiver write (SANDBOX_EHR_CONTROL): a RelatedPerson, validated like every stored version. */
async function ehrCaregiverWrite(
  repo: ValidatingRepository,
  req: IncomingMessage,
  res: ServerResponse,
  id: string | undefined,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Resource;
  const answer = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(value));
  };
  if (body.resourceType !== 'RelatedPerson' || (id !== undefined && body.id !== id))
    return answer(400, { error: 'Only a RelatedPerson, with the id of its address when updated' });
  try {
    answer(id ? 200 : 201, id ? await repo.updateResource(body) : await repo.createResource(body));
  } catch (err) {
    answer(400, { error: err instanceof Error ? err.message : String(err) });
  }
}

/** A small seeded generator (mulberry32): the same SANDBOX_FAULT_SEED gives the same faults. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  loadDefinitions();
  const repo = new ValidatingRepository();
  const router = new FhirRouter();
  const launches = new LaunchRegistry();

  const saved = options.stateDir ? readState(options.stateDir) : undefined;
  if (saved) for (const resource of saved.ehr) await repo.importAsIs(resource);
  const bundles: Bundle[] = options.demoData && !saved ? (buildDemoBundles(options.today) as Bundle[]) : [];
  bundles.push(...(options.extraBundles ?? []));
  for (const bundle of bundles) await loadBundle(router, repo, bundle);
  if (options.hostileData)
    for (const resource of hostileResources(options.today ?? new Date())) await repo.importAsIs(resource);
  for (const file of options.dataFiles.flatMap(listJsonFiles)) {
    let bundle: Bundle;
    try {
      bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    } catch (err) {
      throw new Error(
        `SANDBOX_DATA ${file} is not a readable JSON Bundle: ${err instanceof Error ? err.message : err}`,
        { cause: err },
      );
    }
    const { loaded, rejected } = await loadDataBundle(router, repo, bundle);
    process.stdout.write(`SANDBOX_DATA ${file}: ${loaded} resource(s) loaded, ${rejected.length} rejected\n`);
    if (rejected.length) process.stdout.write(`${rejected.map((r) => `  - ${r}`).join('\n')}\n`);
  }

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://localhost:${port}`;
  const fhirBase = `${baseUrl}/fhir`;
  const issuer = `${baseUrl}/auth`;
  const appLaunchUrl = `${options.appUrl}/launch.html`;
  const limited = options.ehr === 'limited';
  const storeRepo = limited || options.store ? new ValidatingRepository() : undefined;
  const storeBase = `${baseUrl}/store/fhir`;
  const tokenEndpoint = `${baseUrl}/store/token`;
  if (storeRepo && saved?.store) for (const resource of saved.store) await storeRepo.importAsIs(resource);
  // A store added to kept records starts with the staff roster only (the site's registration): the FST records
  // stay where they are, and the youths are linked at their first sign-in.
  else if (storeRepo && saved) await linkStaffInStore(repo, storeRepo, fhirBase);
  else if (storeRepo)
    await moveFstRecordsToStore(
      repo,
      storeRepo,
      fhirBase,
      storeBase,
      limited ? undefined : new Set(options.inStore ?? []),
    );

  async function choices() {
    const [practitioners, roles, patients] = await Promise.all([
      repo.searchResources<Practitioner>({
        resourceType: 'Practitioner',
        count: 1000,
      }),
      repo.searchResources<PractitionerRole>({
        resourceType: 'PractitionerRole',
        count: 1000,
      }),
      repo.searchResources<Patient>({ resourceType: 'Patient', count: 1000 }),
    ]);
    return {
      personas: personaList(practitioners, roles),
      patients: patientList(patients),
    };
  }

  // The record store introspects EHR tokens with its own credentials (a resource server of the EHR's).
  const storeSecret = options.storeIntrospectionSecret ?? randomBytes(24).toString('base64url');
  const directoryToken = options.storeDirectoryToken ?? randomBytes(24).toString('base64url');
  const generated = options.measuresJwksFile ? undefined : await generateMeasuresClient();
  const measuresClient = generated?.client ?? {
    clientId: MEASURES_CLIENT_ID,
    jwks: readSiteJwks(options.measuresJwksFile ?? ''),
    scopes: MEASURES_SCOPES,
  };
  const auth = await createAuthServer({
    backendClients: [measuresClient],
    introspectors: storeRepo ? new Map([[STORE_CLIENT, storeSecret]]) : undefined,
    issuer,
    fhirBase,
    launches,
    smartVersion: options.smartVersion,
    redirectUris: [`${options.appUrl}/`, `${options.appUrl}/index.html`],
    fhirUserFor: (user) => `${fhirBase}/Practitioner/${user}`,
    smartStyleUrl: `${baseUrl}/smart-style.json`,
    // The client is registered for the scopes the app asks for (src/config/config.ts), nothing more.
    registeredScopes: [...DEFAULT_SCOPES, ...DEFAULT_CASELOAD_SCOPES],
    exists: (type, id) => repo.readStored(`${type}/${id}`) !== undefined,
    renderPicker: async (action, withPatient) => {
      const { personas, patients } = await choices();
      return pickerPage(action, personas, withPatient ? patients : undefined, 'FST Companion');
    },
  });
  const armed = { transactionFailures: 0 };
  const storeFault: { state: 'up' | 'down' | 'signed-out' } = { state: 'up' };
  const latency = { ms: options.latencyMs ?? 0 };
  const faults = options.faults
    ? { share: options.faults.share, random: seededRandom(options.faults.seed) }
    : undefined;
  const refusedByEhr = { count: 0 };
  // Bulk Data `$export` for SMART Backend Services clients (the measures job); the limited EHR offers none.
  const bulkExport = limited ? undefined : createBulkExport({ repo, fhirBase, auth: options.auth });
  // The caregiver's links and tokens belong to the record store: the EHR's own endpoint never accepts them.
  let caregiverClock = () => Date.now();
  const guardNow = () => new Date(caregiverClock());
  const links = createLinkService({
    repo: storeRepo ?? repo,
    appUrl: options.appUrl,
    fhirBase: storeRepo ? storeBase : fhirBase,
    lifetimeHours: options.caregiverLinkHours,
    sender: options.caregiverLinkSender ? webhookSender(options.caregiverLinkSender) : SHOWN_ONLY,
    // Called on request only, once the store's exchange below exists.
    verifyStaffToken: (token) =>
      exchange ? exchange.verifyAccessToken(token) : auth.verifyAccessToken(token),
    allowedOrigins: new Set([new URL(options.appUrl).origin]),
    now: () => caregiverClock(),
  });
  const withCaregivers =
    (verify: (token: string) => Promise<AccessTokenInfo>) =>
    async (token: string): Promise<AccessTokenInfo> =>
      (await links.verify(token)) ?? verify(token);
  const fhir = createFhirEndpoint({
    now: guardNow,
    bulkExport,
    armed,
    latency,
    fhirBase,
    issuer,
    repo,
    smartVersion: options.smartVersion,
    verifyAccessToken: options.auth
      ? limited
        ? (token) => auth.verifyAccessToken(token)
        : withCaregivers((token) => auth.verifyAccessToken(token))
      : undefined,
    faults,
    // Records in the store are judged with the EHR's (the discharge plan closes an episode the store holds).
    ...(storeRepo ? { partner: { base: storeBase, repo: storeRepo } } : {}),
    ...(limited
      ? {
          accepts: (type: string | undefined, interaction: string) =>
            interaction === 'batch' ||
            (type !== undefined && (LIMITED_EHR.get(type) ?? []).includes(interaction)),
          refused: refusedByEhr,
          // As many EHRs do: a document is a PDF; the app's structured JSON copy is refused (issue 36).
          attachmentTypes: ['application/pdf'],
          metadata: () => limitedCapabilityStatement(fhirBase, issuer),
        }
      : {}),
  });
  const exchange = storeRepo
    ? createTokenExchange({
        trustedIssuer: issuer,
        jwksUri: `${issuer}/jwks`,
        clientId: CLIENT_ID,
        ehrFhirBase: fhirBase,
        introspect: introspectAt(`${issuer}/token/introspection`, STORE_CLIENT, storeSecret),
        directory: repoDirectory(storeRepo),
        linkYouth: linkYouthFromEhr(fhirBase, repoDirectory(storeRepo), linkedStubOf),
        allowedOrigins: new Set([new URL(options.appUrl).origin]),
      })
    : undefined;
  const storeFhir =
    storeRepo && exchange
      ? createFhirEndpoint({
          armed,
          latency,
          fhirBase: storeBase,
          issuer: tokenEndpoint,
          repo: storeRepo,
          smartVersion: 'v2',
          verifyAccessToken: options.auth
            ? withCaregivers(async (token) =>
                sameSecret(token, directoryToken)
                  ? { scopes: DIRECTORY_SCOPES, backendClient: DIRECTORY_CLIENT }
                  : exchange.verifyAccessToken(token),
              )
            : undefined,
          now: guardNow,
          faults,
          partner: { base: fhirBase, repo },
          readPolicy: true,
          metadata: () => storeCapabilityStatement(storeBase, tokenEndpoint),
          smartConfiguration: () => storeSmartConfiguration(tokenEndpoint),
        })
      : undefined;

  const html = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(body);
  };

  async function handleLaunch(url: URL, res: ServerResponse): Promise<void> {
    const app = url.searchParams.get('app') ?? appLaunchUrl;
    // Only the registered app is launched: a launch id never goes to an address someone else chose.
    if (app !== appLaunchUrl)
      return html(res, 400, errorPage('Unknown app: only FST Companion can be launched here.'));
    const patient = url.searchParams.get('patient') ?? undefined;
    const user = url.searchParams.get('user');
    const encounter = url.searchParams.get('encounter') ?? undefined;
    const task = url.searchParams.get('task') ?? undefined;
    if (!user || !patient) return html(res, 400, errorPage('Choose a user and a patient.'));
    const exists = await Promise.all([
      repo.readResource('Patient', patient).then(
        () => true,
        () => false,
      ),
      repo.readResource('Practitioner', user).then(
        () => true,
        () => false,
      ),
    ]);
    if (!exists.every(Boolean)) return html(res, 404, errorPage('Unknown user or patient.'));
    const launch = launches.create({
      user,
      patient,
      encounter,
      fhirContext: task ? [`Task/${task}`] : undefined,
      needPatientBanner: url.searchParams.get('need_patient_banner') !== 'false',
    });
    const target = new URL(app);
    target.searchParams.set('iss', fhirBase);
    target.searchParams.set('launch', launch);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    // Sign-in endpoints take small forms: a large body is refused before anyone reads or parses it.
    if ((path.startsWith('/auth/') || path.startsWith('/store/token')) && !smallBody(req, res)) return;
    const fail = (err: unknown) => {
      if (!res.headersSent) html(res, 500, errorPage(err instanceof Error ? err.message : 'Internal error'));
    };
    const ehrWrite = /^\/_sandbox\/ehr\/RelatedPerson(?:\/([A-Za-z0-9.-]{1,64}))?$/.exec(path);
    if (ehrWrite && options.ehrControl && (req.method === 'POST' || req.method === 'PUT')) {
      void ehrCaregiverWrite(repo, req, res, req.method === 'PUT' ? ehrWrite[1] : undefined).catch(fail);
    } else if (path === '/_sandbox/fail-next-transaction' && req.method === 'POST' && options.faultControl) {
      armed.transactionFailures++;
      res.writeHead(204, { 'access-control-allow-origin': '*' });
      res.end();
    } else if (path.startsWith('/caregiver/')) {
      if (latency.ms > 0 && req.method !== 'OPTIONS') setTimeout(() => links.handle(req, res), latency.ms);
      else links.handle(req, res);
    } else if (path === '/_sandbox/store' && req.method === 'POST' && options.faultControl && storeRepo) {
      // The record store's faults (issue 36's fault walk): `down` drops every connection to it, `signed-out`
      // refuses every store token and exchange (the store sign-in ended), `up` ends either.
      const state = url.searchParams.get('state');
      if (state === 'down' || state === 'signed-out' || state === 'up') storeFault.state = state;
      res.writeHead(state === storeFault.state ? 204 : 400, { 'access-control-allow-origin': '*' });
      res.end();
    } else if (path.startsWith('/store/') && storeFault.state === 'down') {
      req.socket.destroy();
    } else if (
      path.startsWith('/store/token') &&
      storeFault.state === 'signed-out' &&
      req.method === 'POST'
    ) {
      res.writeHead(400, {
        'content-type': 'application/json',
        'access-control-allow-origin': req.headers.origin ?? '*',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'The store sign-in has ended' }));
    } else if (storeFhir && path.startsWith('/store/fhir') && storeFault.state === 'signed-out') {
      // Answered as a token the store no longer honours.
      delete req.headers.authorization;
      storeFhir(req, res).catch(fail);
    } else if (path === '/fhir' || path.startsWith('/fhir/')) {
      fhir(req, res).catch(fail);
    } else if (storeFhir && (path === '/store/fhir' || path.startsWith('/store/fhir/'))) {
      storeFhir(req, res).catch(fail);
    } else if (exchange && (path === '/store/token' || path === '/store/token/revocation')) {
      if (latency.ms > 0 && req.method !== 'OPTIONS') setTimeout(() => exchange.handle(req, res), latency.ms);
      else exchange.handle(req, res);
    } else if (limited && path === '/_sandbox/refused-writes' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify({ refusedByEhr: refusedByEhr.count }));
    } else if (path === '/auth' || path.startsWith('/auth/')) {
      // The authorization server is part of the same remote EHR: its answers wait as the FHIR ones do.
      if (latency.ms > 0 && req.method !== 'OPTIONS') setTimeout(() => auth.handle(req, res), latency.ms);
      else auth.handle(req, res);
    } else if (path === '/launch') {
      handleLaunch(url, res).catch(fail);
    } else if (path === '/embed') {
      // The chart with the app in an iframe; the EHR shows the banner, so the app need not.
      const launchUrl = new URL('/launch', baseUrl);
      for (const [k, v] of url.searchParams) launchUrl.searchParams.set(k, v);
      launchUrl.searchParams.set('need_patient_banner', 'false');
      choices()
        .then(({ patients }) => {
          const label =
            patients.find((p) => p.id === url.searchParams.get('patient'))?.label ?? 'unknown patient';
          html(res, 200, embedPage(label, `${launchUrl.pathname}${launchUrl.search}`));
        })
        .catch(fail);
    } else if (path === '/smart-style.json') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
      });
      res.end(
        JSON.stringify({
          color_background: '#f4f6f8',
          color_highlight: '#1f5f8b',
          color_text: '#1b2733',
          font_family_body: 'system-ui, sans-serif',
        }),
      );
    } else if (path === '/') {
      choices()
        .then(({ personas, patients }) =>
          html(res, 200, launchPage(personas, patients, appLaunchUrl, fhirBase)),
        )
        .catch(fail);
    } else {
      html(res, 404, errorPage('Not found'));
    }
  };

  return {
    baseUrl,
    fhirBase,
    issuer,
    repo,
    launches,
    measuresClient: {
      clientId: measuresClient.clientId,
      tokenEndpoint: `${issuer}/token`,
      fhirBase,
      privateJwk: generated?.privateJwk,
    },
    store:
      storeRepo && exchange
        ? {
            fhirBase: storeBase,
            tokenEndpoint,
            repo: storeRepo,
            exchange,
            introspection: {
              endpoint: `${issuer}/token/introspection`,
              clientId: STORE_CLIENT,
              clientSecret: storeSecret,
            },
            directoryToken,
            refusedByEhr: () => refusedByEhr.count,
          }
        : undefined,
    caregiverLinks: links,
    setCaregiverClock: (fn) => {
      caregiverClock = fn;
    },
    failNextTransactions: (n = 1) => {
      armed.transactionFailures += n;
    },
    setLatency: (ms) => {
      latency.ms = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (options.stateDir) writeState(options.stateDir, repo, storeRepo);
        bulkExport?.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
