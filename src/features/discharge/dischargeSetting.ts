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
  planRecipients,
  recipientsOf,
  TREATER_REFERENCE,
} from '../../domain/discharge';
import { serviceStartDay } from '../../domain/compliance';
import type { Caregiver, Contact, PlanGoal, Referral } from '../../domain/model';
import { countsForEpisode, episodeFor } from '../../domain/episode';
import type { AppUser, StaffRole } from '../../domain/permissions';
import { isSupervisor, STAFF_ROLES } from '../../domain/permissions';
import { currentGoals, currentPlans } from '../../domain/referral';
import type { Workspace } from '../../fhir/workspace';
import { caregiverLocale } from '../../i18n/catalogues';
import type { Locale } from '../../i18n/catalogues';
import type { DischargeDocument } from './dischargeDocument';
import { dischargeDocument } from './dischargeDocument';

export interface Recipient {
  kind: RecipientKind;
  reference: string;
  /** What the screen and the letter call them: their name, else their role on the team. */
  name: string;
  /** Set only when `name` is the person's own (the written records then carry it as `display`). */
  personName?: string;
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
  /** The first session's day: the plan says "Family Support and Training from" it (else the referral's day). */
  serviceStart: string;
  /** The family's assigned Family Partner, by name: the plan names them whoever prepares it. */
  familyPartnerName: string;
  /** Who prepares the plan, by name, and their own role. */
  preparedBy: { name: string; role?: StaffRole };
  timeZone: string;
  dayOf: (instant: string) => string;
  providerName: string;
  custodian?: string;
}

/**
 * The people the plan may go to whose names the workspace may not hold (a referring clinician outside the
 * care team): the wizard reads them (src/fhir/names.ts, across both servers) before it opens.
 */
export function recipientReferences(ws: Workspace): string[] {
  const refs = [
    ...ws.referrals.map((r) => r.requesterReference),
    ...currentPlans(ws.plans).flatMap((p) => p.careTeam.map((m) => m.reference)),
  ];
  return [...new Set(refs.filter((r): r is string => !!r && TREATER_REFERENCE.test(r)))];
}

export function dischargeSetting(
  ws: Workspace,
  referral: Referral,
  ehr: EhrConfig,
  now: Date,
  user: AppUser,
  /** Names read beyond the workspace's (recipientReferences): every recipient is named. */
  names: ReadonlyMap<string, string> = new Map(),
): DischargeSetting {
  const timeZone = ehr.timeZone;
  const dayOf = (instant: string) => civilToIso(civilDateOf(instant, timeZone));
  const plans = currentPlans(ws.plans);
  const goals = currentGoals(ws.plans);
  const inIcc = plans.some((p) => p.kind === 'icp');
  const contacts = ws.contacts.filter(
    (c) => c.status !== 'entered-in-error' && countsForEpisode(c, referral.id, ws.fstStaff),
  );
  const careTeam = plans.flatMap((p) => p.careTeam);
  // A person on screen and in the letter is a name, never a reference: the team's role when no name is known.
  const personName = (ref: string) => ws.staffNames.get(ref) ?? names.get(ref);
  const name = (ref: string) =>
    personName(ref) ?? careTeam.find((m) => m.reference === ref)?.roleDisplay ?? 'a member of the team';
  // Who they are is the domain's (planRecipients, the server's too); the wizard adds their names.
  const others: Recipient[] = planRecipients(
    referral.requesterReference,
    careTeam,
    (ref) => ws.fstStaff?.has(ref) ?? false,
  ).map((r) => ({ ...r, name: name(r.reference), personName: personName(r.reference) }));
  const provider = fstProvidersOf(ehr)[0];
  const cal = calendarFor(ehr);
  const episodeStart = dayOf(referral.authoredOn);
  return {
    referral,
    ctx: {
      goals,
      today: dayOf(now.toISOString()),
      episodeStart,
      inIcc,
      consentOnFile: ws.consentOnFile === true,
      attempts: contacts
        .filter((c) => c.kind === 'caregiver' && c.status === 'not-done')
        .map((c) => ({ day: dayOf(c.sent), method: c.method })),
      mayWaiveOutreach: isSupervisor(user),
    },
    caregivers: ws.caregivers,
    goals,
    contacts,
    others,
    defaultLastServiceDate: lastCompletedContactDay(contacts, dayOf),
    serviceStart:
      serviceStartDay(
        episodeFor({
          referral,
          contacts: ws.contacts,
          plans: ws.plans,
          dischargePlans: [],
          fstStaff: ws.fstStaff,
        }),
        now,
        cal,
      ) ?? episodeStart,
    familyPartnerName: assignedName(ws, referral.ownerReference),
    preparedBy: { name: ws.user?.name.full ?? '', role: STAFF_ROLES.find((r) => user.roles.has(r)) },
    timeZone,
    dayOf,
    providerName: provider?.name ?? '',
    custodian: ehr.providerOrganization ?? provider?.reference,
  };
}

/** The assigned Family Partner's name (the owner is their PractitionerRole, or them); '' when none is. */
function assignedName(ws: Workspace, owner: string | undefined): string {
  if (!owner) return '';
  const partner = ws.familyPartners.find(
    (f) => f.roleReference === owner || f.practitionerReference === owner,
  );
  return partner?.name ?? ws.staffNames.get(owner) ?? '';
}

/** The recipients the plan goes to, with names: the caregiver, then those consent allows. */
export function recipientsFor(s: DischargeSetting, draft: DischargeDraft): Recipient[] {
  const kinds = new Set(recipientsOf(draft, s.ctx));
  const caregiver = s.caregivers.find((c) => c.reference === draft.caregiverReference);
  return [
    ...(caregiver
      ? [{ kind: 'caregiver' as const, reference: caregiver.reference, name: caregiver.name.full }]
      : []),
    ...s.others.filter(
      (o) =>
        kinds.has(o.kind) &&
        // Her consent from her phone names each recipient she agreed to: only those.
        (draft.signature?.kind !== 'remote' ||
          (draft.signature.signed?.shareWith ?? []).includes(o.reference)),
    ),
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
  /** Default: the caregiver's language; the chart's copy asks for English. */
  locale?: Locale,
): DischargeDocument | undefined {
  const caregiver = s.caregivers.find((c) => c.reference === draft.caregiverReference);
  const deadline = deadlineFor(draft, ehr);
  const { reason, signature } = draft;
  if (!caregiver || !deadline || !reason || !signature) return undefined;
  const language = locale ?? caregiverLocale(caregiver.languages);
  return dischargeDocument({
    draft: { ...draft, reason, signature },
    locale: language,
    youth: ws.youth.name.full,
    caregiver: caregiver.name.full,
    caregiverGender: caregiver.gender,
    youthGender: ws.youth.gender,
    familyPartner: s.familyPartnerName,
    preparedBy: s.preparedBy,
    serviceStart: s.serviceStart,
    provider: s.providerName,
    deadline,
    today: s.ctx.today,
    goals: s.goals,
    outreach: outreachAttempts(s.contacts, draft.lastServiceDate, s.dayOf).map((c) => ({
      date: s.dayOf(c.sent),
      method: c.method,
    })),
    crisis: crisisLines(ehr, language),
    sharedWith: recipientsFor(s, draft)
      .filter((r) => r.kind !== 'caregiver')
      .map((r) => r.name),
  });
}

/**
 * The crisis lines as the caregiver reads them: the name and hours in the plan's language where the agency
 * configured them, and whether the line answers in Spanish when that is known.
 */
export function crisisLines(
  ehr: Pick<EhrConfig, 'crisis'>,
  locale: 'en' | 'es',
): { name: string; number: string; when?: string; speaksSpanish?: boolean }[] {
  return ehr.crisis.numbers.map((n) => {
    // A line translated for Spanish gives its own hours (or none); an untranslated one keeps the English.
    const es = locale === 'es' ? n.es : undefined;
    return {
      name: es?.label ?? n.label,
      number: n.tel,
      when: es ? es.when : n.when,
      speaksSpanish: n.languages ? n.languages.includes('es') : undefined,
    };
  });
}
