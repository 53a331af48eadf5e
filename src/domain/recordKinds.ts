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
] as const;
