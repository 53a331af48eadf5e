/**
 * SANDBOX_EHR=limited: the demo data as a clinic that keeps its FST records in the agency's store would have
 * it. The FST records (src/fhir/recordKind.ts) move to the store, except the discharge plan, a clinical
 * document of the chart; the store gets linked stubs of the youths and caregivers and a copy of the staff
 * roster, each identified by the EHR record's URL; references across the two servers become absolute
 * (src/fhir/crossServer.ts).
 */
import type { Resource } from '@medplum/fhirtypes';
import {
  LINKED_RECORD_SYSTEM,
  LINKED_TYPES,
  mapReferences,
  relativeReference,
} from '../../src/fhir/crossServer';
import { recordKindOf } from '../../src/fhir/recordKind';
import type { ValidatingRepository } from '../fhir/repository';

type Identified = Resource & { id: string; identifier?: { system?: string; value?: string }[] };

function linkedIdentifier(ehrBase: string, r: Identified) {
  return [
    ...(r.identifier ?? []).filter((i) => i.system !== LINKED_RECORD_SYSTEM),
    { system: LINKED_RECORD_SYSTEM, value: `${ehrBase}/${r.resourceType}/${r.id}` },
  ];
}

/** What the store keeps of a person or organisation the EHR holds. */
function stubOf(ehrBase: string, r: Identified): Resource {
  const identifier = linkedIdentifier(ehrBase, r);
  const { meta: _meta, ...rest } = r as Identified & { meta?: unknown };
  switch (r.resourceType) {
    // The youth and the caregivers: who they are, never their chart.
    case 'Patient':
      return { resourceType: 'Patient', id: r.id, identifier } as Resource;
    case 'RelatedPerson': {
      const rp = r as Identified & { patient: unknown; relationship?: unknown; name?: unknown };
      return {
        resourceType: 'RelatedPerson',
        id: r.id,
        identifier,
        patient: rp.patient,
        relationship: rp.relationship,
        name: rp.name,
      } as Resource;
    }
    // The agency's staff roster and organisations: the store holds their credentials and training.
    default:
      return { ...rest, identifier } as Resource;
  }
}

export async function moveFstRecordsToStore(
  ehr: ValidatingRepository,
  store: ValidatingRepository,
  ehrBase: string,
  storeBase: string,
): Promise<{ moved: number; linked: number }> {
  const all = ehr.allStored() as Identified[];
  const read = (ref: string) => ehr.readStored(ref);
  const inStore = new Set<string>();
  for (const r of all) {
    const kind = recordKindOf(r, read);
    if (kind && kind !== 'discharge-plan' && !LINKED_TYPES.has(r.resourceType))
      inStore.add(`${r.resourceType}/${r.id}`);
  }
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
      await store.importAsIs(stubOf(ehrBase, r));
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
