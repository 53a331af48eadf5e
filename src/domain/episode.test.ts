import { describe, expect, it } from 'vitest';
import { contactsOfEpisode, episodeFor } from './episode';
import type { CarePlanSummary, Contact, DischargePlanSummary, Referral } from './model';

const referral: Referral = {
  id: 't1',
  status: 'completed',
  stage: 'discharged',
  authoredOn: '2026-09-01T10:00:00Z',
  fstMarks: ['profile'],
};
const contact = (id: string, referralTaskId?: string): Contact => ({
  id,
  kind: 'caregiver',
  status: 'completed',
  method: 'phone',
  sent: '2026-09-02T10:00:00Z',
  goalIds: [],
  purposes: [],
  referralTaskId,
});
const plan = (status: string, goalId: string): CarePlanSummary => ({
  id: `cp-${goalId}`,
  kind: 'icp',
  title: 'ICP',
  status,
  goals: [{ id: goalId, description: goalId, lifecycleStatus: 'active' }],
  careTeam: [],
});
const doc = (id: string, date: string, taskIds: string[], status = 'current'): DischargePlanSummary => ({
  id,
  status,
  date,
  referralTaskIds: taskIds,
  lastServiceDate: '2026-11-10',
});

describe('episodeFor', () => {
  it("keeps the referral's own contacts and unlinked ones, not another referral's", () => {
    const ep = episodeFor({
      referral,
      contacts: [contact('own', 't1'), contact('unlinked'), contact('other', 't0')],
      plans: [],
      dischargePlans: [],
    });
    expect(ep.contacts.map((c) => c.id)).toEqual(['own', 'unlinked']);
  });

  it('takes goals from the active plans', () => {
    const ep = episodeFor({
      referral,
      contacts: [],
      plans: [plan('active', 'g-new'), plan('revoked', 'g-old')],
      dischargePlans: [],
    });
    expect([...(ep.planGoalIds ?? [])]).toEqual(['g-new']);
  });

  it("uses the referral's first valid discharge plan once closed", () => {
    const ep = episodeFor({
      referral,
      contacts: [],
      plans: [],
      dischargePlans: [
        doc('wrong', '2026-11-11', ['t1'], 'entered-in-error'),
        doc('later', '2026-11-14', ['t1']),
        { ...doc('first', '2026-11-12', ['t1']), deliveredOn: '2026-11-13T15:00:00Z' },
        doc('x', '2026-11-01', ['t9']),
      ],
    });
    expect(ep.ended).toEqual({
      kind: 'discharged',
      at: '2026-09-01T10:00:00Z',
      lastServiceDate: '2026-11-10',
      dischargePlanDeliveredOn: '2026-11-13T15:00:00Z',
      dischargePlanReference: 'DocumentReference/first',
    });
  });

  it("a plan written but not yet delivered is not delivered: the clock never reads the plan's own date", () => {
    const ep = episodeFor({
      referral,
      contacts: [],
      plans: [],
      dischargePlans: [doc('first', '2026-11-12', ['t1'])],
    });
    expect(ep.ended?.dischargePlanDeliveredOn).toBeUndefined();
    expect(ep.ended?.dischargePlanReference).toBe('DocumentReference/first');
  });

  it('has no end while the referral is open', () => {
    expect(
      episodeFor({
        referral: { ...referral, status: 'in-progress', stage: 'active' },
        contacts: [],
        plans: [],
        dischargePlans: [],
      }).ended,
    ).toBeUndefined();
  });

  it("counts only FST staff's contacts: a clinician's call never meets an FST clock", () => {
    const fp = { ...contact('by-fp'), senderReference: 'Practitioner/fp' };
    const clinician = { ...contact('by-clinician'), senderReference: 'Practitioner/op' };
    const ep = episodeFor({
      referral,
      contacts: [fp, clinician],
      plans: [],
      dischargePlans: [],
      fstStaff: new Set(['Practitioner/fp']),
    });
    expect(ep.contacts.map((c) => c.id)).toEqual(['by-fp']);
  });

  it('stops the episode when the family stopped without notice', () => {
    const ep = episodeFor({
      referral: { ...referral, status: 'failed', stage: 'stopped', lastModified: '2026-10-01T10:00:00Z' },
      contacts: [],
      plans: [],
      dischargePlans: [],
    });
    expect(ep.ended?.kind).toBe('stopped-without-notice');
    expect(ep.ended?.at).toBe('2026-10-01T10:00:00Z');
  });
});

describe('contactsOfEpisode', () => {
  const second: Referral = {
    ...referral,
    id: 't2',
    status: 'requested',
    stage: 'referred',
    authoredOn: '2026-11-20T10:00:00Z',
  };
  const at = (c: Contact, sent: string): Contact => ({ ...c, sent });
  const contacts = [
    contact('old-linked', 't1'),
    at(contact('old-unlinked'), '2026-09-03T10:00:00Z'),
    at(contact('new-linked', 't2'), '2026-11-21T10:00:00Z'),
    at(contact('new-unlinked'), '2026-11-22T10:00:00Z'),
  ];
  it("a re-referred youth's new episode starts clean: the earlier episode's contacts, linked or not, stay out", () => {
    expect(contactsOfEpisode(contacts, second, [referral, second]).map((c) => c.id)).toEqual([
      'new-linked',
      'new-unlinked',
    ]);
  });
  it('the earlier episode keeps its own: unlinked contacts belong to the referral made before them', () => {
    expect(contactsOfEpisode(contacts, referral, [referral, second]).map((c) => c.id)).toEqual([
      'old-linked',
      'old-unlinked',
    ]);
  });
  it('an unlinked contact sent before any referral belongs to the first episode', () => {
    const early = at(contact('early'), '2026-08-01T10:00:00Z');
    expect(contactsOfEpisode([early], referral, [second, referral]).map((c) => c.id)).toEqual(['early']);
    expect(contactsOfEpisode([early], second, [second, referral])).toEqual([]);
  });
  it('without a referral every contact shows', () => {
    expect(contactsOfEpisode(contacts, undefined, [])).toHaveLength(4);
  });
});

describe('each episode against its own plan and records (invariant 7)', () => {
  const ended: Referral = {
    ...referral,
    recordedHistory: [{ status: 'completed', stage: 'discharged', at: '2026-11-10T10:00:00Z' }],
  };
  const later: Referral = {
    id: 't2',
    status: 'requested',
    stage: 'referred',
    authoredOn: '2026-12-01T10:00:00Z',
    fstMarks: ['profile'],
  };
  const old = { ...plan('completed', 'g-old'), periodStart: '2026-08-01' };
  const reviewed = { ...plan('active', 'g-new'), periodStart: '2026-11-25' };

  it("an ended episode's notes are judged against the plan in force during it, not a later one", () => {
    const ep = episodeFor({ referral: ended, contacts: [], plans: [old, reviewed], dischargePlans: [] });
    expect([...(ep.planGoalIds ?? [])]).toEqual(['g-old']);
    const open = episodeFor({ referral: later, contacts: [], plans: [old, reviewed], dischargePlans: [] });
    expect([...(open.planGoalIds ?? [])]).toEqual(['g-new']);
  });

  it("a contact filed without a referral link after the re-referral is the new episode's", () => {
    const unlinked = { ...contact('after'), sent: '2026-12-02T10:00:00Z' };
    const ep = episodeFor({
      referral: ended,
      referrals: [ended, later],
      contacts: [contact('own', 't1'), unlinked],
      plans: [],
      dischargePlans: [],
    });
    expect(ep.contacts.map((c) => c.id)).toEqual(['own']);
  });
});
