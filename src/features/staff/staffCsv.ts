/** The weekly supervision grid as CSV for an audit: one row per person and week, both requirements. */
import type { StaffMember, SupervisionWeek } from '../../domain/staff';
import { csvDocument } from '../../ui/csv';

export function supervisionCsv(
  rows: readonly { member: StaffMember; weeks: readonly SupervisionWeek[] }[],
  nameOf: (reference: string) => string,
): string {
  const lines = [
    [
      'staff',
      'role',
      'week_start',
      'week_end',
      'senior_fp_supervision',
      'senior_fp_supervisor',
      'clinician_supervision',
      'clinician_supervisor',
    ],
  ];
  for (const { member, weeks } of rows)
    for (const w of weeks)
      lines.push([
        member.name,
        member.role,
        w.weekStart,
        w.weekEnd,
        w['senior-fp'].status,
        [...new Set(w['senior-fp'].sessions.map((s) => nameOf(s.supervisor)))].join('; '),
        w.clinician.status,
        [...new Set(w.clinician.sessions.map((s) => nameOf(s.supervisor)))].join('; '),
      ]);
  return csvDocument(lines);
}
