/**
 * Names for the practitioners a screen shows by reference (who referred, who changed a status, who is to be
 * shared with) when the workspace's own reads did not bring them: one search per type, any order, parsed at
 * the boundary. An unreadable or missing record has no name: the view says "unknown", never a raw reference.
 */
import type { Bundle } from 'fhir/r4';
import { z } from '../schema/z';
import { fhirRequest } from './http';
import type { FhirTransport } from './http';
import { humanNameSchema, referenceSchema, toPersonName } from './mappers/datatypes';

const practitionerSchema = z.looseObject({
  resourceType: z.literal('Practitioner'),
  id: z.string(),
  name: z.optional(z.array(humanNameSchema)),
});
const roleSchema = z.looseObject({
  resourceType: z.literal('PractitionerRole'),
  id: z.string(),
  practitioner: z.optional(referenceSchema),
});

/** The references among `refs` this reader can name: Practitioner and PractitionerRole. */
export const nameable = (ref: string) => /^(Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/.test(ref);

export async function readNames(
  transport: FhirTransport,
  refs: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const ids = (type: string) =>
    refs.filter((r) => r.startsWith(`${type}/`)).map((r) => r.slice(type.length + 1));
  const search = async (url: string) =>
    ((await fhirRequest<Bundle>(transport, url, { signal })).body.entry ?? []).map((e) => e.resource);
  const practitioners = ids('Practitioner');
  const roles = ids('PractitionerRole');
  const [direct, viaRoles] = await Promise.all([
    practitioners.length ? search(`Practitioner?_id=${practitioners.join(',')}&_count=100`) : [],
    roles.length
      ? search(`PractitionerRole?_id=${roles.join(',')}&_include=PractitionerRole:practitioner&_count=100`)
      : [],
  ]);
  const names = new Map<string, string>();
  const all = [...direct, ...viaRoles];
  for (const r of all) {
    const p = practitionerSchema.safeParse(r);
    if (p.success && p.data.name?.length)
      names.set(`Practitioner/${p.data.id}`, toPersonName(p.data.name).full);
  }
  for (const r of all) {
    const role = roleSchema.safeParse(r);
    const who = role.success ? role.data.practitioner?.reference : undefined;
    if (role.success && who && names.has(who))
      names.set(`PractitionerRole/${role.data.id}`, names.get(who) ?? '');
  }
  return names;
}
