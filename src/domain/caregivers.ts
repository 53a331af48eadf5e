/**
 * Which of the youth's caregivers are current. The EHR ends a caregiver by RelatedPerson.active = false or a
 * period that has ended; from then on they are former: shown after the current ones and marked, never the
 * default recipient of a plan or a contact, and never the language a plan is written in (docs/invariants.md,
 * invariant 8: the screen says only what the records hold).
 */
import { civilDateOf, civilFromIso } from './calendar';
import type { Caregiver } from './model';

/** True when the record says the caregiver relationship has ended (inactive, or its period ended before today). */
export function isFormerCaregiver(c: Caregiver, now: Date, timeZone: string): boolean {
  if (c.active === false) return true;
  if (!c.periodEnd) return false;
  const end = /^\d{4}-\d{2}-\d{2}$/.test(c.periodEnd)
    ? civilFromIso(c.periodEnd)
    : civilDateOf(c.periodEnd, timeZone);
  return end < civilDateOf(now, timeZone);
}

/** Current caregivers first (in the record's order), then former ones, each former one marked `former`. */
export function caregiversInOrder(list: readonly Caregiver[], now: Date, timeZone: string): Caregiver[] {
  const marked = list.map((c) => (isFormerCaregiver(c, now, timeZone) ? { ...c, former: true } : c));
  return [...marked.filter((c) => !c.former), ...marked.filter((c) => c.former)];
}

/** The words that mark a former caregiver wherever one is listed. */
export function formerLabel(c: Caregiver): string {
  return c.periodEnd ? `former caregiver (ended ${c.periodEnd.slice(0, 10)})` : 'former caregiver';
}
