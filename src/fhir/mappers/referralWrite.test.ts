import '../../../sandbox/env';
import { describe, expect, it } from 'vitest';
import { validateForWrite } from '../../../sandbox/fhir/validation';
import type { ReferralDraft } from '../../domain/model';
import { Profiles } from '../codes';
import { matchOverrideNote, parseReferralTask, referralRequests, statusHistoryExtension } from './referral';
import { referralResources } from './referralWrite';

const draft: ReferralDraft = {
  requestId: 'ref-1',
  patientId: 'youth-04',
  planId: 'plan-04',
  goalIds: ['goal-04-1'],
  newGoals: ['Caregiver keeps a weekly routine chart'],
  reason: 'Caregivers need support with medication adherence',
  providerReference: 'Organization/org-harbor',
  requesterReference: 'Practitioner/op-helen',
  recordedBy: 'Practitioner/op-helen',
  criteria: { A: true, B: true, C: true },
  authoredOn: '2026-11-20T15:00:00.000Z',
};
const urls = {
  checklist: 'urn:uuid:3f1c3c3e-8d7e-4f55-9d7b-3c9b1c6a0a01',
  order: 'urn:uuid:3f1c3c3e-8d7e-4f55-9d7b-3c9b1c6a0a02',
};

describe('a new referral', () => {
  const r = referralResources(draft, urls);

  it('is valid against our profiles and base R4', () => {
    expect(r.order.meta?.profile).toEqual([Profiles.referralServiceRequest]);
    expect(r.task.meta?.profile).toEqual([Profiles.referralTask]);
    for (const resource of [r.checklist, r.order, r.task])
      expect(() => validateForWrite(resource as never)).not.toThrow();
  });

  it('records the order, its reasons and goals, the checklist, and a Task the app reads back as requested', () => {
    expect(r.order.supportingInfo?.map((s) => s.reference)).toEqual([
      'Goal/goal-04-1',
      '#initial-goal-1',
      urls.checklist,
    ]);
    // The goal named in words travels inside the order, and reads back as the referrer wrote it.
    const request = referralRequests([{ ...r.order, id: 'sr' }]).get('sr');
    expect(request?.newGoals).toEqual(['Caregiver keeps a weekly routine chart']);
    expect(request?.goalIds).toEqual(['goal-04-1']);
    expect(r.checklist.item?.map((i) => [i.linkId, i.answer?.[0]?.valueBoolean])).toEqual([
      ['A', true],
      ['B', true],
      ['C', true],
    ]);
    const parsed = parseReferralTask({ ...r.task, id: 't' });
    expect(parsed.ok && parsed.value).toMatchObject({
      status: 'requested',
      stage: 'referred',
      fstMarks: ['profile', 'identifier'],
      recordedHistory: [{ status: 'requested', by: 'Practitioner/op-helen' }],
      ownerReference: 'Organization/org-harbor',
    });
    expect(r.task.restriction?.period?.end).toBe('2026-11-25T15:00:00.000Z');
  });

  it('stays valid with its status history after a change, waitlist reason included', () => {
    const waitlisted = {
      ...r.task,
      focus: { reference: 'ServiceRequest/sr' },
      status: 'accepted' as const,
      businessStatus: {
        coding: [{ system: r.task.businessStatus?.coding?.[0]?.system, code: 'waitlisted' }],
      },
      statusReason: { text: 'No Family Partner with capacity' },
      extension: [
        ...(r.task.extension ?? []),
        statusHistoryExtension({
          status: 'accepted',
          stage: 'waitlisted',
          at: '2026-11-21T15:00:00Z',
          by: 'Practitioner/sfp-dana',
          reason: 'No Family Partner with capacity',
        }),
      ],
    };
    expect(() => validateForWrite(waitlisted as never)).not.toThrow();
    const { statusReason: _dropped, ...withoutReason } = waitlisted;
    expect(() => validateForWrite(withoutReason as never)).toThrow(/statusReason|fst-task-1/);
  });
});

// Seed 000 process 7: the caregiver's wishes travel in the order; a choice over the best match keeps its reason.
describe('matching a Family Partner', () => {
  const withWishes = referralResources(
    {
      ...draft,
      matchPreferences: {
        areas: ['juvenile-court', 'special-education'],
        culture: ' Cape Verdean community ',
      },
    },
    urls,
  );

  it('writes the caregiver’s wishes as order details and reads them back', () => {
    expect(() => validateForWrite(withWishes.order as never)).not.toThrow();
    const read = referralRequests([{ ...withWishes.order, id: 'sr-1' }]).get('sr-1');
    expect(read?.matchPreferences).toEqual({
      areas: ['juvenile-court', 'special-education'],
      culture: 'Cape Verdean community',
    });
    // No wishes: no order details at all.
    expect(referralResources(draft, urls).order.orderDetail).toBeUndefined();
  });

  it('records the caregiver’s ethnicity and strengths too (seed 000 process 7: "ethnicity, culture, language, needs, and strengths")', () => {
    const order = referralResources(
      {
        ...draft,
        matchPreferences: {
          areas: [],
          ethnicity: ' Cape Verdean ',
          strengths: 'Organised; a strong church network',
        },
      },
      urls,
    ).order;
    expect(() => validateForWrite(order as never)).not.toThrow();
    expect(referralRequests([{ ...order, id: 'sr-2' }]).get('sr-2')?.matchPreferences).toEqual({
      areas: [],
      ethnicity: 'Cape Verdean',
      strengths: 'Organised; a strong church network',
    });
  });

  it('keeps the supervisor’s reason for another choice on the Task, readable back', () => {
    const task = {
      ...withWishes.task,
      id: 't-1',
      note: [
        matchOverrideNote({
          suggested: 'PractitionerRole/role-fp-rosa',
          chosen: 'PractitionerRole/role-fp-james',
          reason: 'Lives near the family.',
          by: 'Practitioner/sfp-dana',
          at: '2026-11-21T15:00:00.000Z',
        }),
      ],
    };
    expect(() => validateForWrite(task as never)).not.toThrow();
    const parsed = parseReferralTask(task);
    expect(parsed.ok && parsed.value.matchOverrides).toEqual([
      {
        suggested: 'PractitionerRole/role-fp-rosa',
        chosen: 'PractitionerRole/role-fp-james',
        reason: 'Lives near the family.',
        by: 'Practitioner/sfp-dana',
        at: '2026-11-21T15:00:00.000Z',
      },
    ]);
  });
});
