/**
 * The FHIR REST endpoint over node:http: Medplum's FhirRouter does the FHIR semantics; this layer adds
 * what a real EHR's gateway adds — bearer-token checks, SMART scope and patient-compartment enforcement,
 * paging links, ETag / Location headers, CORS, and the discovery documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStatus, normalizeOperationOutcome, Operator, OperationOutcomeError } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { FhirRequest, HttpMethod } from '@medplum/fhir-router';
import type {
  Bundle,
  BundleEntry,
  OperationOutcome,
  OperationOutcomeIssue,
  Resource,
} from '@medplum/fhirtypes';
import type { StaffRole } from '../../src/domain/permissions';
import type { Permission } from '../../src/fhir/smartScopes';
import type { AccessTokenInfo } from '../auth/provider';
import { DELETE_REFUSAL } from '../../src/domain/policy';
import { MAX_BATCH_ENTRIES } from '../../src/fhir/batch';
import { resolveReference } from '../../src/fhir/crossServer';
import { recordKindOf } from '../../src/fhir/recordKind';
import { capabilityStatement, smartConfiguration } from './discovery';
import { AccessPolicy } from './access';
import { ValidatingRepository } from './repository';
import { isFstRecord } from './records';
import type { JournalEntry } from './repository';
import { judgeWrite, userOf, youthOfRequest } from './guard';
import { mayTouchOwnReadKinds, ownReadKindsRule, storeReadRule } from './readPolicy';
import { caregiverReadRule } from './caregiverGuard';
import type { SmartVersion } from '../auth/provider';
import type { BulkExport } from './bulkExport';

export interface FhirEndpointOptions {
  fhirBase: string;
  issuer: string;
  repo: ValidatingRepository;
  smartVersion: SmartVersion;
  /** undefined when SANDBOX_AUTH=off. */
  verifyAccessToken?: (token: string) => Promise<AccessTokenInfo>;
  /** SANDBOX_FAULTS: a share of writes fails (see `Fault`). */
  faults?: { share: number; random: () => number };
  /**
   * SANDBOX_FAULT_CONTROL: tests arm failures here. A transaction fails after its entries were applied
   * (then rolled back) while `transactionFailures` is above zero: nothing of it may remain.
   */
  armed?: { transactionFailures: number };
  /**
   * SANDBOX_LATENCY_MS: every FHIR answer waits this long, as a remote EHR's would (demos of a slow
   * network; `npm run bench:ui` compares the app with a plain fetch at a realistic latency).
   */
  latency?: { ms: number };
  /**
   * SANDBOX_EHR=limited: what this endpoint's API offers, as a vendor's would (reads; DocumentReference create).
   * Anything else is answered 405 with an OperationOutcome and counted in `refused`.
   */
  accepts?: (resourceType: string | undefined, interaction: string) => boolean;
  /** The attachment content types this API accepts in a DocumentReference (absent: any). */
  attachmentTypes?: readonly string[];
  /** Writes refused because the API does not offer them (reads it does not offer are not counted). */
  refused?: { count: number };
  /**
   * The server beside this one (the limited EHR's record store, the store's EHR): references to its records
   * are absolute URLs under `base`, and the guard reads them there (the episode a discharge plan closes lives
   * in the store).
   */
  partner?: { base: string; repo: ValidatingRepository };
  /** The record store's read rule (src/domain/policy.ts `read`): who may read a family's FST records. */
  readPolicy?: boolean;
  /** The discovery documents, when this endpoint is not the default EHR (the limited EHR, the record store). */
  metadata?: () => unknown;
  smartConfiguration?: () => unknown;
  /** The guard's clock (a caregiver's request expires): tests move it. */
  now?: () => Date;
  /** Bulk Data `$export` (sandbox/fhir/bulkExport.ts), where this endpoint offers it. */
  bulkExport?: BulkExport;
}

/**
 * What a faulty network or server does to a write: refuse it (503, 500), apply it and drop the connection
 * before answering (the client cannot know it landed), or answer too late for the client's time limit.
 */
export type Fault = '503' | '500' | 'drop-after-apply' | 'slow';
const FAULTS: Fault[] = ['503', '500', 'drop-after-apply', 'slow'];
const SLOW_MS = 1_500;

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

/** The first attachment type of a DocumentReference that `accepted` does not list ('' for none given). */
function unacceptedAttachment(
  resource: Resource | undefined,
  accepted: readonly string[] | undefined,
): string | undefined {
  if (!accepted || resource?.resourceType !== 'DocumentReference') return undefined;
  for (const c of resource.content ?? []) {
    const type = c.attachment?.contentType?.split(';')[0].trim().toLowerCase() ?? '';
    if (!accepted.includes(type)) return type;
  }
  return undefined;
}

function outcome(text: string, code: OperationOutcomeIssue['code'] = 'processing'): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text } }],
  };
}

/** Larger bodies are refused (413) without being held in memory: a discharge PDF inline is a few MB. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Entries per batch or transaction: one request's work is bounded (a batch of 1,000 searches held the server
 * for everyone). The app's batch reader sends larger reads in parts of this size (src/fhir/batch.ts).
 */
export const MAX_BUNDLE_ENTRIES = MAX_BATCH_ENTRIES;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Past the limit the rest is read and dropped, so the answer reaches a client still sending.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES)
    throw new OperationOutcomeError(
      outcome(`The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`, 'too-long'),
    );
  if (!chunks.length) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new OperationOutcomeError(outcome('Request body is not valid JSON', 'structure'));
  }
}

interface Access {
  token?: AccessTokenInfo;
}

/** Throws 403 unless the token allows `interaction` on `resourceType` at all (any scope of that type). */
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

/** Carries a write's refusal out of the rolled-back transaction, to be answered as it was. */
class RefusedWrite extends Error {
  constructor(
    readonly outcome: OperationOutcome,
    readonly status?: number,
  ) {
    super('refused');
  }
}

const forbidden = (text: string) => new OperationOutcomeError(outcome(text, 'forbidden'));
/** An id no record has (ids are at most 64 characters of [A-Za-z0-9.-]): a read of it is "not found". */
const MISSING_ID = 'not-found-0000000000000000';
const notFound = () => new OperationOutcomeError(outcome('Not found', 'not-found'));

/**
 * Removes from a result what the token may not see: search matches ('s'), included resources and batch
 * reads ('r'), nested batch searchsets alike. A single resource it may not read is "not found", so a read
 * cannot tell another patient's record from a missing one.
 */
function filterResult(policy: AccessPolicy, resource: Resource | undefined): Resource | undefined {
  if (!resource || !policy.token || resource.resourceType === 'OperationOutcome') return resource;
  if (resource.resourceType !== 'Bundle') {
    if (!policy.allows(resource, 'r')) throw notFound();
    return resource;
  }
  const bundle = resource as Bundle;
  const entry = (bundle.entry ?? [])
    .map((e): BundleEntry | undefined => {
      if (!e.resource) return e;
      if (e.resource.resourceType === 'Bundle' || e.resource.resourceType === 'OperationOutcome')
        return { ...e, resource: filterResult(policy, e.resource) };
      const permission: Permission = bundle.type === 'searchset' && e.search?.mode !== 'include' ? 's' : 'r';
      return policy.allows(e.resource, permission) ? e : undefined;
    })
    .filter((e): e is BundleEntry => e !== undefined);
  return { ...bundle, entry };
}

/**
 * `_elements` on a search, which MemoryRepository ignores: each matched resource keeps its id, meta (tagged
 * SUBSETTED, as FHIR asks) and the elements named; included resources stay whole (FHIR search §3.1.1.5.9).
 */
function applyElements(bundle: Bundle, relativeUrl: string): void {
  if (bundle.type !== 'searchset') return;
  const elements = new URL(relativeUrl.replace(/^\//, ''), 'http://x/').searchParams.get('_elements');
  if (!elements) return;
  const keep = new Set(['resourceType', 'id', ...elements.split(',').map((e) => e.trim())]);
  for (const e of bundle.entry ?? []) {
    if (!e.resource || e.search?.mode === 'include') continue;
    const r = e.resource as unknown as Record<string, unknown>;
    const subset: Record<string, unknown> = Object.fromEntries(
      Object.entries(r).filter(([k]) => keep.has(k)),
    );
    const meta = (r.meta ?? {}) as { tag?: unknown[] };
    subset.meta = {
      ...meta,
      tag: [
        ...(meta.tag ?? []),
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' },
      ],
    };
    e.resource = subset as unknown as Resource;
  }
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
    const isBundle = interaction === 'batch' || interaction === 'transaction';
    const entries = isBundle ? ((body as Bundle | undefined)?.entry ?? []) : [];
    const isTransaction = isBundle && (body as Bundle | undefined)?.type === 'transaction';
    if (entries.length > MAX_BUNDLE_ENTRIES)
      throw new OperationOutcomeError(
        outcome(
          `A Bundle may hold at most ${MAX_BUNDLE_ENTRIES} entries (this one holds ${entries.length}): send it in parts.`,
          'too-long',
        ),
      );
    /**
     * References resolve inside the posted Bundle only to what the Bundle itself creates: the `urn:uuid:`
     * fullUrl of a transaction's POST entry. Any other fullUrl (`Communication/comm-02-1`, say) names nothing —
     * otherwise a made-up body would stand in for a stored record of another youth — and a batch, whose entries
     * are independent, resolves nothing from itself.
     */
    const posted = new Map<string, Resource>();
    if (isTransaction)
      for (const entry of entries)
        if (entry.fullUrl?.startsWith('urn:uuid:') && entry.resource && entry.request?.method === 'POST')
          posted.set(entry.fullUrl, entry.resource);
    const partner = options.partner;
    const readAnywhere = (ref: string) =>
      partner && ref.startsWith(`${partner.base}/`)
        ? partner.repo.readStored(ref.slice(partner.base.length + 1))
        : repo.readStored(ref);
    const caregiver = access.token?.caregiver;
    const readRule = caregiver
      ? caregiverReadRule(caregiver, readAnywhere)
      : options.readPolicy && access.token
        ? await storeReadRule(repo, access.token, readAnywhere)
        : access.token && mayTouchOwnReadKinds(relativeUrl, body)
          ? await ownReadKindsRule(repo, access.token, readAnywhere)
          : undefined;
    // A signature in the store targets the plan in the EHR: the compartment is read across both.
    const policy = new AccessPolicy(access.token, (ref) => posted.get(ref) ?? readAnywhere(ref), readRule);
    // The user's roles (a PractitionerRole search) matter only to writes: reads never pay for them.
    const user = access.token && method !== 'GET' ? await userOf(repo, access.token.fhirUser) : undefined;
    const guardContext = {
      user,
      backendClient: access.token?.backendClient,
      read: readAnywhere,
      resolve: (ref: string) => resolveReference(ref, fhirBase, partner?.base),
      referralsOf: async (patient: string) =>
        (
          await Promise.all(
            [repo, ...(partner ? [partner.repo] : [])].map((r) =>
              r.searchResources({
                resourceType: 'Task',
                filters: [{ code: 'patient', operator: Operator.EQUALS, value: patient }],
                sortRules: [{ code: 'authored-on', descending: true }],
              }),
            ),
          )
        )
          .flat()
          .filter((t) => recordKindOf(t) === 'referral-task')
          // Newest first across both servers, as from one.
          .sort((a, b) =>
            String((b as { authoredOn?: string }).authoredOn ?? '').localeCompare(
              String((a as { authoredOn?: string }).authoredOn ?? ''),
            ),
          ) as Resource[],
      rolesOf: async (reference: string) => (await userOf(repo, reference))?.roles ?? new Set<StaffRole>(),
      // Issue 35 (sandbox/fhir/episodeRules.ts): one active FST service plan per episode.
      consentsOf: async (patient: string) =>
        (
          await Promise.all(
            [repo, ...(partner ? [partner.repo] : [])].map((r) =>
              r.searchResources({
                resourceType: 'Consent',
                filters: [{ code: 'patient', operator: Operator.EQUALS, value: patient }],
              }),
            ),
          )
        ).flat() as Resource[],
      recordsOf: async (resourceType: string, patient: string) =>
        (
          await Promise.all(
            [repo, ...(partner ? [partner.repo] : [])].map((r) =>
              r.searchResources({
                resourceType: resourceType as never,
                filters: [{ code: 'patient', operator: Operator.EQUALS, value: patient }],
              }),
            ),
          )
        ).flat() as Resource[],
      servicePlansOf: async (patient: string) =>
        (
          await repo.searchResources({
            resourceType: 'CarePlan',
            filters: [{ code: 'patient', operator: Operator.EQUALS, value: patient }],
          })
        ).filter((p) => recordKindOf(p) === 'service-plan') as Resource[],
    };

    /**
     * Batch reads of a record the token may not read: answered as a missing record would be, entry by entry
     * (a whole-request 404 would tell another youth's record from one that does not exist).
     */
    const hidden = new Set<number>();
    /** Checks one interaction (the request, or one entry of a batch / transaction) before anything runs. */
    const check = (entryMethod: HttpMethod, url: string, resource: Resource | undefined, index?: number) => {
      const found = router.find(entryMethod, url.split('?')[0]);
      const kind = found?.data?.interaction;
      const type = found?.params?.resourceType;
      if (options.accepts && kind && !options.accepts(type, kind)) {
        if (
          options.refused &&
          !['read', 'vread', 'search-type', 'search-system', 'history-instance'].includes(kind)
        )
          options.refused.count++;
        throw new OperationOutcomeError(
          outcome(`This EHR's FHIR API does not accept ${kind} of ${type ?? 'Bundles'}.`, 'not-supported'),
        );
      }
      authorize(access, type, kind);
      const refusedType = unacceptedAttachment(resource, options.attachmentTypes);
      if (refusedType !== undefined) {
        if (options.refused) options.refused.count++;
        throw new OperationOutcomeError(
          outcome(
            `This EHR accepts documents as ${options.attachmentTypes?.join(', ')} only, not ${refusedType || 'an attachment without a content type'}.`,
            'not-supported',
          ),
        );
      }
      const id = found?.params?.id;
      // What is stored is judged, not only what the body claims: nobody moves another chart's record.
      const stored = type && id ? repo.readStored(`${type}/${id}`) : undefined;
      // FST records are withdrawn (entered in error, with a Provenance), never deleted — whoever asks, with
      // or without a token; a conditional delete (no id) could reach one, so it is not offered at all.
      if (kind === 'delete' && (!id || isFstRecord(stored)))
        throw forbidden(id ? DELETE_REFUSAL : 'Conditional delete is not offered: delete by id.');
      if (!access.token || !kind || kind === 'batch' || kind === 'transaction') return;
      const permission = INTERACTION_PERMISSION[kind];
      if (stored && !policy.allows(stored, permission === 's' ? 'r' : permission)) {
        if (permission === 'r' && index !== undefined && !isTransaction) {
          hidden.add(index);
          return;
        }
        if (permission === 'r' || !policy.allows(stored, 'r')) throw notFound();
        throw forbidden(`The access token does not permit ${kind} on ${type}/${id}`);
      }
      if ((kind === 'create' || kind === 'update') && resource && !policy.allows(resource, permission))
        throw forbidden(
          `${resource.resourceType} is outside what the access token may write (scope or patient compartment)`,
        );
      // Roles, identity, history and content are judged on what the write stores (the guard, below).
    };
    if (isTransaction && options.accepts && !options.accepts(undefined, 'transaction')) {
      if (options.refused) options.refused.count++;
      throw new OperationOutcomeError(
        outcome("This EHR's FHIR API does not accept transactions.", 'not-supported'),
      );
    }
    check(method, relativeUrl, body as Resource | undefined);
    for (const [index, entry] of entries.entries()) {
      const entryMethod = entry.request?.method as HttpMethod | undefined;
      if (!entryMethod)
        throw new OperationOutcomeError(outcome('Every Bundle entry needs request.method', 'required'));
      // A fullUrl is a urn:uuid / urn:oid, or names the entry's own record (the app's PUT entries do).
      const own = entry.request?.url?.split('?')[0];
      if (
        entry.fullUrl &&
        !/^urn:(uuid|oid):/.test(entry.fullUrl) &&
        !(entryMethod !== 'POST' && own && resolveReference(entry.fullUrl, fhirBase) === own) &&
        !(
          entryMethod === 'POST' &&
          /^https?:\/\//.test(entry.fullUrl) &&
          !entry.fullUrl.startsWith(`${fhirBase}/`)
        )
      )
        throw new OperationOutcomeError(
          outcome(
            `Entry ${index}: fullUrl "${entry.fullUrl}" is neither a urn:uuid nor the address of the entry's own record`,
            'invalid',
          ),
        );
      check(entryMethod, entry.request?.url ?? '', entry.resource, index);
    }
    // A hidden read runs as a read of a record that does not exist, so its answer is exactly that one's.
    const runBody =
      hidden.size > 0
        ? {
            ...(body as Bundle),
            entry: entries.map((e, i) =>
              hidden.has(i)
                ? {
                    request: {
                      method: 'GET' as const,
                      url: `${e.request?.url?.split('/')[0]}/${MISSING_ID}`,
                    },
                  }
                : e,
            ),
          }
        : body;

    const fhirRequest: FhirRequest = {
      method,
      url: relativeUrl,
      pathname: '',
      body: runBody,
      params: {},
      query: {},
      headers: req.headers,
      config: { transactions: true },
    };
    // Every search inside this request sees only what the token may search.
    const run = () =>
      ValidatingRepository.withVisibility(
        (r) => policy.allows(r, 's'),
        () => router.handleRequest(fhirRequest, repo),
      );
    /**
     * A write runs all-or-nothing and is checked once more on its result (a PATCH can move a record), so
     * a refused write leaves the store as it was.
     */
    const write = () =>
      repo.withTransaction(async () => {
        const journal: JournalEntry[] = [];
        const [outcomeOf, written] = await ValidatingRepository.withJournal(journal, run, options.now);
        // A refused write (a failed transaction entry, say) must leave nothing behind: roll back.
        if (getStatus(outcomeOf) >= 400) throw new RefusedWrite(outcomeOf);
        // The one write guard, on every version this request stored, whatever its route.
        const judged = journal;
        const requestYouth = judged.length ? youthOfRequest(judged, guardContext.read) : undefined;
        for (const entry of judged) {
          const refusal = await judgeWrite(entry, {
            ...guardContext,
            requestYouth,
            caregiver,
            journal: judged,
            now: options.now,
          });
          if (refusal)
            throw new RefusedWrite(
              outcome(refusal.text, refusal.status === 403 ? 'forbidden' : 'invalid'),
              refusal.status,
            );
        }
        if (access.token) {
          const results = isBundle
            ? ((written as Bundle | undefined)?.entry ?? []).map((e, i) => ({
                e,
                m: entries[i]?.request?.method,
              }))
            : [{ e: { resource: written }, m: method }];
          for (const { e, m } of results) {
            const r = e.resource as Resource | undefined;
            if (!r || r.resourceType === 'OperationOutcome' || m === 'GET' || m === 'DELETE') continue;
            if (!policy.allows(r, m === 'POST' ? 'c' : 'u'))
              throw forbidden(`${r.resourceType} would be outside what the access token may write`);
          }
        }
        if (isTransaction && options.armed && options.armed.transactionFailures > 0) {
          options.armed.transactionFailures--;
          throw new RefusedWrite(
            outcome(
              'Injected fault (SANDBOX_FAULT_CONTROL): the transaction failed; nothing was kept',
              'transient',
            ),
            500,
          );
        }
        return [outcomeOf, written] as const;
      });
    // Writes are serialised so a transaction's rollback can never undo another request.
    let refusedStatus: number | undefined;
    const [result, resource] =
      method === 'GET'
        ? await run()
        : await repo.exclusive(write).catch((err: unknown) => {
            if (!(err instanceof RefusedWrite)) throw err;
            refusedStatus = err.status;
            return [err.outcome, undefined] as const;
          });
    const status = refusedStatus ?? getStatus(result);
    if (status >= 400) return { status, body: result, headers: {} };
    let visible: Resource;
    try {
      visible = filterResult(policy, resource) ?? result;
    } catch (err) {
      if (method === 'GET' || !(err instanceof OperationOutcomeError)) throw err;
      // The write landed: never answer "not found" about it; only the record the token may not read is held back.
      return {
        status,
        body: {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'information',
              code: 'informational',
              details: { text: 'Stored. The access token may not read the stored record back.' },
            },
          ],
        },
        headers: {},
      };
    }
    const headers: Record<string, string> = {};
    if (visible.resourceType === 'Bundle') {
      addPagingLinks(visible as Bundle, fhirBase, relativeUrl);
      applyElements(visible as Bundle, relativeUrl);
      // A batch response nests searchsets: page them by the URL of the request entry at the same index.
      (visible as Bundle).entry?.forEach((entry, i) => {
        const requestUrl = (body as Bundle | undefined)?.entry?.[i]?.request?.url;
        if (entry.resource?.resourceType === 'Bundle' && requestUrl) {
          addPagingLinks(entry.resource as Bundle, fhirBase, requestUrl);
          applyElements(entry.resource as Bundle, requestUrl);
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
    const delay = options.latency?.ms ?? 0;
    if (delay > 0 && req.method !== 'OPTIONS') await new Promise((r) => setTimeout(r, delay));
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
      send(200, options.metadata?.() ?? capabilityStatement(fhirBase, options.issuer, options.smartVersion));
      return;
    }
    if (req.method === 'GET' && url.pathname === `${basePath}/.well-known/smart-configuration`) {
      send(200, options.smartConfiguration?.() ?? smartConfiguration(options.issuer, options.smartVersion), {
        'content-type': 'application/json',
      });
      return;
    }
    const faults = options.faults;
    const fault =
      faults && req.method !== 'GET' && faults.random() < faults.share
        ? FAULTS[Math.floor(faults.random() * FAULTS.length)]
        : undefined;
    if (fault === '503' || fault === '500') {
      send(Number(fault), outcome(`Injected fault (SANDBOX_FAULTS): ${fault}`, 'transient'));
      return;
    }
    try {
      const access = await authenticate(req);
      if (options.bulkExport?.handle(req, res, url, access.token)) return;
      const result = await execute(req, access, relative);
      if (fault === 'drop-after-apply') {
        // The write is stored; the answer never arrives.
        res.socket?.destroy();
        return;
      }
      if (fault === 'slow') await new Promise((r) => setTimeout(r, SLOW_MS));
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
  if (code === 'not-found') return 404;
  if (code === 'too-long') return 413;
  if (code === 'not-supported') return 405;
  return getStatus(oo);
}
