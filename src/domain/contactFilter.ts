/** Filtering the contact timeline: by type, method, purpose, goal, Family Partner, date range and note text. */
import { civilDateOf, civilFromIso } from './calendar';
import type { Contact, ContactKind, ContactMethod } from './model';

export interface ContactFilter {
  kind?: ContactKind;
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
