/**
 * SANDBOX_EHR=limited: the demo data as a clinic that keeps its FST records in the agency's store would have
 * it. The FST records (src/fhir/recordKind.ts) move to the store, except the discharge plan, a clinical
 * document of the chart, as an agency copies its existing records when it adds a store; the store gets linked
 * stubs of the youths those records are about and of their caregivers, and a copy of the staff roster, each
 * identified by the EHR record's URL; references across the two servers become absolute
 * (src/fhir/crossServer.ts). A youth with no FST record yet is linked by the token exchange at the first
 * sign-in on her (services/token-exchange), as at a site.
 */
import type { Resource } from '@medplum/fhirtypes';
import { linkedStubOf, LINKED_TYPES, mapReferences, relativeReference } from '../../src/fhir/crossServer';
import { recordKindOf } from '../../src/fhir/recordKind';
import type { ValidatingRepository } from '../fhir/repository';

type Identified = Resource & { id: string; identifier?: { system?: string; value?: string }[] };

export async function moveFstRecordsToStore(
  ehr: ValidatingRepository,
  store: ValidatingRepository,
  ehrBase: string,
  storeBase: string,
  /** Only these kinds move (a full EHR beside a store: SANDBOX_IN_STORE); every FST kind when not given. */
  kinds?: ReadonlySet<string>,
): Promise<{ moved: number; linked: number }> {
  const all = ehr.allStored() as Identified[];
  const read = (ref: string) => ehr.readStored(ref);
  const inStore = new Set<string>();
  for (const r of all) {
    const kind = recordKindOf(r, read);
    if (kind && kind !== 'discharge-plan' && !LINKED_TYPES.has(r.resourceType) && (!kinds || kinds.has(kind)))
      inStore.add(`${r.resourceType}/${r.id}`);
  }
  // The youths the moved records are about, and so their caregivers: the stubs a copy of the records needs.
  const youths = new Set<string>();
  for (const r of all)
    if (inStore.has(`${r.resourceType}/${r.id}`))
      mapReferences(r, (ref) => {
        if (ref.startsWith('Patient/')) youths.add(ref);
        return ref;
      });
  const linkedAtStart = (r: Identified) =>
    r.resourceType === 'Patient'
      ? youths.has(`Patient/${r.id}`)
      : r.resourceType === 'RelatedPerson'
        ? youths.has(String((r as { patient?: { reference?: string } }).patient?.reference))
        : true;
  const across = (from: 'ehr' | 'store') => (ref: string) => {
    const parts = relativeReference(ref);
    if (!parts || LINKED_TYPES.has(parts.type)) return ref;
    const lives = inStore.has(ref) ? 'store' : read(ref) ? 'ehr' : undefined;
    if (!lives || lives === from) return ref;
    return `${lives === 'store' ? storeBase : ehrBase}/${ref}`;
  };
  let moved = 0;
  let linked = 0;
  for (const r of all) {
    const ref = `${r.resourceType}/${r.id}`;
    if (LINKED_TYPES.has(r.resourceType)) {
      if (!linkedAtStart(r)) continue;
      await store.importAsIs(linkedStubOf(ehrBase, r) as Resource);
      linked++;
    } else if (inStore.has(ref)) {
      await store.importAsIs(mapReferences(r, across('store')));
      await ehr.deleteResource(r.resourceType, r.id);
      moved++;
    } else {
      const rewritten = mapReferences(r, across('ehr'));
      if (JSON.stringify(rewritten) !== JSON.stringify(r)) {
        await ehr.deleteResource(r.resourceType, r.id);
        await ehr.importAsIs(rewritten);
      }
    }
  }
  return { moved, linked };
}

/** The staff roster and organisations linked in a store added to an EHR's kept records (nothing moves). */
export async function linkStaffInStore(
  ehr: ValidatingRepository,
  store: ValidatingRepository,
  ehrBase: string,
): Promise<number> {
  let linked = 0;
  for (const r of ehr.allStored() as Identified[])
    if (LINKED_TYPES.has(r.resourceType) && !['Patient', 'RelatedPerson'].includes(r.resourceType)) {
      await store.importAsIs(linkedStubOf(ehrBase, r) as Resource);
      linked++;
    }
  return linked;
}
