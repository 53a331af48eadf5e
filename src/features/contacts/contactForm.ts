/**
 * The "Log contact" form: its state, defaults (the common case — weekly phone call, same goals as last
 * time — needs only a note), validation with zod, and the tab-scoped draft that survives a token refresh
 * or a reload (sessionStorage; never localStorage).
 */
import { z } from 'zod';
import type { CarePlanSummary, Caregiver, Contact, ContactDraft } from '../../domain/model';

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
      label: `${c.name.full} (${c.relationship})`,
      kind: 'caregiver' as const,
    }));
  const seen = new Set<string>();
  for (const member of plans.flatMap((p) => p.careTeam)) {
    if (!TREATER_ROLES.has(member.role) || seen.has(member.reference)) continue;
    seen.add(member.reference);
    const name = staffNames.get(member.reference) ?? member.reference;
    out.push({ reference: member.reference, label: `${name} — ${member.roleDisplay}`, kind: 'collateral' });
  }
  return out;
}

function localNow(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** Defaults from the last completed contact with the same kind of recipient. */
export function defaultForm(recipients: Recipient[], history: Contact[], now: Date): ContactFormState {
  const recipient = recipients[0];
  const last = [...history]
    .filter((c) => c.status === 'completed' && c.kind === (recipient?.kind ?? 'caregiver'))
    .sort((a, b) => (a.sent < b.sent ? 1 : -1))[0];
  return {
    requestId: newRequestId(),
    recipient: recipient?.reference ?? '',
    method: last?.method ?? 'phone',
    when: localNow(now),
    duration: String(last?.durationMinutes ?? 30),
    purposes: last?.purposes ?? [],
    goalIds: last?.goalIds ?? [],
    note: '',
    telehealthRequested: false,
    attemptOnly: false,
    attemptReason: 'no-answer',
  };
}

const FUTURE_GRACE_MS = 5 * 60_000;

/** The shape of the form state: what a stored draft must look like to be restored. */
const draftSchema = z.object({
  requestId: z.string(),
  recipient: z.string(),
  method: z.enum(['phone', 'face-to-face', 'video', 'other']),
  when: z.string(),
  duration: z.string(),
  purposes: z.array(z.string()),
  goalIds: z.array(z.string()),
  note: z.string(),
  telehealthRequested: z.boolean(),
  attemptOnly: z.boolean(),
  attemptReason: z.string(),
});

/** `when` is `YYYY-MM-DDTHH:mm` in browser local time (datetime-local); duration is the raw field text. */
export type ContactFormState = z.infer<typeof draftSchema>;

/** The form state plus what a save needs: a known recipient, a real past time, and (below) duration and note. */
export function formSchema(recipients: Recipient[], now: Date) {
  return draftSchema
    .extend({
      requestId: z.string().min(1),
      recipient: z
        .string()
        .refine((r) => recipients.some((x) => x.reference === r), 'Choose who the contact was with.'),
      when: z
        .string()
        .min(1, 'Enter the date and time of the contact.')
        .refine((w) => !Number.isNaN(new Date(w).getTime()), 'Enter a valid date and time.')
        .refine(
          (w) => new Date(w).getTime() <= now.getTime() + FUTURE_GRACE_MS,
          'The contact cannot be in the future.',
        ),
    })
    .superRefine((f, ctx) => {
      if (f.attemptOnly) {
        if (!f.attemptReason)
          ctx.addIssue({ code: 'custom', path: ['attemptReason'], message: 'Say why no contact was made.' });
        return;
      }
      const minutes = Number(f.duration);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) {
        ctx.addIssue({
          code: 'custom',
          path: ['duration'],
          message: 'Enter the duration in whole minutes (1–600).',
        });
      }
      if (!f.note.trim())
        ctx.addIssue({
          code: 'custom',
          path: ['note'],
          message: 'Write the progress note: every contact is documented.',
        });
    });
}

export type FormErrors = Partial<Record<keyof ContactFormState, string>>;

export function validate(
  state: ContactFormState,
  recipients: Recipient[],
  now: Date,
): { ok: true } | { ok: false; errors: FormErrors } {
  const result = formSchema(recipients, now).safeParse(state);
  if (result.success) return { ok: true };
  const errors: FormErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path[0] as keyof ContactFormState;
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

export function toDraft(
  state: ContactFormState,
  recipients: Recipient[],
  ctx: { patientId: string; senderReference: string; referralTaskId?: string; serviceRequestId?: string },
): ContactDraft {
  const recipient = recipients.find((r) => r.reference === state.recipient);
  return {
    requestId: state.requestId,
    kind: recipient?.kind ?? 'caregiver',
    method: state.method,
    sent: new Date(state.when).toISOString(),
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
    attemptReason: state.attemptOnly ? state.attemptReason : undefined,
  };
}

/** Drafts live in this tab only (sessionStorage), keyed by server and patient. */
export function draftKey(serverUrl: string, patientId: string): string {
  return `fst-contact-draft:${serverUrl}:${patientId}`;
}

export function loadDraft(key: string, storage: Storage = sessionStorage): ContactFormState | undefined {
  try {
    const raw = storage.getItem(key);
    if (!raw) return undefined;
    const parsed = draftSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(key: string, state: ContactFormState, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(key, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the form still works, the draft just does not survive a reload.
  }
}

export function clearDraft(key: string, storage: Storage = sessionStorage): void {
  storage.removeItem(key);
}
