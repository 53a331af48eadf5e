/**
 * Claim lines as FHIR R4 `Claim` resources (professional, draft until a clearinghouse takes them): one Claim per
 * payer, member and month under the job's identifier, one `item` per date of service — `productOrService` H2014,
 * `modifier`, `quantity` (units), `servicedDate`, `locationCodeableConcept` (CMS place of service), the rendering
 * Family Partner through `careTeamSequence`, the prior authorisation in `insurance.preAuthRef`. The problems
 * found ride on each item as an extension, so the preview shows what the job saw.
 */
import type { Claim, ClaimItem } from 'fhir/r4';
import type { CalendarConfig } from '../../domain/calendar';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import type { ClaimContact, ClaimDraft, ClaimProblem } from '../../domain/claims';
import { countsForEpisode } from '../../domain/episode';
import type { ClaimLine, ClaimProblemKind } from '../../domain/claims';
import { claimPlaceOfService } from '../../domain/placeOfService';
import type { CaseloadFamily } from '../caseload';
import { CodeSystems, FST_CANONICAL, H2014, IdentifierSystems } from '../codes';
import { jobIdentifier } from './storedReports';

export const PLACE_OF_SERVICE_SYSTEM =
  'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set';
export const ClaimExtensions = {
  problem: `${FST_CANONICAL}/StructureDefinition/fst-claim-problem`,
  sourceContact: `${FST_CANONICAL}/StructureDefinition/fst-claim-source-contact`,
  /** A source contact's minutes, one per source contact in the same order. */
  sourceMinutes: `${FST_CANONICAL}/StructureDefinition/fst-claim-source-minutes`,
  unitsEarned: `${FST_CANONICAL}/StructureDefinition/fst-claim-units-earned`,
} as const;
const MODIFIER_SYSTEM = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

export const claimKey = (d: Pick<ClaimDraft, 'payerId' | 'patientId' | 'month'>) =>
  `claim:${d.payerId}:${d.patientId}:${d.month}`;

/**
 * A family's completed FST contacts as claims read them: made by FST staff for one of the youth's episodes. The
 * place of service and whether the youth took part are read where a contact carries them (`placeOfService`,
 * `youthPresent`), defensively: a contact without a place of service is flagged on its line, never guessed.
 */
export function claimContactsOf(
  family: CaseloadFamily,
  fstStaff: ReadonlySet<string> | undefined,
  cal: Pick<CalendarConfig, 'timeZone'>,
): ClaimContact[] {
  const episodes = new Set([family.referral.id, ...family.earlierReferrals.map((r) => r.id)]);
  return family.contacts
    .filter((c) => c.kind === 'caregiver' && [...episodes].some((id) => countsForEpisode(c, id, fstStaff)))
    .map((c) => {
      const loose = c as unknown as { youthPresent?: unknown };
      return {
        contactId: c.id,
        patientId: family.youth.id,
        memberId: family.youth.memberId,
        day: civilToIso(civilDateOf(c.sent, cal.timeZone)),
        minutes: c.durationMinutes,
        status: c.status,
        renderingReference: c.senderReference,
        goalIds: c.goalIds,
        // The CMS code of the place the contact records, or its method implies (phone, video: telehealth).
        placeOfService: claimPlaceOfService(c),
        youthPresent: typeof loose.youthPresent === 'boolean' ? loose.youthPresent : undefined,
      };
    });
}

const problemExtension = (p: ClaimProblem) => ({
  url: ClaimExtensions.problem,
  extension: [
    { url: 'kind', valueCode: p.kind },
    { url: 'text', valueString: p.text },
    ...(p.contactId
      ? [{ url: 'contact', valueReference: { reference: `Communication/${p.contactId}` } }]
      : []),
  ],
});

export function toClaim(
  draft: ClaimDraft,
  opts: { created: string; provider: string; patientName?: string },
): Claim {
  const team = [...new Set(draft.lines.map((l) => l.renderingReference).filter((r): r is string => !!r))];
  const item: ClaimItem[] = draft.lines.map((l) => ({
    sequence: l.sequence,
    productOrService: { coding: [{ system: H2014.system, code: H2014.code }] },
    ...(l.modifiers.length
      ? { modifier: l.modifiers.map((m) => ({ coding: [{ system: MODIFIER_SYSTEM, code: m }] })) }
      : {}),
    quantity: { value: l.units },
    servicedDate: l.day,
    ...(l.placeOfService
      ? { locationCodeableConcept: { coding: [{ system: PLACE_OF_SERVICE_SYSTEM, code: l.placeOfService }] } }
      : {}),
    ...(l.renderingReference ? { careTeamSequence: [team.indexOf(l.renderingReference) + 1] } : {}),
    extension: [
      { url: ClaimExtensions.unitsEarned, valueInteger: l.unitsEarned },
      ...l.contactIds.map((id) => ({
        url: ClaimExtensions.sourceContact,
        valueReference: { reference: `Communication/${id}` },
      })),
      ...(l.contactMinutes ?? []).map((m) => ({ url: ClaimExtensions.sourceMinutes, valueInteger: m })),
      ...l.problems.map(problemExtension),
    ],
  }));
  return {
    resourceType: 'Claim',
    // The month as a tag: the preview finds a month's claims in one search (`_tag`), on any server.
    meta: { tag: [{ system: CodeSystems.claimMonth, code: draft.month }] },
    identifier: [jobIdentifier(claimKey(draft))],
    status: 'draft',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
    use: 'claim',
    patient: {
      reference: `Patient/${draft.patientId}`,
      ...(opts.patientName ? { display: opts.patientName } : {}),
    },
    billablePeriod: { start: `${draft.month}-01`, end: lastDay(draft.month) },
    created: opts.created,
    provider: { reference: opts.provider },
    priority: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }],
    },
    insurer: {
      display: draft.payerName,
      identifier: { system: `${FST_CANONICAL}/identifier/payer`, value: draft.payerId },
    },
    ...(team.length
      ? {
          careTeam: team.map((provider, i) => ({
            sequence: i + 1,
            provider: { reference: provider },
            role: {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/claimcareteamrole', code: 'primary' },
              ],
            },
          })),
        }
      : {}),
    insurance: [
      {
        sequence: 1,
        focal: true,
        coverage: {
          display: `${draft.payerName}${draft.memberId ? ` member ${draft.memberId}` : ''}`,
          ...(draft.memberId
            ? { identifier: { system: IdentifierSystems.medicaidId, value: draft.memberId } }
            : {}),
        },
        ...(draft.authorization ? { preAuthRef: [draft.authorization] } : {}),
      },
    ],
    item,
  };
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

const PROBLEM_KINDS: readonly ClaimProblemKind[] = [
  'no-authorization',
  'authorization-exhausted',
  'over-daily-cap',
  'over-monthly-cap',
  'no-place-of-service',
  'no-goal',
  'lapsed-credential',
  'no-units',
  'no-member-id',
];

/** A stored Claim read back as the job built it (the preview shows what the job saw); undefined if not ours. */
export function fromClaim(claim: Claim): (ClaimDraft & { patientName?: string }) | undefined {
  const month = claim.billablePeriod?.start?.slice(0, 7);
  const patientId = /^Patient\/(.+)$/.exec(claim.patient?.reference ?? '')?.[1];
  const payerId = claim.insurer?.identifier?.value;
  if (!month || !patientId || !payerId) return undefined;
  const team = new Map((claim.careTeam ?? []).map((t) => [t.sequence, t.provider?.reference] as const));
  const lines: ClaimLine[] = [];
  for (const item of claim.item ?? []) {
    if (!item.servicedDate) return undefined;
    const ext = item.extension ?? [];
    lines.push({
      sequence: item.sequence,
      day: item.servicedDate,
      units: item.quantity?.value ?? 0,
      unitsEarned: ext.find((e) => e.url === ClaimExtensions.unitsEarned)?.valueInteger ?? 0,
      modifiers: (item.modifier ?? [])
        .flatMap((m) => m.coding?.map((c) => c.code ?? '') ?? [])
        .filter(Boolean),
      placeOfService: item.locationCodeableConcept?.coding?.find((c) => c.system === PLACE_OF_SERVICE_SYSTEM)
        ?.code,
      renderingReference: item.careTeamSequence?.[0] ? team.get(item.careTeamSequence[0]) : undefined,
      contactIds: ext
        .filter((e) => e.url === ClaimExtensions.sourceContact)
        .map((e) => e.valueReference?.reference?.replace(/^Communication\//, '') ?? '')
        .filter(Boolean),
      contactMinutes: ext
        .filter((e) => e.url === ClaimExtensions.sourceMinutes)
        .map((e) => e.valueInteger ?? 0),
      problems: ext
        .filter((e) => e.url === ClaimExtensions.problem)
        .map((e) => {
          const part = (url: string) => e.extension?.find((x) => x.url === url);
          const kind = part('kind')?.valueCode as ClaimProblemKind | undefined;
          const contact = part('contact')?.valueReference?.reference?.replace(/^Communication\//, '');
          return {
            kind: kind && PROBLEM_KINDS.includes(kind) ? kind : ('no-units' as const),
            text: part('text')?.valueString ?? '',
            ...(contact ? { contactId: contact } : {}),
          };
        }),
    });
  }
  return {
    payerId,
    payerName: claim.insurer?.display ?? payerId,
    patientId,
    patientName: claim.patient?.display,
    memberId: claim.insurance?.[0]?.coverage?.identifier?.value,
    month,
    authorization: claim.insurance?.[0]?.preAuthRef?.[0],
    lines,
  };
}
