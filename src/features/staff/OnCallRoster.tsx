/**
 * The on-call roster (seed 000 staffing 9): each licensed clinician's weekly on-call hours, kept by the
 * supervisors on the clinician's Practitioner; read-only for everyone else who sees the staff page. The
 * caseload flags the caregiver services delivered outside these hours (src/domain/onCall.ts).
 */
import { useId, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../app/SessionContext';
import type { Weekday } from '../../domain/calendar';
import type { OnCallHours } from '../../domain/onCall';
import { hoursLabel, onCallHoursProblems, WEEKDAY_SHORT } from '../../domain/onCall';
import { invalidateStaffRecords } from '../../fhir/invalidation';
import type { StaffCompliance } from '../../fhir/staff';
import { saveOnCallHours } from '../../fhir/staff';
import { Alert } from '../../ui/Alert';
import { ErrorSummary, fieldErrors } from '../../ui/FormErrors';
import type { FieldProblem } from '../../ui/FormErrors';
import { Field } from '../../ui/Field';
import { FormActions } from '../../ui/FormActions';

type RosterField = 'clinician' | 'days' | 'start' | 'end';
const FIELD_LABEL: Record<RosterField, string> = {
  clinician: 'Licensed clinician',
  days: 'Days',
  start: 'From',
  end: 'Until',
};
/** Monday first, as a rota is read. */
const WEEK: Weekday[] = [1, 2, 3, 4, 5, 6, 0];

export function OnCallRoster({
  data,
  keeps,
}: {
  data: StaffCompliance;
  /** The signed-in user keeps the staff records (a supervisor): they may change the roster. */
  keeps: boolean;
}) {
  const session = useSession();
  const queryClient = useQueryClient();
  const id = useId();
  const [clinician, setClinician] = useState(data.onCall.length === 1 ? data.onCall[0].reference : '');
  const [days, setDays] = useState<Weekday[]>([]);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [problems, setProblems] = useState<FieldProblem<RosterField>[]>([]);
  const [saved, setSaved] = useState('');
  const summary = useRef<HTMLDivElement>(null);
  const fieldId = (f: RosterField) => `${id}-${f}`;
  const { error, described } = fieldErrors(problems, fieldId);

  const save = useMutation({
    mutationFn: ({ reference, hours }: { reference: string; hours: OnCallHours[] }) => {
      const target = data.onCall.find((c) => c.reference === reference);
      if (!target) throw new Error('Choose the licensed clinician.');
      return saveOnCallHours(session.transport, target, hours);
    },
    onSuccess: async (_, { reference }) => {
      await invalidateStaffRecords(queryClient, session.serverUrl);
      setSaved(`On-call hours saved for ${data.onCall.find((c) => c.reference === reference)?.name ?? ''}.`);
      setDays([]);
      setStart('');
      setEnd('');
    },
  });

  // A time input cannot say 24:00: an end of 00:00 means midnight at the end of the day.
  const endOfDay = (hhmm: string) => (hhmm === '00:00' ? '24:00' : hhmm);

  return (
    <section className="card wide" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>On-call licensed clinicians</h2>
      <p className="muted">
        A clinician licensed at the independent practice level is on call during business hours and whenever
        Family Partners serve caregivers, evenings and weekends included (staffing 9). The caseload shows the
        services delivered outside these hours.
      </p>
      {save.isError && <Alert title="The roster was not changed" error={save.error} />}
      <p role="status">{saved}</p>
      {data.onCall.length === 0 ? (
        <p>No licensed clinician (FST supervisor role) is listed for the agency.</p>
      ) : (
        <ul className="plain" aria-label="On-call roster">
          {data.onCall.map((c) => (
            <li key={c.reference}>
              <bdi>{c.name}</bdi>
              {c.hours.length === 0 ? (
                <>
                  : <span className="flag">no on-call hours recorded</span>
                </>
              ) : (
                <ul aria-label={`On-call hours of ${c.name}`}>
                  {c.hours.map((h, i) => (
                    <li key={hoursLabel(h)}>
                      {hoursLabel(h)}
                      {keeps && (
                        <>
                          {' '}
                          <button
                            type="button"
                            className="secondary"
                            disabled={save.isPending}
                            aria-label={`Remove ${hoursLabel(h)} from ${c.name}`}
                            onClick={() =>
                              save.mutate({
                                reference: c.reference,
                                hours: c.hours.filter((_, j) => j !== i),
                              })
                            }
                          >
                            Remove
                          </button>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {keeps && data.onCall.length > 0 && (
        <form
          aria-labelledby={`${id}-add`}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const hours = { days, start, end: endOfDay(end) };
            const found: FieldProblem<RosterField>[] = [
              ...(clinician
                ? []
                : [{ field: 'clinician' as const, message: 'Choose the licensed clinician.' }]),
              ...onCallHoursProblems(hours),
            ];
            setProblems(found);
            setSaved('');
            const target = data.onCall.find((c) => c.reference === clinician);
            if (found.length || !target) requestAnimationFrame(() => summary.current?.focus());
            else save.mutate({ reference: target.reference, hours: [...target.hours, hours] });
          }}
        >
          <h3 id={`${id}-add`}>Add on-call hours</h3>
          <ErrorSummary problems={problems} labels={FIELD_LABEL} fieldId={fieldId} focusRef={summary} />
          <div className="form-grid">
            <Field label={FIELD_LABEL.clinician} id={fieldId('clinician')} error={error('clinician')}>
              <select
                id={fieldId('clinician')}
                aria-describedby={described('clinician')}
                value={clinician}
                onChange={(e) => setClinician(e.target.value)}
              >
                <option value="">Choose…</option>
                {data.onCall.map((c) => (
                  <option key={c.reference} value={c.reference}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={FIELD_LABEL.start} id={fieldId('start')} error={error('start')}>
              <input
                id={fieldId('start')}
                type="time"
                aria-describedby={described('start')}
                value={start}
                onChange={(e) => setStart(e.target.value)}
              />
            </Field>
            <Field label={FIELD_LABEL.end} id={fieldId('end')} error={error('end')}>
              <input
                id={fieldId('end')}
                type="time"
                aria-describedby={described('end')}
                value={end}
                onChange={(e) => setEnd(e.target.value)}
              />
            </Field>
          </div>
          <fieldset id={fieldId('days')} tabIndex={-1} aria-describedby={described('days')}>
            <legend>{FIELD_LABEL.days}</legend>
            {error('days')}
            {WEEK.map((d) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={(e) =>
                    setDays((now) => (e.target.checked ? [...now, d] : now.filter((x) => x !== d)))
                  }
                />
                {WEEKDAY_SHORT[d]}
              </label>
            ))}
          </fieldset>
          <p className="muted">An end of 00:00 means midnight. Split an overnight shift at midnight.</p>
          <FormActions label="Add hours" pending={save.isPending} />
        </form>
      )}
    </section>
  );
}
