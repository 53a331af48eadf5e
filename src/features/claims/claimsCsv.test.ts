import { describe, expect, it } from 'vitest';
import type { ClaimDraft } from '../../domain/claims';
import { previewClaims, problemsBeforeExport } from '../../domain/claims';
import { CSV_BOM } from '../../ui/csv';
import { claimsToCsv } from './claimsCsv';

const draft = (
  patientId: string,
  payerId: string,
  rendering: string[],
): ClaimDraft & { patientName: string } => ({
  payerId,
  payerName: payerId === 'mco' ? 'Managed care' : 'Medicaid',
  patientId,
  patientName: patientId === 'a' ? '=HYPERLINK("x")' : 'Sofía "Sofi" Ruiz',
  memberId: `M-${patientId}`,
  month: '2026-10',
  authorization: 'PA-1',
  lines: rendering.map((r, i) => ({
    sequence: i + 1,
    day: `2026-10-0${i + 1}`,
    units: 2,
    unitsEarned: 3,
    modifiers: ['HS'],
    placeOfService: '12',
    renderingReference: r,
    contactIds: [`c-${patientId}-${i}`],
    contactMinutes: [45],
    problems:
      i === 0 ? [{ kind: 'no-goal', text: 'the contact names no goal of the plan', contactId: 'c' }] : [],
  })),
});

describe('the claim-line preview', () => {
  const drafts = [
    draft('b', 'medicaid', ['Practitioner/rosa', 'Practitioner/james']),
    draft('a', 'mco', ['Practitioner/rosa']),
  ];
  it('narrows by payer and Family Partner, keeping only their lines; problems listed per line', () => {
    expect(previewClaims(drafts, { payerId: 'mco' }).map((d) => d.patientId)).toEqual(['a']);
    const james = previewClaims(drafts, { rendering: ['Practitioner/james'] });
    expect(james.map((d) => [d.patientId, d.lines.map((l) => l.day)])).toEqual([['b', ['2026-10-02']]]);
    expect(problemsBeforeExport(james)).toEqual([]);
    expect(problemsBeforeExport(previewClaims(drafts, {})).map((p) => p.draft.patientId)).toEqual(['a', 'b']);
  });

  it('CSV: BOM, CRLF, one row per line, quotes doubled, a formula neutralised, the problem named', () => {
    const csv = claimsToCsv(previewClaims(drafts, {}), (ref) =>
      ref === 'Practitioner/rosa' ? 'Rosa' : 'James',
    );
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'payer,member_id,youth,service_date,procedure,modifiers,units,units_earned,place_of_service,rendering,authorization,source_contacts,problems',
    );
    expect(lines).toHaveLength(5); // header, three lines, and the empty string after the last CRLF
    expect(lines[1]).toContain(`'=HYPERLINK`);
    expect(lines[1]).toContain('the contact names no goal of the plan');
    expect(lines[2]).toContain('"Sofía ""Sofi"" Ruiz"');
    expect(lines[2]).toContain('Medicaid,M-b');
    expect(lines[2]).toContain(',H2014,HS,2,3,12,Rosa,PA-1,Communication/c-b-0,');
  });
});
