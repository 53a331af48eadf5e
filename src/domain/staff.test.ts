import { describe, expect, it } from 'vitest';
import type { StaffRole } from './permissions';
import { civilFromIso, DEFAULT_CALENDAR } from './calendar';
import {
  lapsedCredentialOn,
  initialTrainingCompletedOn,
  needsAttention,
  oneYearAfter,
  servedBeforeTrainingProblem,
  quarterStart,
  requirementOf,
  staffItems,
  supervisionGrid,
  supervisionReadFrom,
  missedWeeks,
  weeklySupervisionApplies,
  supervisionProblems,
  qualificationProblems,
  TOPICS,
} from './staff';
import type { StaffItem, StaffMember, SupervisionSession } from './staff';

/** The supervisors the tests name: a Senior Family Partner and a licensed clinician. */
const rolesOf = (ref: string): ReadonlySet<StaffRole> =>
  new Set<StaffRole>(
    ref === 'Practitioner/sfp'
      ? ['senior-family-partner']
      : ref === 'Practitioner/lc'
        ? ['fst-supervisor']
        : [],
  );

describe('weekly supervision (seed 000 staffing 8)', () => {
  const session = (
    id: string,
    kind: SupervisionSession['kind'],
    start: string,
    supervisees: string[],
  ): SupervisionSession => ({
    id,
    kind,
    start,
    supervisor: kind === 'senior-fp-individual' ? 'Practitioner/sfp' : 'Practitioner/lc',
    supervisees,
    topics: [],
  });
  // Weeks start on Sunday (DEFAULT_CALENDAR): Nov 1, 8 and 15 2026; "now" is Wed Nov 18.
  const now = new Date('2026-11-18T17:00:00Z');
  const period = { from: '2026-11-01', to: '2026-11-30' };

  it('a dyad meets the clinician requirement for both supervisees, never the Senior FP one', () => {
    expect(requirementOf('clinician-dyad')).toBe('clinician');
    const dyad = session('d', 'clinician-dyad', '2026-11-03T15:00:00Z', ['Practitioner/a', 'Practitioner/b']);
    for (const who of ['Practitioner/a', 'Practitioner/b']) {
      const [first] = supervisionGrid([dyad], who, period, now, DEFAULT_CALENDAR, rolesOf);
      expect(first.clinician.status).toBe('met');
      expect(first['senior-fp'].status).toBe('missed');
    }
  });

  it('past weeks without a session are missed; the current week is due until it ends', () => {
    const grid = supervisionGrid(
      [session('s1', 'senior-fp-individual', '2026-11-10T15:00:00Z', ['Practitioner/a'])],
      'Practitioner/a',
      period,
      now,
      DEFAULT_CALENDAR,
      rolesOf,
    );
    expect(grid.map((w) => [w.weekStart, w['senior-fp'].status, w.clinician.status])).toEqual([
      ['2026-11-01', 'missed', 'missed'],
      ['2026-11-08', 'met', 'missed'],
      ['2026-11-15', 'due', 'due'],
    ]);
    expect(grid[1]['senior-fp'].sessions).toEqual([{ id: 's1', supervisor: 'Practitioner/sfp' }]);
  });

  it('a session near midnight counts in the provider week, not the UTC one', () => {
    // Saturday Nov 7, 22:30 in Massachusetts is already Sunday Nov 8 in UTC.
    const late = session('late', 'clinician-individual', '2026-11-08T03:30:00Z', ['Practitioner/a']);
    const grid = supervisionGrid([late], 'Practitioner/a', period, now, DEFAULT_CALENDAR, rolesOf);
    expect(grid[0].clinician.status).toBe('met');
    expect(grid[1].clinician.status).toBe('missed');
  });

  it('checks the shape of a session: two for a dyad, one for individual, no self-supervision', () => {
    const d = {
      requestId: 'r',
      start: '2026-11-18T15:00:00Z',
      minutes: 60,
      supervisor: 'Practitioner/lc',
      topics: [],
    };
    expect(
      supervisionProblems({ ...d, kind: 'clinician-dyad', supervisees: ['Practitioner/a'] }, now)[0]?.field,
    ).toBe('supervisees');
    expect(
      supervisionProblems(
        { ...d, kind: 'clinician-dyad', supervisees: ['Practitioner/a', 'Practitioner/b'] },
        now,
      ),
    ).toEqual([]);
    expect(
      supervisionProblems({ ...d, kind: 'clinician-individual', supervisees: ['Practitioner/lc'] }, now).map(
        (p) => p.field,
      ),
    ).toEqual(['supervisees']);
  });

  it('a clinician kind is given by a licensed clinician, never a Senior Family Partner (seed 000 staffing 8)', () => {
    const roles = new Map<string, ReadonlySet<StaffRole>>([
      ['Practitioner/lc', new Set(['fst-supervisor'])],
      ['Practitioner/sfp', new Set(['senior-family-partner'])],
    ]);
    const rolesOf = (ref: string) => roles.get(ref) ?? new Set<StaffRole>();
    const dyad = {
      requestId: 'r',
      kind: 'clinician-dyad' as const,
      start: '2026-11-18T15:00:00Z',
      minutes: 60,
      supervisor: 'Practitioner/sfp',
      supervisees: ['Practitioner/a', 'Practitioner/b'],
      topics: [],
    };
    expect(supervisionProblems(dyad, now, rolesOf)).toEqual([
      {
        field: 'supervisor',
        message: 'This kind of supervision is given by a licensed clinician: choose one.',
      },
    ]);
    expect(supervisionProblems({ ...dyad, supervisor: 'Practitioner/lc' }, now, rolesOf)).toEqual([]);
    expect(
      supervisionProblems(
        {
          ...dyad,
          kind: 'senior-fp-individual',
          supervisees: ['Practitioner/a'],
          supervisor: 'Practitioner/lc',
        },
        now,
        rolesOf,
      ).map((p) => p.field),
    ).toEqual(['supervisor']);
  });
});

describe('who is supervised weekly', () => {
  it('Family Partners (seed 000 staffing 8); a Senior Family Partner gives supervision and is not graded on it', () => {
    expect(weeklySupervisionApplies({ role: 'family-partner' })).toBe(true);
    expect(weeklySupervisionApplies({ role: 'senior-family-partner' })).toBe(false);
  });

  it('counts the weeks with a requirement missed, so the summary never says "all current" above them', () => {
    const cell = (status: 'met' | 'missed' | 'due') => ({ status, sessions: [] });
    const week = (a: 'met' | 'missed' | 'due', b: 'met' | 'missed' | 'due') => ({
      weekStart: '2026-11-01',
      weekEnd: '2026-11-07',
      'senior-fp': cell(a),
      clinician: cell(b),
    });
    expect(
      missedWeeks([week('met', 'met'), week('missed', 'met'), week('met', 'missed'), week('due', 'due')]),
    ).toBe(2);
  });
});

describe('the first week of a period', () => {
  it('is read from its first day, so sessions before the period start still meet it (no false "missed")', () => {
    // Thursday Oct 1, 2026; weeks start on Sunday here: Sunday Sep 27.
    expect(supervisionReadFrom('2026-10-01', { weekStartsOn: 0 })).toBe('2026-09-27');
    expect(supervisionReadFrom('2026-10-01', { weekStartsOn: 1 })).toBe('2026-09-28');
    expect(supervisionReadFrom('2026-09-27', { weekStartsOn: 0 })).toBe('2026-09-27');
    const session = {
      id: 's1',
      kind: 'clinician-individual' as const,
      start: '2026-09-29T15:00:00Z',
      minutes: 60,
      supervisor: 'Practitioner/lc',
      supervisees: ['Practitioner/fp'],
      topics: [],
    };
    const weeks = supervisionGrid(
      [session],
      'Practitioner/fp',
      { from: '2026-10-01', to: '2026-10-10' },
      new Date('2026-10-10T12:00:00Z'),
      DEFAULT_CALENDAR,
      rolesOf,
    );
    expect(weeks[0].clinician.status).toBe('met');
  });
});

// Seed 000 staffing 8: "weekly individual supervision from a Senior Family Partner and weekly … supervision … with
// a licensed behavioral health clinician" — a session counts by who gave it, not by the kind it was recorded as.
describe('staffing 8: a session meets a requirement only when given by whom the seed names', () => {
  const period = { from: '2026-11-01', to: '2026-11-07' };
  const now = new Date('2026-11-18T17:00:00Z');
  const by = (id: string, kind: SupervisionSession['kind'], supervisor: string): SupervisionSession => ({
    id,
    kind,
    start: '2026-11-03T15:00:00Z',
    minutes: 45,
    supervisor,
    supervisees: ['Practitioner/a'],
    topics: [],
  });
  it('a "Senior FP" session given by a clinician, or a clinician session given by a Senior FP, is not counted', () => {
    const [week] = supervisionGrid(
      [
        by('x', 'senior-fp-individual', 'Practitioner/lc'),
        by('y', 'clinician-individual', 'Practitioner/sfp'),
      ],
      'Practitioner/a',
      period,
      now,
      DEFAULT_CALENDAR,
      rolesOf,
    );
    expect(week['senior-fp'].status).toBe('missed');
    expect(week.clinician.status).toBe('missed');
    expect(week['senior-fp'].notCounted).toEqual([
      {
        id: 'x',
        supervisor: 'Practitioner/lc',
        reason: 'This kind of supervision is given by a Senior Family Partner: choose one.',
      },
    ]);
    expect(week.clinician.notCounted?.map((n) => n.id)).toEqual(['y']);
  });
  it('given by the right person, each meets its own requirement', () => {
    const [week] = supervisionGrid(
      [by('x', 'senior-fp-individual', 'Practitioner/sfp'), by('y', 'clinician-group', 'Practitioner/lc')],
      'Practitioner/a',
      period,
      now,
      DEFAULT_CALENDAR,
      rolesOf,
    );
    expect([week['senior-fp'].status, week.clinician.status]).toEqual(['met', 'met']);
    expect(week['senior-fp'].notCounted).toBeUndefined();
  });
});

describe('training and credentials', () => {
  it('annual training falls due a year on; 29 February becomes 28 February, across the year end too', () => {
    expect(oneYearAfter('2026-12-31')).toBe('2027-12-31');
    expect(oneYearAfter('2028-02-29')).toBe('2029-02-28');
    expect(oneYearAfter('2027-02-28')).toBe('2028-02-28');
    expect(oneYearAfter('2099-12-31')).toBe('2100-12-31');
  });

  it('lists expired and missing first, then due within 30 days, then current', () => {
    const member: StaffMember = {
      reference: 'Practitioner/a',
      name: 'A',
      role: 'family-partner',
      qualifications: [
        { code: 'lived-experience', start: '2015-05-20' },
        { code: 'systems-navigation', start: '2015-05-20' },
        { code: 'bachelor-degree', start: '2015-05-20' },
        { code: 'drivers-licence', start: '2020-01-01', end: '2026-12-01' },
        { code: 'auto-insurance', start: '2026-01-01', end: '2026-11-01' },
        { code: 'icc-training', start: '2024-03-01' },
        { code: 'competency-training', start: '2024-03-05' },
        ...TOPICS.map((code) => ({ code, start: '2026-02-01' })),
        { code: 'topic-k' as const, start: '2025-11-01' },
      ],
    };
    const items = staffItems(member, civilFromIso('2026-11-18'));
    expect(items[0]).toMatchObject({ code: 'auto-insurance', status: 'expired', due: '2026-11-01' });
    expect(items[1]).toMatchObject({ code: 'drivers-licence', status: 'due-soon' });
    // The latest completion counts: topic k was redone in February.
    expect(items.find((i) => i.code === 'topic-k')).toMatchObject({ status: 'current', due: '2027-02-01' });
    expect(items.filter((i) => i.status === 'missing')).toEqual([]);
  });

  it('seed 000 staffing 2, "a current/valid driver’s license": one with no expiry date on record must be confirmed', () => {
    const member: StaffMember = {
      reference: 'Practitioner/a',
      name: 'A',
      role: 'family-partner',
      qualifications: [
        { code: 'drivers-licence', start: '2020-01-01' },
        { code: 'auto-insurance', start: '2026-01-01', end: '2027-06-01' },
      ],
    };
    const items = staffItems(member, civilFromIso('2026-11-18'));
    expect(items.find((i) => i.code === 'drivers-licence')).toMatchObject({ status: 'to-confirm' });
    expect(items.find((i) => i.code === 'auto-insurance')).toMatchObject({ status: 'current' });
    expect(needsAttention(items)).toBe(true);
  });

  it('a degree alone does not qualify: staffing 1 needs a) lived experience and b) systems navigation too', () => {
    const member: StaffMember = {
      reference: 'Practitioner/b',
      name: 'B',
      role: 'family-partner',
      qualifications: [{ code: 'bachelor-degree', start: '2015-05-20' }],
    };
    const missing = staffItems(member, civilFromIso('2026-11-18'))
      .filter((i) => i.status === 'missing')
      .map((i) => i.code);
    expect(missing).toEqual(expect.arrayContaining(['lived-experience', 'systems-navigation']));
    expect(missing).not.toContain('bachelor-degree');
  });

  it('the audit quarter starts on the first day of its first month', () => {
    expect(quarterStart('2026-11-18')).toBe('2026-10-01');
    expect(quarterStart('2027-01-01')).toBe('2027-01-01');
  });
});

describe('qualificationProblems', () => {
  const d = { member: 'Practitioner/fp', code: 'topic-a', start: '2026-01-10', end: '' };
  it('names the field of each problem, and none for a complete record', () => {
    expect(qualificationProblems(d)).toEqual([]);
    expect(qualificationProblems({ ...d, member: '', code: '' }).map((p) => p.field)).toEqual([
      'member',
      'code',
    ]);
    expect(qualificationProblems({ ...d, start: '', end: '' })).toEqual([
      { field: 'start', message: 'Enter the completion, issue or expiry date.' },
    ]);
    expect(qualificationProblems({ ...d, end: '2025-12-31' })).toEqual([
      { field: 'end', message: 'The expiry comes after the issue date.' },
    ]);
    // An expiry alone (a credential whose issue date is unknown) is enough.
    expect(qualificationProblems({ ...d, start: '', end: '2027-01-01' })).toEqual([]);
    // An area of lived experience (for matching) has no date.
    expect(qualificationProblems({ ...d, code: 'juvenile-court', start: '', end: '' })).toEqual([]);
  });
});

// Seed 000 staffing 6: the training course "upon employment … before assuming their duties".
describe('initial training before duties', () => {
  const all = (start: string) => TOPICS.map((code) => ({ code, start }));
  it('is complete on the day the last topic was first completed', () => {
    const member = {
      qualifications: [...all('2026-01-10'), { code: 'topic-c' as const, start: '2026-02-01' }],
    };
    expect(initialTrainingCompletedOn(member)).toBe('2026-01-10');
    const late = {
      qualifications: [
        ...all('2026-01-10').filter((q) => q.code !== TOPICS[3]),
        { code: TOPICS[3], start: '2026-03-05' },
      ],
    };
    expect(initialTrainingCompletedOn(late)).toBe('2026-03-05');
    expect(initialTrainingCompletedOn({ qualifications: all('2026-01-10').slice(1) })).toBeUndefined();
  });
  it('flags a Family Partner who served families before the course was complete, and no one else', () => {
    const trained = { qualifications: all('2026-01-10') };
    expect(servedBeforeTrainingProblem(trained, '2026-01-12')).toBeUndefined();
    expect(servedBeforeTrainingProblem(trained, '2026-01-02')).toMatch(
      /before completing the initial training course \(complete on 2026-01-10\)/,
    );
    expect(servedBeforeTrainingProblem({ qualifications: [] }, '2026-01-02')).toMatch(
      /without the initial training course complete/,
    );
    // Nobody served yet: nothing to flag.
    expect(servedBeforeTrainingProblem({ qualifications: [] }, undefined)).toBeUndefined();
  });
});

// Seed 000 staffing 5–6: supervisory staff complete the ICC training to supervise and the course, too.
describe('supervisory staff', () => {
  it('are held to the training to supervise and the course topics, not to the Family Partner credentials', () => {
    const supervisor: StaffMember = {
      reference: 'Practitioner/lc',
      name: 'Grace Lin',
      role: 'fst-supervisor',
      qualifications: [{ code: 'icc-training', start: '2025-01-10' }],
    };
    const items = staffItems(supervisor, civilFromIso('2026-11-18'));
    const codes = items.map((i) => i.code);
    expect(codes).toContain('icc-training');
    expect(codes).toContain('supervision-training');
    expect(codes.filter((c) => c.startsWith('topic-'))).toHaveLength(TOPICS.length);
    expect(codes).not.toContain('lived-experience');
    expect(codes).not.toContain('drivers-licence');
    expect(items.find((i) => i.code === 'supervision-training')?.status).toBe('missing');
    expect(weeklySupervisionApplies(supervisor)).toBe(false);
  });
});

// Seed 000 staffing 4: Family Partners' training "to provide ICC services"; 5: Senior Family Partners' and
// supervisory staff's training "to supervise Family Partners" — two trainings, not one.
describe('staffing 4–5: the training to provide and the training to supervise', () => {
  const held = (role: StaffMember['role'], codes: string[]) =>
    staffItems(
      {
        reference: 'Practitioner/x',
        name: 'X',
        role,
        qualifications: codes.map((code) => ({ code, start: '2025-01-10' }) as never),
      },
      civilFromIso('2026-11-18'),
    );
  const status = (items: StaffItem[], code: string) => items.find((i) => i.code === code)?.status;
  it('the training to provide does not stand in for the training to supervise', () => {
    const provideOnly = ['icc-training', 'competency-training'];
    expect(status(held('fst-supervisor', provideOnly), 'supervision-training')).toBe('missing');
    expect(status(held('senior-family-partner', provideOnly), 'supervision-training')).toBe('missing');
    expect(
      status(held('senior-family-partner', [...provideOnly, 'supervision-training']), 'supervision-training'),
    ).toBe('current');
  });
  it('a Family Partner is held to the training to provide only; a supervisor to the training to supervise only', () => {
    const fp = held('family-partner', ['icc-training', 'competency-training']).map((i) => i.code);
    expect(fp).toContain('competency-training');
    expect(fp).not.toContain('supervision-training');
    const lc = held('fst-supervisor', []).map((i) => i.code);
    expect(lc).not.toContain('competency-training');
  });
  // Seed 000 staffing 9: "a clinician licensed at the independent practice level".
  it('the FST supervisor is held to a licence at the independent practice level, with its expiry', () => {
    expect(status(held('fst-supervisor', []), 'independent-licence')).toBe('missing');
    expect(status(held('fst-supervisor', ['independent-licence']), 'independent-licence')).toBe('to-confirm');
    expect(held('family-partner', []).map((i) => i.code)).not.toContain('independent-licence');
  });
});

// Seed 000 staffing 6: "Family Partners, supervisory staff, and program managers … complete a training course".
describe('program managers', () => {
  it('are held to the course topics on hire and yearly, and to nothing a Family Partner or supervisor needs', () => {
    const manager: StaffMember = {
      reference: 'Practitioner/pm',
      name: 'Teresa Nguyen',
      role: 'program-manager',
      hiredOn: '2024-01-15',
      qualifications: TOPICS.map((code) => ({
        code,
        start: code === 'topic-k' ? '2025-10-01' : '2026-08-01',
      })),
    };
    const items = staffItems(manager, civilFromIso('2026-11-18'));
    expect(items.map((i) => i.code).sort()).toEqual([...TOPICS].sort());
    expect(items[0]).toMatchObject({ code: 'topic-k', status: 'expired', due: '2026-10-01' });
    expect(items.filter((i) => i.status === 'current')).toHaveLength(TOPICS.length - 1);
    expect(weeklySupervisionApplies(manager)).toBe(false);
  });
});

describe('a lapsed credential on a date of service (claim lines)', () => {
  const member = {
    name: 'Rosa',
    qualifications: [
      { code: 'auto-insurance' as const, start: '2025-10-11', end: '2026-10-10' },
      { code: 'drivers-licence' as const, start: '2020-01-01', end: '2030-01-01' },
    ],
  };
  it('names the credential and when it expired, for days after it only', () => {
    expect(lapsedCredentialOn(member, '2026-10-10')).toBeUndefined();
    expect(lapsedCredentialOn(member, '2026-10-11')).toBe("Rosa's auto insurance expired on 2026-10-10");
  });
  it('a renewal covering the day clears it; a credential never recorded is not a lapse', () => {
    const renewed = {
      ...member,
      qualifications: [
        ...member.qualifications,
        { code: 'auto-insurance' as const, start: '2026-10-20', end: '2027-10-19' },
      ],
    };
    expect(lapsedCredentialOn(renewed, '2026-10-25')).toBeUndefined();
    // The gap between the two policies is still a lapse.
    expect(lapsedCredentialOn(renewed, '2026-10-15')).toMatch(/expired on 2026-10-10/);
    expect(lapsedCredentialOn({ name: 'X', qualifications: [] }, '2026-10-15')).toBeUndefined();
  });
});
