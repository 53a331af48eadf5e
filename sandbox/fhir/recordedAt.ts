/**
 * When an FST contact was recorded: the server stamps it (issue 35, "a contact logged weeks late looks like
 * one logged on time"). Chosen over `meta.lastUpdated` of the first version, which needs a `_history` read per
 * contact and moves with every amendment, and over a time the app sends, which a client could back-date.
 *
 * On a create the stamp is the server's clock, whatever the request carried; every later version keeps the
 * stamp of the version it replaces (none stays none). Runs for requests only: demo and imported data keep
 * the stamp they were built with.
 */
import type { Resource } from '@medplum/fhirtypes';
import { Extensions } from '../../src/fhir/codes';
import { recordKindOf } from '../../src/fhir/recordKind';

type WithExtensions = Resource & { extension?: { url: string; valueInstant?: string }[] };

export function stampRecordedAt(resource: Resource, before: Resource | undefined, now: Date): Resource {
  if (recordKindOf(resource) !== 'fst-contact') return resource;
  const others = ((resource as WithExtensions).extension ?? []).filter(
    (e) => e.url !== Extensions.recordedAt,
  );
  const kept = ((before as WithExtensions | undefined)?.extension ?? []).find(
    (e) => e.url === Extensions.recordedAt,
  );
  const stamp = before ? kept : { url: Extensions.recordedAt, valueInstant: now.toISOString() };
  const extension = stamp ? [...others, stamp] : others;
  const out = { ...resource, extension } as WithExtensions;
  if (!extension.length) delete out.extension;
  return out;
}
