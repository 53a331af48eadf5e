/**
 * Form drafts: what a user has typed survives a reload, Back, a token refresh or an expired session. Read and
 * written in this tab (sessionStorage, never localStorage), keyed by form, server, user and patient — never
 * shown to another user — and cleared when the form is saved. Each is mirrored, encrypted, in the browser's
 * draft vault (src/ui/draftVault.ts), so a relaunch in a new tab by the same user finds it for a day. The contact, referral, service-plan, meeting and incident
 * forms and the discharge wizard keep their drafts here (the staff forms not yet). A browser that blocks storage
 * (an embedded frame, src/fhir/frameSignIn.ts) throws on touching sessionStorage at all: the forms then work
 * without drafts.
 */
import { useCallback, useEffect, useState } from 'react';
import { browserVault } from './draftVault';
import type { Dispatch, SetStateAction } from 'react';

const PREFIX = 'fst-draft:';

export function draftKey(form: string, serverUrl: string, userReference: string, patientId: string): string {
  return `${PREFIX}${form}:${serverUrl}:${userReference}:${patientId}`;
}

/** Whether any form of this tab holds a draft (the expired-session screen says so only then). */
export function hasAnyDraft(storage?: Storage): boolean {
  try {
    return Object.keys(storage ?? sessionStorage).some((k) => k.startsWith(PREFIX));
  } catch {
    return false;
  }
}

export function readDraft(key: string, storage?: Storage): unknown {
  try {
    const raw = (storage ?? sessionStorage).getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

export function writeDraft(key: string, value: unknown, storage?: Storage): void {
  try {
    (storage ?? sessionStorage).setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the form still works, the draft just does not survive a reload.
  }
  if (!storage)
    void browserVault()
      ?.save(key, value)
      .catch(() => undefined);
}

export function clearDraft(key: string, storage?: Storage): void {
  try {
    (storage ?? sessionStorage).removeItem(key);
  } catch {
    // Nothing to clear.
  }
  if (!storage)
    void browserVault()
      ?.forget(key)
      .catch(() => undefined);
}

/** Whether a relaunch in a new tab finds this tab's drafts (the vault works here); what the user is told. */
export function draftsOutliveTab(): boolean {
  return browserVault() !== null;
}

/**
 * Puts the vault's drafts of this server and user into this tab, where the forms read them — before the app
 * renders. A draft this tab already holds is kept as it is.
 */
export async function restoreDrafts(serverUrl: string, userReference: string): Promise<number> {
  const vault = browserVault();
  if (!vault || !userReference) return 0;
  const found = await vault.restore(
    (k) => k.startsWith(PREFIX) && k.includes(`:${serverUrl}:`) && k.includes(`:${userReference}:`),
  );
  let restored = 0;
  for (const { key, value } of found) {
    try {
      if (sessionStorage.getItem(key) !== null) continue;
      sessionStorage.setItem(key, JSON.stringify(value));
      restored++;
    } catch {
      return restored;
    }
  }
  return restored;
}

type Stored = Record<string, unknown>;

/** A saved field back in the shape its form holds, or undefined when the saved value does not fit it. */
function restore<T>(saved: unknown, initial: T): T | undefined {
  if (saved === undefined || saved === null) return undefined;
  if (initial instanceof Set)
    return Array.isArray(saved) && saved.every((x) => typeof x === 'string')
      ? (new Set(saved) as T)
      : undefined;
  if (initial === undefined) return typeof saved === 'string' ? (saved as T) : undefined;
  if (Array.isArray(initial) !== Array.isArray(saved) || typeof initial !== typeof saved) return undefined;
  return saved as T;
}

const serialise = (value: unknown) => (value instanceof Set ? [...value] : value);

export interface FormDraft {
  /**
   * One field of the form, as `useState` but kept in the draft: restored on mount, saved on each change.
   * `keep` fields (a save's idempotency key) are stored with the draft without making it a draft.
   */
  useField<T>(
    name: string,
    initial: T | (() => T),
    options?: { keep?: boolean },
  ): [T, Dispatch<SetStateAction<T>>];
  /** After a save: the draft is gone, and leaving no longer asks. */
  clear(): void;
}

/** The stored record of one form instance, written through to storage on each change. */
class DraftRecord {
  private readonly fields: Stored;
  /** Something was typed since the form opened (or a draft was restored). */
  dirty: boolean;
  constructor(private readonly key: string) {
    const raw = readDraft(key);
    this.fields = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Stored) } : {};
    this.dirty = Object.keys(this.fields).length > 0;
  }
  get(name: string): unknown {
    return this.fields[name];
  }
  keep(name: string, value: unknown): void {
    this.fields[name] = serialise(value);
  }
  set(name: string, value: unknown): void {
    this.fields[name] = serialise(value);
    this.dirty = true;
    writeDraft(this.key, this.fields);
  }
  clear(): void {
    for (const k of Object.keys(this.fields)) delete this.fields[k];
    this.dirty = false;
    clearDraft(this.key);
  }
}

/**
 * A form's draft: what the user typed survives a reload or Back, and — while anything was typed — closing or
 * reloading the page asks first.
 */
export function useFormDraft(key: string): FormDraft {
  const [record] = useState(() => new DraftRecord(key));
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (!record.dirty) return;
      e.preventDefault();
      // Older browsers need a returnValue to show their own "leave site?" question.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [record]);
  return {
    useField<T>(name: string, initial: T | (() => T), options: { keep?: boolean } = {}) {
      const [value, setValue] = useState<T>(() => {
        const init = typeof initial === 'function' ? (initial as () => T)() : initial;
        const restored = restore(record.get(name), init);
        if (options.keep && restored === undefined) record.keep(name, init);
        return restored ?? init;
      });
      const set = useCallback<Dispatch<SetStateAction<T>>>(
        (next) =>
          setValue((prev) => {
            const v = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
            record.set(name, v);
            return v;
          }),
        [name],
      );
      return [value, set];
    },
    clear: () => record.clear(),
  };
}
