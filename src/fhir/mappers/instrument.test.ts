import '../../../sandbox/env';
import { describe, expect, it } from 'vitest';
import { validateForWrite } from '../../../sandbox/fhir/validation';
import { answerTrends, instrumentAnswerProblems } from '../../domain/instruments';
import { recordKindOf } from '../recordKind';
import { instrumentResponse, instrumentResponses, parseInstrument } from './instrument';

const questionnaire = {
  resourceType: 'Questionnaire',
  url: 'https://agency.example.org/Questionnaire/strain',
  version: '2',
  title: 'Caregiver strain (agency)',
  item: [
    {
      linkId: 'g',
      type: 'group',
      text: 'This month',
      item: [
        {
          linkId: 'sure',
          type: 'choice',
          required: true,
          text: 'How sure are you?',
          answerOption: [
            { valueCoding: { system: 'urn:s', code: '1', display: 'Not sure' } },
            { valueString: 'Sure' },
          ],
        },
        { linkId: 'count', type: 'integer', text: 'Meetings' },
      ],
    },
  ],
};

// Seed 000 quality 2: the agency's own outcome measures, beside the two the app ships.
describe('an agency instrument', () => {
  it('reads a Questionnaire with groups flattened, and says why one cannot be rendered', () => {
    const parsed = parseInstrument(questionnaire);
    expect(parsed.ok && parsed.value.items.map((i) => [i.linkId, i.type])).toEqual([
      ['g', 'display'],
      ['sure', 'choice'],
      ['count', 'integer'],
    ]);
    const attachment = parseInstrument({
      ...questionnaire,
      item: [{ linkId: 'photo', type: 'attachment', text: 'A photo' }],
    });
    expect(attachment).toEqual({
      ok: false,
      reason: 'its question “A photo” is of type attachment, which FST Companion does not render',
    });
    expect(parseInstrument({ resourceType: 'Questionnaire', item: [] }).ok).toBe(false);
  });

  it('checks the answers, then writes a response the server files as an FST outcome measure', () => {
    const parsed = parseInstrument(questionnaire);
    if (!parsed.ok) throw new Error(parsed.reason);
    const instrument = parsed.value;
    expect(instrumentAnswerProblems(instrument, { count: 1.5 })).toEqual([
      { field: 'sure', message: 'Answer this question.' },
      { field: 'count', message: 'Enter a whole number.' },
    ]);
    expect(instrumentAnswerProblems(instrument, { sure: 'Sure', count: 3 })).toEqual([]);
    const qr = instrumentResponse(
      instrument,
      { sure: '1', count: 3 },
      {
        requestId: 'r-1',
        patientId: 'youth-01',
        by: 'Practitioner/fp-rosa',
        at: new Date('2026-11-20T15:00:00Z'),
      },
    );
    expect(qr.questionnaire).toBe('https://agency.example.org/Questionnaire/strain|2');
    expect(qr.item).toEqual([
      {
        linkId: 'sure',
        text: 'How sure are you?',
        answer: [{ valueCoding: { system: 'urn:s', code: '1', display: 'Not sure' } }],
      },
      { linkId: 'count', text: 'Meetings', answer: [{ valueInteger: 3 }] },
    ]);
    expect(() => validateForWrite(qr as never)).not.toThrow();
    expect(recordKindOf(qr)).toBe('outcome-measure');
    expect(instrumentResponses([{ ...qr, id: 'q1' }])).toEqual([
      {
        id: 'q1',
        questionnaire: 'https://agency.example.org/Questionnaire/strain',
        authored: '2026-11-20T15:00:00.000Z',
        answered: 2,
        answers: expect.any(Array),
      },
    ]);
  });
});

describe("a family's answer sets (issue 36)", () => {
  it('reads each answer as written, and the trend of each numeric answer from the first set to the latest', () => {
    const parsed = parseInstrument(questionnaire);
    if (!parsed.ok) throw new Error(parsed.reason);
    const write = (id: string, at: string, count: number) => ({
      ...instrumentResponse(
        parsed.value,
        { sure: '1', count },
        { requestId: id, patientId: 'p1', by: 'Practitioner/fp', at: new Date(at) },
      ),
      id,
    });
    const read = instrumentResponses([
      write('a', '2026-10-01T15:00:00Z', 1),
      write('c', '2026-12-01T15:00:00Z', 4),
      write('b', '2026-11-01T15:00:00Z', 2),
    ]);
    expect(read.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(read[0].answers).toEqual([
      { linkId: 'sure', text: 'How sure are you?', value: 'Not sure' },
      { linkId: 'count', text: 'Meetings', value: 4 },
    ]);
    expect(answerTrends(read)).toEqual([{ linkId: 'count', first: 1, latest: 4, change: 3, count: 3 }]);
    // One set is no trend.
    expect(answerTrends(read.slice(0, 1))).toEqual([]);
  });
});
