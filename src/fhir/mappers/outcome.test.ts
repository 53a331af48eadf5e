import { describe, expect, it } from 'vitest';
import { attainmentResponse, parseOutcome, satisfactionQuestionnaire, surveyResponse } from './outcome';
import { Questionnaires } from '../codes';

describe('outcome responses', () => {
  it('a Spanish survey is written in Spanish and read back with its scores and language', () => {
    const written = surveyResponse({
      patientId: 'p1',
      serviceRequestId: 'sr1',
      by: 'Practitioner/fp',
      caregiver: 'RelatedPerson/rp1',
      language: 'es',
      at: new Date('2026-11-20T15:00:00Z'),
      answers: { respect: 5, listened: 4, language: 5, skills: 4, voice: undefined, recommend: 5 },
      comment: '  Gracias  ',
      requestId: 'r1',
    });
    expect(written.item?.[0].text).toBe('Mi compañero(a) familiar me trató con respeto.');
    expect(written.source?.reference).toBe('RelatedPerson/rp1');
    const read = parseOutcome({ ...written, id: 'q1' } as { resourceType: string });
    expect(read?.ok).toBe(true);
    if (!read?.ok) return;
    expect(read.value.instrument).toBe('caregiver-satisfaction');
    expect(read.value.language).toBe('es');
    expect(read.value.serviceRequestId).toBe('sr1');
    expect([...read.value.ratings.values()]).toEqual([5, 4, 5, 4, 5]);
    expect(read.value.comment).toBe('Gracias');
  });

  it('goal ratings keep each goal and the timepoint; an out-of-scale rating is not counted', () => {
    const written = attainmentResponse({
      patientId: 'p1',
      by: 'Practitioner/fp',
      at: new Date('2026-11-20T15:00:00Z'),
      timepoint: 'review',
      ratings: [
        { goalId: 'g1', description: 'Routine', rating: 4 },
        { goalId: 'g2', description: 'Support', rating: 9 },
      ],
      requestId: 'r2',
    });
    const read = parseOutcome({ ...written, id: 'q2' } as { resourceType: string });
    expect(read?.ok && read.value.timepoint).toBe('review');
    expect(read?.ok && [...read.value.ratings]).toEqual([['g1', 4]]);
  });

  it('names an unreadable response instead of dropping it, and ignores other questionnaires', () => {
    expect(
      parseOutcome({
        resourceType: 'QuestionnaireResponse',
        questionnaire: Questionnaires.goalAttainment,
      } as never),
    ).toEqual({
      ok: false,
      reason: 'An outcome or survey response could not be read.',
    });
    expect(
      parseOutcome({
        resourceType: 'QuestionnaireResponse',
        questionnaire: Questionnaires.continuingStay,
      } as never),
    ).toBeUndefined();
  });

  it('the survey Questionnaire carries its Spanish in the standard translation extension', () => {
    const q = satisfactionQuestionnaire();
    const first = q.item?.[0];
    expect(first?._text?.extension?.[0].url).toBe('http://hl7.org/fhir/StructureDefinition/translation');
    expect(q.item?.filter((i) => i.type === 'choice')).toHaveLength(6);
  });
});
