/**
 * Resources as transaction Bundles of PUTs by id, at most 50 entries each (Medplum's limit on updates in one
 * transaction): how the generated data sets (an agency, a very large family) are loaded or written out.
 */
import type { Bundle, Resource } from 'fhir/r4';

export const MAX_ENTRIES = 50;

export function putTransactions(resources: readonly Resource[]): Bundle[] {
  const bundles: Bundle[] = [];
  for (let i = 0; i < resources.length; i += MAX_ENTRIES)
    bundles.push({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: resources.slice(i, i + MAX_ENTRIES).map((resource) => ({
        resource,
        request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
      })),
    });
  return bundles;
}
