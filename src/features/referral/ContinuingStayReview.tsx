import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Referral } from '../../domain/model';
import type { AppUser } from '../../domain/permissions';
import type { StepCheck } from '../../domain/nextSteps';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { IdentifierSystems } from '../../fhir/codes';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import type { ReviewAnswers } from '../../fhir/mappers/review';
import { REVIEW_QUESTIONS, reviewResource } from '../../fhir/mappers/review';
import { transaction } from '../../fhir/write';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';

/**
 * The continuing-stay review (Arkansas §IV), recorded by the assigned Family Partner or a supervisor
 * while services go on: the answers are kept as they are; criteria that no longer hold point to discharge.
 */
export function ContinuingStayReview({
  referral,
  user,
  step,
}: {
  referral: Referral;
  user: AppUser;
  /** The step as src/domain/nextSteps.ts decides it: shown when allowed, disabled when the sign-in lacks it. */
  step: StepCheck;
}) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [answers, setAnswers] = useState<ReviewAnswers>({ criteria: false, progress: false, open: false });
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const save = useMutation({
    mutationFn: () => {
      const resource = reviewResource({
        patientId,
        serviceRequestId: referral.serviceRequestId,
        by: user.references[0] ?? '',
        at: new Date(),
        answers,
        requestId,
      });
      return transaction(session.transport, caps, [
        {
          method: 'POST',
          fullUrl: `urn:uuid:${crypto.randomUUID()}`,
          resource,
          ifNoneExist: `identifier=${encodeURIComponent(`${IdentifierSystems.clientRequest}|${requestId}`)}`,
        },
      ]);
    },
    onSuccess: async () => {
      setOpen(false);
      setRequestId(crypto.randomUUID());
      await invalidateAfterWrite(queryClient, 'QuestionnaireResponse', session.serverUrl, patientId);
    },
  });
  if (!step.allowed)
    return (
      <p className="muted">
        <button type="button" className="secondary" disabled aria-describedby={`${id}-blocked`}>
          {step.label}
        </button>{' '}
        <span id={`${id}-blocked`}>{step.reason}</span>
      </p>
    );
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {step.label}
      </button>
    );
  const keys = Object.keys(REVIEW_QUESTIONS) as (keyof ReviewAnswers)[];
  return (
    <fieldset className="review" aria-describedby={`${id}-hint`}>
      <legend>Continuing-stay review</legend>
      {save.isError && <Alert title="The review was not saved" error={save.error} />}
      {keys.map((k) => (
        <label key={k} className="check">
          <input
            type="checkbox"
            checked={answers[k]}
            onChange={(e) => setAnswers((a) => ({ ...a, [k]: e.target.checked }))}
          />
          {REVIEW_QUESTIONS[k]}
        </label>
      ))}
      <p id={`${id}-hint`} className="muted">
        {keys.every((k) => answers[k])
          ? 'Services continue; the next review is counted from today.'
          : 'If the criteria no longer hold or the goals are met, plan the discharge.'}
      </p>
      <div className="actions">
        <button type="button" disabled={save.isPending} onClick={() => save.mutate()}>
          Save review
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
