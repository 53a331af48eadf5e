/**
 * "What can happen next", answered once: from the youth's current FST episode, the signed-in user and what
 * their sign-in may write, the episode's phase and every step of the episode with allowed / why not. Every
 * button, every typed address, the clocks' "applies / does not apply", the caseload's next action and the
 * sandbox's guard read this module (or the transition table and role rules it is built on), so they cannot
 * disagree at a seam between phases.
 *
 * Pure: no React, no network. The caller passes the current referral (currentReferral) and the grant.
 */
import { civilDateOf, civilFromIso, civilToIso, instantOfWallClock } from './calendar';
import { telehealthWithoutRequest } from './compliance';
import type { Contact, DischargePlanSummary, Referral } from './model';
import type { Action, AppUser, Decision } from './permissions';
import { decide, isSupervisor, staffOnlyRefusal } from './permissions';
import type { EpisodePhase } from './referral';
import { formerPartners, OPEN_PHASES, PHASE_LABEL, phaseOf } from './referral';
import type { ReferralAction } from './referralTransitions';
import { canTransition, TRANSITIONS } from './referralTransitions';

/** The episode's phase, or `none` when the youth has no FST referral. */
export type Phase = EpisodePhase | 'none';

export const PHASES: readonly Phase[] = [
  'none',
  ...OPEN_PHASES,
  'stopped',
  'declined',
  'cancelled',
  'discharged',
  'closed',
];

export type StepId =
  | 'refer'
  | 'accept'
  | 'decline'
  | 'waitlist'
  | 'assign'
  | 'first-call'
  | 'start'
  | 'hold'
  | 'resume'
  | 'cancel'
  | 'service-plan'
  | 'contact'
  | 'meeting'
  | 'incident'
  | 'continuing-stay-review'
  | 'outcomes'
  | 'discharge'
  | 'discharge-unsigned'
  | 'correct-plan';

export const STEP_IDS: readonly StepId[] = [
  'refer',
  'accept',
  'decline',
  'waitlist',
  'assign',
  'first-call',
  'start',
  'hold',
  'resume',
  'cancel',
  'service-plan',
  'contact',
  'meeting',
  'incident',
  'continuing-stay-review',
  'outcomes',
  'discharge',
  'discharge-unsigned',
  'correct-plan',
];

export type WritePermission = 'c' | 'u';

/** Why a write cannot be made: the sign-in's scopes lack it, or the server does not accept it. */
export type WriteRefusal = 'sign-in' | 'server';

/** What the sign-in (its scopes) and the server (its CapabilityStatement) let the app write. */
export interface WriteGrant {
  refusal(resourceType: string, permission: WritePermission): WriteRefusal | undefined;
}

/** Every write allowed: for tests and for rules that do not depend on the sign-in. */
export const ANY_WRITE: WriteGrant = { refusal: () => undefined };

/**
 * Why a step is not possible: not in this phase, not this user's, waiting on something first, waiting on someone
 * else first (`waiting`: shown, disabled, saying what must happen and who does it), or not within the sign-in.
 */
export type Blocker = 'phase' | 'role' | 'state' | 'waiting' | 'grant';

export type StepCheck =
  | { id: StepId; label: string; allowed: true }
  | { id: StepId; label: string; allowed: false; blocker: Blocker; reason: string };

export interface NextSteps {
  phase: Phase;
  /** The phase in words, the same everywhere. */
  label: string;
  steps: Record<StepId, StepCheck>;
  /** True when the episode is open (referred, waiting or in service): the FST clocks run. */
  open: boolean;
}

/** The episode as the rules need it. */
export interface EpisodeFacts {
  /** The youth's current FST referral (currentReferral), if any. */
  referral?: Referral;
  /** The youth's FST contacts (any order). */
  contacts?: readonly Contact[];
  /** Discharge plans written for the youth. */
  dischargePlans?: readonly DischargePlanSummary[];
}

type Write = readonly [resourceType: string, permission: WritePermission];

interface StepRule {
  label: string;
  /** The phases the step belongs to. */
  phases: readonly Phase[];
  /** The writes it makes: every one must be within the sign-in. */
  writes: readonly Write[];
  /** Who may: the role rule (src/domain/permissions.ts), with the referral as subject. */
  permission?: Action;
  /** A transition of the referral Task: its table row decides phase and role (src/domain/referralTransitions.ts). */
  transition?: ReferralAction;
}

const ENDED_FOR_GOOD: readonly Phase[] = ['declined', 'cancelled', 'discharged', 'closed'];
const STARTED: readonly Phase[] = ['accepted', 'waitlisted', 'in-service', 'on-hold'];
const TASK_UPDATE: Write = ['Task', 'u'];
const ORDER_UPDATE: Write = ['ServiceRequest', 'u'];

/** A step that is a transition of the referral Task: its label, phases and role rule are the table's. */
const transitionStep = (action: ReferralAction): StepRule => ({
  label: TRANSITIONS[action].label,
  phases: TRANSITIONS[action].phases,
  writes: TRANSITIONS[action].order ? [TASK_UPDATE, ORDER_UPDATE] : [TASK_UPDATE],
  transition: action,
});
/** A discharge writes the plan, its signatures, the deliveries, and ends the Task. */
const DISCHARGE_WRITES: readonly Write[] = [
  ['DocumentReference', 'c'],
  ['Provenance', 'c'],
  ['Communication', 'c'],
  TASK_UPDATE,
];

/** The one table: per step, its phases, its writes and whose it is. */
export const STEP_RULES: Record<StepId, StepRule> = {
  refer: {
    label: 'Refer to FST',
    phases: ['none', ...ENDED_FOR_GOOD],
    writes: [
      ['Task', 'c'],
      ['ServiceRequest', 'c'],
      ['QuestionnaireResponse', 'c'],
    ],
    permission: 'refer',
  },
  accept: transitionStep('accept'),
  decline: transitionStep('decline'),
  waitlist: transitionStep('waitlist'),
  assign: {
    label: 'Assign a Family Partner',
    phases: OPEN_PHASES,
    writes: [TASK_UPDATE],
    permission: 'assign-family-partner',
  },
  'first-call': {
    label: 'Call the caregiver',
    phases: ['requested', 'accepted', 'waitlisted'],
    writes: [['Communication', 'c']],
    permission: 'log-contact',
  },
  start: transitionStep('start'),
  hold: transitionStep('hold'),
  resume: transitionStep('resume'),
  cancel: transitionStep('cancel'),
  'service-plan': {
    label: 'Write service plan',
    phases: STARTED,
    writes: [
      ['CarePlan', 'c'],
      ['Communication', 'c'],
    ],
    permission: 'manage-services',
  },
  contact: {
    label: 'Log contact',
    // A family that stopped without notice is reached out to, and each try is recorded (seed 000 discharge 4).
    phases: [...OPEN_PHASES, 'stopped'],
    writes: [['Communication', 'c']],
    permission: 'log-contact',
  },
  meeting: {
    label: 'Log meeting',
    phases: STARTED,
    writes: [['Encounter', 'c']],
    permission: 'log-contact',
  },
  incident: {
    label: 'Report incident',
    // An incident learnt of after the family left is reported all the same (seed 000 quality 4).
    phases: [...OPEN_PHASES, 'stopped', 'discharged', 'closed'],
    writes: [
      ['AdverseEvent', 'c'],
      ['Task', 'c'],
    ],
    permission: 'report-incident',
  },
  'continuing-stay-review': {
    label: 'Record continuing-stay review',
    phases: ['in-service', 'on-hold'],
    writes: [['QuestionnaireResponse', 'c']],
    permission: 'manage-services',
  },
  // Seed 000 quality 2–3: goal attainment at intake, at reviews and at discharge; the caregiver's survey, also
  // in the days after the plan is delivered.
  outcomes: {
    label: 'Record outcomes',
    phases: ['in-service', 'on-hold', 'discharged'],
    writes: [['QuestionnaireResponse', 'c']],
    permission: 'manage-services',
  },
  discharge: {
    label: 'Plan discharge',
    phases: STARTED,
    writes: DISCHARGE_WRITES,
    permission: 'discharge',
  },
  'discharge-unsigned': {
    label: 'Close without signature',
    phases: [...STARTED, 'stopped'],
    writes: DISCHARGE_WRITES,
    permission: 'discharge',
  },
  'correct-plan': {
    label: 'Correct the discharge plan',
    phases: ['discharged', 'closed'],
    writes: [
      ['DocumentReference', 'c'],
      ['DocumentReference', 'u'],
    ],
    permission: 'discharge',
  },
};

function phaseRefusal(step: StepId, phase: Phase): string {
  if (step === 'refer')
    return phase === 'stopped'
      ? 'The family stopped without notice and the episode is still open: close it (Plan discharge) before a new referral.'
      : 'This youth already has an open FST referral.';
  if (phase === 'none') return 'This youth has no FST referral.';
  if ((step === 'discharge' || step === 'discharge-unsigned') && phase === 'requested')
    return 'Nothing to discharge: services have not begun. Decline or cancel the referral instead.';
  if (step === 'correct-plan') return 'There is no finalised discharge plan to correct.';
  return `Not possible while the episode is ${PHASE_LABEL[phase].toLowerCase()}.`;
}

/** The first caregiver contact of the episode has been made (the 5-day call is done). */
export function caregiverReached(referral: Referral, contacts: readonly Contact[]): boolean {
  return contacts.some(
    (c) =>
      c.kind === 'caregiver' &&
      c.status === 'completed' &&
      (c.referralTaskId === undefined || c.referralTaskId === referral.id) &&
      c.sent >= referral.authoredOn.slice(0, 10),
  );
}

function roleDecision(
  rule: StepRule,
  user: AppUser,
  referral: Pick<Referral, 'ownerReference' | 'requesterReference'> | undefined,
): Decision {
  if (!rule.permission) return { allowed: true };
  const decision = decide(user, rule.permission, {
    assignedReference: referral?.ownerReference,
    requesterReference: referral?.requesterReference,
    formerlyAssigned: referral ? formerPartners(referral) : undefined,
  });
  // The FST provider records a family's own request (a self-referral) with the caregiver as requester.
  if (rule.permission === 'refer' && !decision.allowed && isSupervisor(user)) return { allowed: true };
  return decision;
}

/** What the step's writes lack, in words: undefined when every write is possible. */
function grantRefusal(rule: StepRule, grant: WriteGrant): string | undefined {
  const name = ([type, perm]: Write) => (perm === 'u' ? `${type} (update)` : type);
  const lacking = (why: WriteRefusal) =>
    rule.writes.filter(([t, p]) => grant.refusal(t, p) === why).map(name);
  const scopes = lacking('sign-in');
  if (scopes.length) return `Your sign-in does not allow writing ${scopes.join(', ')}.`;
  const server = lacking('server');
  if (server.length) return `This FHIR server does not accept writing ${server.join(', ')}.`;
  return undefined;
}

function check(id: StepId, facts: EpisodeFacts, phase: Phase, user: AppUser, grant: WriteGrant): StepCheck {
  const rule = STEP_RULES[id];
  const label = id === 'refer' && !decide(user, 'refer').allowed ? 'Record self-referral' : rule.label;
  const no = (blocker: Blocker, reason: string): StepCheck => ({
    id,
    label,
    allowed: false,
    blocker,
    reason,
  });
  const staff = staffOnlyRefusal(user);
  if (staff) return no('role', staff);
  const referral = facts.referral;
  // A referrer facing a stopped episode is told what must happen first and who does it (issue 35), not left
  // without the button: the episode is still open, and only FST closes it.
  if (id === 'refer' && phase === 'stopped' && decide(user, 'refer').allowed)
    return no(
      'waiting',
      'The family stopped without notice and its FST episode is still open. The assigned Family Partner or an FST supervisor closes it first (after documenting the outreach, “Close without signature”); then you can refer again.',
    );
  // A referrer facing an open episode sees why she cannot refer, not an absent button (issue 35's walk).
  if (
    id === 'refer' &&
    phase !== 'stopped' &&
    phase !== 'none' &&
    OPEN_PHASES.includes(phase) &&
    decide(user, 'refer').allowed
  )
    return no(
      'waiting',
      'This youth already has an open FST referral. It is on this page, with who sent it and when; a new referral is possible once it ends (declined, cancelled or discharged).',
    );
  // A role that may never take this step is told so, not the episode's phase (issue 36: a clinician read "Log
  // contact: not possible while discharged", as if it were possible otherwise).
  if (!rule.transition && rule.permission) {
    const own = user.references[0];
    const never = roleDecision(rule, user, { ownerReference: own, requesterReference: own });
    if (!never.allowed) return no('role', never.reason);
  }
  if (!rule.phases.includes(phase)) return no('phase', phaseRefusal(id, phase));
  if (rule.transition && referral) {
    const t = canTransition(referral, rule.transition, user);
    if (!t.allowed) return no(t.blocker, t.reason);
  } else {
    const role = roleDecision(rule, user, referral);
    if (!role.allowed) return no('role', role.reason);
  }
  if (id === 'first-call' && referral && caregiverReached(referral, facts.contacts ?? []))
    return no('state', 'The caregiver has been reached: the first call is done.');
  if (id === 'correct-plan' && referral) {
    const written = (facts.dischargePlans ?? []).some(
      (d) => d.status !== 'entered-in-error' && d.referralTaskIds.includes(referral.id),
    );
    if (!written) return no('state', 'There is no finalised discharge plan to correct.');
  }
  const refusal = grantRefusal(rule, grant);
  if (refusal) return no('grant', refusal);
  return { id, label, allowed: true };
}

/** The episode's phase and, for every step, whether this user may take it now and why not. */
export function nextSteps(facts: EpisodeFacts, user: AppUser, grant: WriteGrant): NextSteps {
  const phase: Phase = facts.referral ? phaseOf(facts.referral) : 'none';
  const steps = Object.fromEntries(
    STEP_IDS.map((id) => [id, check(id, facts, phase, user, grant)]),
  ) as Record<StepId, StepCheck>;
  return {
    phase,
    label: phase === 'none' ? 'No FST referral' : PHASE_LABEL[phase],
    steps,
    open: phase !== 'none' && OPEN_PHASES.includes(phase),
  };
}

/** A step the user could take but for the sign-in, or once someone else has acted: shown disabled with the reason. */
function shownDisabled(step: StepCheck): boolean {
  return !step.allowed && (step.blocker === 'grant' || step.blocker === 'waiting');
}

/** Whether the step belongs on this user's screen at all: allowed, or blocked only by the sign-in. */
export function offered(step: StepCheck): boolean {
  return step.allowed || shownDisabled(step);
}

/**
 * "Start services" asks the date of the first session (seed 000 process 5: the 14 days run to it). Proposed:
 * the latest face-to-face or telehealth caregiver contact of the episode, else today (YYYY-MM-DD, provider time).
 */
export function proposedStartDate(facts: EpisodeFacts, now: Date, timeZone: string): string {
  const referral = facts.referral;
  const sessions = (facts.contacts ?? []).filter(
    (c) =>
      c.kind === 'caregiver' &&
      c.status === 'completed' &&
      (c.method === 'face-to-face' || (c.method === 'video' && !telehealthWithoutRequest(c))) &&
      (!referral || ((c.referralTaskId ?? referral.id) === referral.id && c.sent >= referral.authoredOn)),
  );
  const latest = sessions.reduce<string | undefined>((a, c) => (!a || c.sent > a ? c.sent : a), undefined);
  return civilToIso(civilDateOf(latest ?? now, timeZone));
}

/**
 * Why a first-session date cannot be the start, or undefined: it must be a real day from the referral to today.
 */
export function startDateProblem(
  date: string,
  referral: Referral,
  now: Date,
  timeZone: string,
): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'Give the date of the first session.';
  if (civilFromIso(date) > civilDateOf(now, timeZone)) return 'The first session cannot be in the future.';
  if (civilFromIso(date) < civilDateOf(referral.authoredOn, timeZone))
    return 'The first session cannot be before the referral.';
  return undefined;
}

/** The moment a start dated `date` is recorded at: now when it is today, else noon of that day (provider time). */
export function startInstant(date: string, now: Date, timeZone: string): Date {
  if (civilFromIso(date) === civilDateOf(now, timeZone)) return now;
  return instantOfWallClock(`${date}T12:00`, timeZone) ?? now;
}
