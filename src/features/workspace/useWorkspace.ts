import { useQuery } from '@tanstack/react-query';
import { usePatientSession } from '../../app/SessionContext';
import { useCapabilities } from '../../app/useCapabilities';
import { fhirKeys } from '../../fhir/queryKeys';
import { loadWorkspace } from '../../fhir/workspace';

export function useWorkspace() {
  const session = usePatientSession();
  const caps = useCapabilities();
  return useQuery({
    queryKey: fhirKeys.workspace(session.serverUrl, session.patientId),
    queryFn: ({ signal }) =>
      loadWorkspace(
        session.transport,
        { patientId: session.patientId, user: session.user },
        signal,
        caps.data,
      ),
    enabled: caps.isSuccess,
  });
}
