/**
 * "Report incident" (seed 000 quality management 4): when, category, seriousness, what happened, what was
 * done at once, who was told and when. Saved as the report and a review Task for the FST supervisor.
 */
import { useId, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { saveOrQueue } from '../offline/outboxState';
import { useLocation } from 'wouter';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { appUserOf } from '../../app/useSignedInUser';
import { routes } from '../../app/routes';
import { instantOfWallClock, wallClockOf } from '../../domain/calendar';
import type {
  IncidentCategory,
  IncidentDraft,
  IncidentField,
  NotifiedParty,
  Seriousness,
} from '../../domain/incidents';
import {
  AUTHORITY_REPORT_HOURS,
  authorityReportRequired,
  INCIDENT_CATEGORY_LABEL,
  incidentProblems,
  NOTIFIED_LABEL,
} from '../../domain/incidents';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { reportIncident } from '../../fhir/incidents';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import type { Workspace } from '../../fhir/workspace';
import { SaveFailed } from '../../ui/SaveFailed';
import { FormActions } from '../../ui/FormActions';
import { draftKey, useFormDraft } from '../../ui/drafts';
import { ChoiceSelect } from '../../ui/ChoiceSelect';
import { Field } from '../../ui/Field';
import { DateTimeField } from '../../ui/DateTimeField';
import { ErrorSummary, fieldErrors } from '../../ui/FormErrors';
import type { FieldProblem } from '../../ui/FormErrors';

const FIELD_LABEL: Record<IncidentField, string> = {
  occurredAt: 'When',
  category: 'Category',
  seriousness: 'Seriousness',
  whatHappened: 'What happened',
  notifications: 'Who was notified',
};
const PARTIES = Object.keys(NOTIFIED_LABEL) as NotifiedParty[];

export function IncidentForm({ ws }: { ws: Workspace }) {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const id = useId();
  const tz = session.ehr.timeZone;
  const me = appUserOf(session, ws.user).references[0] ?? '';
  // What the user types is kept as a draft (reload, Back, an expired session) until it is saved.
  const saved = useFormDraft(draftKey('incident', session.serverUrl, me, patientId));
  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [when, setWhen] = saved.useField('when', () => wallClockOf(new Date(), tz));
  const [category, setCategory] = saved.useField<IncidentCategory | ''>('category', '');
  const [seriousness, setSeriousness] = saved.useField<Seriousness | undefined>('seriousness', undefined);
  const [whatHappened, setWhatHappened] = saved.useField('whatHappened', '');
  const [actions, setActions] = saved.useField('actions', '');
  const [told, setTold] = saved.useField<Partial<Record<NotifiedParty, { who: string; when: string }>>>(
    'told',
    {},
  );
  const [shown, setShown] = useState<FieldProblem<IncidentField>[]>([]);
  const summary = useRef<HTMLDivElement>(null);

  const draft: IncidentDraft = {
    requestId,
    patientId,
    occurredAt: instantOfWallClock(when, tz)?.toISOString() ?? '',
    category: category || undefined,
    seriousness,
    whatHappened,
    immediateActions: actions,
    notifications: PARTIES.flatMap((party) => {
      const t = told[party];
      return t ? [{ party, who: t.who, at: instantOfWallClock(t.when, tz)?.toISOString() ?? '' }] : [];
    }),
    recordedBy: me,
  };
  const save = useMutation({
    mutationFn: () => {
      const { category: c, seriousness: s } = draft;
      if (!c || !s) throw new Error('The report is incomplete.');
      const record = {
        draft: { ...draft, category: c, seriousness: s },
        reportedAt: new Date().toISOString(),
      };
      // Without a connection the report is kept on the device and sent later (issue 38); its review's
      // clock still runs from now.
      return saveOrQueue(session, patientId, 'incident', record, draft.requestId, () =>
        reportIncident(session.transport, caps, record.draft, new Date(record.reportedAt)),
      );
    },
    onSuccess: async (result) => {
      saved.clear();
      if (result !== 'queued')
        await invalidateAfterWrite(queryClient, ['AdverseEvent', 'Task'], session.serverUrl, patientId);
      navigate(`~${routes.overview(patientId)}`);
    },
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const problems = incidentProblems(draft, new Date());
    setShown(problems);
    if (problems.length) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    save.mutate();
  };
  const fieldId = (f: IncidentField) => `${id}-${f}`;
  const { error, described } = fieldErrors(shown, fieldId);
  const authority =
    draft.category && draft.seriousness
      ? authorityReportRequired({ category: draft.category, seriousness: draft.seriousness })
      : false;

  return (
    <form className="card wide contact-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h2 id={`${id}-title`}>Report incident</h2>
      <ErrorSummary problems={shown} labels={FIELD_LABEL} fieldId={fieldId} ref={summary} />
      {save.isError && (
        <SaveFailed title="The report was not saved" error={save.error} saveLabel="Save report" />
      )}
      <div className="form-grid">
        <DateTimeField
          label="When it happened"
          id={fieldId('occurredAt')}
          value={when}
          onChange={setWhen}
          timeZone={tz}
          error={error('occurredAt')}
          describedBy={described('occurredAt')}
        />
        <Field label="Category" id={fieldId('category')} error={error('category')}>
          <ChoiceSelect
            id={fieldId('category')}
            labels={INCIDENT_CATEGORY_LABEL}
            value={category}
            describedBy={described('category')}
            onChange={setCategory}
          />
        </Field>
      </div>
      <fieldset id={fieldId('seriousness')} aria-describedby={described('seriousness')}>
        <legend>Seriousness</legend>
        {error('seriousness')}
        <label className="check">
          <input
            type="radio"
            name={`${id}-serious`}
            checked={seriousness === 'serious'}
            onChange={() => setSeriousness('serious')}
          />
          Serious
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-serious`}
            checked={seriousness === 'non-serious'}
            onChange={() => setSeriousness('non-serious')}
          />
          Not serious
        </label>
      </fieldset>
      <Field label="What happened" id={fieldId('whatHappened')} error={error('whatHappened')}>
        <textarea
          id={fieldId('whatHappened')}
          rows={4}
          value={whatHappened}
          aria-describedby={described('whatHappened')}
          onChange={(e) => setWhatHappened(e.target.value)}
        />
      </Field>
      <label>
        Immediate actions
        <textarea rows={3} value={actions} onChange={(e) => setActions(e.target.value)} />
      </label>
      <fieldset id={fieldId('notifications')} aria-describedby={described('notifications')}>
        <legend>Who was notified, and when</legend>
        {error('notifications')}
        {authority && (
          <p className="alert alert-warning">
            This incident must be reported to the relevant authority (for abuse or neglect, a DCF 51A report)
            within {AUTHORITY_REPORT_HOURS} hours.
          </p>
        )}
        {PARTIES.map((party) => {
          const t = told[party];
          return (
            <div key={party} className="field">
              <label className="check">
                <input
                  type="checkbox"
                  checked={t !== undefined}
                  onChange={(e) =>
                    setTold((all) => ({
                      ...all,
                      [party]: e.target.checked ? { who: '', when: wallClockOf(new Date(), tz) } : undefined,
                    }))
                  }
                />
                {NOTIFIED_LABEL[party]}
              </label>
              {t && (
                <div className="form-grid">
                  <label>
                    Who ({NOTIFIED_LABEL[party].toLowerCase()})
                    <input
                      value={t.who}
                      onChange={(e) => setTold((all) => ({ ...all, [party]: { ...t, who: e.target.value } }))}
                    />
                  </label>
                  <DateTimeField
                    label={`When (${NOTIFIED_LABEL[party].toLowerCase()})`}
                    id={`${fieldId('notifications')}-${party}-when`}
                    value={t.when}
                    onChange={(when) => setTold((all) => ({ ...all, [party]: { ...t, when } }))}
                    timeZone={tz}
                  />
                </div>
              )}
            </div>
          );
        })}
      </fieldset>
      <FormActions label="Save report" pending={save.isPending} cancelHref="/" onCancel={saved.clear} />
    </form>
  );
}
