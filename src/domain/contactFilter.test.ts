import { describe, expect, it } from 'vitest';
import {
  filterContacts,
  filterFromQuery,
  filterMeetings,
  filterToQuery,
  timelineRows,
} from './contactFilter';
import type { Contact } from './model';

const base: Contact = {
  id: '',
  kind: 'caregiver',
  status: 'completed',
  method: 'phone',
  sent: '',
  goalIds: [],
  purposes: [],
};
const contacts: Contact[] = [
  {
    ...base,
    id: 'a',
    sent: '2026-11-01T15:00:00Z',
    note: 'Talked about the IEP meeting',
    purposes: ['educating'],
    goalIds: ['g1'],
    senderReference: 'Practitioner/fp',
  },
  {
    ...base,
    id: 'b',
    sent: '2026-11-10T15:00:00Z',
    kind: 'collateral',
    method: 'face-to-face',
    note: 'Update to therapist',
    senderReference: 'Practitioner/other',
  },
  { ...base, id: 'c', sent: '2026-11-21T04:30:00Z', note: 'Late evening call about school', goalIds: ['g2'] }, // Nov 20, 23:30 in New York
  { ...base, id: 'd', sent: '2026-11-15T15:00:00Z', status: 'entered-in-error', note: 'wrong family' },
];
const ids = (f: Parameters<typeof filterContacts>[1]) =>
  filterContacts(contacts, f, 'America/New_York').map((c) => c.id);

describe('filterContacts', () => {
  it('lists newest first and hides entered-in-error', () => {
    expect(ids({})).toEqual(['c', 'b', 'a']);
    expect(ids({ includeEnteredInError: true })).toEqual(['c', 'd', 'b', 'a']);
  });
  it.each([
    [{ kind: 'collateral' as const }, ['b']],
    [{ method: 'face-to-face' as const }, ['b']],
    [{ purpose: 'educating' }, ['a']],
    [{ goalId: 'g2' }, ['c']],
    [{ senderReference: 'Practitioner/fp' }, ['a']],
    [{ text: 'IEP meeting' }, ['a']],
    [{ text: 'SCHOOL' }, ['c']],
    [{ from: '2026-11-10', to: '2026-11-20' }, ['c', 'b']],
    [{ to: '2026-11-19' }, ['b', 'a']],
  ])('%o', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });
});

describe('team meetings in the history', () => {
  const meeting = (id: string, start: string, goalId = 'g1') => ({
    id,
    kind: 'cpt' as const,
    start,
    attendees: [{ reference: 'Practitioner/icc', name: 'Marcus Bell' }],
    youthAttended: false,
    goalUpdates: [{ goalId, update: 'Steady progress at school' }],
    decisions: 'Keep the routine',
    recordedBy: 'Practitioner/fp',
  });
  const tz = 'America/New_York';
  const meetings = [meeting('m1', '2026-11-10T15:00:00Z'), meeting('m2', '2026-11-17T15:00:00Z', 'g2')];

  it('follow the goal, Family Partner, date and text filters, and drop out under a method or purpose filter', () => {
    expect(filterMeetings(meetings, {}, tz).map((m) => m.id)).toEqual(['m2', 'm1']);
    expect(filterMeetings(meetings, { goalId: 'g2' }, tz).map((m) => m.id)).toEqual(['m2']);
    expect(filterMeetings(meetings, { from: '2026-11-15' }, tz).map((m) => m.id)).toEqual(['m2']);
    expect(filterMeetings(meetings, { text: 'marcus routine' }, tz)).toHaveLength(2);
    expect(filterMeetings(meetings, { senderReference: 'Practitioner/other' }, tz)).toEqual([]);
    expect(filterMeetings(meetings, { method: 'phone' }, tz)).toEqual([]);
    expect(filterMeetings(meetings, { kind: 'caregiver' }, tz)).toEqual([]);
    expect(filterMeetings(meetings, { kind: 'meeting' }, tz)).toHaveLength(2);
  });

  it('interleave with contacts, newest first; "Team meeting" shows meetings only', () => {
    const one = [{ ...base, id: 'c1', sent: '2026-11-12T15:00:00Z' }];
    expect(timelineRows(one, meetings).map((r) => r.id)).toEqual([
      'Encounter/m2',
      'Communication/c1',
      'Encounter/m1',
    ]);
    expect(filterContacts(one, { kind: 'meeting' }, tz)).toEqual([]);
  });
});

describe('the filter in the address', () => {
  it('round-trips the coded filters and never carries the words searched for', () => {
    const filter = {
      kind: 'caregiver' as const,
      method: 'phone' as const,
      goalId: 'goal-01-1',
      senderReference: 'Practitioner/fp-rosa',
      from: '2026-10-01',
      to: '2026-11-30',
      includeEnteredInError: true,
      text: 'Angela said',
    };
    const query = filterToQuery(filter);
    expect(query).not.toContain('Angela');
    const { text: _words, ...coded } = filter;
    expect(filterFromQuery(`?${query}`)).toEqual(coded);
  });

  it('ignores what a typed address gets wrong', () => {
    expect(
      filterFromQuery('?kind=everything&method=fax&from=yesterday&by=javascript:alert(1)&withdrawn=yes'),
    ).toEqual({});
  });
});
