import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, civilFromIso } from '../../domain/calendar';
import { staffItems, supervisionGrid } from '../../domain/staff';
import type { StaffMember, SupervisionSession } from '../../domain/staff';
import { SUPERVISION_CSV_COLUMNS, supervisionCsv } from './staffCsv';

// Issue 26: "The supervision CSV holds only the met/missed grid: also each session (date, kind, supervisor,
// duration) and each training and credential with its due date."
describe('the supervision CSV for an audit', () => {
  const member: StaffMember = {
    reference: 'Practitioner/fp',
    name: 'Rosa Delgado',
    role: 'family-partner',
    qualifications: [
      { code: 'drivers-licence', start: '2024-01-10', end: '2027-01-10' },
      { code: 'topic-a', start: '2026-02-01' },
    ] as StaffMember['qualifications'],
  };
  const sessions: SupervisionSession[] = [
    {
      id: 's1',
      kind: 'senior-fp-individual',
      start: '2026-11-03T15:00:00Z',
      minutes: 45,
      supervisor: 'Practitioner/sfp',
      supervisees: ['Practitioner/fp'],
      topics: [],
    },
    // Another person's session is not hers.
    {
      id: 's2',
      kind: 'clinician-individual',
      start: '2026-11-04T15:00:00Z',
      minutes: 30,
      supervisor: 'Practitioner/lc',
      supervisees: ['Practitioner/other'],
      topics: [],
    },
  ];
  const period = { from: '2026-11-01', to: '2026-11-14' };
  const now = new Date('2026-11-18T17:00:00Z');
  const csv = supervisionCsv(
    [
      {
        member,
        weeks: supervisionGrid(sessions, member.reference, period, now, DEFAULT_CALENDAR, (ref) =>
          ref === 'Practitioner/sfp' ? new Set(['senior-family-partner']) : new Set(['fst-supervisor']),
        ),
        items: staffItems(member, civilFromIso('2026-11-18')),
      },
    ],
    sessions,
    period,
    (ref) => ({ 'Practitioner/sfp': 'Dana Whitfield', 'Practitioner/lc': 'Grace Lin' })[ref] ?? ref,
    (instant) => instant.slice(0, 10),
  );
  const rows = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));

  it('has one header and the record kinds apart', () => {
    expect(rows[0]).toEqual([...SUPERVISION_CSV_COLUMNS]);
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(
      new Set(['week', 'session', 'training', 'credential']),
    );
  });

  it('lists each of her sessions with date, kind, supervisor and minutes — and no one else’s', () => {
    const held = rows.filter((r) => r[0] === 'session');
    expect(held).toHaveLength(1);
    expect(held[0]).toEqual(
      expect.arrayContaining(['Rosa Delgado', '2026-11-03', 'held', 'Dana Whitfield', '45']),
    );
  });

  it('gives each week both requirements, and the training and credentials with their due dates', () => {
    const weeks = rows.filter((r) => r[0] === 'week');
    expect(weeks.map((r) => `${r[3]} ${r[6]}`)).toEqual([
      '2026-11-01 met',
      '2026-11-01 missed',
      '2026-11-08 missed',
      '2026-11-08 missed',
    ]);
    const licence = rows.find((r) => r[0] === 'credential' && r[5] === "Driver's licence");
    expect(licence?.[9]).toBe('2027-01-10');
    expect(rows.some((r) => r[0] === 'training')).toBe(true);
  });
});
