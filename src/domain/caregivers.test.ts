import { describe, expect, it } from 'vitest';
import { caregiversInOrder, formerLabel, isFormerCaregiver } from './caregivers';
import type { Caregiver } from './model';

const tz = 'America/New_York';
const now = new Date('2026-11-20T15:00:00Z');
const person = (id: string, extra: Partial<Caregiver> = {}): Caregiver => ({
  reference: `RelatedPerson/${id}`,
  name: { given: id, family: 'López', full: `${id} López` },
  relationship: 'mother',
  languages: ['en'],
  ...extra,
});

describe('an ended caregiver is former (issue 35 §2)', () => {
  it('active=false or a period ended before today makes a caregiver former; an end today or later does not', () => {
    expect(isFormerCaregiver(person('a', { active: false }), now, tz)).toBe(true);
    expect(isFormerCaregiver(person('b', { periodEnd: '2026-11-19' }), now, tz)).toBe(true);
    expect(isFormerCaregiver(person('c', { periodEnd: '2026-11-20' }), now, tz)).toBe(false);
    expect(isFormerCaregiver(person('d', { periodEnd: '2026-12-01T00:00:00Z' }), now, tz)).toBe(false);
    expect(isFormerCaregiver(person('e'), now, tz)).toBe(false);
  });

  it('current caregivers come first, former ones after and marked', () => {
    const ended = person('María', { active: false, periodEnd: '2026-11-01' });
    const guardian = person('Elena', { relationship: 'guardian', languages: ['es'] });
    const list = caregiversInOrder([ended, guardian], now, tz);
    expect(list.map((c) => [c.name.given, c.former ?? false])).toEqual([
      ['Elena', false],
      ['María', true],
    ]);
    expect(formerLabel(list[1])).toBe('former caregiver (ended 2026-11-01)');
  });
});
