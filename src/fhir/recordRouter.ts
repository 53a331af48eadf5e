/**
 * The EHR and the agency's FST record store as one FHIR server for the rest of the app (issue 23). Each
 * request goes where its records are:
 *
 * - a write, by its record kind (src/fhir/recordKind.ts): to the EHR when the EHR's CapabilityStatement and
 *   the EHR sign-in's scopes accept it and config.json does not keep that kind in the store, else to the
 *   store; the discharge plan always to the EHR; a change to where the record already is;
 * - a read, to every server that may hold that type (the youth's chart from the EHR; FST records from the
 *   store and, where the EHR can search them, the EHR too, so records written before the store was added stay
 *   in view), merged into one answer; each server gets one batch for the workspace;
 * - a transaction that spans both (the discharge): the EHR's part first, then the store's, naming the new
 *   EHR record by its absolute URL. Each part is retry-safe; together they are not atomic (docs/deploy.md).
 *
 * References across the servers follow src/fhir/crossServer.ts. Loaded only when a store is configured.
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';
import type { RecordKind } from '../domain/policy';
import { POLICY } from '../domain/policy';
import { supports } from './capabilities';
import type { ServerCapabilities } from './capabilities';
import { LINKED_TYPES, mapReferences, relativeReference, underBase } from './crossServer';
import { FhirError, fhirRequest, isUnavailable, namedOutcome } from './http';
import { PartlyWrittenError } from './partlyWritten';
import type { FhirRequestOptions, FhirResponse, FhirTransport } from './http';
import { recordKindOf } from './recordKind';
import type { GrantedScopes, Permission, ScopeContext } from './smartScopes';
import { resolveQuery, resolveReferences, transaction } from './write';
import type { RoutedTransport, TransactionEntry, TransactionResult } from './write';

export type Side = 'ehr' | 'store';

export interface ServerLink {
  transport: FhirTransport;
  caps: ServerCapabilities;
  scopes: GrantedScopes;
}

export interface RouterOptions {
  ehr: ServerLink;
  store: ServerLink;
  /** Record kinds kept in the store even where the EHR accepts them. */
  inStore: readonly string[];
  /** The record store's configured name, for what the user is told (default "the FST record store"). */
  storeName?: string;
  /** False when the store could not be reached at launch (default true). */
  reachable?: boolean;
}

/** Whether the record store answers, as this session last saw it (the workspace says so; issue 36). */
export interface StoreStatus {
  reachable: boolean;
  /** Why not, naming the store. */
  reason?: string;
}

/** The youth's chart: read from the EHR only (the store's stubs of them carry no clinical content). */
const CHART_ONLY = new Set(['Patient', 'RelatedPerson', 'CareTeam', 'Location']);
/** The agency's staff roster: kept in the store (credentials, training), read from both, the store's first. */
const ROSTER = new Set(['Practitioner', 'PractitionerRole', 'Organization']);

const KINDS_BY_TYPE = new Map<string, RecordKind[]>();
for (const [kind, row] of Object.entries(POLICY) as [RecordKind, (typeof POLICY)[RecordKind]][])
  KINDS_BY_TYPE.set(row.resourceType, [...(KINDS_BY_TYPE.get(row.resourceType) ?? []), kind]);

const other = (side: Side): Side => (side === 'ehr' ? 'store' : 'ehr');

function resourcesIn(resource: Resource | undefined, into: Resource[] = []): Resource[] {
  if (!resource) return into;
  if (resource.resourceType === 'Bundle')
    for (const e of (resource as Bundle).entry ?? []) resourcesIn(e?.resource, into);
  else into.push(resource);
  return into;
}

export class RecordRouter {
  /** Where each record read or written so far lives, by `Type/id`. */
  private readonly origin = new Map<string, Side>();
  private readonly links: Record<Side, ServerLink>;
  private readonly bases: Record<Side, string>;
  private readonly inStore: ReadonlySet<string>;
  /** The EHR and the store as one: what every other module of the app is given. */
  readonly transport: RoutedTransport;
  readonly caps: ServerCapabilities;
  readonly scopes: GrantedScopes;

  private readonly storeName: string;
  private status: StoreStatus;
  private readonly listeners = new Set<() => void>();

  constructor(options: RouterOptions) {
    this.storeName = options.storeName ?? 'the FST record store';
    this.status =
      options.reachable === false
        ? { reachable: false, reason: `${this.storeName} could not be reached.` }
        : { reachable: true };
    this.links = { ehr: options.ehr, store: options.store };
    this.bases = { ehr: options.ehr.transport.baseUrl, store: options.store.transport.baseUrl };
    this.inStore = new Set(options.inStore);
    const ehr = options.ehr.transport;
    this.transport = {
      baseUrl: ehr.baseUrl,
      timeoutMs: ehr.timeoutMs,
      authorization: () => ehr.authorization(),
      send: <T>(url: string, opts: FhirRequestOptions) => this.request<T>(url, opts),
      routeTransaction: (entries, signal) => this.transaction(entries, signal),
    };
    this.caps = this.combinedCapabilities();
    this.scopes = this.combinedScopes();
  }

  // ------------------------------------------------------------------------------------------ where

  /** Where new records of this kind go. */
  writeSideOfKind(kind: RecordKind): Side {
    // The purpose of the app: the discharge plan is a clinical document in the youth's chart.
    if (kind === 'discharge-plan') return 'ehr';
    if (this.inStore.has(kind)) return 'store';
    return this.ehrAccepts(POLICY[kind].resourceType) ? 'ehr' : 'store';
  }

  /** Where records of a type go when the record is not an FST one (or its kind is not known). */
  writeSideOfType(type: string): Side {
    const kinds = KINDS_BY_TYPE.get(type) ?? [];
    if (kinds.length === 0) return 'ehr';
    // Type-level answers (capabilities, scopes) follow the type's first kind; only `inStore` can split a type.
    return this.writeSideOfKind(kinds[0]);
  }

  private ehrAccepts(type: string): boolean {
    const { caps, scopes } = this.links.ehr;
    return supports(caps, type, 'create') && scopes.allows(type, 'c');
  }

  private writeSideOf(resource: Resource): Side {
    // The app's referral Tasks carry our identifier: no need to read their order to know them.
    const kind = recordKindOf(resource);
    return kind ? this.writeSideOfKind(kind) : this.writeSideOfType(resource.resourceType);
  }

  /** The servers a type is read from, the one whose copy wins first. */
  readSides(type: string): Side[] {
    if (CHART_ONLY.has(type)) return ['ehr'];
    const ehrReads =
      supports(this.links.ehr.caps, type, 'search-type') || supports(this.links.ehr.caps, type, 'read');
    if (ROSTER.has(type) || KINDS_BY_TYPE.has(type) || ['Goal', 'Encounter'].includes(type))
      return ehrReads ? ['store', 'ehr'] : ['store'];
    return ['ehr'];
  }

  private sideOfUrl(url: string): Side | undefined {
    for (const side of ['store', 'ehr'] as const) {
      const base = this.bases[side];
      if (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) return side;
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------- store status

  storeStatus = (): StoreStatus => this.status;

  subscribeStore = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get recordStoreName(): string {
    return this.storeName;
  }

  private setStatus(next: StoreStatus) {
    if (next.reachable === this.status.reachable && next.reason === this.status.reason) return;
    this.status = next;
    for (const listener of this.listeners) listener();
  }

  /** The store's batch entries as failures naming it, when it did not answer: the EHR's part still shows. */
  private unavailableEntries(n: number, err: FhirError): BundleEntry[] {
    const outcome = namedOutcome(503, err.outcome, this.storeName);
    return Array.from({ length: n }, () => ({ resource: outcome, response: { status: '503', outcome } }));
  }

  // --------------------------------------------------------------------------------------- requests

  private async request<T>(url: string, options: FhirRequestOptions): Promise<FhirResponse<T>> {
    const method = options.method ?? 'GET';
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(url) ? this.sideOfUrl(url) : undefined;
    if (absolute) return this.sendTo<T>(absolute, url, options);
    const path = url.replace(/^\//, '');
    if (path === '' && method === 'POST') return this.bundle<T>(options);
    if (path === 'metadata') return this.sendTo<T>('ehr', path, options);
    const [type, id] = path.split('?')[0].split('/');
    if (method === 'GET') return this.read<T>(type, id, path, options);
    const body = options.body as Resource | undefined;
    const known = id ? this.origin.get(`${type}/${id}`) : undefined;
    const side = known ?? (body ? this.writeSideOf(body) : this.writeSideOfType(type));
    return this.sendTo<T>(side, path, options);
  }

  private async read<T>(
    type: string,
    id: string | undefined,
    path: string,
    options: FhirRequestOptions,
  ): Promise<FhirResponse<T>> {
    const known = id ? this.origin.get(`${type}/${id}`) : undefined;
    if (known) return this.sendTo<T>(known, path, options);
    const sides = this.readSides(type);
    if (id) {
      // One record of a type both hold: where it is found first.
      for (const [i, side] of sides.entries()) {
        try {
          return await this.sendTo<T>(side, path, options);
        } catch (err) {
          if (!(err instanceof FhirError) || err.status !== 404 || i === sides.length - 1) throw err;
        }
      }
    }
    if (sides.length === 1) return this.sendTo<T>(sides[0], path, options);
    const answers = await Promise.all(
      sides.map((side) =>
        this.sendTo<Bundle>(side, path, options).catch((err: unknown) => {
          // The store down: the EHR's records of the type still show (the workspace says the store is down).
          if (side === 'store' && isUnavailable(err)) return undefined;
          throw err;
        }),
      ),
    );
    return {
      status: 200,
      body: mergeSearchsets(answers.filter((a) => a !== undefined).map((a) => a.body)) as T,
    };
  }

  /** A batch of reads split by server, one batch each, the answers put back in the order asked. */
  private async bundle<T>(options: FhirRequestOptions): Promise<FhirResponse<T>> {
    const posted = options.body as Bundle;
    if (posted.type !== 'batch') {
      const sides = new Set(
        (posted.entry ?? []).map((e) => (e.resource ? this.writeSideOf(e.resource) : 'ehr')),
      );
      if (sides.size > 1)
        throw new Error('A transaction across the EHR and the record store goes through transaction().');
      return this.sendTo<T>([...sides][0] ?? 'ehr', '', options);
    }
    const urls = (posted.entry ?? []).map((e) => e.request?.url ?? '');
    const plan = urls.map((u) => {
      const [type, id] = u.split('?')[0].split('/');
      const known = id ? this.origin.get(`${type}/${id}`) : undefined;
      return known ? [known] : id ? this.readSides(type).slice(0, 1) : this.readSides(type);
    });
    const answers = await Promise.all(
      (['ehr', 'store'] as const).map(async (side) => {
        const mine = urls.map((_, i) => (plan[i].includes(side) ? i : -1)).filter((i) => i >= 0);
        if (!mine.length) return { side, mine, entries: [] as (BundleEntry | undefined)[] };
        try {
          const entries = await this.readOn(
            side,
            mine.map((i) => urls[i]),
            options.signal,
          );
          return { side, mine, entries };
        } catch (err) {
          if (side !== 'store' || !isUnavailable(err)) throw err;
          return { side, mine, entries: this.unavailableEntries(mine.length, err as FhirError), down: true };
        }
      }),
    );
    const bySide = new Map<string, BundleEntry | undefined>();
    for (const a of answers) a.mine.forEach((index, k) => bySide.set(`${a.side}:${index}`, a.entries[k]));
    const storeDown = answers.some((a) => a.side === 'store' && 'down' in a);
    const entry = urls.map((_, i): BundleEntry => {
      // A type read from both servers while the store is down: the EHR's answer alone.
      const sidesRead = storeDown && plan[i].length > 1 ? plan[i].filter((s) => s !== 'store') : plan[i];
      const found = sidesRead.map((side) => bySide.get(`${side}:${i}`));
      const failed = found.find(
        (e) => Number.parseInt(e?.response?.status ?? '200', 10) >= 400 || !e?.resource,
      );
      if (failed || found.length === 1) return failed ?? (found[0] as BundleEntry);
      return {
        resource: mergeSearchsets(found.map((e) => e?.resource as Bundle)),
        response: { status: '200' },
      };
    });
    return { status: 200, body: { resourceType: 'Bundle', type: 'batch-response', entry } as T };
  }

  /** Several reads on one server: a batch where it has batch and more than one, else one request each. */
  private async readOn(
    side: Side,
    urls: string[],
    signal?: AbortSignal,
  ): Promise<(BundleEntry | undefined)[]> {
    if (this.links[side].caps.batch && urls.length > 1) {
      const batch: Bundle = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: urls.map((url) => ({ request: { method: 'GET', url } })),
      };
      const answer = await this.sendTo<Bundle>(side, '', { method: 'POST', body: batch, signal });
      return urls.map((_, i) => answer.body.entry?.[i]);
    }
    return Promise.all(
      urls.map(async (url): Promise<BundleEntry> => {
        try {
          return {
            resource: (await this.sendTo<Resource>(side, url, { signal })).body,
            response: { status: '200' },
          };
        } catch (err) {
          if (!(err instanceof FhirError) || err.status === 401 || err.status === 0) throw err;
          // Its message already names the server.
          const outcome: OperationOutcome = {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'processing', details: { text: err.message } }],
          };
          return { resource: outcome, response: { status: String(err.status) } };
        }
      }),
    );
  }

  /** One request to one server: references to the other server made absolute going out, relative coming in. */
  private async sendTo<T>(side: Side, url: string, options: FhirRequestOptions): Promise<FhirResponse<T>> {
    const body = options.body === undefined ? undefined : this.outgoing(side, options.body);
    const target = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : this.outgoingQuery(side, url);
    let answer: FhirResponse<T>;
    try {
      answer = await fhirRequest<T>(this.links[side].transport, target, { ...options, body });
    } catch (err) {
      if (side === 'store' && isUnavailable(err))
        this.setStatus({ reachable: false, reason: (err as FhirError).message });
      throw err;
    }
    if (side === 'store') this.setStatus({ reachable: true });
    return { ...answer, body: this.incoming(side, this.namedFailures(side, answer.body)) };
  }

  /** A batch answer's failed entries name the server they came from (the reader gets no transport). */
  private namedFailures<T>(side: Side, body: T): T {
    const bundle = body as Bundle | undefined;
    const server = this.links[side].transport.serverName;
    if (!server || bundle?.resourceType !== 'Bundle' || !bundle.type?.endsWith('-response')) return body;
    return {
      ...bundle,
      entry: bundle.entry?.map((e) => {
        const status = Number.parseInt(e?.response?.status ?? '200', 10);
        if (!(status >= 400)) return e;
        const given =
          (e.response?.outcome as OperationOutcome | undefined) ??
          (e.resource?.resourceType === 'OperationOutcome' ? (e.resource as OperationOutcome) : undefined);
        const outcome = namedOutcome(status, given, server);
        return { ...e, resource: outcome, response: { ...e.response, status: String(status), outcome } };
      }),
    } as T;
  }

  private outgoing<T>(side: Side, value: T): T {
    return mapReferences(value, (ref) => this.absoluteFor(side, ref));
  }

  /** A reference as the server `side` must hold it. */
  private absoluteFor(side: Side, ref: string): string {
    const parts = relativeReference(ref);
    if (!parts || LINKED_TYPES.has(parts.type)) return ref;
    const lives = this.origin.get(ref) ?? (CHART_ONLY.has(parts.type) ? 'ehr' : undefined);
    return lives && lives !== side ? `${this.bases[lives]}/${ref}` : ref;
  }

  /** Search values naming a record on the other server (`target=DocumentReference/1`) name it by its URL. */
  private outgoingQuery(side: Side, path: string): string {
    const at = path.indexOf('?');
    if (at < 0) return path;
    const params = new URLSearchParams(path.slice(at + 1));
    const out = new URLSearchParams();
    for (const [k, v] of params)
      out.append(
        k,
        v
          .split(',')
          .map((item) => this.absoluteFor(side, item))
          .join(','),
      );
    return `${path.slice(0, at)}?${out.toString()}`;
  }

  private incoming<T>(side: Side, value: T): T {
    const there = other(side);
    const local = mapReferences(value, (ref) => {
      const theirs = underBase(ref, this.bases[there]);
      if (theirs) {
        if (!this.origin.has(theirs)) this.origin.set(theirs, there);
        return theirs;
      }
      return underBase(ref, this.bases[side]) ?? ref;
    });
    for (const r of resourcesIn(local as Resource | undefined)) {
      if (!r.id || r.resourceType === 'OperationOutcome') continue;
      const key = `${r.resourceType}/${r.id}`;
      // The store's copy of a roster record wins over the EHR's (the store holds its credentials).
      if (this.origin.get(key) !== 'store' || side === 'store') this.origin.set(key, side);
    }
    return local;
  }

  // ------------------------------------------------------------------------------------ transaction

  private sideOfEntry(entry: TransactionEntry): Side {
    if (entry.method === 'PUT') {
      const known = this.origin.get(`${entry.resource.resourceType}/${entry.resource.id}`);
      if (known) return known;
    }
    return this.writeSideOf(entry.resource);
  }

  private viewOf(side: Side): FhirTransport {
    const t = this.links[side].transport;
    return { ...t, send: <T>(url: string, opts: FhirRequestOptions) => this.sendTo<T>(side, url, opts) };
  }

  async transaction(entries: readonly TransactionEntry[], signal?: AbortSignal): Promise<TransactionResult> {
    const sides = entries.map((e) => this.sideOfEntry(e));
    const first = sides[0] ?? 'ehr';
    if (sides.every((s) => s === first))
      return transaction(this.viewOf(first), this.links[first].caps, entries, signal);
    // The EHR's part first: the store's records then name what it created by its address.
    const ehrPart = entries.filter((_, i) => sides[i] === 'ehr');
    const storeUrns = new Set(
      entries
        .filter((e, i) => sides[i] === 'store' && e.method === 'POST')
        .map((e) => (e as { fullUrl: string }).fullUrl),
    );
    if (
      JSON.stringify(ehrPart)
        .split('"')
        .some((s) => storeUrns.has(s))
    )
      throw new Error('An EHR record cannot name a store record that is created in the same write.');
    const ehrResult = await transaction(this.viewOf('ehr'), this.links.ehr.caps, ehrPart, signal);
    const resolved = new Map<string, string>();
    ehrPart.forEach((e, k) => {
      const stored = ehrResult.resources[k];
      if (e.method === 'POST' && stored.id) {
        const ref = `${stored.resourceType}/${stored.id}`;
        this.origin.set(ref, 'ehr');
        resolved.set(e.fullUrl, `${this.bases.ehr}/${ref}`);
      }
    });
    const storePart = entries
      .filter((_, i) => sides[i] === 'store')
      .map((e): TransactionEntry =>
        e.method === 'POST'
          ? {
              ...e,
              resource: resolveReferences(e.resource, resolved),
              ifNoneExist: resolveQuery(e.ifNoneExist, resolved),
            }
          : { ...e, resource: resolveReferences(e.resource, resolved) },
      );
    const storeResult = await transaction(
      this.viewOf('store'),
      this.links.store.caps,
      storePart,
      signal,
    ).catch((err: unknown) => {
      throw new PartlyWrittenError(this.storeName, err);
    });
    const resources: Resource[] = [];
    let e = 0;
    let s = 0;
    for (const side of sides)
      resources.push(side === 'ehr' ? ehrResult.resources[e++] : storeResult.resources[s++]);
    return { resources, requests: ehrResult.requests + storeResult.requests };
  }

  // ----------------------------------------------------------------------- what the app may do, as one

  private combinedCapabilities(): ServerCapabilities {
    const { ehr, store } = this.links;
    const types = new Set([
      ...ehr.caps.interactions.keys(),
      ...store.caps.interactions.keys(),
      ...KINDS_BY_TYPE.keys(),
    ]);
    const interactions = new Map<string, Set<string>>();
    const conditionalCreate = new Set<string>();
    const includes = new Map<string, string[]>();
    const READS = ['read', 'vread', 'search-type', 'history-instance'];
    for (const type of types) {
      const set = new Set<string>();
      const readers = this.readSides(type);
      for (const side of readers)
        for (const i of READS) if (supports(this.links[side].caps, type, i)) set.add(i);
      const writer = this.writeSideOfType(type);
      for (const i of ['create', 'update', 'patch'])
        if (supports(this.links[writer].caps, type, i)) set.add(i);
      interactions.set(type, set);
      if (this.links[writer].caps.assumed || this.links[writer].caps.conditionalCreate.has(type))
        conditionalCreate.add(type);
      // An _include works only where every server read for the type honours it.
      const lists = readers.map((side) => {
        const caps = this.links[side].caps;
        return caps.assumed ? ['*'] : [...(caps.includes.get(type) ?? [])];
      });
      includes.set(
        type,
        lists.reduce((a, b) => (a.includes('*') ? b : b.includes('*') ? a : a.filter((x) => b.includes(x)))),
      );
    }
    return { batch: true, transaction: true, interactions, conditionalCreate, includes, assumed: false };
  }

  private combinedScopes(): GrantedScopes {
    const { ehr, store } = this.links;
    return {
      raw: [...ehr.scopes.raw, ...store.scopes.raw],
      clinical: [...ehr.scopes.clinical, ...store.scopes.clinical],
      has: (s) => ehr.scopes.has(s) || store.scopes.has(s),
      allows: (type: string, permission: Permission, context?: ScopeContext) => {
        if (permission === 'r' || permission === 's')
          return this.readSides(type).some((side) =>
            this.links[side].scopes.allows(type, permission, context),
          );
        const side = this.writeSideOfType(type);
        return this.links[side].scopes.allows(type, permission, context);
      },
    };
  }

  /** Where a record lives, as far as this session has seen (tests and the bench). */
  sideOf(reference: string): Side | undefined {
    return this.origin.get(reference);
  }
}

/** One search answered by two servers, as one searchset: each server's `next` link kept for paging. */
function mergeSearchsets(bundles: Bundle[]): Bundle {
  const seen = new Map<string, number>();
  const entry: BundleEntry[] = [];
  for (const b of bundles)
    for (const e of b?.entry ?? []) {
      const key = e?.resource?.id ? `${e.resource.resourceType}/${e.resource.id}` : undefined;
      const kept = key === undefined ? undefined : seen.get(key);
      if (kept !== undefined) {
        entry[kept] = withNameOf(entry[kept], e);
        continue;
      }
      if (key) seen.set(key, entry.length);
      entry.push(e);
    }
  const totals = bundles.map((b) => b?.total);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(totals.every((t) => typeof t === 'number')
      ? { total: (totals as number[]).reduce((a, b) => a + b, 0) }
      : {}),
    link: bundles.flatMap((b) => (b?.link ?? []).filter((l) => l.relation === 'next')),
    entry,
  };
}

/**
 * A person's linked stub in the store may carry no name (a site's job makes it from the EHR's id alone): the
 * person is who the EHR says, so the stub's copy, which wins, takes the EHR copy's name (issue 36: the
 * referring clinician named in the referral card and "a member of the team" in the discharge).
 */
function withNameOf(kept: BundleEntry, other: BundleEntry): BundleEntry {
  const mine = kept.resource as (Resource & { name?: unknown }) | undefined;
  const theirs = other.resource as (Resource & { name?: unknown }) | undefined;
  if (!mine || !LINKED_TYPES.has(mine.resourceType) || hasName(mine.name) || !hasName(theirs?.name))
    return kept;
  return { ...kept, resource: { ...mine, name: theirs?.name } as Resource };
}

const hasName = (name: unknown) =>
  typeof name === 'string' ? name.trim() !== '' : Array.isArray(name) && name.length > 0;
