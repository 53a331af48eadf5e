import { describe, expect, it } from 'vitest';
import type { Contact } from './model';
import type { OnCallClinician } from './onCall';
import {
  businessHoursGaps,
  contactsWithoutOnCall,
  coveredThroughout,
  DEFAULT_BUSINESS_HOURS,
  hoursLabel,
  onCallAt,
  onCallHoursProblems,
} from './onCall';

const TZ = 'America/New_York';
// Business hours by the FST supervisor, evenings Monday to Thursday by a second licensed clinician.
const roster: OnCallClinician[] = [
  {
    reference: 'Practitioner/grace',
    name: 'Grace Lin',
    hours: [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }],
    licence: { end: '2030-06-30' },
  },
  {
    reference: 'Practitioner/omar',
    name: 'Omar Haddad',
    hours: [{ days: [1, 2, 3, 4], start: '18:00', end: '21:00' }],
    licence: {},
  },
];

const session = (sent: string, durationMinutes = 60, extra: Partial<Contact> = {}): Contact => ({
  id: sent,
  kind: 'caregiver',
  status: 'completed',
  method: 'face-to-face',
  sent,
  durationMinutes,
  goalIds: [],
  purposes: [],
  ...extra,
});

// Seed 000 staffing 9: "available during normal business hours … as well as during all hours in which any
// Family Partners provide services to parents/caregivers including evenings and weekends".
describe('an on-call licensed clinician for every hour Family Partners serve (staffing 9)', () => {
  it('names who is on call at an instant, in the agency’s time zone', () => {
    // Tuesday 2026-11-17 10:00 in Boston is 15:00 UTC.
    expect(onCallAt(roster, new Date('2026-11-17T15:00:00Z'), TZ).map((c) => c.name)).toEqual(['Grace Lin']);
    // Tuesday 19:30 in Boston: the evening clinician.
    expect(onCallAt(roster, new Date('2026-11-18T00:30:00Z'), TZ).map((c) => c.name)).toEqual([
      'Omar Haddad',
    ]);
    // Friday 19:30: nobody.
    expect(onCallAt(roster, new Date('2026-11-21T00:30:00Z'), TZ)).toEqual([]);
  });

  it('a session is covered only when someone is on call from its start to its end, across a shift change', () => {
    expect(coveredThroughout(roster, '2026-11-17T10:00:00-05:00', 60, TZ)).toBe(true);
    // 17:30–18:30 on a Tuesday: the evening shift takes over at 18:00.
    expect(coveredThroughout(roster, '2026-11-17T17:30:00-05:00', 60, TZ)).toBe(true);
    // 17:30–18:30 on a Friday: nobody after 18:00.
    expect(coveredThroughout(roster, '2026-11-20T17:30:00-05:00', 60, TZ)).toBe(false);
    // An evening session that runs past 21:00.
    expect(coveredThroughout(roster, '2026-11-17T20:30:00-05:00', 45, TZ)).toBe(false);
  });

  it('flags the caregiver services delivered with nobody on call — evenings and weekends included', () => {
    const contacts = [
      session('2026-11-17T10:00:00-05:00'),
      session('2026-11-21T10:00:00-05:00'), // Saturday morning
      session('2026-11-20T19:00:00-05:00', 30), // Friday evening
      session('2026-11-22T11:00:00-05:00', 30, { status: 'not-done' }), // an attempt: no service given
      session('2026-11-22T12:00:00-05:00', 30, { kind: 'collateral' }), // with a provider, not the caregiver
    ];
    expect(contactsWithoutOnCall(contacts, roster, TZ).map((c) => c.sent)).toEqual([
      '2026-11-21T10:00:00-05:00',
      '2026-11-20T19:00:00-05:00',
    ]);
    // No roster kept: every service is flagged.
    expect(contactsWithoutOnCall(contacts, [], TZ)).toHaveLength(3);
  });

  it('keeps hours that read as a weekly stretch, and says what is wrong otherwise', () => {
    expect(onCallHoursProblems({ days: [6, 0], start: '09:00', end: '24:00' })).toEqual([]);
    expect(onCallHoursProblems({ days: [], start: '9', end: '08:00' }).map((p) => p.field)).toEqual([
      'days',
      'start',
    ]);
    expect(onCallHoursProblems({ days: [5], start: '18:00', end: '08:00' })[0].message).toMatch(/midnight/);
    expect(hoursLabel({ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' })).toBe('Mon–Fri 08:00–18:00');
    expect(hoursLabel({ days: [0, 6], start: '09:00', end: '13:00' })).toBe('Sat, Sun 09:00–13:00');
  });

  it('says midnight as the form lets it be typed: an end of 00:00 (issue 36: the hint and the error agreed on nothing)', () => {
    const hint = 'An end of 00:00 means midnight'; // OnCallRoster's hint
    expect(hint).toContain('00:00');
    expect(onCallHoursProblems({ days: [5], start: '18:00', end: '00:00' })).toEqual([]);
    const messages = [
      ...onCallHoursProblems({ days: [5], start: '18:00', end: '' }),
      ...onCallHoursProblems({ days: [5], start: '18:00', end: '08:00' }),
    ].map((p) => p.message);
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m).toContain('00:00');
      expect(m).not.toContain('24:00');
    }
  });
});

describe('seed 000 staffing 9: "a clinician licensed at the independent practice level is available during normal business hours"', () => {
  it('a clinician on the roster without an independent-practice licence on record, or past its expiry, covers no hour', () => {
    const tuesday10 = new Date('2026-11-17T15:00:00Z');
    const unlicensed = roster.map((c) => ({ ...c, licence: undefined }));
    expect(onCallAt(unlicensed, tuesday10, TZ)).toEqual([]);
    const expired = roster.map((c) => ({ ...c, licence: { end: '2026-11-16' } }));
    expect(onCallAt(expired, tuesday10, TZ)).toEqual([]);
    expect(contactsWithoutOnCall([session('2026-11-17T10:00:00-05:00')], expired, TZ)).toHaveLength(1);
    // Licensed through the day of the session: it counts.
    const lastDay = roster.map((c) => ({ ...c, licence: { end: '2026-11-17' } }));
    expect(onCallAt(lastDay, tuesday10, TZ).map((c) => c.name)).toEqual(['Grace Lin']);
  });

  it('lists the business hours with no licensed clinician on call, the same stretch on several days merged', () => {
    expect(businessHoursGaps(roster, DEFAULT_BUSINESS_HOURS, '2026-11-17')).toEqual([]);
    const lunch: OnCallClinician[] = [
      { ...roster[0], hours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' }] },
      { ...roster[1], hours: [{ days: [1, 2, 3, 4], start: '13:00', end: '17:00' }] },
    ];
    expect(businessHoursGaps(lunch, DEFAULT_BUSINESS_HOURS, '2026-11-17')).toEqual([
      { days: [1, 2, 3, 4], start: '12:00', end: '13:00' },
      { days: [5], start: '12:00', end: '17:00' },
    ]);
    // Nobody licensed: all of the business hours.
    expect(
      businessHoursGaps(
        roster.map((c) => ({ ...c, licence: undefined })),
        DEFAULT_BUSINESS_HOURS,
        '2026-11-17',
      ),
    ).toEqual([{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }]);
  });
});
