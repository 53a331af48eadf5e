import { describe, expect, it } from 'vitest';
import { filterContacts } from './contactFilter';
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
