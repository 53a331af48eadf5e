import { useId, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Bundle } from 'fhir/r4';
import type { Referral } from '../../domain/model';
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
 * Another choice than the first takes a reason, kept on the referral.
 */
export function AssignFamilyPartner({
  referral,
  partners,
  caregiverLanguages,
  me,
}: {
  referral: Referral;
  partners: FamilyPartner[];
  caregiverLanguages: string[];
  /** The signed-in user's reference: who chose, when the choice is not the best match. */
  me?: string;
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
  const [choice, setChoice] = useState('');
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const assign = useMutation({
    mutationFn: ({
      roleReference,
      override,
    }: {
      roleReference: string;
      override?: { suggested: string; reason: string };
    }) =>
      assignFamilyPartner(
        session.transport,
        caps,
        referral,
        roleReference,
        new Date(),
        override && { ...override, by: me },
      ),
    onSuccess: (updated) => {
      setReason('');
      return storeReferral(queryClient, session.serverUrl, patientId, updated);
    },
  });
  if (partners.length === 0) return <p className="muted">No Family Partner is on record to assign.</p>;
  const selected = choice || ranked[0]?.candidate.roleReference || '';
  const needsReason = overrideReasonRequired(ranked, selected);
  const submit = () => {
    if (needsReason && !reason.trim()) {
      setMissingReason(true);
      return;
    }
    setMissingReason(false);
    assign.mutate({
      roleReference: selected,
      override: needsReason
        ? { suggested: ranked[0].candidate.roleReference, reason: reason.trim() }
        : undefined,
    });
  };
  return (
    <div className="assign no-print">
      {assign.isError && <Alert title="The Family Partner was not assigned" error={assign.error} />}
      <label htmlFor={`${id}-fp`}>Family Partner</label>
      <p id={`${id}-how`} className="muted">
        Those with room in their caseload first, then by the caregiver’s language, a culture they share, then
        the lived experience the caregiver asked for (families of maximum).
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
        onChange={(e) => setChoice(e.target.value)}
      >
        {ranked.map((s) => (
          // No isolation marks (U+2068/2069): they travelled into the accessible name and copied text.
          <option key={s.candidate.roleReference} value={s.candidate.roleReference}>
            {s.candidate.name} —{' '}
            {counts.data ? s.why : s.why.replace(/ · [^·]*$/, ' · caseload not visible from this launch')}
          </option>
        ))}
      </select>
      {needsReason && (
        <label>
          Why this Family Partner rather than the best match?
          <textarea
            value={reason}
            aria-invalid={missingReason || undefined}
            aria-describedby={missingReason ? `${id}-reason-error` : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {missingReason && (
            <span id={`${id}-reason-error`} role="alert" className="field-error">
              Say why: the reason is kept on the referral (seed 000 process 7).
            </span>
          )}
        </label>
      )}
      <button type="button" disabled={assign.isPending || !selected} onClick={submit}>
        Assign
      </button>
    </div>
  );
}
