import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from './calendar';
import {
  deliveryDeadline,
  dischargeOutcome,
  dischargeProblems,
  emptyDischargeDraft,
  NOT_KNOWN_WITHOUT_NOTICE,
  outreachAttempts,
  planContent,
  planDeliveredOn,
  recipientsOf,
} from './discharge';
import type { DischargeContext, DischargeDraft } from './discharge';
import type { Contact, DischargePlanSummary, PlanDelivery } from './model';

const ctx: DischargeContext = {
  goals: [
    { id: 'g1', description: 'Bedtime routine', lifecycleStatus: 'active' },
    { id: 'g2', description: 'School meeting', lifecycleStatus: 'active' },
  ],
  today: '2026-11-20',
  episodeStart: '2026-08-01',
  inIcc: true,
  consentOnFile: false,
  // Every effort to reach the family: two attempts, by two methods, after the last date of service.
  attempts: [
    { day: '2026-11-18', method: 'phone' },
    { day: '2026-11-19', method: 'other' },
  ],
  mayWaiveOutreach: false,
};

/** A draft that can be finalised: every rule met. */
function complete(extra: Partial<DischargeDraft> = {}): DischargeDraft {
  return {
    ...emptyDischargeDraft('req-1', 'RelatedPerson/cg-1', '2026-11-18'),
    meetingDate: '2026-11-19',
    participants: 'Caregiver, Family Partner, therapist',
    reason: 'goals-met',
    criteria: { A: true, B: true, C: false, D: false, E: false },
    goalOutcomes: { g1: 'achieved', g2: 'partially-achieved' },
    strategies: 'Praise and a bedtime chart',
    supports: 'Her sister on weekdays',
    servicesInPlace: 'Outpatient therapy every other week',
    resources: 'Parent support group on Tuesdays; 988',
    followUpPlan: 'Parent group on Tuesdays',
    signature: { kind: 'typed', typedName: 'Loretta Walker', confirmed: true },
    ...extra,
  };
}

const fields = (d: DischargeDraft, c: DischargeContext = ctx) => dischargeProblems(d, c).map((p) => p.field);

describe('discharge plan completeness', () => {
  it('a complete plan has no problems', () => {
    expect(dischargeProblems(complete(), ctx)).toEqual([]);
  });

  it('criterion A missing: cannot finalise, even with B–E ticked', () => {
    const problems = dischargeProblems(
      complete({ criteria: { A: false, B: true, C: true, D: true, E: true } }),
      ctx,
    );
    expect(problems).toEqual([
      expect.objectContaining({ field: 'criteria', message: expect.stringContaining('(A)') }),
    ]);
  });

  it('A alone is not enough: one of B–E too', () => {
    expect(fields(complete({ criteria: { A: true, B: false, C: false, D: false, E: false } }))).toEqual([
      'criteria',
    ]);
  });

  it('documents what sustains the gains: strategies, supports, services in place and resources (seed 000 discharge 5)', () => {
    const empty = complete({ strategies: ' ', supports: '', servicesInPlace: '', resources: '' });
    expect(dischargeProblems(empty, ctx)).toEqual([
      {
        field: 'sustain',
        message:
          'Write what sustains the gains — missing: strategies, supports, services in place, resources.',
      },
    ]);
    expect(fields(complete({ supports: '' }))).toEqual(['sustain']);
    // A family that stopped without notice: all four still, "not known" recorded where it is (below).
    const vanished = complete({
      reason: 'terminated-without-notice',
      meetingDate: '',
      signature: { kind: 'unsigned', reason: 'Unreachable' },
      strategies: '',
      supports: '',
      servicesInPlace: '',
    });
    expect(fields(vanished)).toEqual(['sustain']);
    expect(fields({ ...vanished, resources: '' })).toEqual(['sustain']);
  });

  it('every goal needs an outcome', () => {
    const problems = dischargeProblems(complete({ goalOutcomes: { g1: 'achieved' } }), ctx);
    expect(problems.map((p) => p.message)).toEqual(['Record the outcome of the goal "School meeting".']);
  });

  it('no signature: refused on the ordinary path, even with a reason', () => {
    expect(fields(complete({ signature: undefined }))).toEqual(['signature']);
    expect(fields(complete({ signature: { kind: 'unsigned', reason: 'Not available' } }))).toEqual([
      'signature',
    ]);
  });

  it('no signature: allowed when the caregiver stopped without notice, with a reason, and no meeting needed', () => {
    const noNotice = complete({
      reason: 'terminated-without-notice',
      meetingDate: '',
      participants: '',
      signature: { kind: 'unsigned', reason: '' },
    });
    expect(fields(noNotice)).toEqual(['signature']);
    expect(
      fields({ ...noNotice, signature: { kind: 'unsigned', reason: 'Three calls and a letter unanswered' } }),
    ).toEqual([]);
  });

  it('a family that stopped without notice: every effort to contact, documented (seed 000 discharge 4)', () => {
    const closing = complete({
      reason: 'terminated-without-notice',
      meetingDate: '',
      participants: '',
      signature: { kind: 'unsigned', reason: 'Unreachable' },
    });
    expect(fields(closing)).toEqual([]);
    // Closed with a continuing care plan (A); B–E describe an ending the family took part in.
    expect(fields({ ...closing, criteria: { A: true, B: false, C: false, D: false, E: false } })).toEqual([]);
    // One attempt, or two by the same method, is not every effort.
    const one = { ...ctx, attempts: [{ day: '2026-11-18', method: 'phone' as const }] };
    expect(fields(closing, one)).toEqual(['outreach']);
    const samePhone = {
      ...ctx,
      attempts: [
        { day: '2026-11-18', method: 'phone' as const },
        { day: '2026-11-19', method: 'phone' as const },
      ],
    };
    expect(dischargeProblems(closing, samePhone)[0].message).toContain('2 different methods');
    // Attempts before the last date of service are not outreach after it.
    expect(
      fields(closing, {
        ...ctx,
        attempts: [
          { day: '2026-11-01', method: 'phone' },
          { day: '2026-11-02', method: 'other' },
        ],
      }),
    ).toEqual(['outreach']);
    // Only a supervisor closes with fewer, and says why.
    expect(fields({ ...closing, fewerAttemptsReason: 'Family moved out of state' }, one)).toEqual([
      'outreach',
    ]);
    expect(
      fields(
        { ...closing, fewerAttemptsReason: 'Family moved out of state' },
        { ...one, mayWaiveOutreach: true },
      ),
    ).toEqual([]);
    expect(fields({ ...closing, fewerAttemptsReason: '  ' }, { ...one, mayWaiveOutreach: true })).toEqual([
      'outreach',
    ]);
  });

  it('seed 000 discharge 4, "makes every effort to contact … documented": a supervisor\'s reason covers the second attempt, never the first', () => {
    const closing = complete({
      reason: 'terminated-without-notice',
      meetingDate: '',
      participants: '',
      signature: { kind: 'unsigned', reason: 'Unreachable' },
    });
    const none = { ...ctx, attempts: [], mayWaiveOutreach: true };
    expect(fields({ ...closing, fewerAttemptsReason: 'Family moved out of state' }, none)).toEqual([
      'outreach',
    ]);
    expect(dischargeProblems({ ...closing, fewerAttemptsReason: 'Moved' }, none)[0].message).toMatch(
      /at least one attempt/i,
    );
  });

  it('seed 000 discharge 5, "strategies, supports, and services in place … and resources": all four, for a family that stopped without notice too', () => {
    const closing = complete({
      reason: 'terminated-without-notice',
      meetingDate: '',
      participants: '',
      signature: { kind: 'unsigned', reason: 'Unreachable' },
      strategies: '',
      supports: '',
      servicesInPlace: '',
    });
    expect(fields(closing)).toEqual(['sustain']);
    // "Not known" is an answer the plan records, for a family that stopped without notice only.
    const notKnown = {
      strategies: NOT_KNOWN_WITHOUT_NOTICE,
      supports: NOT_KNOWN_WITHOUT_NOTICE,
      servicesInPlace: NOT_KNOWN_WITHOUT_NOTICE,
    };
    expect(fields({ ...closing, ...notKnown })).toEqual([]);
    expect(fields(complete(notKnown))).toEqual(['sustain']);
    expect(dischargeProblems(complete(notKnown), ctx)[0].message).toMatch(/stopped without notice/);
  });

  it("criterion C is the family's own request: not for a family that stopped without notice (seed 004 §V C)", () => {
    const vanished = complete({
      reason: 'terminated-without-notice',
      meetingDate: '',
      signature: { kind: 'unsigned', reason: 'Unreachable' },
      criteria: { A: true, B: false, C: true, D: false, E: false },
    });
    expect(dischargeProblems(vanished, ctx).map((p) => p.message)).toContain(
      'C is for a family that asked to end services; this family stopped without notice.',
    );
  });

  it('a typed signature needs the name and the confirmation', () => {
    expect(fields(complete({ signature: { kind: 'typed', typedName: 'L W', confirmed: false } }))).toEqual([
      'signature',
    ]);
    expect(fields(complete({ signature: { kind: 'typed', typedName: '  ', confirmed: true } }))).toEqual([
      'signature',
    ]);
  });

  it('dates: the meeting and the last day of service cannot be in the future or before the referral', () => {
    expect(fields(complete({ meetingDate: '2026-11-21' }))).toEqual(['meetingDate']);
    expect(fields(complete({ lastServiceDate: '2026-11-21' }))).toEqual(['lastServiceDate']);
    expect(fields(complete({ lastServiceDate: '2026-07-31' }))).toEqual(['lastServiceDate']);
    expect(fields(complete({ lastServiceDate: '' }))).toEqual(['lastServiceDate']);
  });

  it('consent "on file" needs one found on the server; consent given now needs a signature', () => {
    expect(fields(complete({ consent: 'on-file' }))).toEqual(['consent']);
    expect(fields(complete({ consent: 'on-file' }), { ...ctx, consentOnFile: true })).toEqual([]);
    const unsigned = complete({
      reason: 'terminated-without-notice',
      signature: { kind: 'unsigned', reason: 'Unreachable' },
      consent: 'given-now',
    });
    expect(fields(unsigned)).toEqual(['consent']);
  });
});

describe('signed on her own phone (issue 39)', () => {
  const signed = {
    by: 'RelatedPerson/cg-1',
    provenance: 'Provenance/p1',
    when: '2026-11-19T15:00:00Z',
    mark: { kind: 'typed' as const, typedName: 'Loretta Walker' },
    stored: { sigFormat: 'text/plain', data: 'TG9yZXR0YQ==' },
    shareWith: ['Practitioner/dr-1'],
  };
  const remote = (d: DischargeDraft, extra: object = {}): DischargeDraft => ({
    ...d,
    consent: 'not-given',
    signature: {
      kind: 'remote',
      request: 'Task/r1',
      sentContent: JSON.stringify(planContent(d)),
      signed,
      ...extra,
    },
  });

  it('finalises with her signature and her consent; not before she signed', () => {
    expect(dischargeProblems(remote(complete()), ctx)).toEqual([]);
    expect(recipientsOf(remote(complete()), ctx)).toContain('referring-provider');
    expect(fields(remote(complete(), { signed: undefined }))).toEqual(['signature']);
    expect(fields(remote(complete(), { request: '' }))).toEqual(['signature']);
    // Her consent names nobody: the plan goes to her alone.
    expect(recipientsOf(remote(complete(), { signed: { ...signed, shareWith: [] } }), ctx)).toEqual([
      'caregiver',
    ]);
  });

  it('refuses a plan changed after she signed it, and another caregiver’s signature', () => {
    const sent = remote(complete());
    expect(dischargeProblems({ ...sent, followUpPlan: 'Something else' }, ctx)[0].message).toMatch(
      /changed after she signed/,
    );
    expect(fields(remote(complete(), { signed: { ...signed, by: 'RelatedPerson/cg-2' } }))).toEqual([
      'signature',
    ]);
  });
});

describe('who receives the plan', () => {
  it('without consent the caregiver only, whatever was ticked', () => {
    expect(recipientsOf(complete(), ctx)).toEqual(['caregiver']);
  });

  it("with consent: the referring provider and the youth's treaters (in ICC, the Care Planning Team), whatever was unticked", () => {
    for (const inIcc of [true, false])
      expect(recipientsOf(complete({ consent: 'given-now' }), { ...ctx, inIcc })).toEqual([
        'caregiver',
        'referring-provider',
        'care-planning-team',
      ]);
    const referrerOnly = complete({
      consent: 'given-now',
      shareWith: { 'referring-provider': true, 'care-planning-team': false },
    });
    // Seed 000 discharge 2 and 5 decide who has it; the view shows them, it does not choose.
    expect(recipientsOf(referrerOnly, ctx)).toEqual([
      'caregiver',
      'referring-provider',
      'care-planning-team',
    ]);
  });
});

describe('the referral at discharge', () => {
  it('is completed, or failed with the reason when the caregiver stopped without notice', () => {
    expect(dischargeOutcome(complete()).action).toBe('complete');
    expect(dischargeOutcome(complete({ reason: 'terminated-without-notice' }))).toEqual({
      action: 'fail',
      reason: 'The caregiver stopped without notice',
    });
  });

  it('the plan is due five business days after the last date of service, skipping a holiday', () => {
    // Wed Nov 25 2026 + 5 business days: Thanksgiving (Thu 26) and the weekend skipped → Thu Dec 3.
    expect(deliveryDeadline('2026-11-25', DEFAULT_CALENDAR)).toBe('2026-12-03');
    expect(deliveryDeadline('', DEFAULT_CALENDAR)).toBeUndefined();
  });

  it('outreach attempts are the caregiver attempts from the last date of service on', () => {
    const c = (
      id: string,
      sent: string,
      status: Contact['status'],
      kind: Contact['kind'] = 'caregiver',
    ): Contact => ({
      id,
      kind,
      status,
      method: 'phone',
      sent,
      goalIds: [],
      purposes: [],
    });
    const day = (iso: string) => iso.slice(0, 10);
    const attempts = outreachAttempts(
      [
        c('late', '2026-11-19T15:00:00Z', 'not-done'),
        c('before', '2026-11-10T15:00:00Z', 'not-done'),
        c('made', '2026-11-12T15:00:00Z', 'completed'),
        c('collateral', '2026-11-16T15:00:00Z', 'not-done', 'collateral'),
        c('early', '2026-11-13T15:00:00Z', 'not-done'),
      ],
      '2026-11-12',
      day,
    );
    expect(attempts.map((a) => a.id)).toEqual(['early', 'late']);
  });
});

describe('seed 000 discharge 5: "given to the parent/guardian/caregiver and the current referring providers within five (5) business days"', () => {
  const d = (recipient: string, sent?: string): PlanDelivery => ({
    id: recipient,
    recipient,
    status: sent ? 'sent' : 'planned',
    ...(sent ? { sent } : {}),
  });
  const plan = (deliveries: PlanDelivery[]): DischargePlanSummary => ({
    id: 'p',
    status: 'current',
    date: '2026-11-20',
    referralTaskIds: ['t1'],
    deliveries,
  });
  const referrer = ['Practitioner/op-helen'];

  it('met when the caregiver and each referring provider have it, the treaters aside', () => {
    const shared = plan([
      d('RelatedPerson/cg', '2026-11-21T15:00:00Z'),
      d('Practitioner/op-helen', '2026-11-23T15:00:00Z'),
      d('Practitioner/therapist'),
    ]);
    expect(planDeliveredOn(shared, referrer)).toBe('2026-11-23T15:00:00Z');
  });

  it('not met while the referring provider, or the caregiver, does not have it', () => {
    expect(
      planDeliveredOn(
        plan([d('RelatedPerson/cg', '2026-11-21T15:00:00Z'), d('Practitioner/op-helen')]),
        referrer,
      ),
    ).toBeUndefined();
    expect(
      planDeliveredOn(
        plan([d('RelatedPerson/cg'), d('Practitioner/op-helen', '2026-11-21T15:00:00Z')]),
        referrer,
      ),
    ).toBeUndefined();
    // Shared beyond the caregiver (so consent was given), but the referrer was never sent it.
    expect(
      planDeliveredOn(
        plan([
          d('RelatedPerson/cg', '2026-11-21T15:00:00Z'),
          d('Practitioner/therapist', '2026-11-21T15:00:00Z'),
        ]),
        referrer,
      ),
    ).toBeUndefined();
  });

  it('without consent the caregiver alone has it: met by their delivery', () => {
    expect(planDeliveredOn(plan([d('RelatedPerson/cg', '2026-11-21T15:00:00Z')]), referrer)).toBe(
      '2026-11-21T15:00:00Z',
    );
  });
});
