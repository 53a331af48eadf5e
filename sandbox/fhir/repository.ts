/**
 * Medplum's MemoryRepository with the two things it lacks for a faithful sandbox:
 * validation on every write, and all-or-nothing transactions (it neither validates nor rolls back).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions, DeleteResourceOptions } from '@medplum/fhir-router';
import type { WithId } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { SearchRequest } from '@medplum/core';
import { validateForWrite } from './validation';
import { stampRecordedAt } from './recordedAt';

type Store = Map<string, Map<string, unknown>>;
interface MemoryInternals {
  resources: Store;
  history: Store;
}

function copyStore(store: Store): Store {
  const copy: Store = new Map();
  for (const [type, byId] of store) {
    const inner = new Map<string, unknown>();
    // History arrays are appended to in place, so they are copied too; resources are replaced, never mutated.
    for (const [id, value] of byId) inner.set(id, Array.isArray(value) ? [...value] : value);
    copy.set(type, inner);
  }
  return copy;
}

/** Decides whether a resource may appear in a search made for the current request. */
export type Visibility = (resource: Resource) => boolean;

/** One request's visibility, and what it let through per type (stored resources as of `at` writes). */
interface RequestView {
  visible: Visibility;
  byType: Map<string, { at: number; resources: Map<string, unknown> }>;
}
const requestVisibility = new AsyncLocalStorage<RequestView>();

/** One stored version replaced by a write (none before a create; none after a delete). */
export interface JournalEntry {
  before?: Resource;
  after?: Resource;
}
/** One request's journal, and the server's clock (the recorded-at stamp of a new contact reads it). */
const requestJournal = new AsyncLocalStorage<{ entries: JournalEntry[]; now: () => Date }>();

interface SearchSync {
  searchSync(request: SearchRequest): Bundle;
}

interface CreateSync {
  createResourceSync(resource: Resource, options?: CreateResourceOptions, update?: boolean): Resource;
}

export class ValidatingRepository extends MemoryRepository {
  /** Runs `fn` with every search inside it limited to what `visible` allows (one request's token). */
  static withVisibility<R>(visible: Visibility, fn: () => Promise<R>): Promise<R> {
    return requestVisibility.run({ visible, byType: new Map() }, fn);
  }

  /**
   * Runs `fn` and lists every version it stored or deleted, whatever route the request took (plain, conditional,
   * PATCH, inside a batch or transaction): the write guard judges these (sandbox/fhir/guard.ts).
   */
  static withJournal<R>(
    journal: JournalEntry[],
    fn: () => Promise<R>,
    now: () => Date = () => new Date(),
  ): Promise<R> {
    return requestJournal.run({ entries: journal, now }, fn);
  }

  constructor() {
    super();
    // MemoryRepository's searchSync is private in its types; every search (plain, conditional create,
    // _include) goes through it, so the visibility rule is put there.
    (this as unknown as SearchSync).searchSync = (request) => this.visibleSearch(request);
    // Every stored version passes through createResourceSync — creates, updates and conditional creates
    // (which MemoryRepository writes without createResource, so they escaped validation before) — so
    // validation and the write count are put there.
    const create = (MemoryRepository.prototype as unknown as CreateSync).createResourceSync;
    (this as unknown as CreateSync).createResourceSync = (resource, options, update) => {
      const request = requestJournal.getStore();
      const before =
        request && resource.id ? this.readStored(`${resource.resourceType}/${resource.id}`) : undefined;
      // A request's new contact is stamped with when the server stored it; a client cannot set or move it.
      const stamped =
        request && !this.counter.raw ? stampRecordedAt(resource, before, request.now()) : resource;
      if (!this.counter.raw) validateForWrite(stamped as never);
      try {
        const after = create.call(this, stamped, options, update);
        request?.entries.push({ before, after });
        return after;
      } finally {
        this.counter.writes++;
      }
    };
  }

  /**
   * Searches see only what the request's token may see, before totals and pages are made: a count, a
   * `next` link or a conditional create can then reveal nothing about other patients.
   */
  private visibleSearch(request: SearchRequest): Bundle {
    const view = requestVisibility.getStore();
    const base = (MemoryRepository.prototype as unknown as SearchSync).searchSync;
    // Medplum's search runs over only what the token may see (its total and pages are then right): a search
    // with `_count=1` no longer copies and filters the whole type, and a batch of searches over one type
    // decides each record once.
    return this.byPatient(request, view, () => base.call(this, request));
  }

  /** The stored resources of `type` the request may see, computed once per request (and per write). */
  private visibleOfType(view: RequestView, type: string): Map<string, unknown> {
    const cached = view.byType.get(type);
    if (cached && cached.at === this.counter.writes) return cached.resources;
    const internals = this as unknown as MemoryInternals;
    const resources = new Map<string, unknown>();
    for (const [id, r] of internals.resources.get(type) ?? [])
      if (view.visible(r as Resource)) resources.set(id, r);
    view.byType.set(type, { at: this.counter.writes, resources });
    return resources;
  }

  /**
   * A patient index: a search for one patient's records, or a list of patients' (`subject=` / `patient=` /
   * `for=` Patient/x[,Patient/y…]), scans those patients' resources of the type, not the whole type —
   * MemoryRepository scans everything.
   * The index is rebuilt per type after a write (`counter.writes` counts them); the search itself is Medplum's.
   */
  private index = new Map<string, { at: number; byPatient: Map<string, Map<string, unknown>> }>();
  /**
   * Writes so far, and whether an import skips validation. An object, not number fields: Medplum may run
   * writes on an object derived from this repository, where `this.writes++` would count there only.
   */
  private readonly counter = { writes: 0, raw: false };

  private byPatient(request: SearchRequest, view: RequestView | undefined, run: () => Bundle): Bundle {
    const filter = (request.filters ?? []).find(
      (f) =>
        (f.code === 'subject' || f.code === 'patient' || f.code === 'for') &&
        f.operator === 'eq' &&
        /^Patient\/[^,/]+(,Patient\/[^,/]+)*$/.test(f.value),
    );
    const internals = this as unknown as MemoryInternals;
    const type = request.resourceType;
    const searchOver = (scoped: Map<string, unknown>) => {
      const all = internals.resources.get(type);
      internals.resources.set(type, scoped);
      try {
        return run();
      } finally {
        if (all) internals.resources.set(type, all);
        else internals.resources.delete(type);
      }
    };
    if (!filter) return view ? searchOver(this.visibleOfType(view, type)) : run();
    let entry = this.index.get(type);
    if (!entry || entry.at !== this.counter.writes) {
      const byPatient = new Map<string, Map<string, unknown>>();
      for (const [id, r] of internals.resources.get(type) ?? []) {
        const res = r as {
          subject?: { reference?: string };
          patient?: { reference?: string };
          for?: { reference?: string };
        };
        for (const ref of new Set([res.subject?.reference, res.patient?.reference, res.for?.reference])) {
          if (!ref?.startsWith('Patient/')) continue;
          if (!byPatient.has(ref)) byPatient.set(ref, new Map());
          byPatient.get(ref)?.set(id, r);
        }
      }
      entry = { at: this.counter.writes, byPatient };
      this.index.set(type, entry);
    }
    // One patient, or a list of them (the caseload searches 40 youths at a time): their resources only.
    const refs = filter.value.split(',');
    const scoped =
      refs.length === 1
        ? (entry.byPatient.get(refs[0]) ?? new Map())
        : new Map(refs.flatMap((r) => [...(entry.byPatient.get(r) ?? new Map())]));
    return searchOver(view ? new Map([...scoped].filter(([, r]) => view.visible(r as Resource))) : scoped);
  }

  /** Every stored resource (current versions), with no access control: the sandbox's start-up only. */
  allStored(): Resource[] {
    const internals = this as unknown as MemoryInternals;
    return [...internals.resources.values()].flatMap((byId) => [...byId.values()] as Resource[]);
  }

  /** The current versions of one type, with no access control: Bulk Data `$export` filters them itself. */
  *storedOfType(type: string): Iterable<Resource> {
    const internals = this as unknown as MemoryInternals;
    yield* (internals.resources.get(type)?.values() ?? []) as Iterable<Resource>;
  }

  /** A stored resource by reference, with no access control (the gateway's own checks use it). */
  readStored(reference: string): Resource | undefined {
    const [type, id] = reference.split('/');
    const internals = this as unknown as MemoryInternals;
    return internals.resources.get(type)?.get(id) as Resource | undefined;
  }

  private transactionDepth = 0;
  /** Serialises transactions: the rollback snapshot must not swallow another request's write. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Stores a resource as an old EHR may hold it: unvalidated, with its own id (SANDBOX_HOSTILE). Only the
   * sandbox's start-up uses it; every request goes through createResource / updateResource.
   */
  async importAsIs<T extends Resource>(resource: T): Promise<WithId<T>> {
    this.counter.raw = true;
    try {
      return await super.createResource(resource, { assignedId: true });
    } finally {
      this.counter.raw = false;
    }
  }

  override async deleteResource(
    resourceType: string,
    id: string,
    options?: DeleteResourceOptions,
  ): Promise<void> {
    const before = this.readStored(`${resourceType}/${id}`);
    try {
      await super.deleteResource(resourceType as never, id, options);
      requestJournal.getStore()?.entries.push({ before, after: undefined });
    } finally {
      this.counter.writes++;
    }
  }

  /** Runs `fn` after every earlier exclusive section has finished. */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.transactionDepth > 0) return callback(this);
    const internals = this as unknown as MemoryInternals;
    const resources = copyStore(internals.resources);
    const history = copyStore(internals.history);
    this.transactionDepth++;
    try {
      return await callback(this);
    } catch (err) {
      internals.resources = resources;
      internals.history = history;
      this.counter.writes++; // the patient index may hold what was rolled back
      throw err;
    } finally {
      this.transactionDepth--;
    }
  }
}
