import { describe, expect, it } from 'vitest';
import { buildClaimLines, unitsFor } from './claims';
import type { ClaimContact, PayerProfile } from './claims';

describe('unit rules, in the manuals’ words (docs/exports.md)', () => {
  it('whole-units-only: "1–14 minutes = 0 units"', () => {
    expect([1, 14, 15, 29, 30, 44].map((m) => unitsFor('whole-units-only', m))).toEqual([0, 0, 1, 1, 2, 2]);
  });
  it('any-part: "up to 15 minutes = 1 unit"', () => {
    expect([1, 15, 16, 30, 31].map((m) => unitsFor('any-part', m))).toEqual([1, 1, 2, 2, 3]);
  });
  it('eight-minute: a remainder of 8 minutes or more is one more unit', () => {
    expect([7, 8, 22, 23].map((m) => unitsFor('eight-minute', m))).toEqual([0, 1, 1, 2]);
  });
  it('no minutes, no units', () => {
    expect(unitsFor('any-part', undefined)).toBe(0);
    expect(unitsFor('any-part', 0)).toBe(0);
  });
});

const payer = (over: Partial<PayerProfile> = {}): PayerProfile => ({
  id: 'medicaid',
  name: 'Medicaid',
  default: true,
  unitRule: 'whole-units-only',
  modifiers: { youthPresent: 'HR', youthAbsent: 'HS', always: ['U4'] },
  caps: { unitsPerDay: 4, unitsPerMonth: 6 },
  priorAuthorization: {
    required: true,
    authorizations: [{ number: 'PA-1', patientId: 'y1', from: '2026-11-01', to: '2026-11-30', units: 5 }],
  },
  ...over,
});
const contact = (over: Partial<ClaimContact>): ClaimContact => ({
  contactId: 'c',
  patientId: 'y1',
  memberId: 'M1',
  day: '2026-11-03',
  minutes: 60,
  status: 'completed',
  renderingReference: 'Practitioner/fp',
  goalIds: ['g1'],
  placeOfService: '12',
  ...over,
});
const none = () => undefined;

describe('claim lines', () => {
  it('one line per date of service, with the payer’s modifiers, place of service and authorisation', () => {
    const [claim] = buildClaimLines({
      payers: [payer({ caps: {}, priorAuthorization: { required: false, authorizations: [] } })],
      month: '2026-11',
      credentials: none,
      contacts: [
        contact({ contactId: 'a', minutes: 20 }),
        contact({ contactId: 'b', minutes: 20, youthPresent: true }),
        contact({ contactId: 'c', day: '2026-11-10', minutes: 45 }),
        contact({ contactId: 'd', day: '2026-10-31' }),
        contact({ contactId: 'e', status: 'not-done' }),
      ],
    });
    expect(claim.lines.map((l) => [l.day, l.units, l.modifiers, l.contactIds])).toEqual([
      ['2026-11-03', 2, ['HR', 'U4'], ['a', 'b']],
      ['2026-11-10', 3, ['HS', 'U4'], ['c']],
    ]);
    expect(claim.lines.every((l) => l.problems.length === 0)).toBe(true);
  });

  it('flags what a payer denies: caps, an exhausted or missing authorisation, no place of service, no goal, a lapsed credential', () => {
    const [claim] = buildClaimLines({
      payers: [payer()],
      month: '2026-11',
      credentials: (_who, day) =>
        day === '2026-11-20' ? 'driver’s licence expired on 2026-11-15' : undefined,
      contacts: [
        contact({ contactId: 'a', minutes: 90 }),
        contact({ contactId: 'b', day: '2026-11-12', minutes: 45, placeOfService: undefined }),
        contact({ contactId: 'c', day: '2026-11-20', minutes: 30, goalIds: [] }),
      ],
    });
    const kinds = claim.lines.map((l) => l.problems.map((p) => p.kind));
    expect(kinds[0]).toEqual(['over-daily-cap']);
    expect(kinds[1]).toEqual(expect.arrayContaining(['over-monthly-cap', 'no-place-of-service']));
    expect(kinds[2]).toEqual(
      expect.arrayContaining(['authorization-exhausted', 'no-goal', 'lapsed-credential']),
    );
    expect(claim.lines.map((l) => l.units)).toEqual([4, 1, 0]);
    expect(claim.authorization).toBe('PA-1');
    const [outside] = buildClaimLines({
      payers: [payer()],
      month: '2026-12',
      credentials: none,
      contacts: [contact({ day: '2026-12-02' })],
    });
    expect(outside.lines[0].problems.map((p) => p.kind)).toContain('no-authorization');
  });
});
