/**
 * The seeds' rules that decide whether a record may be written, held on the server as in the app (issue 37:
 * "a rule that decides a record must hold in the domain and on the server, not only in a form"). Each check
 * reads the stored records it needs and asks the domain (src/domain) the same question the app asks; the
 * guard (guard.ts, judgeWrite) calls this once per FST write, after who-may-write is settled.
 */
import type { Resource } from '@medplum/fhirtypes';
import { civilDateOf, civilToIso, DEFAULT_CALENDAR } from '../../src/domain/calendar';
import {
  admissionCriteriaProblem,
  overAgeProblem,
  referralContentProblem,
} from '../../src/domain/eligibility';
import type { Interaction, RecordKind } from '../../src/domain/policy';
import { closeReviewProblem } from '../../src/domain/incidents';
import { placeProblem } from '../../src/domain/placeOfService';
import { meetingConsentProblem } from '../../src/domain/meetings';
import { parseMeeting } from '../../src/fhir/mappers/meeting';
import { hasActiveConsent } from '../../src/fhir/mappers/dischargePlan';
import { parseContact } from '../../src/fhir/mappers/contact';
import { parseIncident, parseIncidentReview } from '../../src/fhir/mappers/incident';
import { referralRequests } from '../../src/fhir/mappers/referral';
import type { GuardContext, Refusal } from './guard';
import type { JournalEntry } from './repository';

type Loose = Record<string, unknown>;
const refOf = (v: unknown): string | undefined => (v as { reference?: string } | undefined)?.reference;
const forbidden = (text: string): Refusal => ({ status: 403, text });
const invalid = (text: string): Refusal => ({ status: 400, text });

/** A seed rule the write breaks, or undefined. */
export async function seedRuleRefusal(
  _entry: JournalEntry,
  ctx: GuardContext,
  kind: RecordKind,
  interaction: Exclude<Interaction, 'delete'>,
  stored: Resource | undefined,
  after: Resource,
): Promise<Refusal | undefined> {
  const o = after as unknown as Loose;
  if (kind === 'referral-task' && interaction === 'create')
    return ageRefusal(refOf(o.for), o.authoredOn, ctx);
  if (kind === 'referral-order' && interaction === 'create') {
    const age = ageRefusal(refOf(o.subject), o.authoredOn, ctx);
    if (age) return age;
    // Seed 000 process 1: "the reasons for referral and the initial goals".
    const request = referralRequests([after as never]).get(String(after.id));
    const problem = request ? referralContentProblem(request) : undefined;
    return problem ? invalid(problem) : undefined;
  }
  if (kind === 'referral-task' && stored && acceptedNow(stored, after)) return checklistRefusal(after, ctx);
  if (kind === 'fst-contact') return placeRefusal(after);
  if (kind === 'team-meeting' && interaction === 'create') return meetingConsentRefusal(after, ctx);
  if (
    kind === 'incident-review' &&
    o.status === 'completed' &&
    (stored as Loose | undefined)?.status !== 'completed'
  )
    return incidentReviewRefusal(after, ctx);
  return undefined;
}

/**
 * Seed 000 overview, "a youth (under the age of 21)": the youth's age on the referral's own date (its
 * authoredOn, in the agency's time zone), the date the record says the referral was made.
 */
function ageRefusal(
  patient: string | undefined,
  authoredOn: unknown,
  ctx: GuardContext,
): Refusal | undefined {
  if (!patient?.startsWith('Patient/') || typeof authoredOn !== 'string') return undefined;
  const youth = ctx.read(patient) as { birthDate?: string } | undefined;
  let on: string;
  try {
    on = civilToIso(civilDateOf(authoredOn, DEFAULT_CALENDAR.timeZone));
  } catch {
    return undefined; // an unreadable date is the validator's to refuse
  }
  const problem = overAgeProblem(youth?.birthDate, on);
  return problem ? forbidden(problem) : undefined;
}

const acceptedNow = (stored: Resource, after: Resource) =>
  (stored as unknown as Loose).status === 'requested' && (after as unknown as Loose).status === 'accepted';

/** Seed 004 §III, "must have … and … and …": the order's admission checklist, as stored, confirms all three. */
function checklistRefusal(task: Resource, ctx: GuardContext): Refusal | undefined {
  const orderRef = refOf((task as unknown as Loose).focus);
  const order = orderRef?.startsWith('ServiceRequest/') ? ctx.read(orderRef) : undefined;
  if (!order?.id) return undefined;
  const checklists = (((order as unknown as Loose).supportingInfo as unknown[] | undefined) ?? [])
    .map(refOf)
    .filter((r): r is string => Boolean(r?.startsWith('QuestionnaireResponse/')))
    .map((r) => ctx.read(r))
    .filter((r): r is Resource => r !== undefined);
  const criteria = referralRequests([order as never, ...(checklists as never[])]).get(order.id)?.criteria;
  const problem = admissionCriteriaProblem(criteria);
  return problem ? forbidden(problem) : undefined;
}

/**
 * Seed 000 quality management 4, "report any adverse incidents … to the relevant authorities": a review is
 * closed only once the incident, or the review, names the authority it was reported to, and when.
 */
function incidentReviewRefusal(task: Resource, ctx: GuardContext): Refusal | undefined {
  const review = parseIncidentReview(task);
  if (!review) return invalid('An incident review names the incident it reviews.');
  const stored = ctx.read(`AdverseEvent/${review.incidentId}`);
  const incident = stored ? parseIncident(stored) : undefined;
  if (!incident?.ok) return undefined; // not an incident report this server can read: nothing to hold it to
  const report = review.authorityReport;
  const problem = closeReviewProblem(
    incident.value,
    review.note ?? '',
    report ? { kind: 'reported', report: { who: report.who, at: report.at } } : undefined,
    new Date(),
  );
  return problem ? forbidden(problem) : undefined;
}

/**
 * Seed 000 service component 5, "delivers services in the parent's/caregiver's home and community": a contact
 * made in person says where (home, community, office, school); a phone or video one is telehealth.
 */
function placeRefusal(after: Resource): Refusal | undefined {
  const contact = parseContact(after);
  if (!contact.ok || contact.value.status !== 'completed') return undefined;
  const problem = placeProblem(contact.value.method, contact.value.placeOfService);
  return problem ? invalid(problem) : undefined;
}

/**
 * Seed 000 linkages 4, "when state agencies (… DESE/LEA, … probation office, the courts …) are involved and consent
 * is given": a state-agency or school meeting is written only with an active consent of the youth's caregiver on
 * either server — one on file, or written in the same request.
 */
async function meetingConsentRefusal(after: Resource, ctx: GuardContext): Promise<Refusal | undefined> {
  const meeting = parseMeeting(after);
  if (!meeting.ok || !ctx.consentsOf) return undefined;
  const youth = refOf((after as unknown as Loose).subject);
  const consents = youth ? await ctx.consentsOf(youth) : [];
  const problem = meetingConsentProblem(meeting.value.kind, hasActiveConsent(consents, new Date()));
  return problem ? forbidden(problem) : undefined;
}
