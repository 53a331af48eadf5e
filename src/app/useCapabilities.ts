import { useQuery } from '@tanstack/react-query';
import { loadCapabilities } from '../fhir/capabilities';
import { fhirKeys } from '../fhir/queryKeys';
import { useSession } from './SessionContext';
import type { SmartSession } from '../fhir/session';

/** The server's CapabilityStatement, read once per session (shared by the hook and the prefetch). */
export function capabilitiesQuery(session: SmartSession) {
  return {
    queryKey: fhirKeys.capabilities(session.serverUrl),
    // Usually already read during the code exchange; otherwise (or if the server wanted a token) now.
    queryFn: async ({ signal }: { signal: AbortSignal }) =>
      (await session.publicCapabilities) ?? loadCapabilities(session.transport, signal),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  };
}

export function useCapabilities() {
  return useQuery(capabilitiesQuery(useSession()));
}
