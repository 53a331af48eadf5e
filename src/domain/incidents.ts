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
  authority: 'Authority (e.g. DCF 51A report, the agency’s incident system)',
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
  /** The report to an authority the supervisor recorded on closing, when the incident had none. */
  authorityReport?: Notification;
  /** The supervisor's recorded determination that no authority must be told, and why. */
  noReportReason?: string;
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

/**
 * Seed 000 quality management 4: every incident carries either its report to an authority (to whom, when) —
 * on the report, or recorded by the supervisor on closing its review — or the supervisor's recorded
 * determination that none must be told, with the reason. Flagged after 24 hours while it has neither.
 */
export function authorityDecisionOverdue(
  i: Pick<Incident, 'occurredAt' | 'notifications'>,
  review: Pick<IncidentReview, 'authorityReport' | 'noReportReason'> | undefined,
  now: Date,
): boolean {
  if (i.notifications.some((n) => n.party === 'authority')) return false;
  if (review?.authorityReport || review?.noReportReason?.trim()) return false;
  return now.getTime() - Date.parse(i.occurredAt) > AUTHORITY_REPORT_HOURS * 3_600_000;
}

/** What the supervisor records on closing a review whose incident has no authority report. */
export type AuthorityDecision =
  { kind: 'reported'; report: { who: string; at: string } } | { kind: 'not-needed'; reason: string };

/** Where an incident of this category is reported, when not serious (the words a supervisor acts on). */
const AUTHORITY_OF: Record<IncidentCategory, string> = {
  'abuse-neglect': 'DCF (a 51A report)',
  'missing-youth': 'the police and the guardian agency (DCF where the youth is in its care)',
  restraint: 'the licensing agency (DMH or EEC) and the MassHealth plan',
  injury: 'the agency’s incident system',
  police: 'the agency’s incident system',
  hospitalisation: 'the agency’s incident system',
  medication: 'the agency’s incident system',
  other: 'the agency’s incident system',
};

/**
 * Seed 000 quality management 4, "report any adverse incidents and other reportable events that occur to the
 * relevant authorities": every incident is reported somewhere. Reading: where no outside authority applies, the
 * agency's own incident system is the relevant one; a serious incident also goes to the MassHealth plan.
 */
export function relevantAuthority(i: Pick<Incident, 'category' | 'seriousness'>): string {
  const own = AUTHORITY_OF[i.category];
  return i.seriousness === 'serious' ? `${own}, and the MassHealth plan (serious incident)` : own;
}

/**
 * What stops a supervisor closing a review: the note, and — with no authority report on the incident — the
 * report made: to which authority, when (after the incident). "No report needed" is no answer (seed 000
 * quality management 4: "any adverse incidents"); a determination recorded so before is still read.
 */
export function closeReviewProblem(
  incident: Pick<Incident, 'category' | 'seriousness' | 'notifications' | 'occurredAt'> | undefined,
  note: string,
  decision: AuthorityDecision | undefined,
  now: Date,
): string | undefined {
  if (!note.trim()) return 'Write what you reviewed and decided before closing.';
  if (!incident || incident.notifications.some((n) => n.party === 'authority')) return undefined;
  if (decision?.kind === 'reported') {
    const at = Date.parse(decision.report.at);
    if (!decision.report.who.trim() || Number.isNaN(at))
      return 'Say which authority was told (agency, report number) and when.';
    if (at < Date.parse(incident.occurredAt) || at > now.getTime() + 5 * 60_000)
      return 'The report was made after the incident and not in the future.';
    return undefined;
  }
  return `Every incident is reported to the relevant authority: record to which authority (for this one, ${relevantAuthority(incident)}) and when.`;
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
