import { describe, expect, it } from 'vitest';
import type { ContactFormState, FormContext } from './contactForm';
import { defaultForm, formWarnings, toDraft, validate } from './contactForm';
import { recipientsFor } from './contactForm';
import { toPersonName } from '../../fhir/mappers/datatypes';
import { visibleText } from '../../domain/names';

const recipients = [{ reference: 'RelatedPerson/rp1', label: 'Angela (mother)', kind: 'caregiver' as const }];
const NY = 'America/New_York';
const now = new Date('2026-11-20T16:05:00Z'); // 11:05 in New York
const ctx = (extra: Partial<FormContext> = {}): FormContext => ({
  recipients,
  now,
  timeZone: NY,
  referredOn: '2026-11-02T14:00:00Z',
  goalsAvailable: true,
  ...extra,
});
const filled = (patch: Partial<ContactFormState> = {}): ContactFormState => ({
  ...defaultForm(recipients, now, NY),
  method: 'phone',
  duration: '10',
  purposes: ['coaching'],
  goalIds: ['g1'],
  note: 'Weekly call',
  ...patch,
});
const errorsOf = (state: ContactFormState, c = ctx()): Partial<Record<keyof ContactFormState, string>> => {
  const r = validate(state, c);
  return r.ok ? {} : Object.fromEntries(r.problems.map((p) => [p.field, p.message]));
};

describe('the contact form in the provider’s time zone', () => {
  it('defaults to now as the provider’s wall clock, whatever the browser’s zone', () => {
    // The browser zone of this test run does not matter: 16:05Z is 11:05 in New York.
    expect(defaultForm(recipients, now, NY).when).toBe('2026-11-20T11:05');
  });

  it('saves the wall-clock time as the instant it names in the provider’s zone (DST included)', () => {
    const ctxDraft = { patientId: 'p1', senderReference: 'Practitioner/fp', timeZone: NY };
    expect(toDraft(filled({ when: '2026-11-20T11:05' }), recipients, ctxDraft).sent).toBe(
      '2026-11-20T16:05:00.000Z',
    );
    expect(toDraft(filled({ when: '2026-07-01T11:05' }), recipients, ctxDraft).sent).toBe(
      '2026-07-01T15:05:00.000Z',
    );
  });
});

describe('what a saved contact needs', () => {
  it('a completed contact: a method, 1–480 minutes, a purpose, a plan goal and a note', () => {
    expect(errorsOf(filled())).toEqual({});
    expect(
      Object.keys(errorsOf(filled({ method: '', duration: '', purposes: [], goalIds: [], note: ' ' }))),
    ).toEqual(['method', 'duration', 'purposes', 'goalIds', 'note']);
    expect(errorsOf(filled({ duration: '0' })).duration).toMatch(/1–480/);
    expect(errorsOf(filled({ duration: '481' })).duration).toMatch(/1–480/);
    expect(errorsOf(filled({ duration: '480' })).duration).toBeUndefined();
    // A plan without goals cannot be linked: then no goal is asked for.
    expect(errorsOf(filled({ goalIds: [] }), ctx({ goalsAvailable: false })).goalIds).toBeUndefined();
  });

  it('an attempt: its reason, and no duration or purpose', () => {
    const attempt = filled({ attemptOnly: true, duration: '', purposes: [], goalIds: [], attemptReason: '' });
    expect(Object.keys(errorsOf(attempt))).toEqual(['attemptReason']);
    expect(errorsOf({ ...attempt, attemptReason: 'no-answer' })).toEqual({});
  });

  it('a time that is not in the future and not before the referral', () => {
    expect(errorsOf(filled({ when: '2026-11-20T11:30' })).when).toBe('The contact cannot be in the future.');
    expect(errorsOf(filled({ when: '2026-11-01T09:00' })).when).toBe(
      'The contact cannot be before the referral.',
    );
    expect(errorsOf(filled({ when: '2026-11-02T08:00' })).when).toBeUndefined(); // the referral day itself
  });

  it('warns, without refusing, about a contact after the episode ended', () => {
    const ended = ctx({ endedOn: '2026-11-10T15:00:00Z' });
    expect(formWarnings(filled({ when: '2026-11-12T10:00' }), ended)).toHaveLength(1);
    expect(errorsOf(filled({ when: '2026-11-12T10:00' }), ended)).toEqual({});
    expect(formWarnings(filled({ when: '2026-11-09T10:00' }), ended)).toEqual([]);
  });

  // Seed 000 service component 5: "in the parent's/caregiver's home and community".
  it('an in-person contact says where it took place; a call is telehealth', () => {
    expect(errorsOf(filled({ method: 'face-to-face', place: '' }), ctx()).place).toMatch(/^Say where/);
    const visit = filled({ method: 'face-to-face', place: 'community' });
    expect(errorsOf(visit, ctx())).toEqual({});
    const ids = { patientId: 'p', senderReference: 'Practitioner/fp', timeZone: NY };
    expect(toDraft(visit, recipients, ids).placeOfService).toBe('community');
    expect(toDraft(filled({ method: 'phone', place: 'home' }), recipients, ids).placeOfService).toBe(
      'telehealth',
    );
    expect(
      toDraft(filled({ attemptOnly: true, attemptReason: 'no-answer' }), recipients, ids).placeOfService,
    ).toBe(undefined);
  });

  // Seed 000 service component 3b: crisis is none of "educating, supporting, coaching, modeling, guiding".
  it('warns, without refusing, when crisis is the only purpose', () => {
    const crisis = filled({ purposes: ['crisis'] });
    expect(formWarnings(crisis, ctx())).toEqual([
      expect.stringMatching(/^A crisis contact alone is not FST/),
    ]);
    expect(errorsOf(crisis, ctx())).toEqual({});
    expect(formWarnings(filled({ purposes: ['crisis', 'supporting'] }), ctx())).toEqual([]);
  });
});

describe('names in the contact form (issue 36)', () => {
  it('carry no invisible Unicode marks, whatever the server sent', () => {
    const [caregiver] = [toPersonName([{ given: ['An\u200Bgela\u202E'], family: 'Thomp\u2066son\uFEFF' }])];
    const recipients = recipientsFor(
      [{ reference: 'RelatedPerson/rp-1', name: caregiver, relationship: 'mother', languages: [] } as never],
      [],
      new Map(),
    );
    expect(recipients.map((r) => r.label)).toEqual(['Angela Thompson (mother)']);
    for (const r of recipients)
      expect(r.label).not.toMatch(/[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/);
    // Scripts that spell with a zero-width joiner keep it.
    expect(visibleText('می\u200Cخواهم')).toBe('می\u200Cخواهم');
  });
});
