import { useQuery } from '@tanstack/react-query';
import { loadCapabilities } from '../fhir/capabilities';
import { fhirKeys } from '../fhir/queryKeys';
import { useSession } from './SessionContext';

/** The server's CapabilityStatement, read once per session. */
export function useCapabilities() {
  const session = useSession();
  return useQuery({
    queryKey: fhirKeys.capabilities(session.serverUrl),
    queryFn: ({ signal }) => loadCapabilities(session.transport, signal),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}
