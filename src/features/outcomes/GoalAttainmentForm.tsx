/**
 * Goal attainment (seed 000 quality 2): each goal of the plan in force rated with the caregiver, 1 (not begun)
 * to 5 (achieved), at intake, at each continuing-stay review and at discharge. Every goal needs a rating; what
 * is chosen is kept as a draft until saved.
 */
import { useId } from 'react';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { appUserOf } from '../../app/useSignedInUser';
import type { Timepoint } from '../../domain/outcomes';
import { ATTAINMENT, nextTimepoint, TIMEPOINTS } from '../../domain/outcomes';
import { currentGoals, currentReferral } from '../../domain/referral';
import { attainmentResponse } from '../../fhir/mappers/outcome';
import type { Workspace } from '../../fhir/workspace';
import { FormActions } from '../../ui/FormActions';
import { SaveFailed } from '../../ui/SaveFailed';
import { draftKey, useFormDraft } from '../../ui/drafts';
import { useSaveResponse } from './useSaveResponse';

export function GoalAttainmentForm({ ws }: { ws: Workspace }) {
  const session = useSession();
  const patientId = usePatientId();
  const id = useId();
  const user = appUserOf(session, ws.user);
  const me = user.references[0] ?? '';
  const saved = useFormDraft(draftKey('goal-attainment', session.serverUrl, me, patientId));
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  const goals = currentGoals(ws.plans);
  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [timepoint, setTimepoint] = saved.useField<Timepoint>('timepoint', () =>
    referral?.stage === 'discharged' ? 'discharge' : nextTimepoint(ws.outcomes, referral?.serviceRequestId),
  );
  const [ratings, setRatings] = saved.useField<Record<string, number | undefined>>('ratings', {});
  const missing = goals.filter((g) => ratings[g.id] === undefined);

  const save = useSaveResponse(
    () =>
      attainmentResponse({
        patientId,
        serviceRequestId: referral?.serviceRequestId,
        by: me,
        at: new Date(),
        timepoint,
        ratings: goals.map((g) => ({ goalId: g.id, description: g.description, rating: ratings[g.id] ?? 0 })),
        requestId,
      }),
    requestId,
    saved.clear,
  );

  return (
    <form
      className="card wide contact-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (missing.length === 0 && goals.length > 0) save.mutate();
      }}
      noValidate
    >
      <h2 id={`${id}-title`}>Goal attainment</h2>
      {save.isError && (
        <SaveFailed title="The ratings were not saved" error={save.error} saveLabel="Save ratings" />
      )}
      <label className="field">
        When in the episode
        <select value={timepoint} onChange={(e) => setTimepoint(e.target.value as Timepoint)}>
          {(Object.keys(TIMEPOINTS) as Timepoint[]).map((t) => (
            <option key={t} value={t}>
              {TIMEPOINTS[t]}
            </option>
          ))}
        </select>
      </label>
      {goals.length === 0 && <p role="status">The plan in force has no goals to rate.</p>}
      {goals.map((g) => (
        <fieldset key={g.id} className="survey-item">
          <legend>
            <bdi>{g.description}</bdi>
          </legend>
          <div className="checks-inline">
            {ATTAINMENT.map((a) => (
              <label key={a.value} className="check inline">
                <input
                  type="radio"
                  name={`${id}-${g.id}`}
                  checked={ratings[g.id] === a.value}
                  onChange={() => setRatings({ ...ratings, [g.id]: a.value })}
                />
                {a.label}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      {missing.length > 0 && goals.length > 0 && (
        <p className="muted" role="status">
          Rate every goal to save: {missing.length} of {goals.length} still to rate.
        </p>
      )}
      <FormActions label="Save ratings" pending={save.isPending} cancelHref="/" onCancel={saved.clear} />
    </form>
  );
}
