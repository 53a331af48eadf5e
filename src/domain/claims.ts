/**
 * H2014 claim lines per payer, member and month (issue 40), and the problems that would get a line denied,
 * listed before anything is exported. Pure: the measures job and the claim-line preview call the same code.
 *
 * One line per member and date of service: that day's completed FST contacts, each turned into units by the
 * payer's own rule (payers differ — see UNIT_RULES and docs/exports.md), summed, then held to the payer's daily
 * and monthly caps and to the prior authorisation's unit budget.
 */
import { MINUTES_PER_UNIT, durationProblem } from './units';

/** How a payer turns a contact's minutes into 15-minute units. */
export type UnitRule = 'whole-units-only' | 'any-part' | 'eight-minute';

/**
 * The payers' rules, in the words payers' manuals use (docs/exports.md cites them):
 * - `whole-units-only`: "1–14 minutes = 0 units" — only complete 15-minute units are billed;
 * - `any-part`: "up to 15 minutes = 1 unit" — any started unit counts;
 * - `eight-minute`: a remainder of 8 minutes or more is one more unit (Medicare's rule for timed therapy codes,
 *   which some Medicaid payers apply to H-codes; src/domain/units.ts uses it for the screens' hours).
 */
export const UNIT_RULES: Record<UnitRule, (minutes: number) => number> = {
  'whole-units-only': (m) => Math.floor(m / MINUTES_PER_UNIT),
  'any-part': (m) => Math.ceil(m / MINUTES_PER_UNIT),
  'eight-minute': (m) => {
    const whole = Math.floor(m / MINUTES_PER_UNIT);
    return whole + (m - whole * MINUTES_PER_UNIT >= 8 ? 1 : 0);
  },
};

export function unitsFor(rule: UnitRule, minutes: number | undefined): number {
  if (!minutes || !Number.isFinite(minutes) || minutes <= 0) return 0;
  return UNIT_RULES[rule](minutes);
}

export interface PriorAuthorization {
  number: string;
  /** The member (Patient id) it was issued for. */
  patientId: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  /** Units approved. */
  units: number;
  /** Units already billed against it before the months the job builds (from the payer's remittances). */
  usedBefore?: number;
}

export interface PayerProfile {
  id: string;
  name: string;
  /** Used for members without a coverage naming another payer. */
  default?: boolean;
  unitRule: UnitRule;
  modifiers: {
    /** HR: family with the youth present. */
    youthPresent?: string;
    /** HS: family without the youth present. */
    youthAbsent?: string;
    /** The payer's own, on every line (e.g. a program modifier). */
    always?: readonly string[];
  };
  caps: { unitsPerDay?: number; unitsPerMonth?: number };
  priorAuthorization: { required: boolean; authorizations: readonly PriorAuthorization[] };
}

/** One completed FST contact as a claim reads it. */
export interface ClaimContact {
  contactId: string;
  patientId: string;
  memberId?: string;
  /** YYYY-MM-DD in the agency's time zone. */
  day: string;
  minutes?: number;
  status: 'completed' | 'not-done' | 'entered-in-error' | 'in-progress';
  /** The rendering Family Partner (`Practitioner/…`). */
  renderingReference?: string;
  goalIds: readonly string[];
  /** CMS place-of-service code (two digits), when recorded. */
  placeOfService?: string;
  /** Whether the youth took part (HR) or only the family (HS); unknown → HS, said in the problems. */
  youthPresent?: boolean;
}

export type ClaimProblemKind =
  | 'no-authorization'
  | 'authorization-exhausted'
  | 'over-daily-cap'
  | 'over-monthly-cap'
  | 'no-place-of-service'
  | 'no-goal'
  | 'lapsed-credential'
  | 'no-units'
  | 'no-member-id';

export interface ClaimProblem {
  kind: ClaimProblemKind;
  text: string;
  contactId?: string;
}

export interface ClaimLine {
  sequence: number;
  day: string;
  units: number;
  /** Units the contacts earned before caps and budget: the difference is what the payer will not pay. */
  unitsEarned: number;
  modifiers: string[];
  placeOfService?: string;
  renderingReference?: string;
  contactIds: string[];
  /** Each source contact's minutes, in the order of `contactIds`: the preview shows what earned the units. */
  contactMinutes?: number[];
  problems: ClaimProblem[];
}

export interface ClaimDraft {
  payerId: string;
  payerName: string;
  patientId: string;
  memberId?: string;
  month: string;
  authorization?: string;
  lines: ClaimLine[];
}

export interface ClaimInput {
  contacts: readonly ClaimContact[];
  payers: readonly PayerProfile[];
  /** YYYY-MM. */
  month: string;
  /** Why the rendering Family Partner could not bill on that day (a lapsed credential), or undefined. */
  credentials: (renderingReference: string, day: string) => string | undefined;
  /** The payer of a member; default: the payer marked `default`, else the first. */
  payerOf?: (patientId: string) => string | undefined;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The month's claims: per payer and member, one line per date of service, with what would be denied. */
export function buildClaimLines(input: ClaimInput): ClaimDraft[] {
  const fallback = input.payers.find((p) => p.default) ?? input.payers[0];
  const byMember = new Map<string, ClaimContact[]>();
  for (const c of input.contacts) {
    if (
      c.status !== 'completed' ||
      !c.day.startsWith(input.month) ||
      durationProblem({ durationMinutes: c.minutes, status: c.status })
    )
      continue;
    byMember.set(c.patientId, [...(byMember.get(c.patientId) ?? []), c]);
  }
  const drafts: ClaimDraft[] = [];
  for (const [patientId, contacts] of [...byMember].sort(([a], [b]) => a.localeCompare(b))) {
    const payerId = input.payerOf?.(patientId);
    const payer = input.payers.find((p) => p.id === payerId) ?? fallback;
    if (!payer) continue;
    const days = new Map<string, ClaimContact[]>();
    for (const c of [...contacts].sort((a, b) => a.day.localeCompare(b.day)))
      days.set(c.day, [...(days.get(c.day) ?? []), c]);
    const auths = payer.priorAuthorization.authorizations.filter((a) => a.patientId === patientId);
    const used = new Map(auths.map((a) => [a.number, a.usedBefore ?? 0]));
    let monthUnits = 0;
    let authorization: string | undefined;
    const lines: ClaimLine[] = [];
    for (const [day, list] of days) {
      const problems: ClaimProblem[] = [];
      const earned = list.reduce((t, c) => t + unitsFor(payer.unitRule, c.minutes), 0);
      let units = earned;
      if (earned === 0)
        problems.push({
          kind: 'no-units',
          text: `${plural(
            list.reduce((t, c) => t + (c.minutes ?? 0), 0),
            'minute',
          )} earn no unit under ${payer.name}'s rule (${payer.unitRule})`,
        });
      const perDay = payer.caps.unitsPerDay;
      if (perDay !== undefined && units > perDay) {
        problems.push({
          kind: 'over-daily-cap',
          text: `${units} units on one day; ${payer.name} pays at most ${perDay}`,
        });
        units = perDay;
      }
      const perMonth = payer.caps.unitsPerMonth;
      if (perMonth !== undefined && monthUnits + units > perMonth) {
        const room = Math.max(0, perMonth - monthUnits);
        problems.push({
          kind: 'over-monthly-cap',
          text: `the month reaches ${monthUnits + units} units; ${payer.name} pays at most ${perMonth} a month`,
        });
        units = room;
      }
      if (payer.priorAuthorization.required) {
        const auth = auths.find((a) => a.from <= day && day <= a.to);
        if (!auth)
          problems.push({
            kind: 'no-authorization',
            text: `no prior authorisation from ${payer.name} covers ${day}`,
          });
        else {
          authorization = auth.number;
          const left = auth.units - (used.get(auth.number) ?? 0);
          if (units > left) {
            problems.push({
              kind: 'authorization-exhausted',
              text: `authorisation ${auth.number} has ${plural(Math.max(0, left), 'unit')} left of ${auth.units}; this day needs ${units}`,
            });
            units = Math.max(0, left);
          }
          used.set(auth.number, (used.get(auth.number) ?? 0) + units);
        }
      }
      monthUnits += units;
      const places = new Set(list.map((c) => c.placeOfService).filter((p): p is string => !!p));
      for (const c of list) {
        if (!c.placeOfService)
          problems.push({
            kind: 'no-place-of-service',
            text: 'the contact records no place of service',
            contactId: c.contactId,
          });
        if (c.goalIds.length === 0)
          problems.push({
            kind: 'no-goal',
            text: 'the contact names no goal of the plan',
            contactId: c.contactId,
          });
        const lapsed = c.renderingReference ? input.credentials(c.renderingReference, day) : undefined;
        if (lapsed) problems.push({ kind: 'lapsed-credential', text: lapsed, contactId: c.contactId });
      }
      if (!list[0].memberId)
        problems.push({ kind: 'no-member-id', text: 'the youth has no member id on record' });
      const present = list.some((c) => c.youthPresent === true);
      const presence = present ? payer.modifiers.youthPresent : payer.modifiers.youthAbsent;
      const modifiers = [...(presence ? [presence] : []), ...(payer.modifiers.always ?? [])];
      lines.push({
        sequence: lines.length + 1,
        day,
        units,
        unitsEarned: earned,
        modifiers: [...new Set(modifiers)],
        placeOfService: places.size === 1 ? [...places][0] : undefined,
        renderingReference: list[0].renderingReference,
        contactIds: list.map((c) => c.contactId),
        contactMinutes: list.map((c) => c.minutes ?? 0),
        problems,
      });
    }
    drafts.push({
      payerId: payer.id,
      payerName: payer.name,
      patientId,
      memberId: contacts[0].memberId,
      month: input.month,
      authorization,
      lines,
    });
  }
  return drafts;
}

/** A month's claims narrowed as the preview asks (a payer, a rendering Family Partner), each line kept whole. */
export function previewClaims<T extends ClaimDraft>(
  drafts: readonly T[],
  filter: { payerId?: string; rendering?: readonly string[] },
): T[] {
  return drafts
    .filter((d) => !filter.payerId || d.payerId === filter.payerId)
    .map((d) => ({
      ...d,
      lines: d.lines.filter(
        (l) =>
          !filter.rendering?.length ||
          (!!l.renderingReference && filter.rendering.includes(l.renderingReference)),
      ),
    }))
    .filter((d) => d.lines.length > 0)
    .sort((a, b) => a.patientId.localeCompare(b.patientId) || a.payerId.localeCompare(b.payerId));
}

/** What would be denied, listed before export: one entry per problem, by member and date of service. */
export function problemsBeforeExport<T extends ClaimDraft>(
  drafts: readonly T[],
): { draft: T; line: ClaimLine; problem: ClaimProblem }[] {
  return drafts.flatMap((draft) =>
    draft.lines.flatMap((line) => line.problems.map((problem) => ({ draft, line, problem }))),
  );
}

export const CLAIM_PROBLEM_LABEL: Record<ClaimProblemKind, string> = {
  'no-authorization': 'No prior authorisation',
  'authorization-exhausted': 'Authorisation used up',
  'over-daily-cap': 'Over the daily cap',
  'over-monthly-cap': 'Over the monthly cap',
  'no-place-of-service': 'No place of service',
  'no-goal': 'No goal named',
  'lapsed-credential': 'Lapsed credential',
  'no-units': 'No billable unit',
  'no-member-id': 'No member id',
};
