/**
 * Staff compliance as CSV for an audit (seed 000 staffing 1–9), one file, one row per fact, kinds apart by the
 * `record` column:
 * - `week`: a weekly supervision requirement for a person and week (met / missed / due), with who supervised;
 * - `session`: each supervision session in the period (date, kind, supervisor, minutes);
 * - `training` / `credential`: each item with its status, due date and last completion.
 */
import type { StaffItem, StaffMember, SupervisionSession, SupervisionWeek } from '../../domain/staff';
import { CREDENTIALS, SUPERVISION_KIND_LABEL } from '../../domain/staff';
import { csvDocument } from '../../ui/csv';

export const SUPERVISION_CSV_COLUMNS = [
  'record',
  'staff',
  'role',
  'date',
  'week_end',
  'what',
  'status',
  'supervisor',
  'minutes',
  'due',
  'last_done',
] as const;

const REQUIREMENT_LABEL = {
  'senior-fp': 'weekly supervision by a Senior Family Partner',
  clinician: 'weekly supervision by a licensed clinician',
} as const;

/** Qualifications, licence and insurance are credentials; ICC, competency and the annual topics are training. */
const isCredential = (item: StaffItem) => item.code in CREDENTIALS && !item.code.endsWith('-training');

export function supervisionCsv(
  rows: readonly {
    member: StaffMember;
    weeks: readonly SupervisionWeek[];
    items: readonly StaffItem[];
  }[],
  sessions: readonly SupervisionSession[],
  period: { from: string; to: string },
  nameOf: (reference: string) => string,
  dayOf: (instant: string) => string,
): string {
  const lines: string[][] = [[...SUPERVISION_CSV_COLUMNS]];
  for (const { member, weeks, items } of rows) {
    for (const w of weeks)
      for (const requirement of ['senior-fp', 'clinician'] as const)
        lines.push([
          'week',
          member.name,
          member.role,
          w.weekStart,
          w.weekEnd,
          REQUIREMENT_LABEL[requirement],
          w[requirement].status,
          [...new Set(w[requirement].sessions.map((s) => nameOf(s.supervisor)))].join('; '),
          '',
          '',
          '',
        ]);
    const mine = sessions
      .filter((s) => s.supervisees.includes(member.reference))
      .filter((s) => dayOf(s.start) >= period.from && dayOf(s.start) <= period.to)
      .sort((a, b) => a.start.localeCompare(b.start));
    for (const s of mine)
      lines.push([
        'session',
        member.name,
        member.role,
        dayOf(s.start),
        '',
        SUPERVISION_KIND_LABEL[s.kind],
        'held',
        nameOf(s.supervisor),
        s.minutes === undefined ? '' : String(s.minutes),
        '',
        '',
      ]);
    for (const item of items)
      lines.push([
        isCredential(item) ? 'credential' : 'training',
        member.name,
        member.role,
        '',
        '',
        item.label,
        item.status,
        '',
        '',
        item.due ?? '',
        item.last ?? '',
      ]);
  }
  return csvDocument(lines);
}
