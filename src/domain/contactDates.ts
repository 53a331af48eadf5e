/**
 * When a contact was recorded, against when it happened (issue 35: a contact logged weeks late must not look
 * like one logged on time). The recorded instant is the server's stamp (sandbox/fhir/recordedAt.ts), never the
 * app's clock.
 */
import { civilDateOf } from './calendar';
import type { Contact } from './model';

/**
 * Whole days between the day of the contact and the day it was recorded, in the provider's time zone (0: the
 * same day); undefined when the server holds no stamp or either date is partial or unreadable.
 */
export function daysRecordedAfter(
  contact: Pick<Contact, 'sent' | 'recordedAt'>,
  timeZone: string,
): number | undefined {
  if (!contact.recordedAt || !/T/.test(contact.sent)) return undefined;
  try {
    return civilDateOf(contact.recordedAt, timeZone) - civilDateOf(contact.sent, timeZone);
  } catch {
    return undefined;
  }
}

/** "12 days after the contact", "the next day", "the same day" — for the history, its print and CSV. */
export function recordedLag(days: number): string {
  if (days <= 0) return 'the same day';
  return days === 1 ? 'the day after the contact' : `${days} days after the contact`;
}

/** A clock a few minutes fast on the phone is not a contact "in the future". */
export const FUTURE_GRACE_MS = 5 * 60_000;

/**
 * Why a contact's date cannot stand, on a new contact and on an amended date alike (the form and the server's
 * guard read this one rule); undefined when it can. A contact is recorded after it happened, never before.
 */
export function contactDateProblem(sent: string, now: Date): string | undefined {
  const at = Date.parse(sent);
  if (!/T/.test(sent) || Number.isNaN(at)) return 'Enter a valid date and time.';
  if (at > now.getTime() + FUTURE_GRACE_MS) return 'The contact cannot be in the future.';
  return undefined;
}
