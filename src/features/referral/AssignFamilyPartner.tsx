import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Bundle } from 'fhir/r4';
import type { Referral } from '../../domain/model';
import type { AppUser } from '../../domain/permissions';
import { isPersonReference, transfers } from '../../domain/referral';
import type { PlannedAssignment } from '../../domain/referralTransitions';
import { isTransfer, planAssignment } from '../../domain/referralTransitions';
import { overrideReasonRequired, rankFamilyPartners } from '../../domain/matching';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { fhirRequest } from '../../fhir/http';
import { storeReferral } from '../../fhir/invalidation';
import { fhirKeys } from '../../fhir/queryKeys';
import { assignFamilyPartner } from '../../fhir/referrals';
import type { FamilyPartner } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { Alert } from '../../ui/Alert';
import { languageName } from '../../ui/language';

/**
 * Open referrals each Family Partner owns, when the sign-in may count them (user-level Task search);
 * a launch for one youth cannot see the others' caseloads, and says so instead of guessing.
 */
function useCaseloadCounts(partners: FamilyPartner[]) {
  const session = useSession();
  const canCount = session.scopes.allows('Task', 's', 'user');
  return useQuery({
    queryKey: [...fhirKeys.server(session.serverUrl), 'Task', 'open-by-owner'],
    enabled: canCount && partners.length > 0,
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const owners = partners.map((p) => p.roleReference).join(',');
      const bundle = (
        await fhirRequest<Bundle>(
          session.transport,
          `Task?code=fulfill&status=accepted,in-progress,on-hold&owner=${encodeURIComponent(owners)}&_elements=owner&_count=1000`,
          { signal },
        )
      ).body;
      const counts = new Map<string, number>();
      for (const e of bundle.entry ?? []) {
        const owner = (e.resource as { owner?: { reference?: string } } | undefined)?.owner?.reference;
        if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
      }
      return counts;
    },
  });
}

/**
 * The supervisor's choice of Family Partner, the best match first, each with the reason (seed 000 process 7).
 * Another choice than the first takes a reason, kept on the referral. Once a Family Partner serves the family
 * the panel starts on her, marked as the one assigned now; moving the family to another (a transfer) asks why
 * and is confirmed in a second step, and the confirmation is read from the written Task.
 */
export function AssignFamilyPartner({
  referral,
  partners,
  caregiverLanguages,
  user,
}: {
  referral: Referral;
  partners: FamilyPartner[];
  caregiverLanguages: string[];
  /** The signed-in user: who moves the family, and who chose when the choice is not the best match. */
  user: AppUser;
}) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const id = useId();
  const counts = useCaseloadCounts(partners);
  const preferences = referral.request?.matchPreferences;
  const capacity = session.ehr.familyPartnerCapacity;
  const ranked = useMemo(
    () =>
      rankFamilyPartners(
        caregiverLanguages,
        partners.map((p) => ({
          roleReference: p.roleReference,
          name: p.name,
          languages: p.languages,
          caseload: counts.data?.get(p.roleReference) ?? 0,
          capacity,
          livedExperience: p.livedExperience,
          cultures: p.cultures,
        })),
        languageName,
        preferences,
      ),
    [caregiverLanguages, partners, counts.data, capacity, preferences],
  );
  const current = referral.ownerReference;
  const currentName = partners.find((p) => p.roleReference === current)?.name;
  const [choice, setChoice] = useState('');
  const [reason, setReason] = useState('');
  const [transferReason, setTransferReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const confirmation = useRef<HTMLParagraphElement>(null);
  const assign = useMutation({
    mutationFn: ({
      planned,
      override,
    }: {
      planned: PlannedAssignment;
      override?: { suggested: string; reason: string };
    }) =>
      assignFamilyPartner(
        session.transport,
        caps,
        referral,
        planned,
        override && { ...override, by: user.references[0] },
      ),
    onSuccess: (updated) => {
      setReason('');
      setTransferReason('');
      setConfirming(false);
      setChoice('');
      // Said from what the server wrote: its owner and its last history entry.
      const entry = transfers(updated).at(-1);
      const name =
        partners.find((p) => p.roleReference === updated.ownerReference)?.name ?? 'the Family Partner';
      setDone(
        entry?.from && isPersonReference(entry.from)
          ? `Moved to ${name}; the move is in the status history.`
          : `Assigned to ${name}.`,
      );
      return storeReferral(queryClient, session.serverUrl, patientId, updated);
    },
  });
  useEffect(() => {
    if (done) confirmation.current?.focus();
  }, [done]);
  if (partners.length === 0) return <p className="muted">No Family Partner is on record to assign.</p>;
  const isCurrent = (ref: string) => ref === current;
  const selected =
    choice || (isPersonReference(current) ? current : ranked[0]?.candidate.roleReference) || '';
  const moving = isTransfer(referral, selected);
  const needsReason = !isCurrent(selected) && overrideReasonRequired(ranked, selected);
  const selectedName = ranked.find((s) => s.candidate.roleReference === selected)?.candidate.name ?? selected;
  const plan = () =>
    planAssignment(referral, selected, user, {
      at: new Date(),
      now: new Date(),
      reason: moving ? transferReason : undefined,
    });
  const submit = () => {
    setDone(undefined);
    if (needsReason && !reason.trim()) {
      setProblem('Say why: the reason is kept on the referral (seed 000 process 7).');
      return;
    }
    if (moving && !confirming) {
      // A move asks why and is confirmed in a second step: never one press.
      setProblem(undefined);
      setConfirming(true);
      return;
    }
    let planned: PlannedAssignment;
    try {
      planned = plan();
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
      return;
    }
    setProblem(undefined);
    assign.mutate({
      planned,
      override: needsReason
        ? { suggested: ranked[0].candidate.roleReference, reason: reason.trim() }
        : undefined,
    });
  };
  return (
    <div className="assign no-print">
      {assign.isError && (
        <Alert
          title={moving ? 'The family was not moved' : 'The Family Partner was not assigned'}
          error={assign.error}
        />
      )}
      <p role="status" className="step-message" tabIndex={-1} ref={confirmation}>
        {done}
      </p>
      <label htmlFor={`${id}-fp`}>Family Partner</label>
      <p id={`${id}-how`} className="muted">
        {currentName && (
          <>
            Assigned now: <bdi>{currentName}</bdi>.{' '}
          </>
        )}
        Those with room in their caseload first, then by the caregiver’s language, a culture they share, then
        the lived experience the caregiver asked for. Each serves at most {capacity} families.
        {preferences?.culture && (
          <>
            {' '}
            The caregiver’s culture or community: <bdi>{preferences.culture}</bdi>.
          </>
        )}
        {preferences?.ethnicity && (
          <>
            {' '}
            Ethnicity: <bdi>{preferences.ethnicity}</bdi>.
          </>
        )}
        {preferences?.strengths && (
          <>
            {' '}
            The caregiver’s strengths: <bdi>{preferences.strengths}</bdi>.
          </>
        )}
      </p>
      <select
        id={`${id}-fp`}
        value={selected}
        aria-describedby={`${id}-how`}
        disabled={confirming}
        onChange={(e) => {
          setChoice(e.target.value);
          setDone(undefined);
        }}
      >
        {ranked.map((s) => (
          // No isolation marks (U+2068/2069): they travelled into the accessible name and copied text.
          <option key={s.candidate.roleReference} value={s.candidate.roleReference}>
            {s.candidate.name}
            {isCurrent(s.candidate.roleReference) ? ' (assigned now)' : ''} —{' '}
            {counts.data ? s.why : s.why.replace(/ · [^·]*$/, ' · caseload not visible from this launch')}
          </option>
        ))}
      </select>
      {needsReason && (
        <label>
          Why this Family Partner rather than the best match?
          <textarea
            value={reason}
            aria-invalid={problem !== undefined && !reason.trim() ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      )}
      {confirming && (
        <div className="reason-step" role="group" aria-label="Confirm the move">
          <p id={`${id}-move`}>
            Move this family from <bdi>{currentName ?? current}</bdi> to <bdi>{selectedName}</bdi>? From then
            on only <bdi>{selectedName}</bdi> (and FST supervisors) write to its record; the move is kept in
            the status history.
          </p>
          <label htmlFor={`${id}-why`}>Why the family moves</label>
          <input
            id={`${id}-why`}
            autoFocus
            value={transferReason}
            aria-describedby={[`${id}-move`, problem && `${id}-problem`].filter(Boolean).join(' ')}
            onChange={(e) => setTransferReason(e.target.value)}
          />
        </div>
      )}
      {problem && (
        <p id={`${id}-problem`} role="alert" className="field-error">
          {problem}
        </p>
      )}
      {confirming ? (
        <p className="form-actions">
          <button type="button" disabled={assign.isPending} onClick={submit}>
            Confirm move to {selectedName}
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              setConfirming(false);
              setProblem(undefined);
              setChoice('');
            }}
          >
            Keep with {currentName ?? 'the current Family Partner'}
          </button>
        </p>
      ) : (
        <button
          type="button"
          disabled={assign.isPending || !selected || isCurrent(selected)}
          onClick={submit}
        >
          {moving ? `Move to ${selectedName}…` : 'Assign'}
        </button>
      )}
    </div>
  );
}
