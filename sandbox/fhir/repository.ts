/**
 * Medplum's MemoryRepository with the two things it lacks for a faithful sandbox:
 * validation on every write, and all-or-nothing transactions (it neither validates nor rolls back).
 */
import { MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions, UpdateResourceOptions } from '@medplum/fhir-router';
import type { WithId } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
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

export class ValidatingRepository extends MemoryRepository {
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
