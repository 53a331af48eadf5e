/**
 * Every kind of FST record, by name: the policy table's rows (src/domain/policy.ts, which must have one per kind)
 * and what config.json's `recordStore.inStore` may list. Its own module, so the configuration checks names
 * without loading the table.
 */
export const RECORD_KINDS = [
  'fst-contact',
  'team-meeting',
  'supervision-session',
  'staff-record',
  'incident-report',
  'incident-review',
  'referral-task',
  'referral-order',
  'admission-checklist',
  'continuing-stay-review',
  'outcome-measure',
  'service-plan',
  'discharge-plan',
  'discharge-delivery',
  'consent',
  'audit',
  'caregiver-request',
  // Written by the measures job only (jobs/measures): computed from the records above, never typed in.
  'measure-report',
  'claim-line',
  // A supervisor's request for a fresh run of the measures job (a Task the job picks up and completes).
  'measures-run-request',
] as const;

/** The kinds only the measures job (a SMART Backend Services client) writes: nobody edits a computed figure. */
export const JOB_KINDS: readonly (typeof RECORD_KINDS)[number][] = ['measure-report', 'claim-line'];

export type RecordKindName = (typeof RECORD_KINDS)[number];

export const isRecordKind = (name: string): name is RecordKindName =>
  (RECORD_KINDS as readonly string[]).includes(name);

/** The one message for a misspelt kind, wherever a list of kinds is configured (config.json, the sandbox). */
export const notARecordKind = (name: string) =>
  `"${name}" is not a record kind; the kinds are ${RECORD_KINDS.join(', ')}`;

/** A comma-separated list of kinds (SANDBOX_IN_STORE), or an error naming `what` and the kinds. */
export function parseRecordKindList(list: string | undefined, what: string): RecordKindName[] {
  const names = (list ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const wrong = names.find((n) => !isRecordKind(n));
  if (wrong !== undefined) throw new Error(`${what}: ${notARecordKind(wrong)}`);
  return names as RecordKindName[];
}
