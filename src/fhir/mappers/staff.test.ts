import '../../../sandbox/env';
import { describe, expect, it } from 'vitest';
import type { Practitioner } from 'fhir/r4';
import { validateForWrite } from '../../../sandbox/fhir/validation';
import { DEFAULT_ROLE_MAPPING } from '../../config/config';
import type { Weekday } from '../../domain/calendar';
import { CodeSystems, Extensions } from '../codes';
import {
  culturesOf,
  livedExperienceOf,
  onCallHoursOf,
  parseSupervision,
  staffRoster,
  supervisionEncounter,
  withOnCallHours,
  withQualification,
} from './staff';

describe('staff records ⇄ FHIR', () => {
  const dyad = {
    requestId: 's-1',
    kind: 'clinician-dyad' as const,
    start: '2026-11-18T19:00:00.000Z',
    minutes: 60,
    supervisor: 'Practitioner/lc-grace',
    supervisees: ['Practitioner/fp-rosa', 'Practitioner/fp-james'],
    topics: ['Boundaries with families'],
  };

  it('a supervision session is a patient-free Encounter of our profile; a dyad of one is refused', () => {
    const encounter = supervisionEncounter(dyad);
    expect(encounter.subject).toBeUndefined();
    expect(() => validateForWrite(encounter as never)).not.toThrow();
    expect(parseSupervision({ ...encounter, id: 'e1' } as { resourceType: string })).toEqual({
      id: 'e1',
      ...dyad,
      requestId: undefined,
    });
    const lonely = supervisionEncounter({ ...dyad, supervisees: ['Practitioner/fp-rosa'] });
    expect(() => validateForWrite(lonely as never)).toThrow(/two supervisees/);
  });

  it('a qualification is appended to what the Practitioner already holds', () => {
    const p: Practitioner = {
      resourceType: 'Practitioner',
      id: 'fp-rosa',
      qualification: [{ code: { text: 'LSW licence (the EHR’s own)' } }],
    };
    const next = withQualification(p, { code: 'topic-k', start: '2026-11-18', issuer: 'Agency training' });
    expect(next.qualification).toHaveLength(2);
    expect(next.qualification?.[1].code.coding?.[0]).toMatchObject({
      system: CodeSystems.staffQualification,
      code: 'topic-k',
    });
    const roster = staffRoster(
      [
        next,
        {
          resourceType: 'PractitionerRole',
          id: 'role-fp-rosa',
          practitioner: { reference: 'Practitioner/fp-rosa' },
          code: [{ coding: [{ system: CodeSystems.careTeamRole, code: 'family-partner' }] }],
        },
      ] as never,
      DEFAULT_ROLE_MAPPING,
    );
    expect(roster.members[0].qualifications).toEqual([
      { code: 'topic-k', start: '2026-11-18', end: undefined, issuer: 'Agency training' },
    ]);
  });
});

// Seed 000 staffing 9: the on-call roster on each licensed clinician's Practitioner.
describe('on-call hours', () => {
  it('the clinician on call carries the licence at the independent practice level on record, the longest-running', () => {
    const role = {
      resourceType: 'PractitionerRole',
      id: 'role-grace',
      practitioner: { reference: 'Practitioner/grace' },
      code: [{ coding: [{ system: CodeSystems.careTeamRole, code: 'fst-supervisor' }] }],
    };
    const licence = (end: string) => ({
      code: { coding: [{ system: CodeSystems.staffQualification, code: 'independent-licence' }] },
      period: { start: '2024-01-01', end },
    });
    const grace = {
      resourceType: 'Practitioner',
      id: 'grace',
      qualification: [licence('2026-06-30'), licence('2028-06-30')],
    };
    expect(staffRoster([grace, role] as never, DEFAULT_ROLE_MAPPING).onCall[0].licence).toEqual({
      end: '2028-06-30',
    });
    const none = { resourceType: 'Practitioner', id: 'grace' };
    expect(staffRoster([none, role] as never, DEFAULT_ROLE_MAPPING).onCall[0].licence).toBeUndefined();
  });

  it('round-trip, midnight included, and leave the EHR’s own extensions and a stretch that does not read alone', () => {
    const stored: Practitioner = {
      resourceType: 'Practitioner',
      id: 'grace',
      extension: [
        { url: 'urn:ehr:badge', valueString: 'B-17' },
        // Half a stretch (no end): never guessed.
        {
          url: Extensions.onCallHours,
          extension: [
            { url: 'day', valueCode: 'sun' },
            { url: 'start', valueTime: '09:00:00' },
          ],
        },
      ],
    };
    expect(onCallHoursOf(stored)).toEqual([]);
    const hours = [
      { days: [1, 2, 3, 4, 5] as Weekday[], start: '08:00', end: '20:00' },
      { days: [0, 6] as Weekday[], start: '20:00', end: '24:00' },
    ];
    const written = withOnCallHours(stored, hours);
    expect(written.extension?.[0]).toEqual({ url: 'urn:ehr:badge', valueString: 'B-17' });
    expect(written.extension?.filter((e) => e.url === Extensions.onCallHours)).toHaveLength(2);
    expect(onCallHoursOf(written)).toEqual(hours);
    expect(() => validateForWrite(written as never)).not.toThrow();
    // Removing every stretch leaves the Practitioner as it was otherwise.
    expect(withOnCallHours(written, []).extension).toEqual([{ url: 'urn:ehr:badge', valueString: 'B-17' }]);
  });
});

describe('a Family Partner’s culture (seed 000 process 7)', () => {
  it('is read from a qualification coded culture, in their own words', () => {
    const p: Practitioner = {
      resourceType: 'Practitioner',
      qualification: [
        {
          code: { coding: [{ system: CodeSystems.matchPreference, code: 'culture' }], text: 'Cape Verdean' },
        },
        { code: { coding: [{ system: CodeSystems.matchPreference, code: 'juvenile-court' }] } },
      ],
    };
    expect(culturesOf(p)).toEqual(['Cape Verdean']);
    expect(livedExperienceOf(p)).toEqual(['juvenile-court']);
  });
});
