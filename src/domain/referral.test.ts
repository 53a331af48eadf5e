import { describe, expect, it } from 'vitest';
import type { Referral } from './model';
import { currentGoals, currentReferral, episodeEnd, isFstReferral, statusHistory } from './referral';

const referral = (id: string, extra: Partial<Referral> = {}): Referral => ({
  id,
  status: 'requested',
  authoredOn: '2026-11-01T10:00:00Z',
  fstMarks: ['profile'],
  ...extra,
});

describe('which Task is an FST referral', () => {
  it('needs our profile, identifier or an H2014 order: code=fulfill alone is anybody’s Task', () => {
    expect(isFstReferral(referral('lab', { fstMarks: [] }))).toBe(false);
    expect(isFstReferral(referral('ours', { fstMarks: ['service-code'] }))).toBe(true);
    expect(isFstReferral(referral('gone', { status: 'entered-in-error' }))).toBe(false);
  });
});

describe('the current referral', () => {
  it('is the open FST referral referred last, whatever the server order', () => {
    const list = [
      referral('old-open', { authoredOn: '2026-01-01T10:00:00Z', status: 'in-progress' }),
      referral('lab', { authoredOn: '2026-12-01T10:00:00Z', fstMarks: [] }),
      referral('new-open', { authoredOn: '2026-06-01T10:00:00Z', status: 'accepted' }),
      referral('closed', { authoredOn: '2026-09-01T10:00:00Z', status: 'completed' }),
    ];
    expect(currentReferral(list)?.id).toBe('new-open');
    expect(currentReferral([...list].reverse())?.id).toBe('new-open');
  });

  it('is the one the EHR opened the app on, when that is an FST referral', () => {
    const list = [
      referral('old', { authoredOn: '2026-01-01T10:00:00Z', status: 'completed' }),
      referral('new', { authoredOn: '2026-06-01T10:00:00Z', status: 'accepted' }),
      referral('lab', { fstMarks: [] }),
    ];
    expect(currentReferral(list, 'old')?.id).toBe('old');
    expect(currentReferral(list, 'lab')?.id).toBe('new');
  });

  it('is the one that ended last when none is open', () => {
    const list = [
      referral('a', { status: 'completed', lastModified: '2026-05-01T10:00:00Z' }),
      referral('b', { status: 'cancelled', lastModified: '2026-07-01T10:00:00Z' }),
    ];
    expect(currentReferral(list)?.id).toBe('b');
    expect(currentReferral([referral('lab', { fstMarks: [] })])).toBeUndefined();
  });
});

describe('status history', () => {
  it('takes the recorded changes, with who and why, after the referral itself', () => {
    const history = statusHistory(
      referral('t', {
        status: 'in-progress',
        stage: 'active',
        requesterReference: 'Practitioner/op',
        recordedHistory: [
          { status: 'in-progress', stage: 'active', at: '2026-11-20T10:00:00Z', by: 'Practitioner/fp' },
          {
            status: 'accepted',
            stage: 'waitlisted',
            at: '2026-11-06T10:00:00Z',
            by: 'Practitioner/sfp',
            reason: 'No FP',
          },
          { status: 'accepted', at: '2026-11-02T10:00:00Z', by: 'Practitioner/sfp' },
        ],
      }),
    );
    expect(history.map((h) => [h.status, h.at.slice(0, 10), h.by, h.inferred])).toEqual([
      ['requested', '2026-11-01', 'Practitioner/op', true],
      ['accepted', '2026-11-02', 'Practitioner/sfp', false],
      ['waitlisted', '2026-11-06', 'Practitioner/sfp', false],
      ['in-service', '2026-11-20', 'Practitioner/fp', false],
    ]);
    expect(history[2].reason).toBe('No FP');
  });

  it('adds a status changed outside the app, dated by lastModified', () => {
    const history = statusHistory(
      referral('t', {
        status: 'on-hold',
        lastModified: '2026-11-15T10:00:00Z',
        statusReason: 'Family travelling',
      }),
    );
    expect(history.map((h) => h.status)).toEqual(['requested', 'on-hold']);
    expect(history[1]).toMatchObject({
      at: '2026-11-15T10:00:00Z',
      reason: 'Family travelling',
      inferred: true,
    });
  });

  it('names how the episode ended', () => {
    expect(episodeEnd(referral('t', { status: 'completed' }))?.kind).toBe('discharged');
    expect(episodeEnd(referral('t', { status: 'failed' }))?.kind).toBe('stopped-without-notice');
    expect(episodeEnd(referral('t', { status: 'in-progress', stage: 'stopped' }))?.kind).toBe(
      'stopped-without-notice',
    );
    expect(episodeEnd(referral('t', { status: 'cancelled' }))?.kind).toBe('cancelled');
    expect(episodeEnd(referral('t', { status: 'rejected' }))?.kind).toBe('declined');
    expect(episodeEnd(referral('t', { status: 'in-progress' }))).toBeUndefined();
  });
});

describe('current goals', () => {
  const plan = (id: string, status: string, goals: string[]) => ({
    id,
    kind: 'icp' as const,
    title: id,
    status,
    goals: goals.map((g) => ({ id: g, description: g, lifecycleStatus: 'active' })),
    careTeam: [],
  });
  it('are the active plans’ goals, each once; all plans’ when none is active', () => {
    expect(
      currentGoals([
        plan('a', 'active', ['g1', 'g2']),
        plan('b', 'revoked', ['g3']),
        plan('c', 'active', ['g2']),
      ]).map((g) => g.id),
    ).toEqual(['g1', 'g2']);
    expect(currentGoals([plan('d', 'draft', ['g4'])]).map((g) => g.id)).toEqual(['g4']);
  });
});
