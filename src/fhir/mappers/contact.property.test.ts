import '../../../sandbox/env';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Communication } from 'fhir/r4';
import { validateForWrite } from '../../../sandbox/fhir/validation';
import type { ContactDraft } from '../../domain/model';
import { amendCommunication, communicationFromDraft, parseContact } from './contact';
import { PURPOSE_LABEL } from '../../ui/labels';
import { CMS_PLACE_OF_SERVICE, PLACES_OF_SERVICE } from '../../domain/placeOfService';
import { CodeSystems, Extensions } from '../codes';

const PURPOSES = Object.keys(PURPOSE_LABEL);
const fhirId = fc.stringMatching(/^[A-Za-z0-9-]{1,24}$/);

const draftArb: fc.Arbitrary<ContactDraft> = fc
  .record({
    requestId: fc.uuid(),
    kind: fc.constantFrom('caregiver' as const, 'collateral' as const),
    method: fc.constantFrom('phone' as const, 'face-to-face' as const, 'video' as const, 'other' as const),
    sent: fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    durationMinutes: fc.integer({ min: 1, max: 480 }),
    purposes: fc.uniqueArray(fc.constantFrom(...PURPOSES), { maxLength: 4 }),
    goalIds: fc.uniqueArray(fhirId, { maxLength: 4 }),
    note: fc.stringMatching(/^[\p{L}\p{N} .,'!?()-]{0,120}$/u),
    recipientId: fhirId,
    senderId: fhirId,
    patientId: fhirId,
    referralTaskId: fc.option(fhirId, { nil: undefined }),
    serviceRequestId: fc.option(fhirId, { nil: undefined }),
    telehealthRequestedByFamily: fc.option(fc.boolean(), { nil: undefined }),
    telehealthPlatform: fc.option(fc.constantFrom('Doxy.me', 'Zoom for Healthcare'), { nil: undefined }),
    attemptReason: fc.option(fc.constantFrom('no-answer', 'voicemail', 'wrong-number'), { nil: undefined }),
    placeOfService: fc.option(fc.constantFrom(...PLACES_OF_SERVICE), { nil: undefined }),
  })
  .map(({ recipientId, senderId, ...rest }) => ({
    ...rest,
    recipientReference:
      rest.kind === 'caregiver' ? `RelatedPerson/${recipientId}` : `Practitioner/${recipientId}`,
    senderReference: `Practitioner/${senderId}`,
  }));

function valid(resource: Communication): string[] {
  try {
    validateForWrite(resource as never);
    return [];
  } catch (err) {
    return ((err as { outcome?: { issue?: { details?: { text?: string } }[] } }).outcome?.issue ?? []).map(
      (i) => i.details?.text ?? '',
    );
  }
}

describe('contact ⇄ Communication', () => {
  it('every written contact is valid against its FST profile and base R4', () => {
    fc.assert(
      fc.property(draftArb, (draft) => {
        expect(valid({ ...communicationFromDraft(draft), id: 'x' })).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips through FHIR without losing what the user recorded', () => {
    fc.assert(
      fc.property(draftArb, (draft) => {
        const parsed = parseContact({ ...communicationFromDraft(draft), id: 'x' });
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const attempt = draft.attemptReason !== undefined;
        expect(parsed.value).toMatchObject({
          kind: draft.kind,
          method: draft.method,
          sent: draft.sent,
          status: attempt ? 'not-done' : 'completed',
          goalIds: draft.goalIds,
          purposes: draft.purposes,
          recipientReference: draft.recipientReference,
          senderReference: draft.senderReference,
          referralTaskId: draft.referralTaskId,
        });
        expect(parsed.value.durationMinutes).toBe(attempt ? undefined : draft.durationMinutes);
        expect(parsed.value.note).toBe(draft.note.trim() ? draft.note : undefined);
        // Seed 000 service component 6: a video session says on which platform it was held.
        expect(parsed.value.telehealthPlatform).toBe(
          draft.method === 'video' ? draft.telehealthPlatform : undefined,
        );
        // Seed 000 service component 5: where it took place, kept (an attempt took place nowhere).
        expect(parsed.value.placeOfService).toBe(attempt ? undefined : draft.placeOfService);
      }),
      { numRuns: 300 },
    );
  });

  it('an amendment keeps every element the app does not manage', () => {
    fc.assert(
      fc.property(draftArb, draftArb, (first, second) => {
        const original: Communication = {
          ...communicationFromDraft(first),
          id: 'keep',
          meta: {
            versionId: '4',
            profile: communicationFromDraft(first).meta?.profile,
            tag: [{ system: 'urn:ehr', code: 'audit' }],
          },
          text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">EHR narrative</div>' },
          language: 'es',
          identifier: [
            ...(communicationFromDraft(first).identifier ?? []),
            { system: 'urn:ehr:id', value: 'E-1' },
          ],
          extension: [
            ...(communicationFromDraft(first).extension ?? []),
            { url: 'urn:ehr:ext', valueString: 'keep me' },
          ],
        };
        const amended = amendCommunication(original, {
          ...second,
          kind: first.kind,
          patientId: first.patientId,
          recipientReference: first.recipientReference,
        });
        expect(amended.id).toBe('keep');
        expect(amended.meta).toEqual(original.meta);
        expect(amended.text).toEqual(original.text);
        expect(amended.language).toBe('es');
        expect(amended.identifier).toEqual(original.identifier);
        expect(amended.extension).toContainEqual({ url: 'urn:ehr:ext', valueString: 'keep me' });
        const parsed = parseContact(amended);
        expect(parsed.ok && parsed.value.sent).toBe(second.sent);
        expect(parsed.ok && parsed.value.goalIds).toEqual(second.goalIds);
      }),
      { numRuns: 150 },
    );
  });

  // Seed 000 service component 5, "in the parent's/caregiver's home and community": recorded as the CMS
  // place-of-service code an H2014 claim line carries.
  it('records the place of service as a CMS place-of-service code', () => {
    const draft = fc.sample(draftArb, { numRuns: 1, seed: 37 })[0];
    const home = communicationFromDraft({ ...draft, attemptReason: undefined, placeOfService: 'home' });
    expect(home.extension?.find((e) => e.url === Extensions.placeOfService)?.valueCoding).toEqual({
      system: CodeSystems.placeOfService,
      code: '12',
      display: 'Home',
    });
    expect(valid({ ...home, id: 'x' })).toEqual([]);
    expect(CMS_PLACE_OF_SERVICE.school.code).toBe('03');
    // A code outside the five is refused by the profile's required binding.
    const odd = {
      ...home,
      id: 'x',
      extension: home.extension?.map((e) =>
        e.url === Extensions.placeOfService ? { ...e, valueCoding: { ...e.valueCoding, code: '21' } } : e,
      ),
    };
    expect(valid(odd).join(' ')).toMatch(/fst-contact-3 not met/);
  });
});
