/**
 * The satisfaction survey, answered by the caregiver herself: saved as her QuestionnaireResponse (author and
 * source = her RelatedPerson), with her request marked done, in one transaction; the thanks says what the
 * server then holds.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Task } from 'fhir/r4';
import { AGREEMENT, MIN_SURVEY_ANSWERS, SATISFACTION_ITEMS, SURVEY_TEXT } from '../domain/outcomes';
import { completedRequest, parseCaregiverRequest } from '../fhir/mappers/caregiverRequest';
import { surveyResponse } from '../fhir/mappers/outcome';
import type { Locale } from '../i18n/catalogues';
import type { CaregiverSession } from './api';
import { saveFailure, submit } from './api';

export default function Survey({
  session,
  task,
  locale,
}: {
  session: CaregiverSession;
  task: Task;
  locale: Locale;
}) {
  const intl = useIntl();
  const [answers, setAnswers] = useState<Record<string, number | undefined>>({});
  const [comment, setComment] = useState('');
  const [requestId] = useState(() => crypto.randomUUID());
  const [saved, setSaved] = useState<Task | undefined>(task.status === 'completed' ? task : undefined);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const answered = Object.values(answers).filter((v) => v !== undefined).length;
  const done = saved ? parseCaregiverRequest(saved) : undefined;
  if (done?.status === 'completed')
    return (
      <section className="cg-card" aria-labelledby="cg-survey">
        <h2 id="cg-survey">
          <FormattedMessage id="survey.heading" />
        </h2>
        <p role="status" className="cg-done">
          <FormattedMessage
            id="survey.done"
            values={{ date: new Date(done.doneAt ?? done.lastModified ?? '') }}
          />
        </p>
      </section>
    );
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (answered < MIN_SURVEY_ANSWERS)
      return setError(intl.formatMessage({ id: 'survey.missing' }, { n: MIN_SURVEY_ANSWERS }));
    setBusy(true);
    setError(undefined);
    const at = new Date();
    const urn = `urn:uuid:${requestId}`;
    const response = surveyResponse({
      patientId: session.patient,
      by: session.fhirUser,
      caregiver: session.fhirUser,
      language: locale,
      at,
      answers,
      comment,
      requestId,
    });
    try {
      setSaved(
        await submit(
          session,
          [{ fullUrl: urn, resource: response }],
          completedRequest(task, [urn], at.toISOString()),
        ),
      );
    } catch (err) {
      setError(intl.formatMessage({ id: 'save.failed' }, saveFailure(session, err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="cg-card" aria-labelledby="cg-survey" onSubmit={(e) => void send(e)} noValidate>
      <h2 id="cg-survey">
        <FormattedMessage id="survey.heading" />
      </h2>
      <p>
        <FormattedMessage id="survey.intro" />
      </p>
      {SATISFACTION_ITEMS.map((item) => (
        <fieldset key={item.linkId} className="cg-question">
          <legend>{item.text[locale]}</legend>
          {AGREEMENT.map((a) => (
            <label key={a.value} className="cg-choice">
              <input
                type="radio"
                name={item.linkId}
                value={a.value}
                checked={answers[item.linkId] === a.value}
                onChange={() => setAnswers({ ...answers, [item.linkId]: a.value })}
              />
              {a.text[locale]}
            </label>
          ))}
        </fieldset>
      ))}
      <label htmlFor="cg-comment">{SURVEY_TEXT.comment[locale]}</label>
      <textarea id="cg-comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={3} />
      {error && (
        <p role="alert" className="cg-error">
          {error}
        </p>
      )}
      <button type="submit" className="cg-primary" disabled={busy}>
        <FormattedMessage id={busy ? 'saving' : 'survey.submit'} />
      </button>
    </form>
  );
}
