/**
 * Adverse-incident reports (seed 000 quality management 4): what is recorded, when a report to the
 * relevant authority is required, and the 24-hour flag a supervisor sees while it is missing. Pure.
 */
import type { FieldProblem } from './model';

export type IncidentCategory =
  | 'injury'
  | 'restraint'
  | 'police'
  | 'hospitalisation'
  | 'abuse-neglect'
  | 'medication'
  | 'missing-youth'
  | 'other';

export const INCIDENT_CATEGORY_LABEL: Record<IncidentCategory, string> = {
  injury: 'Injury',
  restraint: 'Restraint',
  police: 'Police involvement',
  hospitalisation: 'Hospitalisation',
  'abuse-neglect': 'Abuse or neglect report',
  medication: 'Medication event',
  'missing-youth': 'Missing youth',
  other: 'Other',
};

export type Seriousness = 'serious' | 'non-serious';

export type NotifiedParty = 'caregiver' | 'supervisor' | 'authority';

export const NOTIFIED_LABEL: Record<NotifiedParty, string> = {
  caregiver: 'Caregiver',
  supervisor: 'Supervisor',
  authority: 'Authority (e.g. DCF 51A report)',
};

export interface Notification {
  party: NotifiedParty;
  /** Who exactly (name, agency, report number). */
  who: string;
  /** ISO instant. */
  at: string;
}

export interface IncidentDraft {
  requestId: string;
  patientId: string;
  /** ISO instant. */
  occurredAt: string;
  category?: IncidentCategory;
  seriousness?: Seriousness;
  whatHappened: string;
  immediateActions: string;
  notifications: Notification[];
  recordedBy: string;
}

export interface Incident {
  id: string;
  occurredAt: string;
  recordedAt?: string;
  category: IncidentCategory;
  seriousness: Seriousness;
  whatHappened: string;
  immediateActions: string;
  notifications: Notification[];
  recordedBy?: string;
  versionId?: string;
}

export interface IncidentReview {
  /** Task id. */
  id: string;
  incidentId: string;
  status: 'requested' | 'completed' | string;
  patientId?: string;
  note?: string;
  versionId?: string;
}

/**
 * Categories whose report to the authority is mandatory (abuse or neglect: a 51A report; a missing
 * youth; a restraint), and any serious incident.
 */
const AUTHORITY_CATEGORIES = new Set<IncidentCategory>(['abuse-neglect', 'missing-youth', 'restraint']);

export function authorityReportRequired(i: Pick<Incident, 'category' | 'seriousness'>): boolean {
  return AUTHORITY_CATEGORIES.has(i.category) || i.seriousness === 'serious';
}

export const AUTHORITY_REPORT_HOURS = 24;

/** Flagged: an authority report is required, none is recorded, and 24 hours have passed since the incident. */
export function authorityReportOverdue(
  i: Pick<Incident, 'category' | 'seriousness' | 'occurredAt' | 'notifications'>,
  now: Date,
): boolean {
  if (!authorityReportRequired(i)) return false;
  if (i.notifications.some((n) => n.party === 'authority')) return false;
  return now.getTime() - Date.parse(i.occurredAt) > AUTHORITY_REPORT_HOURS * 3_600_000;
}

export type IncidentField = 'occurredAt' | 'category' | 'seriousness' | 'whatHappened' | 'notifications';

export function incidentProblems(d: IncidentDraft, now: Date): FieldProblem<IncidentField>[] {
  const problems: FieldProblem<IncidentField>[] = [];
  const at = Date.parse(d.occurredAt);
  if (Number.isNaN(at)) problems.push({ field: 'occurredAt', message: 'Enter when it happened.' });
  else if (at > now.getTime() + 5 * 60_000)
    problems.push({ field: 'occurredAt', message: 'An incident is reported after it happened.' });
  if (!d.category) problems.push({ field: 'category', message: 'Choose the category.' });
  if (!d.seriousness) problems.push({ field: 'seriousness', message: 'Say whether it is serious.' });
  if (!d.whatHappened.trim()) problems.push({ field: 'whatHappened', message: 'Describe what happened.' });
  const badNotice = d.notifications.find(
    (n) => !n.who.trim() || Number.isNaN(Date.parse(n.at)) || (!Number.isNaN(at) && Date.parse(n.at) < at),
  );
  if (badNotice)
    problems.push({
      field: 'notifications',
      message: `Say who was notified (${NOTIFIED_LABEL[badNotice.party].toLowerCase()}) and when, after the incident.`,
    });
  return problems;
}
