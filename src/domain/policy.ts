/**
 * Who may write which FST record, as data: record kind × interaction → the rule, read by the sandbox's one
 * write guard (sandbox/fhir/guard.ts, whatever route a request takes) and by the app (the same actions of
 * `decide`, src/domain/permissions.ts). docs/permissions.md is generated from this table
 * (scripts/policy-doc.mts) and a test keeps the two equal. Pure.
 *
 * A record's kind is decided by its codes (src/fhir/recordKind.ts), never by `meta.profile`: the app reads
 * records by their codes, so a record without our profile must meet the same rules.
 */
import type { Action, ActionSubject, AppUser, Decision, StaffRole } from './permissions';
import { decide, ROLE_LABEL, STAFF_ROLES } from './permissions';
import { RECORD_KINDS } from './recordKinds';
import { CAREGIVER_POLICY } from './caregiver';

export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * create: a new record. change: any other change (amend, correct, close). withdraw: entered-in-error (with a
 * Provenance saying why). delete: FST records are never hard-deleted. A referral Task's status change is a
 * step of the transition table (src/domain/referralTransitions.ts), judged there.
 */
export type Interaction = 'create' | 'change' | 'withdraw' | 'delete';

export type Rule =
  /** Allowed when `decide` allows any of these actions (given whose record it is: ActionSubject). */
  | { anyOf: readonly { action: Action }[] }
  | { never: string }
  /** A referral Task's change: the transition table and the assignment rule. */
  | { transitions: true };

export interface PolicyRow {
  label: string;
  /** What the app writes it as (FHIR resource type). */
  resourceType: string;
  /**
   * Who may read it where the agency's FST record store holds it (the store enforces it on every read and
   * search; an EHR applies its own read rules to its chart).
   */
  read: Rule;
  create: Rule;
  change: Rule;
  withdraw: Rule;
}

const one = (action: Action): Rule => ({ anyOf: [{ action }] });
const FAMILY: Rule = one('read-family');
const JOB_ONLY = 'Written by the measures job only (npm run measures): ask for a fresh run instead.';
const NEVER_DELETED =
  'FST records are never deleted: withdraw it instead (entered in error, with the reason).';

export const POLICY: Record<RecordKind, PolicyRow> = {
  'fst-contact': {
    label: 'FST contact (caregiver or collateral)',
    resourceType: 'Communication',
    read: FAMILY,
    create: one('log-contact'),
    change: one('amend-contact'),
    withdraw: one('withdraw-contact'),
  },
  'team-meeting': {
    label: 'Team meeting FST attended',
    resourceType: 'Encounter',
    read: FAMILY,
    create: one('log-contact'),
    change: one('amend-contact'),
    withdraw: one('withdraw-contact'),
  },
  'supervision-session': {
    label: 'Supervision session',
    resourceType: 'Encounter',
    read: one('read-staff-records'),
    create: one('manage-staff'),
    change: one('manage-staff'),
    withdraw: one('manage-staff'),
  },
  'staff-record': {
    label: 'Staff record (qualifications, training, credentials)',
    resourceType: 'Practitioner',
    read: one('read-staff-records'),
    create: one('manage-staff'),
    change: one('manage-staff'),
    withdraw: one('manage-staff'),
  },
  'incident-report': {
    label: 'Adverse incident report',
    resourceType: 'AdverseEvent',
    read: FAMILY,
    create: one('report-incident'),
    change: one('review-incident'),
    withdraw: one('review-incident'),
  },
  'incident-review': {
    label: 'Incident review',
    resourceType: 'Task',
    read: FAMILY,
    create: one('report-incident'),
    change: one('review-incident'),
    withdraw: one('review-incident'),
  },
  'referral-task': {
    label: 'FST referral',
    resourceType: 'Task',
    read: FAMILY,
    // A supervisor records a family's self-referral.
    create: { anyOf: [{ action: 'refer' }, { action: 'accept-referral' }] },
    change: { transitions: true },
    withdraw: one('cancel-referral'),
  },
  'referral-order': {
    label: 'FST referral order',
    resourceType: 'ServiceRequest',
    read: FAMILY,
    create: { anyOf: [{ action: 'refer' }, { action: 'accept-referral' }] },
    // The order closes with its Task: declined or cancelled (revoked), or completed at discharge.
    change: {
      anyOf: [{ action: 'cancel-referral' }, { action: 'discharge' }],
    },
    withdraw: one('cancel-referral'),
  },
  'admission-checklist': {
    label: 'Admission criteria checklist',
    resourceType: 'QuestionnaireResponse',
    read: FAMILY,
    create: { anyOf: [{ action: 'refer' }, { action: 'accept-referral' }] },
    change: { never: 'The admission checklist is kept as the referrer answered it.' },
    withdraw: one('cancel-referral'),
  },
  'continuing-stay-review': {
    label: 'Continuing-stay review',
    resourceType: 'QuestionnaireResponse',
    read: FAMILY,
    create: one('manage-services'),
    change: one('manage-services'),
    withdraw: one('manage-services'),
  },
  'outcome-measure': {
    label: 'Outcome measure or caregiver satisfaction survey',
    resourceType: 'QuestionnaireResponse',
    read: FAMILY,
    create: one('manage-services'),
    change: one('manage-services'),
    withdraw: one('manage-services'),
  },
  'service-plan': {
    label: 'FST service plan',
    resourceType: 'CarePlan',
    read: FAMILY,
    create: one('manage-services'),
    change: one('manage-services'),
    withdraw: one('manage-services'),
  },
  'discharge-plan': {
    label: 'Discharge plan',
    resourceType: 'DocumentReference',
    read: FAMILY,
    create: one('discharge'),
    change: one('discharge'),
    withdraw: one('discharge'),
  },
  'discharge-delivery': {
    label: 'Discharge plan delivery',
    resourceType: 'Communication',
    read: FAMILY,
    create: one('discharge'),
    change: one('discharge'),
    withdraw: one('discharge'),
  },
  consent: {
    label: "Caregiver's consent to share",
    resourceType: 'Consent',
    read: FAMILY,
    // For the discharge plan, or for FST at a state-agency meeting.
    create: { anyOf: [{ action: 'discharge' }, { action: 'log-contact' }] },
    change: { anyOf: [{ action: 'discharge' }, { action: 'log-contact' }] },
    withdraw: { anyOf: [{ action: 'discharge' }, { action: 'log-contact' }] },
  },
  audit: {
    label: 'Audit record or signature (Provenance)',
    resourceType: 'Provenance',
    read: FAMILY,
    // Written with the change it documents, which is judged on its own row; its agents are the writer.
    create: { anyOf: [{ action: 'log-contact' }, { action: 'refer' }] },
    change: { never: 'An audit record is never changed.' },
    withdraw: { never: 'An audit record is never withdrawn.' },
  },
  'caregiver-request': {
    label: 'Request to the caregiver (sign the plan, answer the survey)',
    resourceType: 'Task',
    read: FAMILY,
    // Sent, revoked and resent by who serves the family; the caregiver's own part is CAREGIVER_POLICY's.
    create: one('manage-services'),
    change: one('manage-services'),
    withdraw: one('manage-services'),
  },
  // Computed by the measures job (jobs/measures, a SMART Backend Services client): the guard lets that client
  // write these kinds and nothing else (JOB_KINDS); a person never edits a computed figure, they re-run the job.
  'measure-report': {
    label: 'Measure report (the measures job)',
    resourceType: 'MeasureReport',
    read: FAMILY,
    create: { never: JOB_ONLY },
    change: { never: JOB_ONLY },
    withdraw: { never: JOB_ONLY },
  },
  'claim-line': {
    label: 'H2014 claim lines (the measures job)',
    resourceType: 'Claim',
    // Billing is prepared by who oversees the program; read this way on the EHR and in the store alike.
    read: one('review-claims'),
    create: { never: JOB_ONLY },
    change: { never: JOB_ONLY },
    withdraw: { never: JOB_ONLY },
  },
  // The measures job completes it (the guard lets its backend client change this kind, create nothing).
  'measures-run-request': {
    label: 'Request for a fresh run of the measures job',
    resourceType: 'Task',
    read: one('read-staff-records'),
    create: one('request-measures-run'),
    change: { never: 'Completed by the measures job when it has run.' },
    withdraw: one('request-measures-run'),
  },
};

/** The kinds whose read is not the family rule, though they name a youth: decided by their own row. */
export const OWN_READ_RULE_KINDS: readonly RecordKind[] = ['claim-line'];

/**
 * Whether `user` may read the record store's records about one youth (every family record's `read` rule is
 * FAMILY; a test keeps it so): the store decides a search's matches by the youth, without classifying each.
 */
export function decideFamilyRead(user: AppUser, subject: ActionSubject): Decision {
  return decideRule(user, FAMILY, subject);
}

/** The kinds read by the family rule (every kind about a youth), and the staff records read by all staff. */
export const FAMILY_RULE: Rule = FAMILY;

/** Whether `user` may read a record of `kind` in the record store; `subject` names the family's people. */
export function decideRead(user: AppUser, kind: RecordKind, subject: ActionSubject = {}): Decision {
  return decideRule(user, POLICY[kind].read, subject);
}

/** Whether `user` may make this write of a record of `kind`; `subject` names the record's people. */
export function decideWrite(
  user: AppUser,
  kind: RecordKind,
  interaction: Exclude<Interaction, 'delete'>,
  subject: ActionSubject = {},
): Decision {
  return decideRule(user, POLICY[kind][interaction], subject);
}

function decideRule(user: AppUser, rule: Rule, subject: ActionSubject): Decision {
  if ('never' in rule) return { allowed: false, reason: rule.never };
  if ('transitions' in rule)
    return { allowed: false, reason: 'A referral changes by the steps of its transition table.' };
  let refusal: Decision | undefined;
  for (const { action } of rule.anyOf) {
    const decision = decide(user, action, subject);
    if (decision.allowed) return decision;
    refusal ??= decision;
  }
  return refusal ?? { allowed: false, reason: 'Not allowed.' };
}

export const DELETE_REFUSAL = NEVER_DELETED;

/** One cell of the "who may do what" page: any record, only their own (author, assigned, requester), or no. */
export type Reach = 'yes' | 'own' | 'no';

const SOMEONE_ELSE = 'Practitioner/someone-else';

/** Whether a person with exactly `role` may make this write: to any such record, only to their own, or not. */
export function reachOf(
  role: StaffRole,
  kind: RecordKind,
  interaction: Exclude<Interaction, 'delete'> | 'read',
): Reach {
  const me = 'Practitioner/me';
  const user: AppUser = { kind: 'Practitioner', references: [me], roles: new Set([role]) };
  const rule = POLICY[kind][interaction];
  if ('transitions' in rule) return 'own';
  const others = {
    authorReference: SOMEONE_ELSE,
    assignedReference: SOMEONE_ELSE,
    requesterReference: SOMEONE_ELSE,
  };
  if (decideRule(user, rule, others).allowed) return 'yes';
  const mine = {
    authorReference: me,
    assignedReference: me,
    requesterReference: me,
    launchedOnYouth: true,
  };
  return decideRule(user, rule, mine).allowed ? 'own' : 'no';
}

/** docs/permissions.md, generated from the table (scripts/policy-doc.mts writes it; a test keeps it equal). */
export function renderPolicyDoc(): string {
  const roles = STAFF_ROLES;
  const cell: Record<Reach, string> = { yes: 'yes', own: 'own', no: '—' };
  const lines = [
    '# Who may do what',
    '',
    '<!-- Generated from src/domain/policy.ts by `node --import tsx scripts/policy-doc.mts`; do not edit. -->',
    '',
    'Every FST record the app writes, by what it is (its codes, not `meta.profile`), and who may write it.',
    'The sandbox enforces this on every route (create, conditional create, update, conditional update, PATCH,',
    'each entry of a batch or transaction: `sandbox/fhir/guard.ts`); the app shows the same decisions on its',
    'buttons and addresses. **yes**: any such record; **own**: only a record they wrote, a family assigned to',
    'them, or a referral they made (a referral Task changes by the steps of its transition table, each step',
    'with its own rule); **—**: no. FST records are never deleted by anyone: a withdrawal is',
    '`entered-in-error` with a Provenance saying why.',
    '',
    'Beyond the table, on every write of an FST record:',
    '',
    '- **Identity**: the author, sender, recorder, requester or Provenance agent of a new record is the signed-in',
    "  user (or one of their PractitionerRoles); a caregiver's signature, or a family's self-referral recorded by",
    '  a supervisor, names a caregiver of the same youth. A change never rewrites who wrote a record.',
    '- **Status history**: a referral’s history only grows, by the one entry of the step being taken, in the',
    '  user’s name.',
    '- **Same youth**: a record names no record of another youth (its referral, Task, order, target, consent).',
    '- **Content**: an attachment that says `application/pdf` starts with `%PDF-` and ends with `%%EOF`.',
    '- **Authorization**: `state` is required; a SMART v1 `.write` is create and update, never delete.',
    '- **Reading** (the **read** rows) is enforced by the agency’s FST record store on every read, search,',
    '  `_include` and batch entry: **own** is the family’s assigned Family Partner, or for a clinician or care',
    '  coordinator a youth they referred or whose chart the EHR opened the app on. An EHR applies its own read',
    '  rules to its chart. The store grants nothing wider than the EHR sign-in it was exchanged for: no record',
    '  type the EHR token does not cover, confined to the launch patient when the EHR grant was.',
    '',
    `| Record | Interaction | ${roles.map((r) => ROLE_LABEL[r]).join(' | ')} |`,
    `| --- | --- | ${roles.map(() => '---').join(' | ')} |`,
  ];
  for (const kind of Object.keys(POLICY) as RecordKind[]) {
    const row = POLICY[kind];
    for (const interaction of ['read', 'create', 'change', 'withdraw'] as const) {
      const rule = row[interaction];
      const cells =
        'transitions' in rule
          ? roles.map(() => 'by step')
          : roles.map((r) => cell[reachOf(r, kind, interaction)]);
      lines.push(`| ${row.label} (${row.resourceType}) | ${interaction} | ${cells.join(' | ')} |`);
    }
  }
  lines.push(
    '',
    '## The caregiver',
    '',
    'A caregiver is let in for one request of her Family Partner’s (a one-time link, or the caregiver launch):',
    'for her own youth, while that request is open (opened, not done, revoked or expired). She writes only in',
    'her own name; anything not listed here is refused (`src/domain/caregiver.ts`).',
    '',
    '| Record | Interaction | Caregiver |',
    '| --- | --- | --- |',
  );
  for (const [kind, cells] of Object.entries(CAREGIVER_POLICY))
    for (const [interaction, rule] of Object.entries(cells))
      lines.push(`| ${POLICY[kind as RecordKind].label} | ${interaction} | ${rule.what} |`);
  lines.push(
    '',
    'A production EHR or FST record store must enforce the same rules itself, since a browser app alone cannot:',
    'see [deploy.md](deploy.md#what-the-fhir-store-must-enforce).',
    '',
  );
  return lines.join('\n');
}
