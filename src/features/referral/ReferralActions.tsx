import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Referral } from '../../domain/model';
import type { AppUser } from '../../domain/permissions';
import type { ReferralAction } from '../../domain/referralTransitions';
import { CARD_ACTIONS, planTransition, TRANSITIONS } from '../../domain/referralTransitions';
import type { NextSteps } from '../../domain/nextSteps';
import { startDateProblem, startInstant } from '../../domain/nextSteps';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { invalidateAfterWrite, storeReferral } from '../../fhir/invalidation';
import { ReferralConflictError } from '../../fhir/referralConflict';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';
import { IN_SERVICE_PHASES, PHASE_LABEL, episodeStatusOf } from '../../domain/referral';

/**
 * The referral's next steps for this user (src/domain/nextSteps.ts, built on the transition table): one
 * button each; a reason asked for where the table requires one; cancelling an episode in service says
 * what ends before it is confirmed. A change someone else made first is shown, not overwritten.
 */
export function ReferralActions({
  referral,
  next,
  user,
  proposedStart,
}: {
  referral: Referral;
  next: NextSteps;
  user: AppUser;
  /** The first-session date "Start services" proposes (proposedStartDate). */
  proposedStart: string;
}) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const id = useId();
  const [pending, setPending] = useState<ReferralAction>();
  const [reason, setReason] = useState('');
  const [startDate, setStartDate] = useState(proposedStart);
  const [refusal, setRefusal] = useState<string>();
  const tz = session.ehr.timeZone;
  // A start is recorded on the first session's day, so the 14-day clock and the status agree.
  const at = (action: ReferralAction) =>
    action === 'start' ? startInstant(startDate, new Date(), tz) : new Date();
  const change = useMutation({
    mutationFn: async (action: ReferralAction) => {
      const planned = planTransition(referral, action, user, { at: at(action), reason });
      // The referral's writer loads with the first change, not with the workspace (issue 38).
      const { applyTransition } = await import('../../fhir/referrals');
      return applyTransition(session.transport, caps, referral, planned);
    },
    onSuccess: async (updated) => {
      setPending(undefined);
      setReason('');
      await storeReferral(queryClient, session.serverUrl, patientId, updated);
    },
    onError: async (err) => {
      // The other version is read again; the user sees it and decides anew.
      if (err instanceof ReferralConflictError)
        await invalidateAfterWrite(queryClient, 'Task', session.serverUrl, patientId);
    },
  });
  // Allowed steps, and those waiting on something first (a Family Partner to assign): shown, with why not.
  const actions = CARD_ACTIONS.filter((a) => {
    const step = next.steps[a];
    return step.allowed || step.blocker === 'state';
  });
  const endsService = next.phase !== 'none' && IN_SERVICE_PHASES.includes(next.phase);
  if (actions.length === 0) return null;
  const run = (action: ReferralAction) => {
    setRefusal(undefined);
    const dateProblem =
      action === 'start' ? startDateProblem(startDate, referral, new Date(), tz) : undefined;
    if (dateProblem) {
      setRefusal(dateProblem);
      return;
    }
    try {
      planTransition(referral, action, user, { at: at(action), reason });
    } catch (err) {
      setRefusal(err instanceof Error ? err.message : String(err));
      return;
    }
    change.mutate(action);
  };
  const conflict = change.error instanceof ReferralConflictError ? change.error.current : undefined;
  return (
    <div className="referral-actions no-print">
      {change.isError && (
        <Alert title="The referral was not changed" error={change.error}>
          {conflict && (
            <p>
              It is now: {PHASE_LABEL[episodeStatusOf(conflict.status, conflict.stage)]}
              {conflict.statusReason && ` (${conflict.statusReason})`}. Check it, then choose again.
            </p>
          )}
        </Alert>
      )}
      {pending ? (
        <div className="reason-step">
          {pending === 'cancel' && endsService && (
            <p id={`${id}-ends`} className="alert alert-warning">
              Cancelling ends this family’s FST services now: the referral is cancelled, its order revoked,
              and no discharge plan is written. To end services with the family, plan the discharge instead.
            </p>
          )}
          {pending === 'hold' && (
            <p id={`${id}-hold`} className="muted">
              While on hold, the weekly caregiver and provider contacts are not required (a contact made still
              counts); they resume with services. The continuing-stay review stays due.
            </p>
          )}
          {pending === 'start' ? (
            <>
              <label htmlFor={`${id}-start`}>Date of the first session</label>
              <input
                id={`${id}-start`}
                type="date"
                autoFocus
                value={startDate}
                onChange={(e) => setStartDate(e.target.value)}
                aria-describedby={refusal ? `${id}-refusal` : `${id}-start-hint`}
              />
              <p id={`${id}-start-hint`} className="muted">
                The first face-to-face or telehealth session: the 14-day clock is met on this day.
              </p>
            </>
          ) : (
            <>
              <label htmlFor={`${id}-reason`}>Reason ({TRANSITIONS[pending].label.toLowerCase()})</label>
              <input
                id={`${id}-reason`}
                // The step asks for the reason: the keyboard is put there (it appeared on the user's request).
                autoFocus
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                aria-describedby={
                  [
                    refusal && `${id}-refusal`,
                    pending === 'cancel' && endsService && `${id}-ends`,
                    pending === 'hold' && `${id}-hold`,
                  ]
                    .filter(Boolean)
                    .join(' ') || undefined
                }
              />
            </>
          )}
          {refusal && (
            <p id={`${id}-refusal`} className="field-error">
              {refusal}
            </p>
          )}
          <div className="actions">
            <button type="button" disabled={change.isPending} onClick={() => run(pending)}>
              {pending === 'cancel' && endsService ? 'Cancel and end services' : TRANSITIONS[pending].label}
            </button>
            <button type="button" className="secondary" onClick={() => setPending(undefined)}>
              Back
            </button>
          </div>
        </div>
      ) : (
        <div className="actions" role="group" aria-label="Referral actions">
          {actions.map((action) => {
            const step = next.steps[action];
            const why = step.allowed ? undefined : step.reason;
            return (
              <span key={action} className="action-with-reason">
                <button
                  type="button"
                  className={action === 'decline' || action === 'cancel' ? 'secondary' : undefined}
                  disabled={change.isPending || why !== undefined}
                  aria-describedby={why ? `${id}-${action}-why` : undefined}
                  onClick={() =>
                    TRANSITIONS[action].reasonRequired || action === 'start'
                      ? setPending(action)
                      : run(action)
                  }
                >
                  {TRANSITIONS[action].label}
                </button>
                {why && (
                  <span id={`${id}-${action}-why`} className="muted">
                    {' '}
                    {why}
                  </span>
                )}
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}
