import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Referral } from '../../domain/model';
import type { AppUser } from '../../domain/permissions';
import { duplicateCancelReason, duplicateOpenReferrals } from '../../domain/episodeRules';
import { PHASE_LABEL, phaseOf } from '../../domain/referral';
import { canTransition, planTransition } from '../../domain/referralTransitions';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';
import { formatDate } from '../../ui/format';

/**
 * Two open FST referrals for one youth that reached the EHR around the app (issue 35): both are shown, with who
 * sent each and when, and whoever may cancel (the FST supervisor) keeps one — the others are cancelled with a
 * reason naming the one kept, each through the transition table and the server's guard. What is said after is
 * what the server wrote.
 */
export function DuplicateReferrals({
  referrals,
  user,
  nameOf,
  timeZone,
}: {
  /** The youth's referrals, as read. */
  referrals: readonly Referral[];
  user: AppUser;
  nameOf: (reference: string | undefined) => string;
  timeZone: string;
}) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string>();
  const open = duplicateOpenReferrals(referrals);
  const who = (r: Referral) => (r.requesterReference ? nameOf(r.requesterReference) : 'someone outside FST');
  const keep = useMutation({
    mutationFn: async (kept: Referral) => {
      const { applyTransition } = await import('../../fhir/referrals');
      const written: Referral[] = [];
      for (const other of open.filter((r) => r.id !== kept.id)) {
        const at = new Date();
        const planned = planTransition(other, 'cancel', user, {
          at,
          now: at,
          reason: duplicateCancelReason(kept, who(kept)),
        });
        written.push(await applyTransition(session.transport, caps, other, planned));
      }
      return { kept, written };
    },
    onSuccess: ({ kept, written }) =>
      setSaved(
        `Kept Task/${kept.id}. ` +
          written.map((r) => `Task/${r.id}: ${PHASE_LABEL[phaseOf(r)].toLowerCase()}.`).join(' '),
      ),
    onSettled: () => invalidateAfterWrite(queryClient, 'Task', session.serverUrl, patientId),
  });
  const mayCancel = open.every((r) => canTransition(r, 'cancel', user).allowed);
  // After the cancel the duplicates are gone from the read; what was written stays said.
  const announcement = (
    <p role="status" className="step-message">
      {saved}
    </p>
  );
  if (open.length === 0) return announcement;
  return (
    <>
      <Alert title={`${open.length} open FST referrals for this youth`} tone="warning">
        <p>
          Only one can be worked. They reached the chart separately (one youth has one open referral); keep
          one, and the others are cancelled as duplicates of it.
        </p>
        <ul className="plain duplicate-referrals">
          {open.map((r) => (
            <li key={r.id}>
              Task/{r.id} · {PHASE_LABEL[phaseOf(r)]} · sent by <bdi>{who(r)}</bdi> on{' '}
              {formatDate(r.authoredOn, timeZone)}
              {r.request?.reason && <> · “{r.request.reason}”</>}{' '}
              {mayCancel && (
                <button type="button" disabled={keep.isPending} onClick={() => keep.mutate(r)}>
                  Keep this one, cancel the other{open.length > 2 ? 's' : ''}
                </button>
              )}
            </li>
          ))}
        </ul>
        {!mayCancel && <p>An FST supervisor can keep one and cancel the others; ask them.</p>}
        {keep.isError && <Alert title="The duplicates were not cancelled" error={keep.error} />}
      </Alert>
      {announcement}
    </>
  );
}
