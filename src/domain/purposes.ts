/**
 * Seed 000 service component 3: the FST activities "are designed to address one or more goals" (a) and "meet one
 * or more of the following purposes: educating, supporting, coaching, modeling, guiding" (b), and "may include"
 * education, teaching navigation of the child-serving systems, linkages to peer support, teaching how to find
 * resources (c). Reading: 3c's items are each a kind of educating, so they count as a 3b purpose; "crisis" is
 * named nowhere in component 3 (crisis management is process 12), so a contact whose only purpose is crisis is
 * documented (process 11) but is not an FST activity toward a goal.
 */
import type { Contact } from './model';

/** 3b, in the seed's order. */
export const SEED_PURPOSES = ['educating', 'supporting', 'coaching', 'modeling', 'guiding'] as const;
/** 3c: what the activities may include (each a kind of educating). */
export const INCLUDED_ACTIVITIES = [
  'system-navigation',
  'peer-support-linkage',
  'community-resources',
] as const;

const FST_PURPOSES: ReadonlySet<string> = new Set([...SEED_PURPOSES, ...INCLUDED_ACTIVITIES]);

/**
 * The contact records purposes and none is one of component 3's (e.g. only "crisis"). A contact with no purpose
 * recorded (written elsewhere) is not judged here: nothing says what it was for.
 */
export function noFstPurpose(c: Pick<Contact, 'purposes'>): boolean {
  return c.purposes.length > 0 && !c.purposes.some((p) => FST_PURPOSES.has(p));
}

/** Why a contact with these purposes is not an FST activity toward a goal, in words for the form. */
export function purposeWarning(purposes: readonly string[]): string | undefined {
  return noFstPurpose({ purposes: [...purposes] })
    ? 'A crisis contact alone is not FST coaching toward a goal (service component 3b): it is saved and documented, but counts toward no goal. Tick the purpose it also served, if any (educating, supporting, coaching, modeling, guiding).'
    : undefined;
}
