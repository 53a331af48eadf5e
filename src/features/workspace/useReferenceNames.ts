import { useQuery } from '@tanstack/react-query';
import { fstProvidersOf } from '../../config/config';
import { nameable, readNames } from '../../fhir/names';
import { fhirKeys } from '../../fhir/queryKeys';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';

/**
 * Every reference the user sees, as a name: the staff and care team the workspace read, the caregivers, the
 * FST providers of config — and for the rest (a referring clinician outside the care team) one read, only
 * when such a reference is on screen. "unknown" when it cannot be read; never the raw reference.
 */
export function useReferenceNames(
  ws: Workspace,
  refs: readonly (string | undefined)[],
): (ref?: string) => string {
  const session = useSession();
  const known = (ref: string) =>
    ws.staffNames.get(ref) ??
    ws.caregivers.find((c) => c.reference === ref)?.name.full ??
    fstProvidersOf(session.ehr).find((p) => p.reference === ref)?.name;
  const missing = [...new Set(refs.filter((r): r is string => !!r && !known(r) && nameable(r)))].sort();
  const read = useQuery({
    queryKey: [...fhirKeys.server(session.serverUrl), 'names', ...missing],
    queryFn: ({ signal }) => readNames(session.transport, missing, signal),
    enabled: missing.length > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (ref) => {
    if (!ref) return 'unknown';
    return known(ref) ?? read.data?.get(ref) ?? (read.isPending && missing.includes(ref) ? '…' : 'unknown');
  };
}
