/**
 * Filtering the history timeline — contacts and the team meetings FST logged — by type, method, purpose,
 * goal, Family Partner, date range and text.
 */
import { civilDateOf, civilFromIso } from './calendar';
import type { Meeting } from './meetings';
import type { Contact, ContactKind, ContactMethod } from './model';

export interface ContactFilter {
  /** A contact kind, or team meetings only. */
  kind?: ContactKind | 'meeting';
  method?: ContactMethod;
  purpose?: string;
  goalId?: string;
  senderReference?: string;
  /** Inclusive civil dates, YYYY-MM-DD, in the provider time zone. */
  from?: string;
  to?: string;
  /** Case-insensitive words that must all appear in the note. */
  text?: string;
  /** Include contacts entered in error (hidden by default). */
  includeEnteredInError?: boolean;
}

/** Newest first. */
export function filterContacts(
  contacts: readonly Contact[],
  filter: ContactFilter,
  timeZone: string,
): Contact[] {
  const from = filter.from ? civilFromIso(filter.from) : undefined;
  const to = filter.to ? civilFromIso(filter.to) : undefined;
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (filter.kind === 'meeting') return [];
  const out = contacts.filter((c) => {
    if (!filter.includeEnteredInError && c.status === 'entered-in-error') return false;
    if (filter.kind && c.kind !== filter.kind) return false;
    if (filter.method && c.method !== filter.method) return false;
    if (filter.purpose && !c.purposes.includes(filter.purpose)) return false;
    if (filter.goalId && !c.goalIds.includes(filter.goalId)) return false;
    if (filter.senderReference && c.senderReference !== filter.senderReference) return false;
    if (from !== undefined || to !== undefined) {
      const day = civilDateOf(c.sent, timeZone);
      if (from !== undefined && day < from) return false;
      if (to !== undefined && day > to) return false;
    }
    if (words.length) {
      const note = (c.note ?? '').toLowerCase();
      if (!words.every((w) => note.includes(w))) return false;
    }
    return true;
  });
  return out.sort((a, b) => (a.sent < b.sent ? 1 : a.sent > b.sent ? -1 : 0));
}

/** Team meetings under the same filter: a method or purpose filter is about contacts, so leaves them out. */
export function filterMeetings(
  meetings: readonly Meeting[],
  filter: ContactFilter,
  timeZone: string,
): Meeting[] {
  if ((filter.kind && filter.kind !== 'meeting') || filter.method || filter.purpose) return [];
  const from = filter.from ? civilFromIso(filter.from) : undefined;
  const to = filter.to ? civilFromIso(filter.to) : undefined;
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return meetings
    .filter((m) => {
      if (filter.goalId && !m.goalUpdates.some((u) => u.goalId === filter.goalId)) return false;
      if (filter.senderReference && m.recordedBy !== filter.senderReference) return false;
      const day = civilDateOf(m.start, timeZone);
      if (from !== undefined && day < from) return false;
      if (to !== undefined && day > to) return false;
      const text = [
        m.decisions ?? '',
        ...m.goalUpdates.map((u) => u.update),
        ...m.attendees.map((a) => a.name),
      ]
        .join(' ')
        .toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => (a.start < b.start ? 1 : -1));
}

export type TimelineRow =
  | { kind: 'contact'; id: string; at: string; contact: Contact }
  | { kind: 'meeting'; id: string; at: string; meeting: Meeting };

/** Contacts and meetings in one list, newest first. */
export function timelineRows(contacts: readonly Contact[], meetings: readonly Meeting[]): TimelineRow[] {
  return [
    ...contacts.map((c): TimelineRow => ({
      kind: 'contact',
      id: `Communication/${c.id}`,
      at: c.sent,
      contact: c,
    })),
    ...meetings.map((m): TimelineRow => ({
      kind: 'meeting',
      id: `Encounter/${m.id}`,
      at: m.start,
      meeting: m,
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

const KINDS = ['caregiver', 'collateral', 'meeting'] as const;
const METHODS = ['phone', 'face-to-face', 'video', 'other'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Za-z0-9\-.]{1,64}$/;
const REFERENCE = /^(Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * The filter's coded part as an address query, so a reload, Back or a shared link keeps it. The words
 * searched for stay out: a note's words may name a person, and addresses carry no patient data.
 */
export function filterToQuery(filter: ContactFilter): string {
  const q = new URLSearchParams();
  if (filter.kind) q.set('kind', filter.kind);
  if (filter.method) q.set('method', filter.method);
  if (filter.purpose) q.set('purpose', filter.purpose);
  if (filter.goalId) q.set('goal', filter.goalId);
  if (filter.senderReference) q.set('by', filter.senderReference);
  if (filter.from) q.set('from', filter.from);
  if (filter.to) q.set('to', filter.to);
  if (filter.includeEnteredInError) q.set('withdrawn', '1');
  return q.toString();
}

/** The filter an address asks for; anything malformed in it is ignored, never trusted. */
export function filterFromQuery(search: string): ContactFilter {
  const q = new URLSearchParams(search);
  const get = (name: string, ok: (v: string) => boolean) => {
    const v = q.get(name);
    return v !== null && ok(v) ? v : undefined;
  };
  const filter: ContactFilter = {
    kind: get('kind', (v) => (KINDS as readonly string[]).includes(v)) as ContactFilter['kind'],
    method: get('method', (v) => (METHODS as readonly string[]).includes(v)) as ContactFilter['method'],
    purpose: get('purpose', (v) => CODE.test(v)),
    goalId: get('goal', (v) => CODE.test(v)),
    senderReference: get('by', (v) => REFERENCE.test(v)),
    from: get('from', (v) => DAY.test(v)),
    to: get('to', (v) => DAY.test(v)),
    includeEnteredInError: q.get('withdrawn') === '1' || undefined,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as ContactFilter;
}
