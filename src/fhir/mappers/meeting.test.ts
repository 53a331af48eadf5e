import '../../../sandbox/env';
import { describe, expect, it } from 'vitest';
import { validateForWrite } from '../../../sandbox/fhir/validation';
import { disclosureConsent } from './consent';
import { encounterFromMeeting, isTeamMeeting, parseMeeting } from './meeting';

describe('team meeting ⇄ Encounter', () => {
  const draft = {
    requestId: 'm-1',
    patientId: 'youth-01',
    kind: 'state-agency' as const,
    start: '2026-11-18T15:00:00.000Z',
    durationMinutes: 45,
    attendees: [{ reference: 'Practitioner/icc-marcus', name: 'Marcus Bell' }, { name: 'DCF social worker' }],
    youthAttended: true,
    goalUpdates: [{ goalId: 'goal-01-1', update: 'Three full weeks at school' }],
    decisions: 'Keep the morning routine',
    nextMeeting: '2026-12-02T16:00:00.000Z',
    recordedBy: 'Practitioner/fp-rosa',
    serviceRequestId: 'sr-01',
    consentGivenNow: true,
  };

  it('is a valid Encounter of our profile, and reads back as written', () => {
    const encounter = encounterFromMeeting(draft);
    expect(() => validateForWrite(encounter as never)).not.toThrow();
    expect(isTeamMeeting(encounter)).toBe(true);
    const parsed = parseMeeting({ ...encounter, id: 'e1' });
    expect(parsed.ok && parsed.value).toEqual({
      id: 'e1',
      kind: 'state-agency',
      start: draft.start,
      end: '2026-11-18T15:45:00.000Z',
      attendees: draft.attendees,
      youthAttended: true,
      goalUpdates: draft.goalUpdates,
      decisions: 'Keep the morning routine',
      nextMeeting: draft.nextMeeting,
      recordedBy: 'Practitioner/fp-rosa',
    });
  });

  it("an EHR's visit is not a team meeting", () => {
    expect(isTeamMeeting({ resourceType: 'Encounter', type: [{ text: 'Office visit' }] } as never)).toBe(
      false,
    );
  });

  it('the consent to a state-agency meeting names the agency and is valid R4', () => {
    const consent = disclosureConsent({
      identifier: 'm-1-consent',
      patientId: 'youth-01',
      performer: { reference: 'RelatedPerson/cg-01-1' },
      recipients: [{ display: 'DCF' }],
      at: draft.start,
    });
    expect(() => validateForWrite(consent as never)).not.toThrow();
    expect(consent.provision?.actor?.[0].reference.display).toBe('DCF');
  });
});
