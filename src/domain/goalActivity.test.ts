import { describe, expect, it } from 'vitest';
import { goalActivity } from './goalActivity';
import type { Contact, PlanGoal } from './model';

const goal = (id: string, lifecycleStatus = 'active'): PlanGoal => ({ id, description: id, lifecycleStatus });
const contact = (
  id: string,
  sent: string,
  goalIds: string[],
  status: Contact['status'] = 'completed',
): Contact => ({
  id,
  kind: 'caregiver',
  status,
  method: 'phone',
  sent,
  goalIds,
  purposes: [],
});

describe('goalActivity', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const result = goalActivity(
    [goal('busy'), goal('idle'), goal('never'), goal('done', 'completed')],
    [
      contact('1', '2026-11-20T12:00:00Z', ['busy']),
      contact('2', '2026-11-01T12:00:00Z', ['busy', 'idle']),
      contact('3', '2026-10-01T12:00:00Z', ['idle']),
      contact('4', '2026-11-21T12:00:00Z', ['idle'], 'not-done'),
    ],
    now,
  );

  it('counts completed contacts per goal, newest first', () => {
    expect(result.get('busy')).toMatchObject({ count: 2, lastSent: '2026-11-20T12:00:00Z', idle: false });
    expect(result.get('busy')?.trail.map((c) => c.id)).toEqual(['1', '2']);
  });

  it('flags active goals idle for 30 days (attempts do not count)', () => {
    expect(result.get('idle')).toMatchObject({ count: 2, idle: false });
    expect(
      goalActivity([goal('idle')], [contact('3', '2026-10-01T12:00:00Z', ['idle'])], now).get('idle')?.idle,
    ).toBe(true);
    expect(result.get('never')).toMatchObject({ count: 0, idle: true });
    expect(result.get('done')?.idle).toBe(false);
  });

  // Seed 000 service component 3b: "educating, supporting, coaching, modeling, guiding" — crisis alone is none.
  it('a contact whose only purpose is crisis is not activity toward the goal', () => {
    const crisis = { ...contact('5', '2026-11-21T12:00:00Z', ['never']), purposes: ['crisis'] };
    const coached = { ...contact('6', '2026-11-21T13:00:00Z', ['done']), purposes: ['crisis', 'coaching'] };
    const out = goalActivity([goal('never'), goal('done')], [crisis, coached], now);
    expect(out.get('never')).toMatchObject({ count: 0, idle: true });
    expect(out.get('done')?.count).toBe(1);
  });
});
