/**
 * The claim-line preview as CSV, one row per line (date of service), through the one CSV module (RFC 4180, BOM,
 * formula-safe): what a clearinghouse takes in place of an 837P file (docs/exports.md). Lines with a problem are
 * exported with it named, never silently dropped: the biller decides.
 */
import type { ClaimDraft } from '../../domain/claims';
import { csvDocument } from '../../ui/csv';

export const CLAIM_CSV_COLUMNS = [
  'payer',
  'member_id',
  'youth',
  'service_date',
  'procedure',
  'modifiers',
  'units',
  'units_earned',
  'place_of_service',
  'rendering',
  'authorization',
  'source_contacts',
  'problems',
] as const;

export function claimsToCsv(
  drafts: readonly (ClaimDraft & { patientName?: string })[],
  renderingName: (ref: string | undefined) => string,
): string {
  const rows: string[][] = [[...CLAIM_CSV_COLUMNS]];
  for (const d of drafts)
    for (const l of d.lines)
      rows.push([
        d.payerName,
        d.memberId ?? '',
        d.patientName ?? d.patientId,
        l.day,
        'H2014',
        l.modifiers.join(' '),
        String(l.units),
        String(l.unitsEarned),
        l.placeOfService ?? '',
        renderingName(l.renderingReference),
        d.authorization ?? '',
        l.contactIds.map((id) => `Communication/${id}`).join(' '),
        l.problems.map((p) => p.text).join('; '),
      ]);
  return csvDocument(rows);
}
