/**
 * The end of an FST episode: the discharge plan's content and the rules for finalising it (seed 000
 * "Discharge Planning and Documentation" 1–5; Arkansas CP.BH.AR.1600 §V criteria A–E). Pure: the wizard
 * shows `dischargeProblems`, the FHIR layer writes what `dischargeOutcome` and `recipientsOf` decide.
 */
import type { CalendarConfig, CivilDate } from './calendar';
import { addBusinessDays, civilFromIso, civilToIso } from './calendar';
import type { Contact, ContactMethod, FieldProblem, PlanGoal } from './model';
import { FAMILY_REFERENCE } from './planDelivery';

/** Codes of our FSTDischargeReason code system (fhir-profiles/input/fsh/terminology.fsh). */
export type DischargeReason =
  'caregiver-declined' | 'no-longer-needed' | 'goals-met' | 'terminated-without-notice';

export const DISCHARGE_REASONS: Record<DischargeReason, string> = {
  'caregiver-declined': 'The caregiver no longer wants or requires services',
  'no-longer-needed': 'Treaters and caregiver determine FST is no longer needed',
  'goals-met': 'The goals are met',
  'terminated-without-notice': 'The caregiver stopped without notice',
};

/** Arkansas §V: A is required, with at least one of B–E. */
export type DischargeCriterion = 'A' | 'B' | 'C' | 'D' | 'E';

export const DISCHARGE_CRITERIA: Record<DischargeCriterion, string> = {
  A: 'An adequate continuing care plan has been established',
  B: 'Goals substantially met',
  C: 'Individual requests discharge and is not in imminent danger',
  D: 'Transfer to another service is warranted',
  E: 'Individual requires more intensive services',
};

export type GoalOutcome = 'achieved' | 'partially-achieved' | 'not-achieved';

export const GOAL_OUTCOMES: Record<GoalOutcome, string> = {
  achieved: 'Achieved',
  'partially-achieved': 'Partially achieved',
  'not-achieved': 'Not achieved',
};

export type RecipientKind = 'caregiver' | 'referring-provider' | 'care-planning-team';

/** How the caregiver signed, or why the plan is final without their signature. */
export type CaregiverSignature =
  | { kind: 'drawn'; /** PNG, base64 without the data-URL prefix. */ png: string }
  | { kind: 'typed'; typedName: string; confirmed: boolean }
  | { kind: 'unsigned'; reason: string }
  | RemoteSignature;

/**
 * The plan sent to the caregiver's own phone to sign (issue 39): her request (a Task for her), the plan's
 * content as it was sent (what she reads is what is finalised), and — once she signed — her signature and
 * consent as the server holds them.
 */
export interface RemoteSignature {
  kind: 'remote';
  /** `Task/<id>`: her request; '' until it is sent. */
  request: string;
  /** JSON of `planContent` when it was sent. */
  sentContent: string;
  signed?: SignedOnHerPhone;
}

export interface SignedOnHerPhone {
  /** `RelatedPerson/<id>`: who signed (her Provenance's signature.who). */
  by: string;
  /** `Provenance/<id>`: her signature, on her request. */
  provenance: string;
  /** ISO instant she signed. */
  when: string;
  /** Her signature as she made it: drawn (PNG) or typed (her name). */
  mark: { kind: 'drawn'; png: string } | { kind: 'typed'; typedName: string };
  /** Her signature's bytes as stored (sigFormat, base64 data): the finalised plan's Provenance copies them. */
  stored: { sigFormat: string; data: string };
  /** `Consent/<id>`: her consent to share, when she gave one. */
  consent?: string;
  /** The recipients her consent names (references): the plan goes to these beyond her. */
  shareWith: string[];
}

/** Consent to share the plan beyond the caregiver: already on the server, given now, or not given. */
export type ConsentChoice = 'on-file' | 'given-now' | 'not-given';

export interface DischargeDraft {
  /** Client-generated, stable across retries: the idempotency key of every resource written. */
  requestId: string;
  /** The caregiver who receives and signs the plan. */
  caregiverReference: string;
  /** YYYY-MM-DD. */
  meetingDate: string;
  participants: string;
  reason?: DischargeReason;
  criteria: Record<DischargeCriterion, boolean>;
  /** By goal id. */
  goalOutcomes: Record<string, GoalOutcome | undefined>;
  strategies: string;
  supports: string;
  servicesInPlace: string;
  resources: string;
  followUpPlan: string;
  /** YYYY-MM-DD. */
  lastServiceDate: string;
  /** Recipients the user chose beyond the caregiver (who always receives the plan). */
  shareWith: Record<Exclude<RecipientKind, 'caregiver'>, boolean>;
  signature?: CaregiverSignature;
  consent: ConsentChoice;
  /**
   * A family that stopped without notice, reached fewer times than "every effort" asks (two attempts by two
   * methods): why, in the FST supervisor's words.
   */
  fewerAttemptsReason?: string;
}

/** What a finalised plan keeps in structured form beside its PDF: a correction starts from it. */
export type DischargePlanContent = Omit<DischargeDraft, 'requestId' | 'signature' | 'consent'>;

export function planContent(d: DischargeDraft): DischargePlanContent {
  const { requestId: _r, signature: _s, consent: _c, ...content } = d;
  return content;
}

export interface DischargeContext {
  goals: readonly PlanGoal[];
  /** Provider-calendar today, YYYY-MM-DD. */
  today: string;
  /** The referral's date (YYYY-MM-DD): no service before it. */
  episodeStart: string;
  /** The youth is in Intensive Care Coordination: the treaters are the Care Planning Team. */
  inIcc: boolean;
  /** An active consent to disclose was found on the server. */
  consentOnFile: boolean;
  /** The episode's failed attempts to reach the caregiver (day YYYY-MM-DD, method), for the outreach rule. */
  attempts: readonly { day: string; method: ContactMethod }[];
  /** The user may record why fewer attempts were made (an FST supervisor). */
  mayWaiveOutreach: boolean;
}

export type DischargeField =
  | 'meetingDate'
  | 'participants'
  | 'reason'
  | 'criteria'
  | 'goalOutcomes'
  | 'sustain'
  | 'followUpPlan'
  | 'lastServiceDate'
  | 'caregiver'
  | 'outreach'
  | 'signature'
  | 'consent';

export type DischargeProblem = FieldProblem<DischargeField>;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function emptyDischargeDraft(
  requestId: string,
  caregiverReference = '',
  lastServiceDate = '',
): DischargeDraft {
  return {
    requestId,
    caregiverReference,
    meetingDate: '',
    participants: '',
    criteria: { A: false, B: false, C: false, D: false, E: false },
    goalOutcomes: {},
    strategies: '',
    supports: '',
    servicesInPlace: '',
    resources: '',
    followUpPlan: '',
    lastServiceDate,
    shareWith: { 'referring-provider': true, 'care-planning-team': true },
    consent: 'not-given',
  };
}

export const stoppedWithoutNotice = (d: Pick<DischargeDraft, 'reason'>) =>
  d.reason === 'terminated-without-notice';

/** Everything that stops the plan from being finalised, in the order the form asks for it. */
export function dischargeProblems(draft: DischargeDraft, ctx: DischargeContext): DischargeProblem[] {
  const problems: DischargeProblem[] = [];
  const add = (field: DischargeField, message: string) => problems.push({ field, message });
  const noNotice = stoppedWithoutNotice(draft);

  // Seed 000 discharge 2: the plan is developed with the family at a meeting; a family that stopped
  // without notice has no meeting.
  if (!noNotice) {
    if (!ISO_DAY.test(draft.meetingDate))
      add('meetingDate', 'Enter the date of the discharge-planning meeting.');
    else if (draft.meetingDate > ctx.today) add('meetingDate', 'The meeting date cannot be in the future.');
    if (!draft.participants.trim())
      add('participants', 'Say who took part in the discharge-planning meeting.');
  }
  if (!draft.reason) add('reason', 'Choose the reason for discharge.');
  // Seed 000 discharge 4: "every effort to contact" — documented attempts, at least two by two methods.
  if (noNotice && ISO_DAY.test(draft.lastServiceDate)) {
    const tried = ctx.attempts.filter((a) => a.day >= draft.lastServiceDate);
    const enough = tried.length >= MIN_OUTREACH && new Set(tried.map((a) => a.method)).size >= MIN_OUTREACH;
    // "every effort … documented": a supervisor's reason may stand for the second attempt, never for the
    // first — with no attempt on record, no effort is documented.
    if (tried.length === 0)
      add(
        'outreach',
        `${outreachCount(0)} At least one attempt must be documented: try to reach the caregiver and log it; a supervisor's reason can stand only for the second.`,
      );
    else if (!enough && !(ctx.mayWaiveOutreach && draft.fewerAttemptsReason?.trim()))
      add(
        'outreach',
        ctx.mayWaiveOutreach
          ? `${outreachCount(tried.length)} Try again by another method and log it, or say why fewer attempts are enough.`
          : `${outreachCount(tried.length)} Try again by another method and log it; only an FST supervisor can close with fewer.`,
      );
  }
  // Seed 004 §V C is the family's own request: a family that vanished did not request discharge.
  if (noNotice && draft.criteria.C)
    add('criteria', 'C is for a family that asked to end services; this family stopped without notice.');
  if (!draft.criteria.A)
    add('criteria', 'Confirm that an adequate continuing care plan has been established (A).');
  // B–E describe an ending the family took part in; a family that stopped without notice is closed under
  // seed 000 discharge 4 (every effort to contact) with a continuing care plan (A).
  else if (!noNotice && !(['B', 'C', 'D', 'E'] as const).some((c) => draft.criteria[c]))
    add('criteria', 'Tick at least one of the criteria B to E.');
  const missing = ctx.goals.filter((g) => !draft.goalOutcomes[g.id]);
  if (missing.length)
    add(
      'goalOutcomes',
      missing.length === 1
        ? `Record the outcome of the goal "${missing[0].description}".`
        : `Record the outcome of ${missing.length} goals.`,
    );
  // Seed 000 discharge 5: ongoing strategies, supports, services in place, and resources to sustain the gains —
  // all four, for every family. For a family that stopped without notice, "not known" is a recorded answer.
  const empty = SUSTAINING.filter((k) => !draft[k].trim());
  const notKnown = SUSTAINING.filter((k) => draft[k].trim() === NOT_KNOWN_WITHOUT_NOTICE);
  if (empty.length)
    add(
      'sustain',
      `Write what sustains the gains — missing: ${empty.map((k) => SUSTAINING_LABEL[k]).join(', ')}${
        noNotice ? ` (where it is not known, record “${NOT_KNOWN_WITHOUT_NOTICE}”)` : ''
      }.`,
    );
  else if (!noNotice && notKnown.length)
    add(
      'sustain',
      `“${NOT_KNOWN_WITHOUT_NOTICE}” is for a family that stopped without notice: write the ${notKnown
        .map((k) => SUSTAINING_LABEL[k])
        .join(', ')} agreed with this family.`,
    );
  if (!draft.followUpPlan.trim()) add('followUpPlan', 'Write the follow-up plan.');
  if (!ISO_DAY.test(draft.lastServiceDate)) add('lastServiceDate', 'Enter the last date of service.');
  else if (draft.lastServiceDate > ctx.today)
    add('lastServiceDate', 'The last date of service cannot be in the future.');
  else if (draft.lastServiceDate < ctx.episodeStart)
    add('lastServiceDate', 'The last date of service cannot be before the referral.');

  if (!draft.caregiverReference) add('caregiver', 'Choose the caregiver who receives the plan.');

  const sig = draft.signature;
  if (!sig)
    add(
      'signature',
      noNotice ? 'Record the signature, or say why there is none.' : 'The caregiver must sign.',
    );
  else if (sig.kind === 'typed' && (!sig.typedName.trim() || !sig.confirmed))
    add('signature', 'Type the caregiver\'s name and tick "I confirm this is my signature".');
  else if (sig.kind === 'drawn' && !sig.png) add('signature', 'The signature is empty: draw it again.');
  else if (sig.kind === 'remote') {
    if (!sig.request) add('signature', 'Send the plan to her phone, or have her sign on this device.');
    else if (!sig.signed)
      add(
        'signature',
        'She has not signed on her phone yet: check again once she has, or sign on this device.',
      );
    else if (sig.signed.by !== draft.caregiverReference)
      add('signature', 'The signature on her phone is not from the caregiver who receives the plan.');
    // What she signed is what is finalised: a plan changed after it was sent goes to her again.
    else if (sig.sentContent !== JSON.stringify(planContent(draft)))
      add('signature', 'The plan changed after she signed it: send it to her phone again.');
  } else if (sig.kind === 'unsigned') {
    // Seed 000 discharge 4: only a family that stopped without notice leaves without signing.
    if (!noNotice)
      add(
        'signature',
        'Without a signature the plan can be finalised only when the caregiver stopped without notice.',
      );
    else if (!sig.reason.trim()) add('signature', 'Say why the caregiver did not sign.');
  }
  if (sig?.kind === 'remote') return problems; // her consent is her own, given on her phone
  if (draft.consent === 'given-now' && (!sig || sig.kind === 'unsigned'))
    add('consent', "Consent recorded now needs the caregiver's signature.");
  if (draft.consent === 'on-file' && !ctx.consentOnFile)
    add('consent', 'No active consent was found: record it now or share with the caregiver only.');
  return problems;
}

/** What a discharge plan documents to sustain the gains (seed 000 discharge 5). */
const SUSTAINING = ['strategies', 'supports', 'servicesInPlace', 'resources'] as const;
export const SUSTAINING_LABEL: Record<(typeof SUSTAINING)[number], string> = {
  strategies: 'strategies',
  supports: 'supports',
  servicesInPlace: 'services in place',
  resources: 'resources',
};

/**
 * The recorded answer for what a family that stopped without notice has in place (seed 000 discharge 5 asks
 * for strategies, supports and services in place; nobody could ask the family).
 */
export const NOT_KNOWN_WITHOUT_NOTICE = 'Not known: the family stopped without notice.';

/** "Every effort to contact" (seed 000 discharge 4): at least this many attempts, by as many methods. */
export const MIN_OUTREACH = 2;

const outreachCount = (n: number) =>
  n === 0
    ? 'No attempt to reach the caregiver is recorded since the last date of service.'
    : `${n} attempt${n === 1 ? '' : 's'} to reach the caregiver recorded: at least ${MIN_OUTREACH}, by ${MIN_OUTREACH} different methods, are needed.`;

/** Whether the plan may go beyond the caregiver (seed 000 discharge 3: only with consent). */
export function hasConsent(
  draft: Pick<DischargeDraft, 'consent' | 'signature'>,
  ctx: Pick<DischargeContext, 'consentOnFile'>,
) {
  // Signed on her phone: her own consent decides, and only for those it names (recipientsFor).
  if (draft.signature?.kind === 'remote') return (draft.signature.signed?.shareWith.length ?? 0) > 0;
  return draft.consent === 'given-now' || (draft.consent === 'on-file' && ctx.consentOnFile);
}

/**
 * Who receives the plan, decided here from the context, never ticked in a view: the caregiver always; with
 * consent, every current referring provider (seed 000 discharge 5: "given to the parent/guardian/caregiver and
 * the current referring providers") and the youth's current treaters — in ICC, the Care Planning Team (seed 000
 * discharge 2: "shared, with consent, with current treaters, or with the CPT for youth in ICC"). Reading: the
 * referring providers are treaters, so they too receive it only with consent.
 */
export function recipientsOf(draft: DischargeDraft, ctx: DischargeContext): RecipientKind[] {
  return hasConsent(draft, ctx) ? ['caregiver', 'referring-provider', 'care-planning-team'] : ['caregiver'];
}

/** Who can be a treater receiving the plan: a practitioner (in a role) or an organisation. */
export const TREATER_REFERENCE = /^(Practitioner|PractitionerRole|Organization)\//;

/** A recipient beyond the caregiver, by reference: the referring provider or one of the youth's treaters. */
export interface PlanRecipient {
  kind: Exclude<RecipientKind, 'caregiver'>;
  reference: string;
}

/**
 * The people beyond the caregiver the plan goes to once consent is given, from the records: the referring
 * provider (a clinician; a caregiver's self-referral has none) and the youth's current treaters — in ICC the
 * Care Planning Team — i.e. the care team's practitioners and organisations, never the family and never FST
 * itself. The wizard names them; the server requires a delivery to each (sandbox/fhir/dischargeRules.ts).
 */
export function planRecipients(
  requester: string | undefined,
  careTeam: readonly { reference: string }[],
  isFst: (reference: string) => boolean,
): PlanRecipient[] {
  const out: PlanRecipient[] = [];
  if (requester && TREATER_REFERENCE.test(requester))
    out.push({ kind: 'referring-provider', reference: requester });
  for (const { reference } of careTeam) {
    if (!TREATER_REFERENCE.test(reference) || isFst(reference) || reference === requester) continue;
    if (out.some((o) => o.reference === reference)) continue;
    out.push({ kind: 'care-planning-team', reference });
  }
  return out;
}

/**
 * What is wrong with the set of deliveries a finalised plan is written with (seed 000 discharge 2 and 5): the
 * caregiver always receives it (a delivery to the family, by reference or by name); with consent, each of
 * `recipientsOf`'s kinds reaches every one of its people; without consent, nobody beyond the family. Each
 * recipient is a delivery's recipient reference, or undefined for one named only (a caregiver known from
 * Patient.contact).
 */
export function deliverySetProblems(
  draft: DischargeDraft,
  ctx: DischargeContext,
  expected: readonly PlanRecipient[],
  recipients: readonly (string | undefined)[],
): string[] {
  const problems: string[] = [];
  const family = (r: string | undefined) => r === undefined || FAMILY_REFERENCE.test(r);
  if (!recipients.some(family))
    problems.push('The discharge plan is given to the caregiver: a delivery to the caregiver is missing.');
  const kinds = new Set(recipientsOf(draft, ctx));
  const owed = expected.filter((e) => kinds.has(e.kind));
  const missing = owed.filter((e) => !recipients.includes(e.reference));
  if (missing.length)
    problems.push(
      `With consent the plan is shared with every current referring provider and ${
        ctx.inIcc ? 'the Care Planning Team' : "the youth's treaters"
      }: a delivery to ${missing.map((m) => m.reference).join(', ')} is missing.`,
    );
  const beyond = recipients.filter((r): r is string => !family(r) && !owed.some((e) => e.reference === r));
  if (beyond.length)
    problems.push(
      hasConsent(draft, ctx)
        ? `${beyond.join(', ')} is not among the youth's referring providers or treaters: the plan goes only to them.`
        : `Without the caregiver's consent the plan goes to the caregiver only, not to ${beyond.join(', ')}.`,
    );
  return problems;
}

// The clocks read it (src/domain/episode.ts) without the rest of the discharge's rules (issue 38).
export { planDeliveredOn } from './planDelivery';

/** What happens to the referral: completed, or failed when the caregiver stopped without notice. */
export function dischargeOutcome(draft: DischargeDraft): { action: 'complete' | 'fail'; reason: string } {
  const reason = draft.reason ? DISCHARGE_REASONS[draft.reason] : '';
  return { action: stoppedWithoutNotice(draft) ? 'fail' : 'complete', reason };
}

/** Seed 000 discharge 5: the plan is due five business days after the last date of service. */
export function deliveryDeadline(lastServiceDate: string, cal: CalendarConfig): string | undefined {
  if (!ISO_DAY.test(lastServiceDate)) return undefined;
  return civilToIso(addBusinessDays(civilFromIso(lastServiceDate), 5, cal));
}

/** Calendar days from `today` to the deadline (negative once passed), for "due in 3 days". */
export function daysUntil(deadline: string, today: string): number {
  const a: CivilDate = civilFromIso(today);
  return civilFromIso(deadline) - a;
}

/** The last completed contact's day: the default last date of service. */
export function lastCompletedContactDay(
  contacts: readonly Contact[],
  dayOf: (instant: string) => string,
): string | undefined {
  const made = contacts.filter((c) => c.status === 'completed').map((c) => dayOf(c.sent));
  return made.sort().at(-1);
}

/** Outreach attempts after the last date of service (seed 000 discharge 4), oldest first. */
export function outreachAttempts(
  contacts: readonly Contact[],
  lastServiceDate: string,
  dayOf: (instant: string) => string,
): Contact[] {
  return contacts
    .filter((c) => c.kind === 'caregiver' && c.status === 'not-done' && dayOf(c.sent) >= lastServiceDate)
    .sort((a, b) => (a.sent < b.sent ? -1 : 1));
}
