/**
 * Step 1 of the discharge wizard, the plan (seed 000 discharge): the reason, the discharge-planning meeting
 * (or, for a family that stopped without notice, the outreach tried), the criteria, each goal's outcome,
 * what sustains the gains, the last date of service and who receives the plan.
 */
import { formerLabel } from '../../domain/caregivers';
import { useId } from 'react';
import { civilFromIso, civilLabel } from '../../domain/calendar';
import type { DischargeCriterion, DischargeReason, GoalOutcome } from '../../domain/discharge';
import {
  DISCHARGE_CRITERIA,
  DISCHARGE_REASONS,
  GOAL_OUTCOMES,
  MIN_OUTREACH,
  NOT_KNOWN_WITHOUT_NOTICE,
  outreachAttempts,
  stoppedWithoutNotice,
} from '../../domain/discharge';
import { Field } from '../../ui/Field';
import { METHOD_LABEL } from '../../ui/labels';
import type { DischargeSetting } from './dischargeSetting';
import type { StepProps } from './stepProps';

export function PlanStep({ draft, set, setting, fieldId, error, described }: StepProps) {
  const id = useId();
  const noNotice = stoppedWithoutNotice(draft);
  return (
    <>
      <fieldset id={fieldId('reason')} aria-describedby={described('reason')}>
        <legend>Reason for discharge</legend>
        {error('reason')}
        {(Object.keys(DISCHARGE_REASONS) as DischargeReason[]).map((r) => (
          <label key={r} className="check">
            <input
              type="radio"
              name={`${id}-reason`}
              checked={draft.reason === r}
              onChange={() => set({ reason: r })}
            />
            {DISCHARGE_REASONS[r]}
          </label>
        ))}
      </fieldset>
      {noNotice ? (
        <Outreach
          setting={setting}
          draft={draft}
          set={set}
          fieldId={fieldId}
          error={error}
          described={described}
        />
      ) : (
        <fieldset>
          <legend>Discharge-planning meeting</legend>
          <div className="form-grid">
            <Field label="Meeting date" id={fieldId('meetingDate')} error={error('meetingDate')}>
              <input
                id={fieldId('meetingDate')}
                type="date"
                max={setting.ctx.today}
                value={draft.meetingDate}
                aria-describedby={described('meetingDate')}
                onChange={(e) => set({ meetingDate: e.target.value })}
              />
            </Field>
            <Field label="Participants" id={fieldId('participants')} error={error('participants')}>
              <input
                id={fieldId('participants')}
                value={draft.participants}
                aria-describedby={described('participants')}
                onChange={(e) => set({ participants: e.target.value })}
              />
            </Field>
          </div>
        </fieldset>
      )}
      <fieldset id={fieldId('criteria')} aria-describedby={described('criteria')}>
        <legend>Discharge criteria (A, and at least one of B to E)</legend>
        {error('criteria')}
        {/* C is the family's own request (seed 004 §V C): not offered for a family that stopped without notice. */}
        {(Object.keys(DISCHARGE_CRITERIA) as DischargeCriterion[])
          .filter((c) => !(noNotice && c === 'C' && !draft.criteria.C))
          .map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={draft.criteria[c]}
                onChange={(e) => set({ criteria: { ...draft.criteria, [c]: e.target.checked } })}
              />
              {c}. {DISCHARGE_CRITERIA[c]}
            </label>
          ))}
      </fieldset>
      <fieldset id={fieldId('goalOutcomes')} aria-describedby={described('goalOutcomes')}>
        <legend>Outcome of each goal</legend>
        {error('goalOutcomes')}
        {setting.goals.length === 0 && <p>The plan has no goals on record.</p>}
        {setting.goals.map((g) => (
          <fieldset key={g.id} className="goal-outcome">
            <legend>
              <bdi>{g.description}</bdi>
            </legend>
            {(Object.keys(GOAL_OUTCOMES) as GoalOutcome[]).map((o) => (
              <label key={o} className="check inline">
                <input
                  type="radio"
                  name={`${id}-goal-${g.id}`}
                  checked={draft.goalOutcomes[g.id] === o}
                  onChange={() => set({ goalOutcomes: { ...draft.goalOutcomes, [g.id]: o } })}
                />
                {GOAL_OUTCOMES[o]}
              </label>
            ))}
          </fieldset>
        ))}
      </fieldset>
      <fieldset id={fieldId('sustain')} aria-describedby={described('sustain')}>
        <legend>To sustain the gains</legend>
        {error('sustain')}
        {(
          [
            ['strategies', 'Strategies'],
            ['supports', 'Supports'],
            ['servicesInPlace', 'Services in place'],
            ['resources', 'Resources (community resources, parent support groups, crisis contacts)'],
          ] as const
        ).map(([key, label]) => (
          <div key={key}>
            <label>
              {label}
              <textarea rows={2} value={draft[key]} onChange={(e) => set({ [key]: e.target.value })} />
            </label>
            {/* Seed 000 discharge 5 asks all four; for a family that stopped, "not known" is the answer. */}
            {noNotice && key !== 'resources' && draft[key].trim() !== NOT_KNOWN_WITHOUT_NOTICE && (
              <button type="button" className="link" onClick={() => set({ [key]: NOT_KNOWN_WITHOUT_NOTICE })}>
                Record “{NOT_KNOWN_WITHOUT_NOTICE}” ({label.toLowerCase()})
              </button>
            )}
          </div>
        ))}
        <Field label="Follow-up plan" id={fieldId('followUpPlan')} error={error('followUpPlan')}>
          <textarea
            id={fieldId('followUpPlan')}
            rows={3}
            value={draft.followUpPlan}
            aria-describedby={described('followUpPlan')}
            onChange={(e) => set({ followUpPlan: e.target.value })}
          />
        </Field>
      </fieldset>
      <div className="form-grid">
        <Field label="Last date of service" id={fieldId('lastServiceDate')} error={error('lastServiceDate')}>
          <input
            id={fieldId('lastServiceDate')}
            type="date"
            max={setting.ctx.today}
            value={draft.lastServiceDate}
            aria-describedby={described('lastServiceDate')}
            onChange={(e) => set({ lastServiceDate: e.target.value })}
          />
        </Field>
        <Field label="Caregiver who receives the plan" id={fieldId('caregiver')} error={error('caregiver')}>
          <select
            id={fieldId('caregiver')}
            value={draft.caregiverReference}
            aria-describedby={described('caregiver')}
            onChange={(e) => set({ caregiverReference: e.target.value })}
          >
            <option value="">Choose…</option>
            {setting.caregivers.map((c) => (
              <option key={c.reference} value={c.reference}>
                {c.name.full} ({c.relationship}
                {c.former ? `, ${formerLabel(c)}` : ''})
              </option>
            ))}
          </select>
        </Field>
      </div>
      {setting.others.length > 0 && (
        // Who receives the plan is the domain's (recipientsOf): the view only says who they are.
        <section aria-label="Who else receives the plan">
          <p>
            With the caregiver's consent the plan also goes to
            {setting.others.some((o) => o.kind === 'referring-provider') && (
              <>
                {' '}
                the referring provider: <bdi>{names(setting, 'referring-provider')}</bdi>
              </>
            )}
            {setting.others.some((o) => o.kind === 'care-planning-team') && (
              <>
                {setting.others.some((o) => o.kind === 'referring-provider') ? '; and ' : ' '}
                {setting.ctx.inIcc ? 'the Care Planning Team' : "the youth's treaters"}:{' '}
                <bdi>{names(setting, 'care-planning-team')}</bdi>
              </>
            )}
            . Without consent, it goes to the caregiver only.
          </p>
        </section>
      )}
    </>
  );
}

function names(s: DischargeSetting, kind: 'referring-provider' | 'care-planning-team'): string {
  return s.others
    .filter((o) => o.kind === kind)
    .map((o) => o.name)
    .join(', ');
}

/**
 * Seed 000 discharge 4: the tries to reach a family that stopped, from the contacts — every effort, documented:
 * at least two attempts by two methods, or (a supervisor) why fewer are enough.
 */
function Outreach({
  setting,
  draft,
  set,
  fieldId,
  error,
  described,
}: Pick<StepProps, 'setting' | 'draft' | 'set' | 'fieldId' | 'error' | 'described'>) {
  const headingId = useId();
  const attempts = draft.lastServiceDate
    ? outreachAttempts(setting.contacts, draft.lastServiceDate, setting.dayOf)
    : [];
  return (
    <section aria-labelledby={headingId} className="outreach" id={fieldId('outreach')}>
      <h4 id={headingId}>Outreach attempts since the last date of service</h4>
      <p className="muted">
        Every effort to reach the family: at least {MIN_OUTREACH} attempts, by {MIN_OUTREACH} different
        methods (a call, a letter, a visit…), each logged as a contact attempt. A supervisor's reason can
        stand for the second attempt, never for the first.
      </p>
      {error('outreach')}
      {attempts.length ? (
        <ul>
          {attempts.map((c) => (
            <li key={c.id}>
              {civilLabel(civilFromIso(setting.dayOf(c.sent)))}: {METHOD_LABEL[c.method]}, not reached
            </li>
          ))}
        </ul>
      ) : (
        <p>
          No outreach attempt is recorded. Try to reach the caregiver and log each attempt before closing.
        </p>
      )}
      {setting.ctx.mayWaiveOutreach && (
        <Field label="Why fewer attempts are enough (supervisor)" id={`${headingId}-fewer`} error={null}>
          <textarea
            id={`${headingId}-fewer`}
            rows={2}
            value={draft.fewerAttemptsReason ?? ''}
            aria-describedby={described('outreach')}
            onChange={(e) => set({ fewerAttemptsReason: e.target.value })}
          />
        </Field>
      )}
    </section>
  );
}
