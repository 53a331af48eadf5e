/**
 * Medplum's MemoryRepository with the two things it lacks for a faithful sandbox:
 * validation on every write, and all-or-nothing transactions (it neither validates nor rolls back).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions, UpdateResourceOptions } from '@medplum/fhir-router';
import type { WithId } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { SearchRequest } from '@medplum/core';
import { validateForWrite } from './validation';

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

const requestVisibility = new AsyncLocalStorage<Visibility>();

interface SearchSync {
  searchSync(request: SearchRequest): Bundle;
}

export class ValidatingRepository extends MemoryRepository {
  /** Runs `fn` with every search inside it limited to what `visible` allows (one request's token). */
  static withVisibility<R>(visible: Visibility, fn: () => Promise<R>): Promise<R> {
    return requestVisibility.run(visible, fn);
  }

  constructor() {
    super();
    // MemoryRepository's searchSync is private in its types; every search (plain, conditional create,
    // _include) goes through it, so the visibility rule is put there.
    (this as unknown as SearchSync).searchSync = (request) => this.visibleSearch(request);
  }

  /**
   * Searches see only what the request's token may see, before totals and pages are made: a count, a
   * `next` link or a conditional create can then reveal nothing about other patients.
   */
  private visibleSearch(request: SearchRequest): Bundle {
    const visible = requestVisibility.getStore();
    const base = (MemoryRepository.prototype as unknown as SearchSync).searchSync;
    if (!visible) return base.call(this, request);
    const all = base.call(this, { ...request, offset: undefined, count: undefined });
    let entries = (all.entry ?? []).filter((e) => e.resource && visible(e.resource as Resource));
    const total = entries.length;
    if (request.offset !== undefined) entries = entries.slice(request.offset);
    if (request.count !== undefined) entries = entries.slice(0, request.count);
    return { ...all, entry: entries.length ? entries : undefined, total };
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

  override async createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions,
    update?: boolean,
  ): Promise<WithId<T>> {
    validateForWrite(resource as never);
    return super.createResource(resource, options, update);
  }

  override async updateResource<T extends Resource>(
    resource: T,
    options?: UpdateResourceOptions,
  ): Promise<WithId<T>> {
    validateForWrite(resource as never);
    return super.updateResource(resource, options);
  }

  /**
   * Stores a resource as an old EHR may hold it: unvalidated, with its own id (SANDBOX_HOSTILE). Only the
   * sandbox's start-up uses it; every request goes through createResource / updateResource.
   */
  async importAsIs<T extends Resource>(resource: T): Promise<WithId<T>> {
    return super.createResource(resource, { assignedId: true });
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
      throw err;
    } finally {
      this.transactionDepth--;
    }
  }
}
