/**
 * The discharge wizard's facts, taken from the workspace once: the goals, who the caregiver and the
 * recipients are, the provider calendar's today, and the default last date of service. Pure (no React,
 * no network): the wizard, the submit and the tests share it.
 */
import type { EhrConfig } from '../../config/config';
import { calendarFor, fstProvidersOf } from '../../config/config';
import { civilDateOf, civilToIso } from '../../domain/calendar';
import type { DischargeContext, DischargeDraft, RecipientKind } from '../../domain/discharge';
import {
  deliveryDeadline,
  lastCompletedContactDay,
  outreachAttempts,
  recipientsOf,
} from '../../domain/discharge';
import type { Caregiver, Contact, PlanGoal, Referral } from '../../domain/model';
import { countsForEpisode } from '../../domain/episode';
import { currentGoals, currentPlans } from '../../domain/referral';
import type { Workspace } from '../../fhir/workspace';
import { caregiverLocale } from '../../i18n/catalogues';
import type { DischargeDocument } from './dischargeDocument';
import { dischargeDocument } from './dischargeDocument';

export interface Recipient {
  kind: RecipientKind;
  reference: string;
  name: string;
}

export interface DischargeSetting {
  referral: Referral;
  ctx: DischargeContext;
  caregivers: Caregiver[];
  goals: PlanGoal[];
  /** The episode's contacts by FST staff, for the default last day and the outreach list. */
  contacts: Contact[];
  /** Possible recipients beyond the caregiver (consent decides whether they receive it). */
  others: Recipient[];
  defaultLastServiceDate?: string;
  timeZone: string;
  dayOf: (instant: string) => string;
  providerName: string;
  custodian?: string;
}

export function dischargeSetting(
  ws: Workspace,
  referral: Referral,
  ehr: EhrConfig,
  now: Date,
): DischargeSetting {
  const timeZone = ehr.timeZone;
  const dayOf = (instant: string) => civilToIso(civilDateOf(instant, timeZone));
  const plans = currentPlans(ws.plans);
  const goals = currentGoals(ws.plans);
  const inIcc = plans.some((p) => p.kind === 'icp');
  const contacts = ws.contacts.filter(
    (c) => c.status !== 'entered-in-error' && countsForEpisode(c, referral.id, ws.fstStaff),
  );
  const name = (ref: string) => ws.staffNames.get(ref) ?? ref;
  const others: Recipient[] = [];
  // The referring provider: a clinician (a caregiver's self-referral has none).
  const requester = referral.requesterReference;
  if (requester && /^(Practitioner|PractitionerRole|Organization)\//.test(requester))
    others.push({ kind: 'referring-provider', reference: requester, name: name(requester) });
  if (inIcc) {
    const team = plans.filter((p) => p.kind === 'icp').flatMap((p) => p.careTeam);
    for (const member of team) {
      const isFst = ws.fstStaff?.has(member.reference) ?? false;
      if (isFst || member.reference === requester || others.some((o) => o.reference === member.reference))
        continue;
      others.push({ kind: 'care-planning-team', reference: member.reference, name: name(member.reference) });
    }
  }
  const provider = fstProvidersOf(ehr)[0];
  return {
    referral,
    ctx: {
      goals,
      today: dayOf(now.toISOString()),
      episodeStart: dayOf(referral.authoredOn),
      inIcc,
      consentOnFile: ws.consentOnFile === true,
    },
    caregivers: ws.caregivers,
    goals,
    contacts,
    others,
    defaultLastServiceDate: lastCompletedContactDay(contacts, dayOf),
    timeZone,
    dayOf,
    providerName: provider?.name ?? '',
    custodian: ehr.providerOrganization ?? provider?.reference,
  };
}

/** The recipients the plan goes to, with names: the caregiver, then those consent allows. */
export function recipientsFor(s: DischargeSetting, draft: DischargeDraft): Recipient[] {
  const kinds = new Set(recipientsOf(draft, s.ctx));
  const caregiver = s.caregivers.find((c) => c.reference === draft.caregiverReference);
  return [
    ...(caregiver
      ? [{ kind: 'caregiver' as const, reference: caregiver.reference, name: caregiver.name.full }]
      : []),
    ...s.others.filter((o) => kinds.has(o.kind)),
  ];
}

export function deadlineFor(draft: DischargeDraft, ehr: EhrConfig): string | undefined {
  return deliveryDeadline(draft.lastServiceDate, calendarFor(ehr));
}

/** The plan as the caregiver reads it, in their language; undefined until the draft is complete enough. */
export function documentFor(
  s: DischargeSetting,
  ws: Workspace,
  draft: DischargeDraft,
  ehr: EhrConfig,
  authorName: string,
): DischargeDocument | undefined {
  const caregiver = s.caregivers.find((c) => c.reference === draft.caregiverReference);
  const deadline = deadlineFor(draft, ehr);
  const { reason, signature } = draft;
  if (!caregiver || !deadline || !reason || !signature) return undefined;
  return dischargeDocument({
    draft: { ...draft, reason, signature },
    locale: caregiverLocale(caregiver.languages),
    youth: ws.youth.name.full,
    caregiver: caregiver.name.full,
    familyPartner: authorName,
    provider: s.providerName,
    episodeStart: s.ctx.episodeStart,
    deadline,
    today: s.ctx.today,
    goals: s.goals,
    outreach: outreachAttempts(s.contacts, draft.lastServiceDate, s.dayOf).map((c) => ({
      date: s.dayOf(c.sent),
      method: c.method,
    })),
    crisis: ehr.crisis.numbers.map((n) => ({ name: n.label, number: n.tel })),
    sharedWith: recipientsFor(s, draft)
      .filter((r) => r.kind !== 'caregiver')
      .map((r) => r.name),
  });
}
