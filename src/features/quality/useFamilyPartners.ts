/**
 * The agency's Family Partners, for a filter or a name: the staff list every screen shares (one batch, cached
 * for the session under the workspace's own key, so any screen that read it already costs nothing).
 */
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../app/SessionContext';
import { useCapabilities } from '../../app/useCapabilities';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { fhirKeys } from '../../fhir/queryKeys';
import { loadPart } from '../../fhir/workspace';
import type { FamilyPartner } from '../../fhir/workspace';
import { PART_READS } from '../../fhir/workspaceReads';

export function useFamilyPartners(enabled = true): readonly FamilyPartner[] {
  const session = useSession();
  const caps = useCapabilities();
  const staff = useQuery({
    queryKey: fhirKeys.sessionPart(session.serverUrl, PART_READS.staff.type, 'staff'),
    queryFn: ({ signal }) =>
      loadPart(
        session.transport,
        'staff',
        {
          patientId: '',
          user: session.user,
          roleMapping: session.ehr.roles,
          caps: caps.data ?? ASSUMED_CAPABILITIES,
        },
        signal,
      ),
    enabled: caps.isSuccess && enabled,
  });
  return staff.data?.value?.familyPartners ?? [];
}
