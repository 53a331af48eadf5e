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
