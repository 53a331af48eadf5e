import { useQuery } from '@tanstack/react-query';
import { fhirKeys } from '../fhir/queryKeys';
import { useSession } from './SessionContext';
import type { SmartSession } from '../fhir/session';

/** The server's CapabilityStatement, read once per session (shared by the hook and the prefetch). */
export function capabilitiesQuery(session: SmartSession) {
  return {
    queryKey: fhirKeys.capabilities(session.serverUrl),
    // Usually already read during the code exchange; otherwise (or if the server wanted a token) now. Its
    // reader (zod) is imported here, not above: the header must not pull it into the first paint.
    queryFn: async ({ signal }: { signal: AbortSignal }) =>
      (await session.publicCapabilities) ??
      (await import('../fhir/capabilities')).loadCapabilities(session.transport, signal),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  };
}

export function useCapabilities() {
  return useQuery(capabilitiesQuery(useSession()));
}
