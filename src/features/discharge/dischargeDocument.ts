/**
 * What the discharge plan says, in the caregiver's language: one model for the HTML preview and the PDF,
 * so what the caregiver reviews before signing is what they receive. Pure: built from the draft and the
 * workspace; the words come from the ICU catalogues (src/i18n/discharge/*.json).
 */
import type {
  CaregiverSignature,
  DischargeCriterion,
  DischargeDraft,
  DischargeReason,
  GoalOutcome,
} from '../../domain/discharge';
import type { ContactMethod, PlanGoal } from '../../domain/model';
import type { StaffRole } from '../../domain/permissions';
import type { Locale } from '../../i18n/catalogues';

/** Gender for wording: recorded (or, for a caregiver, said by the relationship); 'other' words it neutrally. */
export type WordingGender = 'female' | 'male' | 'other';

export interface DischargeDocument {
  locale: Locale;
  youth: string;
  caregiver: string;
  /** For languages that inflect ("la cuidadora", "el joven"): neutral wording when unknown. */
  caregiverGender: WordingGender;
  youthGender: WordingGender;
  /** The family's assigned Family Partner ('' when none is assigned). */
  familyPartner: string;
  /** Who prepared the plan, with their own role (a supervisor is not the family's Family Partner). */
  preparedBy: { name: string; role?: StaffRole };
  provider: string;
  /** YYYY-MM-DD: the first session (services "from" this day). */
  serviceStart: string;
  lastServiceDate: string;
  deadline: string;
  meeting?: { date: string; participants: string };
  reason: DischargeReason;
  criteria: DischargeCriterion[];
  goals: { text: string; outcome: GoalOutcome }[];
  strategies: string;
  supports: string;
  servicesInPlace: string;
  resources: string;
  followUpPlan: string;
  /** Shown when the caregiver stopped without notice (seed 000 discharge 4). */
  outreach?: { date: string; method: ContactMethod }[];
  crisis: { name: string; number: string; when?: string; speaksSpanish?: boolean }[];
  /** Display names of the recipients beyond the caregiver (empty: the caregiver only). */
  sharedWith: string[];
  signature: CaregiverSignature;
  /** YYYY-MM-DD. */
  signedOn: string;
}

export interface DocumentSources {
  draft: DischargeDraft & { reason: DischargeReason; signature: CaregiverSignature };
  locale: Locale;
  youth: string;
  caregiver: string;
  caregiverGender?: string;
  youthGender?: string;
  familyPartner: string;
  preparedBy: { name: string; role?: StaffRole };
  provider: string;
  serviceStart: string;
  deadline: string;
  today: string;
  goals: readonly PlanGoal[];
  outreach: { date: string; method: ContactMethod }[];
  crisis: { name: string; number: string; when?: string; speaksSpanish?: boolean }[];
  sharedWith: string[];
}

const CRITERIA: readonly DischargeCriterion[] = ['A', 'B', 'C', 'D', 'E'];

export function dischargeDocument(s: DocumentSources): DischargeDocument {
  const { draft } = s;
  const noNotice = draft.reason === 'terminated-without-notice';
  return {
    locale: s.locale,
    youth: s.youth,
    caregiver: s.caregiver,
    caregiverGender: wordingGender(s.caregiverGender),
    youthGender: wordingGender(s.youthGender),
    familyPartner: s.familyPartner,
    preparedBy: s.preparedBy,
    provider: s.provider,
    serviceStart: s.serviceStart,
    lastServiceDate: draft.lastServiceDate,
    deadline: s.deadline,
    meeting:
      !noNotice && draft.meetingDate
        ? { date: draft.meetingDate, participants: draft.participants.trim() }
        : undefined,
    reason: draft.reason,
    criteria: CRITERIA.filter((c) => draft.criteria[c]),
    // The caregiver reads the goal in the family's own words when the plan has them.
    goals: s.goals.flatMap((g) => {
      const outcome = draft.goalOutcomes[g.id];
      return outcome ? [{ text: g.caregiverWording ?? g.description, outcome }] : [];
    }),
    strategies: draft.strategies.trim(),
    supports: draft.supports.trim(),
    servicesInPlace: draft.servicesInPlace.trim(),
    resources: draft.resources.trim(),
    followUpPlan: draft.followUpPlan.trim(),
    outreach: noNotice ? s.outreach : undefined,
    crisis: s.crisis,
    sharedWith: s.sharedWith,
    signature: draft.signature,
    signedOn: s.today,
  };
}

/** The document's sections in reading order: the preview and the PDF both walk this list. */
export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'signature'; png: string; alt: string }
  /** A typed signature, on a line of its own as a signature stands on paper. */
  | { kind: 'signature-line'; name: string };

type Format = (id: string, values?: Record<string, string | number | Date>) => string;

/** A civil day as a Date at UTC midnight: formatted with timeZone UTC, it is that day everywhere. */
export const civilDay = (iso: string) => new Date(`${iso}T00:00:00Z`);

const wordingGender = (g: string | undefined): WordingGender =>
  g === 'female' || g === 'male' ? g : 'other';

export function documentBlocks(d: DischargeDocument, translate: Format): Block[] {
  // Every message may inflect for the caregiver's (cg) and the youth's (yg) gender: the Spanish one does.
  const t: Format = (id, values) => translate(id, { cg: d.caregiverGender, yg: d.youthGender, ...values });
  const blocks: Block[] = [];
  const heading = (id: string) => blocks.push({ kind: 'heading', text: t(id) });
  const text = (value: string) => blocks.push({ kind: 'paragraph', text: value || t('none') });
  blocks.push({ kind: 'title', text: t('title') });
  blocks.push({ kind: 'paragraph', text: t('subtitle', { caregiver: d.caregiver, youth: d.youth }) });

  heading('section.about');
  blocks.push({
    kind: 'list',
    items: [
      t('about.youth', { youth: d.youth }),
      t('about.caregiver', { caregiver: d.caregiver }),
      ...(d.familyPartner ? [t('about.familyPartner', { familyPartner: d.familyPartner })] : []),
      t('about.provider', { provider: d.provider }),
      t('about.period', { start: civilDay(d.serviceStart), end: civilDay(d.lastServiceDate) }),
      d.meeting
        ? t('about.meeting', { date: civilDay(d.meeting.date), participants: d.meeting.participants })
        : t('about.noMeeting'),
    ],
  });
  heading('section.reason');
  text(t(`reason.${d.reason}`));
  heading('section.criteria');
  blocks.push({ kind: 'list', items: d.criteria.map((c) => t(`criterion.${c}`)) });
  heading('section.goals');
  if (d.goals.length)
    blocks.push({
      kind: 'list',
      items: d.goals.map((g) => t('goal.line', { goal: g.text, outcome: t(`outcome.${g.outcome}`) })),
    });
  else text(t('goals.none'));
  heading('section.strategies');
  text(d.strategies);
  heading('section.supports');
  text(d.supports);
  heading('section.services');
  text(d.servicesInPlace);
  heading('section.resources');
  text(d.resources);
  heading('section.followUp');
  text(d.followUpPlan);
  if (d.outreach) {
    heading('section.outreach');
    if (d.outreach.length)
      blocks.push({
        kind: 'list',
        items: d.outreach.map((o) =>
          t('outreach.line', {
            date: civilDay(o.date),
            method: t(`method.${o.method}`),
            outcome: t('outcome.not-done'),
          }),
        ),
      });
    else text(t('outreach.none'));
  }
  if (d.crisis.length) {
    heading('section.crisis');
    blocks.push({
      kind: 'list',
      items: d.crisis.map((c) =>
        [
          t('crisis.line', { name: c.name, number: c.number }),
          c.when ? t('crisis.when', { when: c.when }) : '',
          // Said only in the Spanish plan, and only when the agency recorded the line's languages.
          d.locale === 'es' && c.speaksSpanish !== undefined
            ? t(c.speaksSpanish ? 'crisis.spanish' : 'crisis.englishOnly')
            : '',
        ].join(''),
      ),
    });
  }
  heading('section.lastService');
  text(t('lastService', { date: civilDay(d.lastServiceDate) }));
  text(t('deliveredBy', { date: civilDay(d.deadline) }));
  heading('section.sharing');
  text(
    d.sharedWith.length
      ? t('sharing.with', { recipients: d.sharedWith.join(', ') })
      : t('sharing.caregiverOnly'),
  );
  heading('section.signatures');
  const given = d.signature;
  // Signed on her phone: her own mark, as the server holds it; not yet: the plan awaits it.
  const sig = given.kind === 'remote' ? given.signed?.mark : given;
  const signed = civilDay(d.signedOn);
  if (!sig) text(t('signature.pending', { name: d.caregiver }));
  else if (sig.kind === 'drawn') {
    blocks.push({ kind: 'signature', png: sig.png, alt: t('signature.image', { name: d.caregiver }) });
    text(t('signature.drawn', { name: d.caregiver, date: signed }));
  } else if (sig.kind === 'typed') {
    blocks.push({ kind: 'signature-line', name: sig.typedName.trim() });
    text(t('signature.typed', { name: sig.typedName.trim(), date: signed }));
  } else text(t('signature.unsigned', { reason: sig.reason.trim() }));
  text(
    t('signature.author', {
      name: d.preparedBy.name,
      role: t(`role.${d.preparedBy.role ?? 'staff'}`),
      date: signed,
    }),
  );
  return blocks;
}
