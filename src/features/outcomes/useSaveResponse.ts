/**
 * Saving an outcome form: one QuestionnaireResponse as a conditional create on its client request id (a retried
 * save never duplicates), then the family's outcomes are read again and the overview shown.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import type { QuestionnaireResponse } from 'fhir/r4';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { routes } from '../../app/routes';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { clientRequestQuery } from '../../fhir/codes';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import { transaction } from '../../fhir/write';

export function useSaveResponse(build: () => QuestionnaireResponse, requestId: string, onSaved: () => void) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation({
    mutationFn: () =>
      transaction(session.transport, caps, [
        {
          method: 'POST',
          fullUrl: `urn:uuid:${crypto.randomUUID()}`,
          resource: build(),
          ifNoneExist: clientRequestQuery(requestId),
        },
      ]),
    onSuccess: async () => {
      onSaved();
      await invalidateAfterWrite(queryClient, 'QuestionnaireResponse', session.serverUrl, patientId);
      navigate(`~${routes.overview(patientId)}`);
    },
  });
}
