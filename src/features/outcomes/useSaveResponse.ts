/**
 * Saving an outcome form: one QuestionnaireResponse as a conditional create on its client request id (a retried
 * save never duplicates; without a connection it waits in the outbox), then the family's outcomes are read again and the overview shown.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import type { QuestionnaireResponse } from 'fhir/r4';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { routes } from '../../app/routes';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import { saveOrQueue } from '../offline/outboxState';
import { WRITE } from '../offline/intentWriters';

export function useSaveResponse(build: () => QuestionnaireResponse, requestId: string, onSaved: () => void) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation({
    mutationFn: () => {
      const record = { response: build(), requestId };
      // Without a connection the answers are kept on the device and sent later (issue 38).
      return saveOrQueue(session, patientId, 'outcome', record, requestId, () =>
        WRITE.outcome(session, caps, record),
      );
    },
    onSuccess: async (result) => {
      onSaved();
      if (result !== 'queued')
        await invalidateAfterWrite(queryClient, 'QuestionnaireResponse', session.serverUrl, patientId);
      navigate(`~${routes.overview(patientId)}`);
    },
  });
}
