/**
 * The "Log contact" form: its state, safe defaults (only who and when; how long, how and why are the
 * user's to say — "Same as last contact" copies them on demand), validation with zod, and the tab-scoped
 * draft that survives a token refresh or a reload (sessionStorage; never localStorage). Dates and times
 * are entered in the provider's time zone, whatever the browser's.
 */
import { formerLabel } from '../../domain/caregivers';
import { z } from '../../schema/z';
import type {
  CarePlanSummary,
  Caregiver,
  Contact,
  ContactDraft,
  ContactMethod,
  FieldProblem,
} from '../../domain/model';
import { civilDateOf, instantOfWallClock, wallClockOf } from '../../domain/calendar';
import { CONTACT_MINUTES } from '../../domain/units';
import { contactDateProblem } from '../../domain/contactDates';
import { purposeWarning } from '../../domain/purposes';
import { impliedPlace, placeProblem, PLACES_OF_SERVICE } from '../../domain/placeOfService';
import { visibleText } from '../../domain/names';
import { clearDraft, draftKey as formDraftKey, readDraft, writeDraft } from '../../ui/drafts';

export interface Recipient {
  reference: string;
  label: string;
  kind: 'caregiver' | 'collateral';
}

const TREATER_ROLES = new Set(['icc-care-coordinator', 'outpatient-clinician', 'iht-clinician']);

/** Who a Family Partner may log a contact with: the caregivers, then the youth's ICC / IHT / outpatient provider. */
export function recipientsFor(
  caregivers: Caregiver[],
  plans: CarePlanSummary[],
  staffNames: ReadonlyMap<string, string>,
): Recipient[] {
  const out: Recipient[] = caregivers
    .filter((c) => c.reference.startsWith('RelatedPerson/'))
    .map((c) => ({
      reference: c.reference,
      label: `${visibleText(c.name.full)} (${c.relationship}${c.former ? `, ${formerLabel(c)}` : ''})`,
      kind: 'caregiver' as const,
    }));
  const seen = new Set<string>();
  for (const member of plans.flatMap((p) => p.careTeam)) {
    if (!TREATER_ROLES.has(member.role) || seen.has(member.reference)) continue;
    seen.add(member.reference);
    const name = staffNames.get(member.reference) ?? member.reference;
    out.push({
      reference: member.reference,
      label: `${visibleText(name)} — ${member.roleDisplay}`,
      kind: 'collateral',
    });
  }
  return out;
}

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** A new form: the caregiver (when there is one) and now, in the provider's time zone; nothing else guessed. */
export function defaultForm(recipients: Recipient[], now: Date, timeZone: string): ContactFormState {
  const recipient = recipients.find((r) => r.kind === 'caregiver') ?? recipients[0];
  return {
    requestId: newRequestId(),
    recipient: recipient?.reference ?? '',
    method: '',
    when: wallClockOf(now, timeZone),
    duration: '',
    purposes: [],
    goalIds: [],
    note: '',
    telehealthRequested: false,
    attemptOnly: false,
    attemptReason: '',
    place: '',
  };
}

/**
 * "Same as last contact": method, duration, purposes and goals of the last completed contact with the same
 * kind of recipient — copied only when the user asks. Undefined when there is none.
 */
export function sameAsLast(
  recipient: Recipient | undefined,
  history: readonly Contact[],
): Pick<ContactFormState, 'method' | 'duration' | 'purposes' | 'goalIds'> | undefined {
  const last = history
    .filter((c) => c.status === 'completed' && c.kind === (recipient?.kind ?? 'caregiver'))
    .reduce<Contact | undefined>((a, c) => (!a || c.sent > a.sent ? c : a), undefined);
  if (!last) return undefined;
  return {
    method: last.method,
    duration: last.durationMinutes === undefined ? '' : String(last.durationMinutes),
    purposes: [...last.purposes],
    goalIds: [...last.goalIds],
  };
}

/** The shape of the form state: what a stored draft must look like to be restored. */
const draftSchema = z.object({
  requestId: z.string(),
  recipient: z.string(),
  /** Empty until the user chooses. */
  method: z.enum(['', 'phone', 'face-to-face', 'video', 'other']),
  when: z.string(),
  duration: z.string(),
  purposes: z.array(z.string()),
  goalIds: z.array(z.string()),
  note: z.string(),
  telehealthRequested: z.boolean(),
  attemptOnly: z.boolean(),
  attemptReason: z.string(),
  /** Where a face-to-face contact took place (seed 000 service component 5); phone and video are telehealth. */
  place: z._default(z.enum(['', ...PLACES_OF_SERVICE]), ''),
});

/** `when` is `YYYY-MM-DDTHH:mm` in the provider's time zone (datetime-local); duration is the raw field text. */
export type ContactFormState = z.infer<typeof draftSchema>;

export interface FormContext {
  recipients: Recipient[];
  now: Date;
  /** The provider's time zone: `when` is a wall-clock time there. */
  timeZone: string;
  /** The referral date: a contact cannot be before it. */
  referredOn?: string;
  /** When the episode ended: a later contact is allowed, with a warning. */
  endedOn?: string;
  /** Whether the plan has goals to link (a completed contact must address one). */
  goalsAvailable: boolean;
}

/** The form state plus what a save needs (seed 000: activities address plan goals, with a purpose). */
export function formSchema(ctx: FormContext) {
  const { recipients, now, timeZone } = ctx;
  const instant = (w: string) => instantOfWallClock(w, timeZone);
  return z
    .extend(draftSchema, {
      requestId: z.string().check(z.minLength(1)),
      recipient: z
        .string()
        .check(
          z.refine((r) => recipients.some((x) => x.reference === r), 'Choose who the contact was with.'),
        ),
      when: z
        .string()
        .check(z.minLength(1, 'Enter the date and time of the contact.'))
        .check(z.refine((w) => instant(w) !== undefined, 'Enter a valid date and time.'))
        .check(
          z.refine(
            (w) => !instant(w) || !contactDateProblem((instant(w) as Date).toISOString(), now),
            'The contact cannot be in the future.',
          ),
        )
        .check(
          z.refine(
            (w) =>
              !ctx.referredOn ||
              !instant(w) ||
              civilDateOf(instant(w) as Date, timeZone) >= civilDateOf(ctx.referredOn, timeZone),
            'The contact cannot be before the referral.',
          ),
        ),
    })
    .check(
      z.superRefine((f, issue) => {
        const add = (path: keyof ContactFormState, message: string) =>
          issue.addIssue({ code: 'custom', path: [path], message });
        if (!f.method) add('method', 'Choose how the contact happened.');
        if (f.attemptOnly) {
          if (!f.attemptReason) add('attemptReason', 'Say why no contact was made.');
          return;
        }
        const minutes = Number(f.duration);
        if (
          !f.duration ||
          !Number.isInteger(minutes) ||
          minutes < CONTACT_MINUTES.min ||
          minutes > CONTACT_MINUTES.max
        )
          add(
            'duration',
            `Enter the duration in whole minutes (${CONTACT_MINUTES.min}–${CONTACT_MINUTES.max}).`,
          );
        const place = placeProblem(f.method, placeOf(f));
        if (place) add('place', place);
        if (f.purposes.length === 0) add('purposes', 'Choose at least one purpose.');
        if (ctx.goalsAvailable && f.goalIds.length === 0)
          add('goalIds', 'Choose at least one plan goal the contact addressed.');
        if (!f.note.trim()) add('note', 'Write the progress note: every contact is documented.');
      }),
    );
}

/** Allowed but worth a second look: a contact after the episode ended; a contact whose only purpose is crisis. */
export function formWarnings(state: ContactFormState, ctx: FormContext): string[] {
  const out: string[] = [];
  const at = instantOfWallClock(state.when, ctx.timeZone);
  if (ctx.endedOn && at && civilDateOf(at, ctx.timeZone) > civilDateOf(ctx.endedOn, ctx.timeZone))
    out.push('This date is after the FST episode ended. Save only if the contact belongs to this episode.');
  const purpose = state.attemptOnly ? undefined : purposeWarning(state.purposes);
  if (purpose) out.push(purpose);
  return out;
}

export type ContactFormProblem = FieldProblem<keyof ContactFormState>;

/** Every field's first problem, in the form's order of validation. */
export function validate(
  state: ContactFormState,
  ctx: FormContext,
): { ok: true } | { ok: false; problems: ContactFormProblem[] } {
  const result = formSchema(ctx).safeParse(state);
  if (result.success) return { ok: true };
  const problems: ContactFormProblem[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path[0] as keyof ContactFormState;
    if (!problems.some((p) => p.field === field)) problems.push({ field, message: issue.message });
  }
  return { ok: false, problems };
}

/** A validated form → the domain draft. `when` is read in the provider's time zone. */
export function toDraft(
  state: ContactFormState,
  recipients: Recipient[],
  ctx: {
    patientId: string;
    senderReference: string;
    timeZone: string;
    /** The agency's telehealth platform (config), recorded on a video contact. */
    telehealthPlatform?: string;
    referralTaskId?: string;
    serviceRequestId?: string;
  },
): ContactDraft {
  const recipient = recipients.find((r) => r.reference === state.recipient);
  return {
    requestId: state.requestId,
    kind: recipient?.kind ?? 'caregiver',
    method: (state.method || 'other') as ContactMethod,
    sent: (instantOfWallClock(state.when, ctx.timeZone) ?? new Date(Number.NaN)).toISOString(),
    durationMinutes: state.attemptOnly ? undefined : Number(state.duration),
    purposes: state.purposes,
    goalIds: state.goalIds,
    note: state.note,
    recipientReference: state.recipient,
    senderReference: ctx.senderReference,
    patientId: ctx.patientId,
    referralTaskId: ctx.referralTaskId,
    serviceRequestId: ctx.serviceRequestId,
    telehealthRequestedByFamily: state.method === 'video' ? state.telehealthRequested : undefined,
    telehealthPlatform: state.method === 'video' ? ctx.telehealthPlatform : undefined,
    attemptReason: state.attemptOnly ? state.attemptReason : undefined,
    placeOfService: state.attemptOnly ? undefined : placeOf(state),
  };
}

/** The place recorded: the one chosen for a face-to-face contact, telehealth for phone and video, else none. */
function placeOf(state: Pick<ContactFormState, 'method' | 'place'>) {
  if (state.method === 'face-to-face') return state.place || undefined;
  return impliedPlace(state.method);
}

/** Drafts live in this tab only (sessionStorage), keyed by server, user and patient: never another user's. */
export function draftKey(serverUrl: string, userReference: string, patientId: string): string {
  return formDraftKey('contact', serverUrl, userReference, patientId);
}

/** The contact draft of `key`, when what is stored there still reads as one (the shared store of src/ui/drafts.ts). */
export function loadDraft(key: string, storage?: Storage): ContactFormState | undefined {
  const parsed = draftSchema.safeParse(readDraft(key, storage));
  return parsed.success ? parsed.data : undefined;
}

export function saveDraft(key: string, state: ContactFormState, storage?: Storage): void {
  writeDraft(key, state, storage);
}

export { clearDraft };
