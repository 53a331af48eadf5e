/**
 * One of the agency's own outcome instruments (config.json `instruments`), filled in with the caregiver and
 * saved as a QuestionnaireResponse (src/fhir/mappers/instrument.ts). What is typed is kept as a draft until saved.
 */
import { useId, useRef, useState } from 'react';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { appUserOf } from '../../app/useSignedInUser';
import type { AgencyInstrument, InstrumentAnswers, InstrumentItem } from '../../domain/instruments';
import { instrumentAnswerProblems } from '../../domain/instruments';
import { currentReferral } from '../../domain/referral';
import { instrumentResponse, parseInstrument } from '../../fhir/mappers/instrument';
import type { Workspace } from '../../fhir/workspace';
import { Alert } from '../../ui/Alert';
import { ErrorSummary, fieldErrors } from '../../ui/FormErrors';
import type { FieldProblem } from '../../ui/FormErrors';
import { FormActions } from '../../ui/FormActions';
import { SaveFailed } from '../../ui/SaveFailed';
import { draftKey, useFormDraft } from '../../ui/drafts';
import { useSaveResponse } from './useSaveResponse';

export function InstrumentForm({ ws, index }: { ws: Workspace; index: number }) {
  const session = useSession();
  const configured = session.ehr.instruments[index];
  const parsed = configured ? parseInstrument(configured) : undefined;
  if (!parsed)
    return <Alert title="No such instrument">This agency has no instrument at this address.</Alert>;
  if (!parsed.ok)
    return (
      <Alert title="This instrument cannot be filled in here">
        The agency’s Questionnaire cannot be shown: {parsed.reason}.
      </Alert>
    );
  return <Filled ws={ws} instrument={parsed.value} />;
}

function Filled({ ws, instrument }: { ws: Workspace; instrument: AgencyInstrument }) {
  const session = useSession();
  const patientId = usePatientId();
  const id = useId();
  const me = appUserOf(session, ws.user).references[0] ?? '';
  const saved = useFormDraft(draftKey(`instrument-${instrument.url}`, session.serverUrl, me, patientId));
  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [answers, setAnswers] = saved.useField<InstrumentAnswers>('answers', {});
  const [problems, setProblems] = useState<FieldProblem<string>[]>([]);
  const summary = useRef<HTMLDivElement>(null);
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  const fieldId = (linkId: string) => `${id}-${linkId}`;
  const { error, described } = fieldErrors(problems, fieldId);
  const labels = Object.fromEntries(instrument.items.map((i) => [i.linkId, i.text]));
  const save = useSaveResponse(
    () =>
      instrumentResponse(instrument, answers, {
        requestId,
        patientId,
        serviceRequestId: referral?.serviceRequestId,
        by: me,
        at: new Date(),
      }),
    requestId,
    saved.clear,
  );
  const set = (linkId: string, value: InstrumentAnswers[string]) =>
    setAnswers({ ...answers, [linkId]: value });
  const field = (item: InstrumentItem) => {
    const a = answers[item.linkId];
    const common = { id: fieldId(item.linkId), 'aria-describedby': described(item.linkId) };
    switch (item.type) {
      case 'boolean':
        return (
          <div className="checks-inline" role="radiogroup" aria-labelledby={`${fieldId(item.linkId)}-label`}>
            {[true, false].map((v) => (
              <label key={String(v)} className="check inline">
                <input
                  type="radio"
                  name={fieldId(item.linkId)}
                  checked={a === v}
                  onChange={() => set(item.linkId, v)}
                />
                {v ? 'Yes' : 'No'}
              </label>
            ))}
          </div>
        );
      case 'choice':
        return (
          <div className="checks-inline" role="radiogroup" aria-labelledby={`${fieldId(item.linkId)}-label`}>
            {item.options.map((o) => (
              <label key={o.value} className="check inline">
                <input
                  type="radio"
                  name={fieldId(item.linkId)}
                  checked={a === o.value}
                  onChange={() => set(item.linkId, o.value)}
                />
                {o.label}
              </label>
            ))}
          </div>
        );
      case 'integer':
      case 'decimal':
        return (
          <input
            {...common}
            inputMode={item.type === 'integer' ? 'numeric' : 'decimal'}
            value={a === undefined ? '' : String(a)}
            onChange={(e) =>
              set(item.linkId, e.target.value.trim() === '' ? undefined : Number(e.target.value))
            }
          />
        );
      case 'date':
        return (
          <input
            {...common}
            type="date"
            value={String(a ?? '')}
            onChange={(e) => set(item.linkId, e.target.value)}
          />
        );
      case 'text':
        return (
          <textarea
            {...common}
            rows={3}
            value={String(a ?? '')}
            onChange={(e) => set(item.linkId, e.target.value)}
          />
        );
      default:
        return (
          <input {...common} value={String(a ?? '')} onChange={(e) => set(item.linkId, e.target.value)} />
        );
    }
  };
  return (
    <form
      className="card wide contact-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const found = instrumentAnswerProblems(instrument, answers);
        setProblems(found);
        if (found.length) requestAnimationFrame(() => summary.current?.focus());
        else save.mutate();
      }}
    >
      <h2 id={`${id}-title`}>{instrument.title}</h2>
      <ErrorSummary problems={problems} labels={labels} fieldId={fieldId} focusRef={summary} />
      {save.isError && (
        <SaveFailed title="The answers were not saved" error={save.error} saveLabel="Save answers" />
      )}
      {instrument.items.map((item) =>
        item.type === 'display' ? (
          <p key={item.linkId}>{item.text}</p>
        ) : (
          <div key={item.linkId} className="field block">
            <span id={`${fieldId(item.linkId)}-label`}>
              {item.type === 'boolean' || item.type === 'choice' ? (
                item.text
              ) : (
                <label htmlFor={fieldId(item.linkId)}>{item.text}</label>
              )}
              {item.required && <span className="muted"> (required)</span>}
            </span>
            {error(item.linkId)}
            {field(item)}
          </div>
        ),
      )}
      <FormActions label="Save answers" pending={save.isPending} cancelHref="/" onCancel={saved.clear} />
    </form>
  );
}
