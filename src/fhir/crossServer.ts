/**
 * References between the EHR and the agency's FST record store (docs/deploy.md, "References across servers"):
 *
 * - people and organisations — Patient, RelatedPerson, Practitioner, PractitionerRole, Organization — have a
 *   linked stub in the store under the EHR's id, identified by the EHR record's absolute URL
 *   (`urn:ietf:rfc:3986`); a reference to them is relative on both servers (`Patient/p1`);
 * - any other record on the other server is named by its absolute URL
 *   (`https://ehr.example/fhir/CarePlan/icp-1`).
 *
 * The app works with relative references only: the record router turns them into absolute ones on the way
 * out and back on the way in. The sandbox's store uses the same functions when it splits its demo data.
 */

/** Types the store keeps linked stubs of, under the EHR's id. */
export const LINKED_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'RelatedPerson',
  'Practitioner',
  'PractitionerRole',
  'Organization',
]);

/** The identifier system of a linked stub: its value is the EHR record's absolute URL. */
export const LINKED_RECORD_SYSTEM = 'urn:ietf:rfc:3986';

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/** `Type/id` of a relative reference (no version), or undefined. */
export function relativeReference(ref: string): { type: string; id: string } | undefined {
  const m = RELATIVE.exec(ref);
  return m ? { type: m[1], id: m[2] } : undefined;
}

/** A copy of `value` with every `reference` string passed through `change`. */
export function mapReferences<T>(value: T, change: (ref: string) => string): T {
  if (Array.isArray(value)) return value.map((v) => mapReferences(v, change)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = k === 'reference' && typeof v === 'string' ? change(v) : mapReferences(v, change);
    return out as T;
  }
  return value;
}

/** `Type/id` when `ref` is an absolute URL under `base`, else undefined. */
export function underBase(ref: string, base: string): string | undefined {
  if (!ref.startsWith(`${base}/`)) return undefined;
  const rest = ref.slice(base.length + 1).replace(/\/_history\/.*$/, '');
  return relativeReference(rest) ? rest : undefined;
}

/**
 * A reference as the app reads it, on the server at `here` beside its `partner` (the EHR and the record
 * store): `Type/id` (any `_history` dropped) for a record of `here`, or for a person or organisation of either
 * (linked stubs share the EHR's id); the absolute URL for another record of the partner; undefined for any
 * other form (`x/Task/t1`, another server's address). The sandbox's write guard resolves with it, so a
 * reference the app would read as one record is judged as that record.
 */
export function resolveReference(ref: string, here: string, partner?: string): string | undefined {
  const plain = ref.replace(/\/_history\/[^/]+$/, '');
  if (relativeReference(plain)) return plain;
  const own = underBase(plain, here);
  if (own) return own;
  const there = partner ? underBase(plain, partner) : undefined;
  if (!there) return undefined;
  return LINKED_TYPES.has(there.split('/')[0]) ? there : `${partner}/${there}`;
}

interface Identified {
  resourceType: string;
  id?: string;
  identifier?: { system?: string; value?: string }[];
}

/**
 * What the store keeps of a person or organisation the EHR holds, under the EHR's id: the youth only as who she
 * is (never her chart), a caregiver with her youth, relationship and name (signatures and deliveries name her),
 * staff and organisations whole (the store holds their training and credentials). Made by the sandbox's split
 * and by the token exchange at the first sign-in on a youth (services/token-exchange).
 */
export function linkedStubOf<T extends Identified>(ehrBase: string, r: T): Identified & { id: string } {
  if (!r.id) throw new Error(`A linked stub needs the EHR record's id (${r.resourceType})`);
  const identifier = [
    ...(r.identifier ?? []).filter((i) => i.system !== LINKED_RECORD_SYSTEM),
    { system: LINKED_RECORD_SYSTEM, value: `${ehrBase}/${r.resourceType}/${r.id}` },
  ];
  const { meta: _meta, ...rest } = r as T & { meta?: unknown };
  switch (r.resourceType) {
    case 'Patient':
      return { resourceType: 'Patient', id: r.id, identifier };
    case 'RelatedPerson': {
      const rp = r as T & { patient?: unknown; relationship?: unknown; name?: unknown };
      return {
        resourceType: 'RelatedPerson',
        id: r.id,
        identifier,
        patient: rp.patient,
        relationship: rp.relationship,
        name: rp.name,
      } as Identified & { id: string };
    }
    default:
      return { ...rest, id: r.id, identifier };
  }
}
