/**
 * The caregiver satisfaction survey (seed 000 quality 3), shown in the caregiver's language — the Questionnaire's
 * Spanish comes from its translation extension — and saved as a QuestionnaireResponse in that language. The
 * Family Partner hands the phone over or reads it aloud; what is chosen is kept as a draft until saved.
 */
import { useId } from 'react';
import type { QuestionnaireItem } from 'fhir/r4';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { appUserOf } from '../../app/useSignedInUser';
import type { SurveyLanguage } from '../../domain/outcomes';
import { AGREEMENT, MIN_SURVEY_ANSWERS, SURVEY_TEXT } from '../../domain/outcomes';
import { currentReferral } from '../../domain/referral';
import { satisfactionQuestionnaire, surveyResponse } from '../../fhir/mappers/outcome';
import type { Workspace } from '../../fhir/workspace';
import { caregiverLocale } from '../../i18n/catalogues';
import { FormActions } from '../../ui/FormActions';
import { SaveFailed } from '../../ui/SaveFailed';
import { draftKey, useFormDraft } from '../../ui/drafts';
import { useSaveResponse } from './useSaveResponse';

const QUESTIONNAIRE = satisfactionQuestionnaire();

/** An item's text in `language`: the translation extension's content, else the item's own text. */
function textOf(
  item: { text?: string; _text?: QuestionnaireItem['_text'] },
  language: SurveyLanguage,
): string {
  const translation = item._text?.extension?.find(
    (e) =>
      e.url === 'http://hl7.org/fhir/StructureDefinition/translation' &&
      e.extension?.some((x) => x.url === 'lang' && x.valueCode === language),
  );
  return translation?.extension?.find((x) => x.url === 'content')?.valueString ?? item.text ?? '';
}

export function SurveyForm({ ws }: { ws: Workspace }) {
  const session = useSession();
  const patientId = usePatientId();
  const id = useId();
  const user = appUserOf(session, ws.user);
  const me = user.references[0] ?? '';
  const saved = useFormDraft(draftKey('survey', session.serverUrl, me, patientId));
  const caregiver = ws.caregivers.find((c) => c.reference.startsWith('RelatedPerson/')) ?? ws.caregivers[0];
  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [language, setLanguage] = saved.useField<SurveyLanguage>('language', () =>
    caregiverLocale(caregiver?.languages ?? []),
  );
  const [answers, setAnswers] = saved.useField<Record<string, number | undefined>>('answers', {});
  const [comment, setComment] = saved.useField('comment', '');
  const referral = currentReferral(ws.referrals, ws.launchedReferralId);
  const statements = (QUESTIONNAIRE.item ?? []).filter((i) => i.type === 'choice');
  const answered = statements.filter((i) => answers[i.linkId] !== undefined).length;

  const save = useSaveResponse(
    () =>
      surveyResponse({
        patientId,
        serviceRequestId: referral?.serviceRequestId,
        by: me,
        caregiver: caregiver?.reference,
        language,
        at: new Date(),
        answers,
        comment,
        requestId,
      }),
    requestId,
    saved.clear,
  );
  const tooFew = answered < MIN_SURVEY_ANSWERS;

  return (
    <form
      className="card wide contact-form"
      aria-labelledby={`${id}-title`}
      lang={language === 'es' ? 'es-US' : 'en-US'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!tooFew) save.mutate();
      }}
      noValidate
    >
      <h2 id={`${id}-title`}>{SURVEY_TEXT.title[language]}</h2>
      <fieldset className="checks-inline" lang="en-US">
        <legend>Language of the survey</legend>
        {(['en', 'es'] as const).map((l) => (
          <label key={l} className="check inline">
            <input
              type="radio"
              name={`${id}-lang`}
              checked={language === l}
              onChange={() => setLanguage(l)}
            />
            {l === 'en' ? 'English' : 'Español'}
          </label>
        ))}
      </fieldset>
      {caregiver && (
        <p className="muted" lang="en-US">
          Answered by <bdi>{caregiver.name.full}</bdi>
        </p>
      )}
      <p>{SURVEY_TEXT.intro[language]}</p>
      {save.isError && (
        <SaveFailed title="The survey was not saved" error={save.error} saveLabel="Save survey" />
      )}
      {statements.map((item) => (
        <fieldset key={item.linkId} className="survey-item">
          <legend>{textOf(item, language)}</legend>
          <div className="checks-inline">
            {AGREEMENT.map((a) => (
              <label key={a.value} className="check inline">
                <input
                  type="radio"
                  name={`${id}-${item.linkId}`}
                  checked={answers[item.linkId] === a.value}
                  onChange={() => setAnswers({ ...answers, [item.linkId]: a.value })}
                />
                {a.text[language]}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <label className="field">
        {textOf((QUESTIONNAIRE.item ?? []).find((i) => i.linkId === 'comment') ?? {}, language)}
        <textarea value={comment} rows={3} onChange={(e) => setComment(e.target.value)} />
      </label>
      {tooFew && (
        <p className="muted" role="status" lang="en-US">
          {answered} of {statements.length} answered: the survey is saved with at least {MIN_SURVEY_ANSWERS}.
        </p>
      )}
      <div lang="en-US">
        <FormActions label="Save survey" pending={save.isPending} cancelHref="/" onCancel={saved.clear} />
      </div>
    </form>
  );
}
