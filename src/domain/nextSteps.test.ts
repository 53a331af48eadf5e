import { describe, expect, it } from 'vitest';
import { DEFAULT_CASELOAD_SCOPES, DEFAULT_SCOPES } from '../config/config';
import { parseScopes } from '../fhir/smartScopes';
import { ASSUMED_CAPABILITIES, writeGrant } from '../fhir/capabilities';
import type { Contact, Referral } from './model';
import type { AppUser, StaffRole } from './permissions';
import type { Phase, StepId, WriteGrant } from './nextSteps';
import { ANY_WRITE, nextSteps, offered, PHASES, STEP_IDS, STEP_RULES } from './nextSteps';

const person = (id: string, roles: StaffRole[], kind: AppUser['kind'] = 'Practitioner'): AppUser => ({
  kind,
  references: [`Practitioner/${id}`, `PractitionerRole/role-${id}`],
  roles: new Set(roles),
});

const ROLES = {
  clinician: person('op', ['clinician']),
  'care coordinator': person('icc', ['care-coordinator']),
  'assigned Family Partner': person('fp', ['family-partner']),
  'another Family Partner': person('fp2', ['family-partner']),
  'Senior Family Partner': person('sfp', ['senior-family-partner']),
  'FST supervisor': person('sup', ['fst-supervisor']),
  'patient-level user': person('youth', [], 'Patient'),
} as const;
type RoleName = keyof typeof ROLES;

const TASK_OF: Record<Exclude<Phase, 'none'>, Pick<Referral, 'status' | 'stage'>> = {
  requested: { status: 'requested', stage: 'referred' },
  accepted: { status: 'accepted', stage: 'contacted' },
  waitlisted: { status: 'accepted', stage: 'waitlisted' },
  'in-service': { status: 'in-progress', stage: 'active' },
  'on-hold': { status: 'on-hold', stage: 'active' },
  stopped: { status: 'in-progress', stage: 'stopped' },
  declined: { status: 'rejected', stage: 'declined' },
  cancelled: { status: 'cancelled', stage: 'cancelled' },
  discharged: { status: 'completed', stage: 'discharged' },
  closed: { status: 'failed', stage: 'stopped' },
};

function referralIn(phase: Exclude<Phase, 'none'>): Referral {
  return {
    id: 't1',
    ...TASK_OF[phase],
    authoredOn: '2026-11-01T10:00:00Z',
    requesterReference: 'Practitioner/op',
    // Until a supervisor assigns one, the FST provider holds the referral.
    ownerReference: phase === 'requested' ? 'Organization/fst' : 'PractitionerRole/role-fp',
    fstMarks: ['profile'],
  };
}

const factsIn = (phase: Phase) =>
  phase === 'none'
    ? {}
    : {
        referral: referralIn(phase),
        contacts: [],
        dischargePlans:
          phase === 'discharged' || phase === 'closed'
            ? [{ id: 'd1', status: 'current', date: '2026-12-01', referralTaskIds: ['t1'] }]
            : [],
      };

// The whole table, written from the seeds and the SDOHCC referral Task, not from the code: per phase and
// role, the steps the user may take (with a sign-in that allows every write).
const FST_SERVICE: StepId[] = [
  'service-plan',
  'contact',
  'meeting',
  'incident',
  'discharge',
  'discharge-unsigned',
];
type Allowed = Partial<Record<RoleName, StepId[]>>;
const REFER_AGAIN: Allowed = {
  clinician: ['refer'],
  'care coordinator': ['refer'],
  'Senior Family Partner': ['refer'],
  'FST supervisor': ['refer'],
};
const AFTER_DISCHARGE: Allowed = {
  ...REFER_AGAIN,
  'assigned Family Partner': ['incident', 'correct-plan'],
  'another Family Partner': ['incident'],
  'Senior Family Partner': ['refer', 'incident', 'correct-plan'],
  'FST supervisor': ['refer', 'incident', 'correct-plan'],
};
// Seed 000 quality 2–3: after a planned discharge the caregiver's survey and the last goal ratings are still
// taken; a family closed unsigned (stopped) is not reached for them.
const AFTER_PLANNED_DISCHARGE: Allowed = {
  ...AFTER_DISCHARGE,
  'assigned Family Partner': ['incident', 'outcomes', 'correct-plan'],
  'Senior Family Partner': ['refer', 'incident', 'outcomes', 'correct-plan'],
  'FST supervisor': ['refer', 'incident', 'outcomes', 'correct-plan'],
};
const EXPECTED: Record<Phase, Allowed> = {
  none: {
    clinician: ['refer'],
    'care coordinator': ['refer'],
    'Senior Family Partner': ['refer'],
    'FST supervisor': ['refer'],
  },
  requested: {
    clinician: ['cancel'],
    'assigned Family Partner': ['first-call', 'contact', 'incident'],
    'another Family Partner': ['first-call', 'contact', 'incident'],
    'Senior Family Partner': ['accept', 'decline', 'assign', 'first-call', 'cancel', 'contact', 'incident'],
    'FST supervisor': ['accept', 'decline', 'assign', 'first-call', 'cancel', 'contact', 'incident'],
  },
  accepted: {
    clinician: ['cancel'],
    'assigned Family Partner': ['first-call', 'start', 'hold', ...FST_SERVICE],
    'another Family Partner': ['first-call', 'contact', 'meeting', 'incident'],
    'Senior Family Partner': ['waitlist', 'assign', 'first-call', 'start', 'hold', 'cancel', ...FST_SERVICE],
    'FST supervisor': ['waitlist', 'assign', 'first-call', 'start', 'hold', 'cancel', ...FST_SERVICE],
  },
  waitlisted: {
    clinician: ['cancel'],
    'assigned Family Partner': ['first-call', 'start', 'hold', ...FST_SERVICE],
    'another Family Partner': ['first-call', 'contact', 'meeting', 'incident'],
    'Senior Family Partner': ['assign', 'first-call', 'start', 'hold', 'cancel', ...FST_SERVICE],
    'FST supervisor': ['assign', 'first-call', 'start', 'hold', 'cancel', ...FST_SERVICE],
  },
  // In service, cancelling ends the family's services: the supervisor's decision, no longer the referrer's.
  'in-service': {
    'assigned Family Partner': ['hold', ...FST_SERVICE, 'continuing-stay-review', 'outcomes'],
    'another Family Partner': ['contact', 'meeting', 'incident'],
    'Senior Family Partner': [
      'assign',
      'hold',
      'cancel',
      ...FST_SERVICE,
      'continuing-stay-review',
      'outcomes',
    ],
    'FST supervisor': ['assign', 'hold', 'cancel', ...FST_SERVICE, 'continuing-stay-review', 'outcomes'],
  },
  'on-hold': {
    'assigned Family Partner': ['resume', ...FST_SERVICE, 'continuing-stay-review', 'outcomes'],
    'another Family Partner': ['contact', 'meeting', 'incident'],
    'Senior Family Partner': [
      'assign',
      'resume',
      'cancel',
      ...FST_SERVICE,
      'continuing-stay-review',
      'outcomes',
    ],
    'FST supervisor': ['assign', 'resume', 'cancel', ...FST_SERVICE, 'continuing-stay-review', 'outcomes'],
  },
  // Seed 000 discharge 4: outreach is recorded, then the episode is closed (unsigned).
  stopped: {
    'assigned Family Partner': ['contact', 'incident', 'discharge-unsigned'],
    'another Family Partner': ['contact', 'incident'],
    'Senior Family Partner': ['contact', 'incident', 'discharge-unsigned'],
    'FST supervisor': ['contact', 'incident', 'discharge-unsigned'],
  },
  // Declined or cancelled: nothing was begun, a new referral is all that can follow.
  declined: REFER_AGAIN,
  cancelled: REFER_AGAIN,
  // Ended with a plan written (signed, or closed unsigned after stopping): correct it, report late, refer again.
  discharged: AFTER_PLANNED_DISCHARGE,
  closed: AFTER_DISCHARGE,
};

const LAUNCHES: Record<string, WriteGrant> = {
  'EHR launch': writeGrant(parseScopes(DEFAULT_SCOPES.join(' ')), ASSUMED_CAPABILITIES),
  'caseload sign-in': writeGrant(parseScopes(DEFAULT_CASELOAD_SCOPES.join(' ')), ASSUMED_CAPABILITIES),
};

const order = (ids: StepId[]) => STEP_IDS.filter((id) => ids.includes(id));

describe('what can happen next: every phase × role × launch kind', () => {
  for (const [launch, grant] of Object.entries(LAUNCHES))
    for (const phase of PHASES)
      for (const role of Object.keys(ROLES) as RoleName[])
        it(`${launch} · ${phase} · ${role}`, () => {
          const next = nextSteps(factsIn(phase), ROLES[role], grant);
          expect(next.phase).toBe(phase);
          const allowed = STEP_IDS.filter((id) => next.steps[id].allowed);
          expect(allowed).toEqual(order(EXPECTED[phase][role] ?? []));
          // Nothing the role may do in this phase is lost to the sign-in's scopes (either launch kind).
          const lostToGrant = STEP_IDS.filter((id) => {
            const s = next.steps[id];
            return !s.allowed && s.blocker === 'grant';
          });
          expect(lostToGrant).toEqual([]);
        });
});

describe('reasons', () => {
  const fp = ROLES['assigned Family Partner'];
  const all = ANY_WRITE;

  it('say why a step is not possible, in words, and by which rule', () => {
    const stopped = nextSteps(factsIn('stopped'), ROLES['FST supervisor'], all);
    expect(stopped.steps.refer).toMatchObject({ allowed: false, blocker: 'phase' });
    expect(stopped.steps.refer).toHaveProperty('reason', expect.stringMatching(/close it/));
    const requested = nextSteps(factsIn('requested'), fp, all);
    expect(requested.steps.discharge).toMatchObject({
      allowed: false,
      blocker: 'phase',
      reason: expect.stringMatching(/services have not begun/),
    });
    const inService = nextSteps(factsIn('in-service'), ROLES.clinician, all);
    expect(inService.steps.cancel).toMatchObject({
      allowed: false,
      blocker: 'role',
      reason: expect.stringMatching(/FST supervisor/),
    });
    const plan = nextSteps(factsIn('in-service'), ROLES['care coordinator'], all);
    expect(plan.steps['service-plan']).toMatchObject({ allowed: false, blocker: 'role' });
  });

  it('a stopped episode shows the referrer "Refer to FST" disabled, saying what must happen first and who does it', () => {
    for (const role of ['clinician', 'care coordinator'] as const) {
      const step = nextSteps(factsIn('stopped'), ROLES[role], all).steps.refer;
      expect(step).toMatchObject({ allowed: false, blocker: 'waiting' });
      expect(offered(step)).toBe(true);
      expect(!step.allowed && step.reason).toMatch(
        /assigned Family Partner or an FST supervisor closes it first/,
      );
      expect(!step.allowed && step.reason).toMatch(/Close without signature/);
    }
    // Anyone else is not offered the step at all: nothing of theirs to wait for.
    expect(offered(nextSteps(factsIn('stopped'), fp, all).steps.refer)).toBe(false);
  });

  it('an open episode shows the referrer "Refer to FST" disabled, saying why, where a referral is open (the walk of issue 35)', () => {
    for (const phase of ['requested', 'in-service'] as const)
      for (const role of ['clinician', 'care coordinator'] as const) {
        const step = nextSteps(factsIn(phase), ROLES[role], all).steps.refer;
        expect(step).toMatchObject({ allowed: false, blocker: 'waiting' });
        expect(offered(step)).toBe(true);
        expect(!step.allowed && step.reason).toMatch(
          /^This youth already has an open FST referral\. It is on this page/,
        );
      }
    expect(offered(nextSteps(factsIn('in-service'), fp, all).steps.refer)).toBe(false);
  });

  it('tell a role that may never take a step so, not the phase (issue 36)', () => {
    for (const phase of ['discharged', 'closed', 'in-service'] as const) {
      const steps = nextSteps(factsIn(phase), ROLES.clinician, all).steps;
      expect(steps.contact).toMatchObject({ allowed: false, blocker: 'role' });
      expect(steps.contact).toHaveProperty('reason', expect.not.stringMatching(/while|discharged/));
    }
    // The assigned Family Partner still hears the phase.
    expect(nextSteps(factsIn('discharged'), fp, all).steps.contact).toMatchObject({ blocker: 'phase' });
  });

  it('name the writes a sign-in lacks, and keep the step on screen (disabled)', () => {
    const readOnly: WriteGrant = {
      refusal: (type, p) => (type === 'QuestionnaireResponse' && p === 'c' ? 'sign-in' : undefined),
    };
    const review = nextSteps(factsIn('in-service'), fp, readOnly).steps['continuing-stay-review'];
    expect(review).toMatchObject({
      allowed: false,
      blocker: 'grant',
      reason: 'Your sign-in does not allow writing QuestionnaireResponse.',
    });
    const server: WriteGrant = { refusal: (type) => (type === 'Encounter' ? 'server' : undefined) };
    expect(nextSteps(factsIn('in-service'), fp, server).steps.meeting).toMatchObject({
      blocker: 'grant',
      reason: 'This FHIR server does not accept writing Encounter.',
    });
  });

  it('need an assigned Family Partner before services start', () => {
    const unassigned = { ...referralIn('accepted'), ownerReference: 'Organization/fst' };
    const start = nextSteps({ referral: unassigned }, ROLES['FST supervisor'], all).steps.start;
    expect(start).toMatchObject({
      allowed: false,
      blocker: 'state',
      reason: 'Assign a Family Partner first.',
    });
  });

  it('end the first call once the caregiver is reached; an attempt does not', () => {
    const call = (status: Contact['status']): Contact => ({
      id: 'c1',
      kind: 'caregiver',
      status,
      method: 'phone',
      sent: '2026-11-02T15:00:00Z',
      goalIds: [],
      purposes: [],
    });
    const attempt = nextSteps({ referral: referralIn('accepted'), contacts: [call('not-done')] }, fp, all);
    expect(attempt.steps['first-call'].allowed).toBe(true);
    const reached = nextSteps({ referral: referralIn('accepted'), contacts: [call('completed')] }, fp, all);
    expect(reached.steps['first-call']).toMatchObject({ allowed: false, blocker: 'state' });
  });

  it('label a supervisor’s referral as a self-referral', () => {
    expect(nextSteps({}, ROLES['FST supervisor'], all).steps.refer.label).toBe('Record self-referral');
    expect(nextSteps({}, ROLES.clinician, all).steps.refer.label).toBe(STEP_RULES.refer.label);
  });

  it('call a declined referral declined, not ended, and say its clocks stop', () => {
    const declined = nextSteps(factsIn('declined'), fp, all);
    expect(declined).toMatchObject({ label: 'Referral declined', open: false });
    expect(nextSteps(factsIn('waitlisted'), fp, all)).toMatchObject({ label: 'Waitlisted', open: true });
  });
});
