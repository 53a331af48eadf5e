import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from './calendar';
import type { CalendarConfig } from './calendar';
import {
  evaluateEpisode as evaluateWithTeam,
  telehealthWithoutRequest,
  weeklyGrid as gridWithTeam,
} from './compliance';
import type { Episode } from './compliance';
import type { Contact, ContactKind, ContactMethod, Referral } from './model';

const cal: CalendarConfig = DEFAULT_CALENDAR;
/** The referring clinician, on record as the youth's provider unless a test says otherwise (process 9). */
const PROVIDER = 'Practitioner/op-helen';
const withProvider = (ep: Episode): Episode => ({ treaters: new Set([PROVIDER]), ...ep });
const evaluateEpisode = (ep: Episode, now: Date, c: CalendarConfig) =>
  evaluateWithTeam(withProvider(ep), now, c);
const weeklyGrid = (ep: Episode, now: Date, c: CalendarConfig) => gridWithTeam(withProvider(ep), now, c);
let seq = 0;

function referral(authoredOn: string, extra: Partial<Referral> = {}): Referral {
  return { id: 'task-1', status: 'in-progress', authoredOn, fstMarks: ['profile'], ...extra };
}

function contact(
  sent: string,
  kind: ContactKind = 'caregiver',
  method: ContactMethod = 'phone',
  extra: Partial<Contact> = {},
): Contact {
  seq += 1;
  return {
    id: `c${seq}`,
    kind,
    status: 'completed',
    method,
    sent,
    goalIds: ['g1'],
    purposes: [],
    durationMinutes: 30,
    ...(kind === 'collateral' ? { recipientReference: PROVIDER } : {}),
    ...extra,
  };
}

const attempt = (sent: string) =>
  contact(sent, 'caregiver', 'phone', { status: 'not-done', attemptReason: 'No answer' });
const at = (iso: string) => new Date(iso);
const clocks = (ep: Episode, now: string, c = cal) => evaluateEpisode(ep, at(now), c).clocks;

describe('1. first caregiver call within 5 calendar days of referral', () => {
  it.each([
    // label, referral, contacts, now, status, dueDate
    [
      'called on day 2',
      '2026-11-02T10:00:00-05:00',
      [contact('2026-11-03T10:00:00-05:00')],
      '2026-11-10T12:00:00-05:00',
      'met',
      '2026-11-07',
    ],
    [
      'called on the last day, 23:30 local',
      '2026-11-02T10:00:00-05:00',
      [contact('2026-11-07T23:30:00-05:00')],
      '2026-11-10T12:00:00-05:00',
      'met',
      '2026-11-07',
    ],
    [
      'called the day after the deadline',
      '2026-11-02T10:00:00-05:00',
      [contact('2026-11-08T00:30:00-05:00')],
      '2026-11-10T12:00:00-05:00',
      'late',
      '2026-11-07',
    ],
    [
      'not called, day 4 of 5',
      '2026-11-19T09:00:00-05:00',
      [],
      '2026-11-22T12:00:00-05:00',
      'due',
      '2026-11-24',
    ],
    [
      'not called, deadline passed',
      '2026-11-10T09:00:00-05:00',
      [],
      '2026-11-22T12:00:00-05:00',
      'overdue',
      '2026-11-15',
    ],
    [
      'referred late on a Friday (22:45 local = Saturday UTC)',
      '2026-11-21T03:45:00Z',
      [],
      '2026-11-25T20:00:00-05:00',
      'due',
      '2026-11-25',
    ],
    [
      'only attempts so far',
      '2026-11-19T09:00:00-05:00',
      [attempt('2026-11-20T09:00:00-05:00'), attempt('2026-11-21T09:00:00-05:00')],
      '2026-11-22T12:00:00-05:00',
      'due',
      '2026-11-24',
    ],
    [
      'a text message is not a call',
      '2026-11-02T10:00:00-05:00',
      [contact('2026-11-03T10:00:00-05:00', 'caregiver', 'other')],
      '2026-11-10T12:00:00-05:00',
      'overdue',
      '2026-11-07',
    ],
    [
      'a collateral call does not count',
      '2026-11-02T10:00:00-05:00',
      [contact('2026-11-03T10:00:00-05:00', 'collateral')],
      '2026-11-10T12:00:00-05:00',
      'overdue',
      '2026-11-07',
    ],
  ] as const)('%s', (_label, authoredOn, contacts, now, status, dueDate) => {
    const result = clocks({ referral: referral(authoredOn), contacts: [...contacts] }, now)[
      'first-caregiver-call'
    ];
    expect(result.status).toBe(status);
    expect(result.dueDate).toBe(dueDate);
  });

  it('shows attempts as evidence without counting them', () => {
    const tries = [attempt('2026-11-20T09:00:00-05:00'), attempt('2026-11-21T09:00:00-05:00')];
    const result = clocks(
      { referral: referral('2026-11-19T09:00:00-05:00'), contacts: tries },
      '2026-11-22T12:00:00-05:00',
    )['first-caregiver-call'];
    expect(result.attempts).toEqual(tries.map((t) => `Communication/${t.id}`));
    expect(result.evidence).toEqual([]);
    expect(result.daysLeft).toBe(2);
  });

  it('names the contact that met it', () => {
    const call = contact('2026-11-03T10:00:00-05:00');
    const result = clocks(
      { referral: referral('2026-11-02T10:00:00-05:00'), contacts: [call] },
      '2026-11-10T12:00:00-05:00',
    )['first-caregiver-call'];
    expect(result.evidence).toEqual([`Communication/${call.id}`]);
    expect(result.satisfiedOn).toBe('2026-11-03');
  });

  it('ignores a contact entered in error', () => {
    const wrong = contact('2026-11-03T10:00:00-05:00', 'caregiver', 'phone', { status: 'entered-in-error' });
    expect(
      clocks(
        { referral: referral('2026-11-02T10:00:00-05:00'), contacts: [wrong] },
        '2026-11-10T12:00:00-05:00',
      )['first-caregiver-call'].status,
    ).toBe('overdue');
  });
});

describe('2. service initiation within 14 days of first contact', () => {
  const ref = referral('2026-10-01T10:00:00-04:00');
  it.each([
    ['not contacted yet', [], '2026-10-02T12:00:00-04:00', 'not-applicable', undefined],
    [
      'first session on day 14',
      [
        contact('2026-10-02T10:00:00-04:00'),
        contact('2026-10-16T10:00:00-04:00', 'caregiver', 'face-to-face'),
      ],
      '2026-10-20T12:00:00-04:00',
      'met',
      '2026-10-16',
    ],
    [
      "telehealth video at the family's request counts as a session",
      [
        contact('2026-10-02T10:00:00-04:00'),
        contact('2026-10-05T10:00:00-04:00', 'caregiver', 'video', { telehealthRequestedByFamily: true }),
      ],
      '2026-10-20T12:00:00-04:00',
      'met',
      '2026-10-16',
    ],
    [
      'phone calls alone are not a start',
      [contact('2026-10-02T10:00:00-04:00'), contact('2026-10-09T10:00:00-04:00')],
      '2026-10-10T12:00:00-04:00',
      'due',
      '2026-10-16',
    ],
    [
      'started on day 15',
      [
        contact('2026-10-02T10:00:00-04:00'),
        contact('2026-10-17T10:00:00-04:00', 'caregiver', 'face-to-face'),
      ],
      '2026-10-20T12:00:00-04:00',
      'late',
      '2026-10-16',
    ],
    [
      'never started',
      [contact('2026-10-02T10:00:00-04:00')],
      '2026-10-20T12:00:00-04:00',
      'overdue',
      '2026-10-16',
    ],
  ] as const)('%s', (_label, contacts, now, status, dueDate) => {
    const result = clocks({ referral: ref, contacts: [...contacts] }, now)['service-initiation'];
    expect(result.status).toBe(status);
    expect(result.dueDate).toBe(dueDate);
  });
});

describe('3. waitlist when services cannot start within 5 days of contact', () => {
  const call = () => contact('2026-11-09T10:00:00-05:00');
  it.each([
    [
      'no contact yet',
      referral('2026-11-08T10:00:00-05:00'),
      () => [],
      '2026-11-09T08:00:00-05:00',
      'not-applicable',
    ],
    [
      'session within 5 days: no waitlist needed',
      referral('2026-11-08T10:00:00-05:00'),
      () => [call(), contact('2026-11-12T10:00:00-05:00', 'caregiver', 'face-to-face')],
      '2026-11-20T12:00:00-05:00',
      'not-applicable',
    ],
    [
      'still inside the 5 days',
      referral('2026-11-08T10:00:00-05:00'),
      () => [call()],
      '2026-11-12T12:00:00-05:00',
      'due',
    ],
    [
      'waitlisted with a reason',
      referral('2026-11-08T10:00:00-05:00', {
        status: 'on-hold',
        stage: 'waitlisted',
        statusReason: 'No Family Partner available',
      }),
      () => [call()],
      '2026-11-20T12:00:00-05:00',
      'met',
    ],
    [
      'waitlisted without a reason: the waitlist is kept (the missing reason is a data note)',
      referral('2026-11-08T10:00:00-05:00', { status: 'accepted', stage: 'waitlisted' }),
      () => [call()],
      '2026-11-20T12:00:00-05:00',
      'met',
    ],
    [
      'waitlisted in time, started later: the waitlist is remembered once the status moves on',
      referral('2026-11-08T10:00:00-05:00', {
        status: 'in-progress',
        stage: 'active',
        recordedHistory: [
          { status: 'accepted', at: '2026-11-09T12:00:00-05:00' },
          { status: 'accepted', stage: 'waitlisted', at: '2026-11-14T12:00:00-05:00', reason: 'No FP' },
          { status: 'in-progress', stage: 'active', at: '2026-11-28T12:00:00-05:00' },
        ],
      }),
      () => [call(), contact('2026-11-28T13:00:00-05:00', 'caregiver', 'face-to-face')],
      '2026-11-30T12:00:00-05:00',
      'met',
    ],
    [
      'waitlisted only after the 5 days',
      referral('2026-11-08T10:00:00-05:00', {
        status: 'accepted',
        stage: 'waitlisted',
        recordedHistory: [
          { status: 'accepted', stage: 'waitlisted', at: '2026-11-17T12:00:00-05:00', reason: 'No FP' },
        ],
      }),
      () => [call()],
      '2026-11-20T12:00:00-05:00',
      'late',
    ],
    [
      'neither started nor waitlisted',
      referral('2026-11-08T10:00:00-05:00'),
      () => [call()],
      '2026-11-20T12:00:00-05:00',
      'overdue',
    ],
    [
      'started late without waitlisting',
      referral('2026-11-08T10:00:00-05:00'),
      () => [call(), contact('2026-11-18T10:00:00-05:00', 'caregiver', 'face-to-face')],
      '2026-11-20T12:00:00-05:00',
      'late',
    ],
  ] as const)('%s', (_label, ref, contacts, now, status) => {
    expect(clocks({ referral: ref, contacts: contacts() }, now).waitlist.status).toBe(status);
  });

  it('names a missing waitlist reason as something to record', () => {
    const ref = referral('2026-11-08T10:00:00-05:00', { status: 'accepted', stage: 'waitlisted' });
    const result = clocks({ referral: ref, contacts: [call()] }, '2026-11-20T12:00:00-05:00').waitlist;
    expect(result.summary).toContain('No reason recorded');
  });
});

// Seed 000 service component 6: "telehealth … at the family's request".
describe("telehealth at the family's request", () => {
  const ref = referral('2026-10-02T10:00:00-04:00');
  const first = contact('2026-10-05T10:00:00-04:00');
  it('a video session the family did not ask for is flagged and counts toward no clock', () => {
    const unasked = contact('2026-10-07T10:00:00-04:00', 'caregiver', 'video');
    expect(telehealthWithoutRequest(unasked)).toBe(true);
    const result = clocks({ referral: ref, contacts: [first, unasked] }, '2026-10-08T12:00:00-04:00');
    // It did not start services: the 14-day start is still due.
    expect(result['service-initiation'].status).toBe('due');
  });
  it("the same session at the family's request starts services", () => {
    const asked = contact('2026-10-07T10:00:00-04:00', 'caregiver', 'video', {
      telehealthRequestedByFamily: true,
    });
    expect(telehealthWithoutRequest(asked)).toBe(false);
    const result = clocks({ referral: ref, contacts: [first, asked] }, '2026-10-08T12:00:00-04:00');
    expect(result['service-initiation'].status).toBe('met');
  });
});

describe('4 and 5. weekly caregiver and collateral contact', () => {
  // Service starts Wednesday 2026-10-07 (first session); weeks start on Sunday.
  const start = [
    contact('2026-10-05T10:00:00-04:00'),
    contact('2026-10-07T10:00:00-04:00', 'caregiver', 'face-to-face'),
  ];
  const ref = referral('2026-10-02T10:00:00-04:00');

  it('builds one row per calendar week with partial first week and a due current week', () => {
    const contacts = [
      ...start,
      contact('2026-10-08T10:00:00-04:00', 'collateral'),
      contact('2026-10-13T10:00:00-04:00'), // week of Oct 11: caregiver only
      contact('2026-10-21T10:00:00-04:00'), // week of Oct 18
      contact('2026-10-22T10:00:00-04:00', 'collateral'),
    ];
    const rows = weeklyGrid({ referral: ref, contacts }, at('2026-10-27T12:00:00-04:00'), cal);
    expect(rows.map((r) => [r.weekStart, r.partial, r.caregiver.status, r.collateral.status])).toEqual([
      ['2026-10-04', true, 'met', 'met'],
      ['2026-10-11', false, 'met', 'missed'],
      ['2026-10-18', false, 'met', 'met'],
      ['2026-10-25', false, 'due', 'due'],
    ]);
    const result = evaluateEpisode({ referral: ref, contacts }, at('2026-10-27T12:00:00-04:00'), cal).clocks;
    expect(result['weekly-caregiver-contact'].status).toBe('due');
    expect(result['weekly-caregiver-contact'].dueDate).toBe('2026-10-31');
    expect(result['weekly-caregiver-contact'].summary).toBe(
      'This week: no caregiver contact yet, due by Sat Oct 31.',
    );
    // A past miss is counted apart; this week's deadline stays visible.
    const collateral = result['weekly-collateral-contact'];
    expect(collateral.status).toBe('due');
    expect(collateral.dueDate).toBe('2026-10-31');
    expect(collateral.pastMissed).toBe(1);
    expect(collateral.evidence).toEqual(['week:2026-10-11']);
    expect(collateral.summary).toBe(
      'This week: no collateral contact yet, due by Sat Oct 31. 1 past week(s) missed.',
    );
  });

  it("says when this week's contact was made, with past misses apart", () => {
    const contacts = [...start, contact('2026-10-27T10:00:00-04:00')];
    const result = evaluateEpisode({ referral: ref, contacts }, at('2026-10-28T12:00:00-04:00'), cal).clocks;
    expect(result['weekly-caregiver-contact']).toMatchObject({
      status: 'met',
      satisfiedOn: '2026-10-27',
      summary: 'This week: met Tue Oct 27. 2 past week(s) missed.',
      pastMissed: 2,
    });
  });

  it('stop at the last date of service when the family stopped without notice; the discharge clock starts', () => {
    const stopped = referral('2026-10-02T10:00:00-04:00', {
      status: 'in-progress',
      stage: 'stopped',
      lastModified: '2026-10-20T10:00:00-04:00',
    });
    const contacts = [
      ...start,
      contact('2026-10-13T10:00:00-04:00'),
      contact('2026-10-14T10:00:00-04:00', 'collateral'),
      // Outreach after the family stopped coming: attempts only.
      contact('2026-10-19T10:00:00-04:00', 'caregiver', 'phone', {
        status: 'not-done',
        attemptReason: 'No answer',
      }),
    ];
    const episode = { referral: stopped, contacts, ended: { kind: 'stopped-without-notice' as const } };
    const result = evaluateEpisode(episode, at('2026-12-20T12:00:00-05:00'), cal);
    // No weeks accrue after the last date of service (Oct 14), however long ago it was.
    expect(result.weeks.map((w) => w.weekStart)).toEqual(['2026-10-04', '2026-10-11']);
    expect(result.clocks['weekly-caregiver-contact'].status).toBe('met');
    const plan = result.clocks['discharge-plan'];
    expect(plan.status).toBe('overdue');
    expect(plan.dueDate).toBe('2026-10-21'); // 5 business days after Oct 14
    expect(plan.attempts).toHaveLength(1);
    expect(plan.summary).toContain('1 outreach attempt(s) recorded');
    const none = evaluateEpisode(
      { ...episode, contacts: contacts.slice(0, 4) },
      at('2026-10-16T12:00:00-04:00'),
      cal,
    );
    expect(none.clocks['discharge-plan'].summary).toContain('no outreach attempt recorded yet');
  });

  it('a partial first week is required like any other (000 process 8: "each enrolled youth")', () => {
    // First session on Saturday: the week of Oct 4 has one day of service — the session meets the caregiver
    // contact; no collateral contact that day is a missed week, the seed making no part-week exception.
    const contacts = [
      contact('2026-10-05T10:00:00-04:00'),
      contact('2026-10-10T10:00:00-04:00', 'caregiver', 'face-to-face'),
    ];
    const rows = weeklyGrid({ referral: ref, contacts }, at('2026-10-12T12:00:00-04:00'), cal);
    expect(rows[0]).toMatchObject({ partial: true, collateral: { status: 'missed' } });
    expect(rows[0].caregiver.status).toBe('met');
  });

  it('a contact at 23:30 on Saturday counts for that week, not the next', () => {
    const contacts = [...start, contact('2026-10-17T23:30:00-04:00', 'collateral')];
    const rows = weeklyGrid({ referral: ref, contacts }, at('2026-10-19T12:00:00-04:00'), cal);
    expect(rows.find((r) => r.weekStart === '2026-10-11')?.collateral.status).toBe('met');
  });

  it('counts weeks correctly across the fall DST change and with Monday-start weeks', () => {
    const contacts = [
      ...start,
      contact('2026-11-01T01:30:00-05:00'),
      contact('2026-11-02T09:00:00-05:00', 'collateral'),
    ];
    const monday = { ...cal, weekStartsOn: 1 as const };
    const rows = weeklyGrid({ referral: ref, contacts }, at('2026-11-03T12:00:00-05:00'), monday);
    expect(rows.map((r) => r.weekStart)).toEqual([
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
    ]);
    expect(rows[3].caregiver.status).toBe('met'); // Sunday 01:30 EST after fall-back belongs to the week of Oct 26
    expect(rows[4].collateral.status).toBe('met');
  });

  it('a written message counts as collateral but not as caregiver contact', () => {
    const contacts = [
      ...start,
      contact('2026-10-13T10:00:00-04:00', 'caregiver', 'other'),
      contact('2026-10-14T10:00:00-04:00', 'collateral', 'other'),
    ];
    const rows = weeklyGrid({ referral: ref, contacts }, at('2026-10-19T12:00:00-04:00'), cal);
    expect(rows[1].caregiver.status).toBe('missed');
    expect(rows[1].collateral.status).toBe('met');
  });

  it("collateral contact is with the youth's ICC, IHT or outpatient provider (process 9): anyone else does not fill the week", () => {
    const treaters = new Set(['Practitioner/icc-marcus', 'Practitioner/op-helen']);
    const withCounsellor = [
      ...start,
      contact('2026-10-14T10:00:00-04:00', 'collateral', 'phone', {
        recipientReference: 'Practitioner/school',
      }),
    ];
    const rows = weeklyGrid(
      { referral: ref, contacts: withCounsellor, treaters },
      at('2026-10-19T12:00:00-04:00'),
      cal,
    );
    expect(rows[1].collateral.status).toBe('missed');
    const withCoordinator = [
      ...start,
      contact('2026-10-14T10:00:00-04:00', 'collateral', 'phone', {
        recipientReference: 'Practitioner/icc-marcus',
      }),
    ];
    const met = weeklyGrid(
      { referral: ref, contacts: withCoordinator, treaters },
      at('2026-10-19T12:00:00-04:00'),
      cal,
    );
    expect(met[1].collateral.status).toBe('met');
  });

  // Process 9: contact "with the youth's ICC, IHT, or outpatient provider" — with none on record, nobody is.
  it('with no treaters on record a collateral contact does not meet the week: it says "no treaters on record"', () => {
    const withSomeone = [
      ...start,
      contact('2026-10-14T10:00:00-04:00', 'collateral', 'phone', {
        recipientReference: 'Practitioner/school',
      }),
    ];
    for (const treaters of [new Set<string>(), undefined]) {
      const result = evaluateWithTeam(
        { referral: ref, contacts: withSomeone, treaters },
        at('2026-10-19T12:00:00-04:00'),
        cal,
      );
      const clock = result.clocks['weekly-collateral-contact'];
      expect(clock.status).toBe('not-applicable');
      expect(clock.summary).toMatch(
        /^No treaters on record: add the youth's ICC, IHT or outpatient provider/,
      );
      expect(result.weeks[1].collateral.status).toBe('not-applicable');
      // The caregiver clock is not affected.
      expect(result.clocks['weekly-caregiver-contact'].status).not.toBe('not-applicable');
    }
  });

  it('ends at the last date of service; a partial last week is required like any other', () => {
    const contacts = [
      ...start,
      contact('2026-10-13T10:00:00-04:00'),
      contact('2026-10-14T10:00:00-04:00', 'collateral'),
    ];
    const rows = weeklyGrid(
      { referral: ref, contacts, ended: { lastServiceDate: '2026-10-20' } },
      at('2026-11-20T12:00:00-05:00'),
      cal,
    );
    expect(rows.map((r) => [r.weekStart, r.caregiver.status])).toEqual([
      ['2026-10-04', 'met'],
      ['2026-10-11', 'met'],
      // Oct 18–20 were days of service and no caregiver contact was made in them.
      ['2026-10-18', 'missed'],
    ]);
  });

  it('spans a year end', () => {
    const contacts = [
      contact('2026-12-20T10:00:00-05:00'),
      contact('2026-12-21T10:00:00-05:00', 'caregiver', 'face-to-face'),
      contact('2026-12-31T23:30:00-05:00'),
    ];
    const rows = weeklyGrid(
      { referral: referral('2026-12-18T10:00:00-05:00'), contacts },
      at('2027-01-04T12:00:00-05:00'),
      cal,
    );
    expect(rows.map((r) => [r.weekStart, r.weekEnd, r.caregiver.status])).toEqual([
      ['2026-12-20', '2026-12-26', 'met'],
      ['2026-12-27', '2027-01-02', 'met'],
      ['2027-01-03', '2027-01-09', 'due'],
    ]);
  });

  it('is not applicable before the first session', () => {
    const result = clocks(
      { referral: ref, contacts: [contact('2026-10-05T10:00:00-04:00')] },
      '2026-10-06T12:00:00-04:00',
    );
    expect(result['weekly-caregiver-contact'].status).toBe('not-applicable');
  });
});

describe('6. discharge plan within 5 business days of the last date of service', () => {
  const ref = referral('2026-09-01T10:00:00-04:00', { status: 'completed', stage: 'discharged' });
  it.each([
    ['still in service', undefined, '2026-11-25T12:00:00-05:00', 'not-applicable', undefined],
    [
      'delivered on the due day (Thanksgiving skipped)',
      { lastServiceDate: '2026-11-24', dischargePlanDeliveredOn: '2026-12-02T16:00:00-05:00' },
      '2026-12-10T12:00:00-05:00',
      'met',
      '2026-12-02',
    ],
    [
      'delivered a day late',
      { lastServiceDate: '2026-11-24', dischargePlanDeliveredOn: '2026-12-03T09:00:00-05:00' },
      '2026-12-10T12:00:00-05:00',
      'late',
      '2026-12-02',
    ],
    [
      'not yet delivered, time left',
      { lastServiceDate: '2026-11-24' },
      '2026-11-30T12:00:00-05:00',
      'due',
      '2026-12-02',
    ],
    [
      'not delivered, overdue',
      { lastServiceDate: '2026-11-24' },
      '2026-12-03T12:00:00-05:00',
      'overdue',
      '2026-12-02',
    ],
    [
      'with a provider closure day configured',
      { lastServiceDate: '2026-11-24' },
      '2026-11-30T12:00:00-05:00',
      'due',
      '2026-12-03',
    ],
  ] as const)('%s', (label, ended, now, status, dueDate) => {
    const c = label.includes('closure') ? { ...cal, extraHolidays: ['2026-11-27'] } : cal;
    const result = clocks({ referral: ref, contacts: [], ended: ended ? { ...ended } : undefined }, now, c)[
      'discharge-plan'
    ];
    expect(result.status).toBe(status);
    expect(result.dueDate).toBe(dueDate);
  });

  it('defaults the last date of service to the last completed contact', () => {
    const contacts = [contact('2026-11-23T10:00:00-05:00'), attempt('2026-11-30T10:00:00-05:00')];
    const result = clocks({ referral: ref, contacts, ended: {} }, '2026-11-25T12:00:00-05:00')[
      'discharge-plan'
    ];
    expect(result.dueDate).toBe('2026-12-01');
  });
});

describe('7. continuing stay (Arkansas): every progress note linked to a plan goal', () => {
  const ref = referral('2026-10-01T10:00:00-04:00');
  it('met when each note names a goal of the plan', () => {
    const result = clocks(
      { referral: ref, contacts: [contact('2026-10-02T10:00:00-04:00')], planGoalIds: new Set(['g1']) },
      '2026-10-05T10:00:00-04:00',
    );
    expect(result['continuing-stay'].status).toBe('met');
  });

  it('names the notes without a plan goal; attempts are not notes', () => {
    const orphan = contact('2026-10-03T10:00:00-04:00', 'caregiver', 'phone', { goalIds: [] });
    const stale = contact('2026-10-04T10:00:00-04:00', 'caregiver', 'phone', { goalIds: ['old-goal'] });
    const result = clocks(
      {
        referral: ref,
        contacts: [contact('2026-10-02T10:00:00-04:00'), orphan, stale, attempt('2026-10-05T10:00:00-04:00')],
        planGoalIds: new Set(['g1']),
      },
      '2026-10-06T10:00:00-04:00',
    )['continuing-stay'];
    expect(result.status).toBe('missed');
    expect(result.evidence).toEqual([`Communication/${orphan.id}`, `Communication/${stale.id}`]);
  });
});

// Seed 000 service component 3: activities "address one or more goals" (a) and "meet one or more of the following
// purposes: educating, supporting, coaching, modeling, guiding" (b).
describe('service component 3b: a contact whose only purpose is crisis is not coaching toward a goal', () => {
  const ref = referral('2026-10-01T10:00:00-04:00');
  it('the note is named, with the goal it claimed; a crisis call that also coached passes', () => {
    const crisis = contact('2026-10-03T10:00:00-04:00', 'caregiver', 'phone', { purposes: ['crisis'] });
    const both = contact('2026-10-04T10:00:00-04:00', 'caregiver', 'phone', {
      purposes: ['crisis', 'coaching'],
    });
    const navigation = contact('2026-10-05T10:00:00-04:00', 'caregiver', 'phone', {
      purposes: ['system-navigation'],
    });
    const result = clocks(
      { referral: ref, contacts: [crisis, both, navigation], planGoalIds: new Set(['g1']) },
      '2026-10-06T10:00:00-04:00',
    )['continuing-stay'];
    expect(result.status).toBe('missed');
    expect(result.evidence).toEqual([`Communication/${crisis.id}`]);
    expect(result.summary).toBe(
      '1 progress note(s) with no FST purpose (only crisis): not coaching toward a goal.',
    );
  });
});

describe('8. continuing-stay review every 90 days of service', () => {
  const ref = referral('2026-06-01T10:00:00-04:00');
  const contacts = [
    contact('2026-06-02T10:00:00-04:00'),
    contact('2026-06-04T10:00:00-04:00', 'caregiver', 'face-to-face'),
  ];
  it('is due 90 days after the first session, then 90 days after each review', () => {
    const first = clocks({ referral: ref, contacts }, '2026-08-01T12:00:00-04:00')['continuing-stay-review'];
    expect(first).toMatchObject({ status: 'due', dueDate: '2026-09-02' });
    const late = clocks({ referral: ref, contacts }, '2026-09-10T12:00:00-04:00')['continuing-stay-review'];
    expect(late.status).toBe('overdue');
    const reviewed = clocks(
      { referral: ref, contacts, reviews: ['2026-09-08T15:00:00Z'] },
      '2026-09-10T12:00:00-04:00',
    )['continuing-stay-review'];
    expect(reviewed).toMatchObject({
      status: 'due',
      dueDate: '2026-12-07',
      summary: 'Last review Sep 8, 2026; next due by Mon Dec 7.',
    });
  });

  it('continuing stay no longer holds when the review finds the criteria unmet or every goal achieved (004 §IV)', () => {
    const now = '2026-09-10T12:00:00-04:00';
    const held = clocks(
      {
        referral: ref,
        contacts,
        reviews: ['2026-09-08T15:00:00Z'],
        lastReview: { at: '2026-09-08T15:00:00Z', criteriaHold: true, goalsRemain: true },
      },
      now,
    )['continuing-stay-review'];
    expect(held.status).toBe('due');
    const unmet = clocks(
      {
        referral: ref,
        contacts,
        reviews: ['2026-09-08T15:00:00Z'],
        lastReview: { at: '2026-09-08T15:00:00Z', criteriaHold: false, goalsRemain: true },
      },
      now,
    )['continuing-stay-review'];
    expect(unmet).toMatchObject({
      status: 'missed',
      summary:
        'The review on Sep 8, 2026 found the admission criteria no longer met: continuing stay no longer holds (Arkansas §IV). Plan the discharge with the family.',
    });
    const achieved = clocks({ referral: ref, contacts, allGoalsAchieved: true }, now)[
      'continuing-stay-review'
    ];
    expect(achieved.status).toBe('missed');
    expect(achieved.summary).toContain('Every goal is achieved');
  });

  it('follows the configured interval and stops when the episode ends', () => {
    const monthly = clocks({ referral: ref, contacts, reviewIntervalDays: 30 }, '2026-06-10T12:00:00-04:00')[
      'continuing-stay-review'
    ];
    expect(monthly.dueDate).toBe('2026-07-04');
    const ended = clocks(
      { referral: ref, contacts, ended: { kind: 'discharged' } },
      '2026-09-10T12:00:00-04:00',
    )['continuing-stay-review'];
    expect(ended.status).toBe('not-applicable');
  });
});

describe('contacts not read (the middle of a very long history)', () => {
  // Referral Monday 6 January 2025; called the next day, first session that Thursday, then weekly contact
  // (caregiver and collateral) through 22 November 2026, a Sunday-to-Saturday week each.
  const weekly = (from: string, to: string): Contact[] => {
    const out: Contact[] = [];
    for (let t = Date.parse(from); t <= Date.parse(to); t += 7 * 86_400_000) {
      const sent = new Date(t).toISOString();
      out.push(contact(sent, 'caregiver', 'face-to-face'), contact(sent, 'collateral', 'phone'));
    }
    return out;
  };
  const opening = [
    contact('2025-01-07T12:00:00-05:00'),
    contact('2025-01-09T12:00:00-05:00', 'caregiver', 'face-to-face'),
    contact('2025-01-09T13:00:00-05:00', 'collateral', 'phone'),
  ];
  const all = [...opening, ...weekly('2025-01-16T17:00:00Z', '2026-11-19T17:00:00Z')];
  const now = '2026-11-20T12:00:00-05:00';
  // What the workspace read: the opening and the latest contacts since 1 October 2026.
  const gap = { after: '2025-01-09T18:00:00Z', before: '2026-10-01T17:00:00Z' };
  const read = all.filter((c) => c.sent <= gap.after || c.sent >= gap.before);
  const episode = (contacts: Contact[], extra: Partial<Episode> = {}): Episode => ({
    referral: referral('2025-01-06T10:00:00-05:00'),
    contacts,
    ...extra,
  });

  it('the opening clocks are decided from the first contacts read', () => {
    const c = clocks(episode(read, { contactsGap: gap }), now);
    expect(c['first-caregiver-call'].status).toBe('met');
    expect(c['service-initiation'].status).toBe('met');
    expect(c['service-initiation'].satisfiedOn).toBe('2025-01-09');
  });

  it('weeks whose contacts were not read are not-loaded, never missed, and the weekly clocks say so', () => {
    // Without the gap the same contacts would look like 90 missed weeks.
    const blind = evaluateEpisode(episode(read), at(now), cal);
    expect(blind.clocks['weekly-caregiver-contact'].pastMissed).toBeGreaterThan(80);

    const result = evaluateEpisode(episode(read, { contactsGap: gap }), at(now), cal);
    const statuses = new Set(result.weeks.map((w) => w.caregiver.status));
    expect(statuses.has('missed')).toBe(false);
    expect(result.weeks.find((w) => w.weekStart === '2025-06-01')?.caregiver.status).toBe('not-loaded');
    expect(result.weeks.find((w) => w.weekStart === '2026-10-11')?.caregiver.status).toBe('met');
    const clock = result.clocks['weekly-caregiver-contact'];
    expect(clock.status).toBe('met');
    expect(clock.pastMissed).toBe(0);
    expect(clock.notLoaded).toBeGreaterThan(80);
    expect(clock.summary).toMatch(/earlier week\(s\) not loaded here: open the contact history/);
    // Every note read is linked to a goal, but "every note" is not claimed.
    expect(result.clocks['continuing-stay'].status).toBe('not-loaded');
  });

  it('read in full (the history screen), the same episode has every week met', () => {
    const result = evaluateEpisode(episode(all), at(now), cal);
    expect(result.clocks['weekly-caregiver-contact'].pastMissed).toBe(0);
    expect(result.clocks['weekly-caregiver-contact'].notLoaded).toBeUndefined();
    expect(result.clocks['continuing-stay'].status).toBe('met');
  });

  it('an unlinked note among those read is still reported', () => {
    const unlinked = contact('2026-11-18T12:00:00-05:00', 'caregiver', 'phone', { goalIds: [] });
    const c = clocks(episode([...read, unlinked], { contactsGap: gap, planGoalIds: new Set(['g1']) }), now);
    expect(c['continuing-stay'].status).toBe('missed');
    expect(c['continuing-stay'].evidence).toEqual([`Communication/${unlinked.id}`]);
  });

  it('when the first contacts themselves were not read, the opening clocks are not guessed', () => {
    const latest = all.filter((c) => c.sent >= gap.before);
    const c = clocks(episode(latest, { contactsGap: { before: gap.before } }), now);
    expect(c['first-caregiver-call'].status).toBe('not-loaded');
    expect(c['service-initiation'].status).toBe('not-loaded');
    expect(c.waitlist.status).toBe('not-loaded');
    expect(c['weekly-caregiver-contact'].status).toBe('not-loaded');
    expect(c['continuing-stay-review'].status).toBe('not-loaded');
    // Read without the gap, the latest contacts alone would make the first call "late".
    expect(clocks(episode(latest), now)['first-caregiver-call'].status).toBe('late');
  });

  it('an ended episode with no missed week among those read is not called "every week"', () => {
    const c = clocks(
      episode(read, {
        contactsGap: gap,
        ended: { kind: 'discharged', at: '2026-11-20T10:00:00-05:00' },
      }),
      now,
    );
    expect(c['weekly-caregiver-contact'].status).toBe('not-loaded');
    expect(c['weekly-caregiver-contact'].summary).toMatch(
      /^No week without caregiver contact among those read/,
    );
  });
});

describe('a referral declined or cancelled stops its clocks', () => {
  const referred = '2026-11-08T10:00:00-05:00';
  it('a deadline not reached when the referral was declined no longer applies (no call is due)', () => {
    const declined = referral(referred, { status: 'rejected', stage: 'declined' });
    const result = clocks(
      { referral: declined, contacts: [], ended: { kind: 'declined', at: '2026-11-10T09:00:00-05:00' } },
      '2026-11-11T12:00:00-05:00',
    );
    expect(result['first-caregiver-call']).toMatchObject({
      status: 'not-applicable',
      summary: 'Does not apply: the referral was declined on Tue Nov 10.',
    });
    expect(result['first-caregiver-call'].daysLeft).toBeUndefined();
  });

  it('a deadline already passed when the referral was cancelled stays missed: that miss happened', () => {
    const cancelled = referral(referred, { status: 'cancelled', stage: 'cancelled' });
    const result = clocks(
      { referral: cancelled, contacts: [], ended: { kind: 'cancelled', at: '2026-11-20T09:00:00-05:00' } },
      '2026-11-21T12:00:00-05:00',
    );
    // Missed, not "overdue": there is nothing left to do on a cancelled referral, but the miss is reported.
    expect(result['first-caregiver-call']).toMatchObject({ status: 'missed', daysLeft: undefined });
    expect(result['first-caregiver-call'].summary).toMatch(
      /^Missed: the deadline \(Fri Nov 13\) passed before the referral was cancelled on Fri Nov 20\./,
    );
  });

  it('a call made before the decline stays met', () => {
    const declined = referral(referred, { status: 'rejected', stage: 'declined' });
    const result = clocks(
      {
        referral: declined,
        contacts: [contact('2026-11-09T10:00:00-05:00')],
        ended: { kind: 'declined', at: '2026-11-10T09:00:00-05:00' },
      },
      '2026-11-11T12:00:00-05:00',
    );
    expect(result['first-caregiver-call'].status).toBe('met');
    expect(result['service-initiation'].status).toBe('not-applicable');
  });
});

describe('seed 000 process 4, "Telephone the parent/caregiver … to offer a face-to-face interview"', () => {
  const referred = '2026-11-02T10:00:00-05:00';
  const now = '2026-11-10T12:00:00-05:00';
  it('a live conversation meets it (phone, or in person); a message by another means does not', () => {
    const call = (method: ContactMethod) =>
      clocks(
        {
          referral: referral(referred),
          contacts: [contact('2026-11-03T10:00:00-05:00', 'caregiver', method)],
        },
        now,
      )['first-caregiver-call'].status;
    expect(call('phone')).toBe('met');
    expect(call('face-to-face')).toBe('met');
    expect(call('other')).toBe('overdue');
  });
});

describe('seed 000 discharge 1 / 5: no discharge plan is owed when services never began', () => {
  const referred = '2026-11-08T10:00:00-05:00';
  it('a referral declined after only the intake call owes no plan', () => {
    const declined = referral(referred, { status: 'rejected', stage: 'declined' });
    const result = clocks(
      {
        referral: declined,
        contacts: [contact('2026-11-09T10:00:00-05:00')],
        ended: { kind: 'declined', at: '2026-11-10T09:00:00-05:00' },
      },
      '2026-11-30T12:00:00-05:00',
    );
    expect(result['discharge-plan']).toMatchObject({
      status: 'not-applicable',
      summary: 'No discharge plan is owed: services never began.',
    });
  });

  it('a referral cancelled once services had begun still owes its plan', () => {
    const cancelled = referral(referred, {
      status: 'cancelled',
      stage: 'cancelled',
      recordedHistory: [{ status: 'in-progress', stage: 'active', at: '2026-11-10T12:00:00-05:00' }],
    });
    const result = clocks(
      {
        referral: cancelled,
        contacts: [contact('2026-11-12T10:00:00-05:00', 'caregiver', 'face-to-face')],
        ended: { kind: 'cancelled', at: '2026-11-13T09:00:00-05:00' },
      },
      '2026-11-30T12:00:00-05:00',
    );
    expect(result['discharge-plan'].status).toBe('overdue');
  });
});

describe('the recorded start and hold agree with the clocks', () => {
  const referred = '2026-11-02T10:00:00-05:00';
  // Seed 000 process 5: "the timely provision for services" — a start typed on the referral provides no service.
  it('a start recorded with no session logged does not meet the 14 days: it says to log the session', () => {
    const started = referral(referred, {
      status: 'in-progress',
      stage: 'active',
      recordedHistory: [{ status: 'in-progress', stage: 'active', at: '2026-11-06T12:00:00-05:00' }],
    });
    const result = clocks(
      { referral: started, contacts: [contact('2026-11-03T10:00:00-05:00')] },
      '2026-11-07T12:00:00-05:00',
    );
    expect(result['service-initiation']).toMatchObject({
      status: 'due',
      dueDate: '2026-11-17',
      evidence: [],
    });
    expect(result['service-initiation'].summary).toContain(
      'Services were marked started on Nov 6, 2026, but no session is logged: log the first session.',
    );
    // Past the 14 days with still no session: overdue, however the referral says it started.
    const later = clocks(
      { referral: started, contacts: [contact('2026-11-03T10:00:00-05:00')] },
      '2026-11-20T12:00:00-05:00',
    );
    expect(later['service-initiation'].status).toBe('overdue');
    // The session, once logged, meets it on its own day.
    const logged = clocks(
      {
        referral: started,
        contacts: [
          contact('2026-11-03T10:00:00-05:00'),
          contact('2026-11-06T10:00:00-05:00', 'caregiver', 'face-to-face'),
        ],
      },
      '2026-11-07T12:00:00-05:00',
    );
    expect(logged['service-initiation']).toMatchObject({ status: 'met', satisfiedOn: '2026-11-06' });
    expect(logged['service-initiation'].evidence[0]).toMatch(/^Communication\//);
  });

  // Seed 000 process 6: "maintain a waitlist if unable to offer a face-to-face interview and initiate services
  // within five calendar days of parent/caregiver contact" — read with process 5: only a session initiates.
  it('the waitlist clock counts only a logged session, as the 14 days do: a typed start does not excuse the waitlist', () => {
    const started = referral(referred, {
      status: 'in-progress',
      stage: 'active',
      recordedHistory: [{ status: 'in-progress', stage: 'active', at: '2026-11-06T12:00:00-05:00' }],
    });
    const typed = clocks(
      { referral: started, contacts: [contact('2026-11-03T10:00:00-05:00')] },
      '2026-11-07T12:00:00-05:00',
    );
    expect(typed.waitlist).toMatchObject({ status: 'due', dueDate: '2026-11-08' });
    expect(typed.waitlist.summary).toContain('but no session is logged: log the first session.');
    const past = clocks(
      { referral: started, contacts: [contact('2026-11-03T10:00:00-05:00')] },
      '2026-11-10T12:00:00-05:00',
    );
    expect(past.waitlist.status).toBe('overdue');
    const logged = clocks(
      {
        referral: started,
        contacts: [
          contact('2026-11-03T10:00:00-05:00'),
          contact('2026-11-06T10:00:00-05:00', 'caregiver', 'face-to-face'),
        ],
      },
      '2026-11-07T12:00:00-05:00',
    );
    expect(logged.waitlist.status).toBe('not-applicable');
  });

  it('weeks on hold are not required; a contact made during the hold still counts', () => {
    const held = referral(referred, {
      status: 'in-progress',
      stage: 'active',
      recordedHistory: [
        { status: 'in-progress', stage: 'active', at: '2026-11-03T12:00:00-05:00' },
        { status: 'on-hold', stage: 'active', at: '2026-11-08T09:00:00-05:00', reason: 'Family travelling' },
        { status: 'in-progress', stage: 'active', at: '2026-11-22T09:00:00-05:00' },
      ],
    });
    const contacts = [
      contact('2026-11-03T10:00:00-05:00', 'caregiver', 'face-to-face'),
      contact('2026-11-17T10:00:00-05:00'),
    ];
    const weeks = evaluateEpisode({ referral: held, contacts }, at('2026-11-25T12:00:00-05:00'), cal).weeks;
    const week = (start: string) => weeks.find((w) => w.weekStart === start);
    // Nov 8–14: on hold all week, no contact: not required. Nov 15–21: on hold, a contact: met.
    expect(week('2026-11-08')).toMatchObject({ onHold: true, caregiver: { status: 'not-applicable' } });
    expect(week('2026-11-15')).toMatchObject({ onHold: true, caregiver: { status: 'met' } });
    // Back in service from Nov 22: this week is due again.
    expect(week('2026-11-22')?.caregiver.status).toBe('due');
    expect(week('2026-11-22')?.onHold).toBeUndefined();
  });
});

describe('000 process 8 on hold: weeks on hold are neither met nor missed; one day on hold excuses no week', () => {
  const referred = '2026-11-02T10:00:00-05:00';
  const started = { status: 'in-progress', stage: 'active' as const, at: '2026-11-03T12:00:00-05:00' };
  const first = () => contact('2026-11-03T10:00:00-05:00', 'caregiver', 'face-to-face');
  const held = (
    changes: { status: string; stage: 'active'; at: string }[],
    extra: Partial<Referral> = {},
  ): Referral =>
    referral(referred, { status: 'on-hold', stage: 'active', recordedHistory: changes, ...extra });

  it('putting the family on hold keeps this week due (for the days served), never missed', () => {
    // Week of Nov 15: no contact; Wednesday Nov 18 the family goes on hold. Before the hold the clock said Due.
    const hold = { status: 'on-hold', stage: 'active' as const, at: '2026-11-18T09:00:00-05:00' };
    const contacts = [first(), contact('2026-11-10T10:00:00-05:00')];
    const before = clocks(
      { referral: referral(referred, { recordedHistory: [started] }), contacts },
      '2026-11-18T08:00:00-05:00',
    )['weekly-caregiver-contact'];
    expect(before.status).toBe('due');
    const after = clocks({ referral: held([started, hold]), contacts }, '2026-11-18T10:00:00-05:00')[
      'weekly-caregiver-contact'
    ];
    expect(after.status).toBe('on-hold');
    expect(after.summary).toMatch(/^On hold since Nov 18, 2026: weeks on hold are neither met nor missed\./);
    expect(after.summary).toContain('still owed for the days in service before the hold, by Sat Nov 21');
    expect(after.dueDate).toBe('2026-11-21');
  });

  it('three weeks into a hold the clock says "On hold since", not "Met — contact every week"', () => {
    // On hold from Sunday Nov 8: every week since is wholly on hold and has no contact.
    const hold = { status: 'on-hold', stage: 'active' as const, at: '2026-11-08T09:00:00-05:00' };
    const contacts = [first()];
    const result = evaluateEpisode(
      { referral: held([started, hold]), contacts },
      at('2026-11-30T12:00:00-05:00'),
      cal,
    );
    const clock = result.clocks['weekly-caregiver-contact'];
    expect(clock.status).toBe('on-hold');
    expect(clock.summary).toBe('On hold since Nov 8, 2026: weeks on hold are neither met nor missed.');
    expect(clock.pastMissed).toBe(0);
    const rows = result.weeks.filter((w) => w.weekStart >= '2026-11-08');
    expect(rows.map((w) => [w.weekStart, w.onHold, w.caregiver.status])).toEqual([
      ['2026-11-08', true, 'not-applicable'],
      ['2026-11-15', true, 'not-applicable'],
      ['2026-11-22', true, 'not-applicable'],
      ['2026-11-29', true, 'not-applicable'],
    ]);
    expect(result.clocks['weekly-collateral-contact'].status).toBe('on-hold');
  });

  it('one day on hold does not excuse the week: its days in service still need the contact', () => {
    // On hold Saturday Nov 14 only (resumed Sunday Nov 15): Nov 8–13 were days of service without a contact.
    const changes = [
      started,
      { status: 'on-hold', stage: 'active' as const, at: '2026-11-14T09:00:00-05:00' },
      { status: 'in-progress', stage: 'active' as const, at: '2026-11-15T09:00:00-05:00' },
    ];
    const weeks = evaluateEpisode(
      { referral: referral(referred, { recordedHistory: changes }), contacts: [first()] },
      at('2026-11-16T12:00:00-05:00'),
      cal,
    ).weeks;
    const week = weeks.find((w) => w.weekStart === '2026-11-08');
    expect(week?.onHold).toBeUndefined();
    expect(week?.caregiver.status).toBe('missed');
  });

  it('Resume restarts the clock: the week of the resume is due again', () => {
    const changes = [
      started,
      { status: 'on-hold', stage: 'active' as const, at: '2026-11-08T09:00:00-05:00' },
      { status: 'in-progress', stage: 'active' as const, at: '2026-11-25T09:00:00-05:00' },
    ];
    const clock = clocks(
      { referral: referral(referred, { recordedHistory: changes }), contacts: [first()] },
      '2026-11-25T12:00:00-05:00',
    )['weekly-caregiver-contact'];
    expect(clock).toMatchObject({ status: 'due', dueDate: '2026-11-28', pastMissed: 0 });
  });
});
