/**
 * CSV export of the (filtered) history. One row per contact or team meeting; columns below. Values that a
 * spreadsheet would run as a formula are neutralised, and the file starts with a UTF-8 byte-order mark (src/ui/csv.ts). File names carry only the
 * youth's initials and the dates covered, never a name or an id.
 */
import type { TimelineRow } from '../../domain/contactFilter';
import type { Meeting } from '../../domain/meetings';
import { MEETING_KIND_LABEL } from '../../domain/meetings';
import type { Contact, Correction } from '../../domain/model';
import { durationProblem, unitsForMinutes } from '../../domain/units';
import { claimPlaceOfService, impliedPlace } from '../../domain/placeOfService';
import { CSV_BOM, csvCell, csvLine } from '../../ui/csv';
import { daysRecordedAfter } from '../../domain/contactDates';

export const CSV_COLUMNS = [
  ['date', 'Date of the contact (YYYY-MM-DD, provider time zone)'],
  ['time', 'Local time (HH:mm), in the time zone of the next column'],
  ['time_zone', 'The provider time zone the date and time are in (IANA name, e.g. America/New_York)'],
  ['type', 'caregiver, collateral, or meeting:<kind> for a team meeting (cpt, treatment-team, school-iep…)'],
  ['status', 'completed, not-done (attempt) or entered-in-error'],
  ['method', 'phone, face-to-face, video or other'],
  ['with', 'Who the contact was with'],
  ['family_partner', 'Who recorded it'],
  ['duration_minutes', 'Minutes (empty for attempts)'],
  ['h2014_units', '15-minute units by the 8-minute rule'],
  [
    'place_of_service',
    'home, community, office, school or telehealth (empty when not recorded, and for attempts)',
  ],
  [
    'pos_code',
    'CMS place-of-service code of the H2014 line: 12 home, 99 community, 11 office, 03 school, 10 telehealth',
  ],
  ['purposes', 'Purposes, separated by "; "'],
  ['goals', 'Plan goals addressed, separated by "; "'],
  ['attempt_reason', 'Why no contact was made (attempts)'],
  ['note', 'The progress note'],
  ['corrections', 'Amendments and withdrawals: who, when (provider time zone) and why, separated by "; "'],
  ['telehealth_platform', 'A video contact: the platform it was held on'],
  [
    'telehealth_requested_by_family',
    'A video contact: yes when the family asked for telehealth, no when not',
  ],
  ['recorded_at', 'When the server first stored the contact (YYYY-MM-DD HH:mm, provider time zone)'],
  ['recorded_days_after', 'Days between the contact and its recording (0: the same day)'],
] as const;

export interface CsvLabels {
  timeZone: string;
  name: (reference: string | undefined) => string;
  goal: (id: string) => string;
  purpose: (code: string) => string;
}

/** Longest text a cell holds: a note of a few pages, a name of a name's length. Longer is cut, and says so. */
const MAX_TEXT = 32_000;
const MAX_NAME = 300;

function bounded(value: string, max: number): string {
  return value.length <= max
    ? value
    : `${value.slice(0, max)}… [truncated: ${value.length - max} more characters]`;
}

function localParts(iso: string, timeZone: string): { date: string; time: string } {
  // A partial date stays partial: no time is made up for it.
  if (/^\d{4}(-\d{2})?$/.test(iso)) return { date: iso, time: '' };
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** "Amended by Rosa Delgado on 2026-11-20 14:05", "Withdrawn by … on …: reason" — screen, print and CSV alike. */
export function describeCorrections(
  corrections: readonly Correction[] | undefined,
  name: (reference: string | undefined) => string,
  timeZone: string,
): string[] {
  return (corrections ?? []).map((c) => {
    const { date, time } = localParts(c.at, timeZone);
    const who = name(c.by) || 'unknown user';
    const what = c.kind === 'amended' ? 'Amended' : 'Withdrawn';
    return `${what} by ${who} on ${date} ${time}${c.reason ? `: ${c.reason}` : ''}`;
  });
}

/**
 * The CSV as parts, one per row, for a Blob: a history of thousands of rows with outsized values never
 * becomes one giant string, and every cell is bounded.
 */
export function contactsToCsvParts(contacts: readonly Contact[], labels: CsvLabels): string[] {
  return timelineToCsvParts(
    contacts.map((contact) => ({ kind: 'contact', id: contact.id, at: contact.sent, contact })),
    labels,
  );
}

/** The history as CSV: contacts, and team meetings in the same columns (type `meeting:<kind>`). */
export function timelineToCsvParts(timeline: readonly TimelineRow[], labels: CsvLabels): string[] {
  const header = CSV_BOM + csvLine(CSV_COLUMNS.map(([name]) => name));
  const name = (ref: string | undefined) => bounded(labels.name(ref), MAX_NAME);
  const rows = timeline.map((row) => {
    if (row.kind === 'meeting') return meetingLine(row.meeting, labels, name);
    const c = row.contact;
    const { date, time } = localParts(c.sent, labels.timeZone);
    const recorded = c.recordedAt ? localParts(c.recordedAt, labels.timeZone) : undefined;
    const lag = daysRecordedAfter(c, labels.timeZone);
    return `${[
      date,
      time,
      labels.timeZone,
      c.kind,
      c.status,
      c.method,
      name(c.recipientReference),
      name(c.senderReference),
      c.status === 'completed' && c.durationMinutes !== undefined ? String(c.durationMinutes) : '',
      c.status === 'completed' && !durationProblem(c) ? String(unitsForMinutes(c.durationMinutes)) : '',
      c.status === 'completed' ? (c.placeOfService ?? impliedPlace(c.method) ?? '') : '',
      claimPlaceOfService(c) ?? '',
      bounded(c.purposes.map(labels.purpose).join('; '), MAX_TEXT),
      bounded(c.goalIds.map(labels.goal).join('; '), MAX_TEXT),
      bounded(c.attemptReason ?? '', MAX_TEXT),
      bounded(c.note ?? '', MAX_TEXT),
      bounded(describeCorrections(c.corrections, name, labels.timeZone).join('; '), MAX_TEXT),
      bounded(c.telehealthPlatform ?? '', MAX_NAME),
      c.telehealthRequestedByFamily === undefined ? '' : c.telehealthRequestedByFamily ? 'yes' : 'no',
      recorded ? `${recorded.date} ${recorded.time}` : '',
      lag === undefined ? '' : String(lag),
    ]
      .map(csvCell)
      .join(',')}\r\n`;
  });
  return [header, ...rows];
}

/** A team meeting in the contact columns: not a billable contact, so no units. */
function meetingLine(m: Meeting, labels: CsvLabels, name: (ref: string | undefined) => string): string {
  const { date, time } = localParts(m.start, labels.timeZone);
  const minutes = m.end ? Math.round((Date.parse(m.end) - Date.parse(m.start)) / 60_000) : undefined;
  const updates = m.goalUpdates.map((u) => `${labels.goal(u.goalId)}: ${u.update}`);
  return `${[
    date,
    time,
    labels.timeZone,
    `meeting:${m.kind}`,
    'completed',
    'meeting',
    bounded(m.attendees.map((a) => a.name).join('; '), MAX_TEXT),
    name(m.recordedBy),
    minutes !== undefined ? String(minutes) : '',
    '',
    '',
    '',
    MEETING_KIND_LABEL[m.kind],
    bounded(m.goalUpdates.map((u) => labels.goal(u.goalId)).join('; '), MAX_TEXT),
    '',
    bounded([...updates, ...(m.decisions ? [`Decisions: ${m.decisions}`] : [])].join('; '), MAX_TEXT),
    '',
    '',
    '',
    '',
    '',
  ]
    .map(csvCell)
    .join(',')}\r\n`;
}

/** `FST-contacts-MT-2026-01-05-to-2026-11-20.csv` */
export function exportFileName(
  kind: string,
  initials: string,
  from: string,
  to: string,
  ext: string,
): string {
  const safe =
    initials
      .replace(/[^A-Za-z]/g, '')
      .toUpperCase()
      .slice(0, 3) || 'X';
  return `FST-${kind}-${safe}-${from}-to-${to}.${ext}`;
}

export function initialsOf(given: string, family: string): string {
  return `${given.trim().charAt(0)}${family.trim().charAt(0)}`;
}
