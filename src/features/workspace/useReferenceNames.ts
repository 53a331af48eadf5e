import { useQuery } from '@tanstack/react-query';
import { fstProvidersOf } from '../../config/config';
import { nameable, readNames } from '../../fhir/names';
import { fhirKeys } from '../../fhir/queryKeys';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';

/**
 * The names of `refs` the workspace did not read (a referring clinician outside the care team), read once
 * across both servers (src/fhir/names.ts through the record router): `pending` until the read answered.
 */
export function useReadNames(
  ws: Workspace,
  refs: readonly (string | undefined)[],
): {
  names: ReadonlyMap<string, string>;
  pending: boolean;
  missing: readonly string[];
  known: (ref: string) => string | undefined;
} {
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
  return {
    names: read.data ?? new Map<string, string>(),
    pending: missing.length > 0 && read.isPending,
    missing,
    known,
  };
}

/**
 * Every reference the user sees, as a name: the staff and care team the workspace read, the caregivers, the
 * FST providers of config — and for the rest (a referring clinician outside the care team) one read, only
 * when such a reference is on screen. "unknown" when it cannot be read; never the raw reference.
 */
export function useReferenceNames(
  ws: Workspace,
  refs: readonly (string | undefined)[],
): (ref?: string) => string {
  const { names, pending, missing, known } = useReadNames(ws, refs);
  return (ref) => {
    if (!ref) return 'unknown';
    return known(ref) ?? names.get(ref) ?? (pending && missing.includes(ref) ? '…' : 'unknown');
  };
}
