/**
 * The one write guard: every write the store makes for a request — create, conditional create, update,
 * conditional update, PATCH, DELETE, each entry of a batch or transaction — is judged here on what the store
 * held before and would hold after (the repository's write journal), inside the request's all-or-nothing
 * section, so a refusal leaves nothing behind whatever route the request took.
 *
 * What it enforces, in order:
 * - what the record is, by its codes (src/fhir/recordKind.ts) — a record stays the kind it was;
 * - FST records are never hard-deleted;
 * - the policy table (src/domain/policy.ts: role × record kind × interaction), and for a referral Task the
 *   transition table and the assignment rule (src/domain/referralTransitions.ts);
 * - identity: the author / sender / recorder / requester / Provenance agent of a new FST record is the token's
 *   user (a caregiver's signature names a caregiver of the same youth); a change never rewrites them;
 * - the referral's status history only grows, by the entry of the transition being made;
 * - same youth: an FST record names no other youth's records;
 * - an `application/pdf` attachment is a PDF.
 *
 * This is also what an agency's own FHIR store must enforce (docs/permissions.md).
 */
import { Operator } from '@medplum/core';
import type { PractitionerRole, Resource } from '@medplum/fhirtypes';
import { DEFAULT_ROLE_MAPPING } from '../../src/config/config';
import type { Referral } from '../../src/domain/model';
import type { AppUser } from '../../src/domain/permissions';
import type { StaffRole } from '../../src/domain/permissions';
import { decide, rolesFromCodes } from '../../src/domain/permissions';
import { formerPartners } from '../../src/domain/referral';
import { supervisorProblem } from '../../src/domain/staff';
import type { Interaction, RecordKind } from '../../src/domain/policy';
import { decideWrite, DELETE_REFUSAL, POLICY } from '../../src/domain/policy';
import { JOB_KINDS } from '../../src/domain/recordKinds';
import { decideReferralChange, futureChangeProblem } from '../../src/domain/referralTransitions';
import { Extensions } from '../../src/fhir/codes';
import { parseReferralTask } from '../../src/fhir/mappers/referral';
import { parseSupervision } from '../../src/fhir/mappers/staff';
import { mapReferences } from '../../src/fhir/crossServer';
import { authorsOf, recordKindOf, requesterOf } from '../../src/fhir/recordKind';
import type { JournalEntry, ValidatingRepository } from './repository';
import { episodeRuleRefusal } from './episodeRules';
import { caregiverWriteRefusal } from './caregiverGuard';
import type { CaregiverGrant, SignatureFacts } from '../../src/domain/caregiver';
import { decideCopiedSignature } from '../../src/domain/caregiver';
import { parseCaregiverRequest } from '../../src/fhir/mappers/caregiverRequest';
import { seedRuleRefusal } from './seedRules';
import { dischargeRuleRefusal } from './dischargeRules';
import { contactDateProblem } from '../../src/domain/contactDates';

export interface Refusal {
  status: 400 | 403;
  text: string;
}

type Read = (reference: string) => Resource | undefined;

export interface GuardContext {
  /** The token's user, with FST roles; undefined when the endpoint is open (SANDBOX_AUTH=off). */
  user?: AppUser;
  read: Read;
  /** The youth's FST referral Tasks, newest first (whose Family Partner is assigned). */
  referralsOf(patientReference: string): Promise<Resource[]>;
  /** A practitioner's FST roles, from their PractitionerRoles in the store. */
  rolesOf(reference: string): Promise<ReadonlySet<StaffRole>>;
  /**
   * A reference as the app resolves it (src/fhir/crossServer.ts `resolveReference`): this server's record as
   * `Type/id`, the partner server's as its absolute URL (people and organisations as `Type/id`: they are
   * linked stubs under the same id); undefined for any other form, which no FST record may hold.
   */
  resolve(reference: string): string | undefined;
  /**
   * The one youth the other records of the same request are about, if they agree. A record store cannot read a
   * signature's target in the EHR (the discharge plan): the signature is then judged as about the youth the
   * referral, consent and deliveries written with it are about — never as about nobody.
   */
  requestYouth?: string;
  /** SMART Backend Services: the backend client whose token made the request (no user). */
  backendClient?: string;
  /** The youth's FST service plans (CarePlans), for the one-active-plan-per-episode rule (episodeRules.ts). */
  servicePlansOf?(patientReference: string): Promise<Resource[]>;
  /** A caregiver's sign-in for one request: her writes are judged by caregiverGuard.ts alone. */
  caregiver?: CaregiverGrant;
  /** Every write of the request (a caregiver's request is judged as it stood before them). */
  journal?: readonly JournalEntry[];
  now?: () => Date;
  /** The youth's Consents on both servers, this request's included (the seed rules read consent on file). */
  consentsOf?(patientReference: string): Promise<Resource[]>;
  /** The youth's records of one type on both servers (the discharge rule reads plans, goals, teams, contacts). */
  recordsOf?(resourceType: string, patientReference: string): Promise<Resource[]>;
}

/** The youth every record of a request that names one names, when they agree. */
export function youthOfRequest(journal: readonly JournalEntry[], read: Read): string | undefined {
  const youths = new Set(
    journal.map((e) => patientOf(e.after, read)).filter((y): y is string => y !== undefined),
  );
  return youths.size === 1 ? [...youths][0] : undefined;
}

/** The token's user with FST roles from their PractitionerRoles in the store. */
export async function userOf(
  repo: ValidatingRepository,
  fhirUser: string | undefined,
): Promise<AppUser | undefined> {
  const match = fhirUser
    ? /(Practitioner|PractitionerRole|Patient|RelatedPerson)\/([^/]+)$/.exec(fhirUser)
    : null;
  if (!match) return undefined;
  const [, kind, id] = match;
  const reference = `${kind}/${id}`;
  if (kind !== 'Practitioner')
    return { kind: kind as AppUser['kind'], references: [reference], roles: new Set() };
  const roles = await repo.searchResources<PractitionerRole>({
    resourceType: 'PractitionerRole',
    filters: [{ code: 'practitioner', operator: Operator.EQUALS, value: reference }],
  });
  return {
    kind: 'Practitioner',
    references: [reference, ...roles.map((r) => `PractitionerRole/${r.id}`)],
    roles: rolesFromCodes(
      roles.flatMap((r) => (r.code ?? []).flatMap((c) => c.coding ?? [])),
      DEFAULT_ROLE_MAPPING,
    ),
  };
}

const forbidden = (text: string): Refusal => ({ status: 403, text });
const invalid = (text: string): Refusal => ({ status: 400, text });
type Loose = Record<string, unknown>;
const statusOf = (r: Resource) => (r as unknown as Loose).status;
const refOf = (v: unknown): string | undefined => (v as { reference?: string } | undefined)?.reference;

/** Judges one write of the journal; undefined when it may stand. */
export async function judgeWrite(entry: JournalEntry, ctx: GuardContext): Promise<Refusal | undefined> {
  const read = ctx.read;
  if (ctx.caregiver) {
    const refusal = caregiverWriteRefusal(
      entry,
      ctx.caregiver,
      ctx.journal ?? [entry],
      read,
      ctx.now?.() ?? new Date(),
    );
    return (
      refusal ?? (entry.after ? attachmentRefusal(entry.after, recordKindOf(entry.after, read)) : undefined)
    );
  }
  const kindBefore = recordKindOf(entry.before, read);
  const kindAfter = recordKindOf(entry.after, read);
  // Who may write comes first; then whether what is written is what it says.
  const content = entry.after ? attachmentRefusal(entry.after, kindAfter) : undefined;
  if (!kindBefore && !kindAfter) return content;
  if (!entry.after) return forbidden(DELETE_REFUSAL);
  // Every rule below reads references as the app does: one form per record, whatever was written.
  const unresolved = referencesIn(entry.after).find((ref) => ctx.resolve(ref) === undefined);
  if (unresolved)
    return invalid(
      `The reference ${unresolved} names no record of this server or its partner: use Type/id, or the record's full address on the partner server.`,
    );
  const resolved = (r: Resource) => mapReferences(r, (ref) => ctx.resolve(ref) ?? ref);
  const before = entry.before && resolved(entry.before);
  const after = resolved(entry.after);
  if (kindBefore && kindBefore !== kindAfter)
    return forbidden(
      `${POLICY[kindBefore].label} stays what it is; it cannot be changed into another record.`,
    );
  const kind = kindAfter as RecordKind;
  // A record that was not FST's and now claims to be is judged as a new FST record.
  const stored = kindBefore ? before : undefined;
  const interaction: Exclude<Interaction, 'delete'> = !stored
    ? 'create'
    : statusOf(after) === 'entered-in-error' && statusOf(stored) !== 'entered-in-error'
      ? 'withdraw'
      : 'change';

  const youth = patientOf(after, ctx.read) ?? ctx.requestYouth;
  const crossing = sameYouthRefusal(after, youth, ctx.read);
  if (crossing) return crossing;
  if (kind === 'referral-task' && !stored && !['requested', 'draft'].includes(String(statusOf(after))))
    return forbidden('A new referral starts as requested: each later status is a step of its own.');
  if (kind === 'referral-task') {
    const history = historyRefusal(stored, after, ctx.user);
    if (history) return history;
  }
  // A contact's date is judged on a create and on every change of it (an amended date), by the form's rule.
  if (kind === 'fst-contact' && interaction !== 'withdraw') {
    const sent = String((after as unknown as Loose).sent ?? '');
    const dateProblem =
      (!stored || sent !== String((stored as unknown as Loose).sent)) &&
      contactDateProblem(sent, ctx.now?.() ?? new Date());
    if (dateProblem) return invalid(`Contact date ${sent.slice(0, 10)}: ${dateProblem}`);
  }
  // A backend client (the measures job) has no user: it writes what it computes (JOB_KINDS), nothing a person
  // records — whatever its scopes say.
  if (ctx.backendClient)
    return JOB_KINDS.includes(kind) ||
      // The job completes a supervisor's request for a fresh run; it never asks for one itself.
      (kind === 'measures-run-request' && interaction === 'change')
      ? content
      : forbidden(`${POLICY[kind].label} is written by a person, never by a backend client.`);
  const user = ctx.user;
  if (!user) return content;

  const identity = identityRefusal(kind, stored, after, user, youth, ctx.read);
  if (identity) return identity;
  if (kind === 'audit' && !stored) {
    const copied = copiedSignatureRefusal(after, ctx.read);
    if (copied) return copied;
  }
  const episodeRule = await episodeRuleRefusal(ctx, kind, interaction, stored, after, youth);
  if (episodeRule) return episodeRule;

  const seedRule = await seedRuleRefusal(entry, ctx, kind, interaction, stored, after);
  if (seedRule) return seedRule;
  if (kind === 'referral-task' && interaction !== 'create')
    return referralChangeRefusal(user, stored as Resource, after, ctx.read) ?? content;
  const subjectOf = stored ?? after;
  const episode = await episodeOf(subjectOf, youth, ctx);
  const subject = {
    authorReference: authorsOf(kind, subjectOf)[0],
    requesterReference: requesterOf(kind, subjectOf),
    assignedReference: episode?.ownerReference,
    formerlyAssigned: episode ? formerPartners(episode) : undefined,
  };
  const decision = decideWrite(user, kind, interaction, subject);
  if (!decision.allowed) return forbidden(decision.reason);
  // Seed 000 discharge 1–5, once who may write it is settled: the plan and its deliveries as the domain decides.
  // (What the content is — a PDF that is one — is said first.)
  const discharge = content ? undefined : await dischargeRuleRefusal(kind, interaction, after, ctx, youth);
  if (discharge) return discharge;
  if (kind === 'supervision-session') {
    const refusal = await supervisorRefusal(after, ctx);
    if (refusal) return refusal;
  }
  return content;
}

// ------------------------------------------------------------------------------------------------ people

/** Kinds whose new record may name the family as its requester: a supervisor records a self-referral. */
const SELF_REFERRAL_KINDS: ReadonlySet<RecordKind> = new Set([
  'referral-task',
  'referral-order',
  'admission-checklist',
]);

/**
 * A new FST record is written in the token user's own name; a change never rewrites who wrote it. A caregiver
 * named in a signature (or as the family's own requester of a self-referral) is a caregiver of the same youth.
 */
function identityRefusal(
  kind: RecordKind,
  stored: Resource | undefined,
  after: Resource,
  user: AppUser,
  youth: string | undefined,
  read: Read,
): Refusal | undefined {
  const now = authorsOf(kind, after);
  if (stored) {
    const was = authorsOf(kind, stored);
    if (was.join('|') !== now.join('|'))
      return forbidden(`Who wrote this ${POLICY[kind].label.toLowerCase()} is kept as recorded.`);
    return undefined;
  }
  const family = (ref: string) => {
    if (!ref.startsWith('RelatedPerson/')) return false;
    const person = read(ref) as unknown as Loose | undefined;
    return person !== undefined && refOf(person.patient) === youth;
  };
  for (const ref of now) {
    if (user.references.includes(ref)) continue;
    if (kind === 'audit' && family(ref)) continue; // the caregiver's own signature
    if (SELF_REFERRAL_KINDS.has(kind) && family(ref) && decide(user, 'accept-referral').allowed) continue;
    return forbidden(
      `A ${POLICY[kind].label.toLowerCase()} is recorded in your own name: it cannot name ${ref} as its author.`,
    );
  }
  if (now.length === 0 && kind !== 'audit' && AUTHORED.has(kind))
    return forbidden(`A ${POLICY[kind].label.toLowerCase()} names who wrote it: you.`);
  return undefined;
}

/**
 * A signature copied from her phone (a Provenance naming another as its source) is hers exactly, from her
 * completed request (src/domain/caregiver.ts, decideCopiedSignature).
 */
function copiedSignatureRefusal(after: Resource, read: Read): Refusal | undefined {
  const entities =
    ((after as unknown as Loose).entity as { role?: string; what?: unknown }[] | undefined) ?? [];
  const sources = entities.filter((e) => e.role === 'source').map((e) => refOf(e.what));
  const source = sources.find((r) => r?.startsWith('Provenance/'));
  if (!source) return undefined;
  const facts = (p: Resource | undefined): SignatureFacts | undefined => {
    const sig = ((p as unknown as Loose | undefined)?.signature as Loose[] | undefined)?.[0];
    return sig && { who: refOf(sig.who), sigFormat: sig.sigFormat as string, data: sig.data as string };
  };
  const original = read(source);
  const target = refOf(((original as unknown as Loose | undefined)?.target as unknown[] | undefined)?.[0]);
  const request = target ? read(target) : undefined;
  const parsed = request && parseCaregiverRequest(request);
  const was = facts(original);
  const decision = decideCopiedSignature(
    facts(after) ?? {},
    was && {
      ...was,
      requestDone: parsed?.status === 'completed' && parsed.written.includes(source),
      requestOwner: parsed?.caregiver,
    },
  );
  return decision.allowed ? undefined : forbidden(decision.reason);
}

/** Kinds that must name their writer. */
const AUTHORED: ReadonlySet<RecordKind> = new Set([
  'fst-contact',
  'discharge-delivery',
  'team-meeting',
  'incident-report',
  'continuing-stay-review',
  'discharge-plan',
]);

// --------------------------------------------------------------------------------------- the episode

const asReferral = (r: Resource | undefined): Referral | undefined => {
  if (r?.resourceType !== 'Task') return undefined;
  const parsed = parseReferralTask(r as never);
  return parsed.ok ? parsed.value : undefined;
};

/**
 * The episode the record belongs to (whose Family Partner is assigned, and who was before a transfer): the
 * referral Task it names (directly, or through its order), else the youth's newest referral.
 */
async function episodeOf(
  record: Resource,
  youth: string | undefined,
  ctx: GuardContext,
): Promise<Referral | undefined> {
  if (record.resourceType === 'Task') {
    const own = asReferral(record);
    if (own && recordKindOf(record) === 'referral-task') return own;
  }
  const named = referencesIn(record).filter((r) => typeOf(r) === 'Task');
  for (const ref of named) {
    const referral = asReferral(ctx.read(ref));
    if (referral?.ownerReference) return referral;
  }
  if (!youth) return undefined;
  const orders = new Set(referencesIn(record).filter((r) => typeOf(r) === 'ServiceRequest'));
  const tasks = await ctx.referralsOf(youth);
  const byOrder = tasks.find((t) => orders.has(refOf((t as unknown as Loose).focus) ?? ''));
  return asReferral(byOrder ?? tasks[0]);
}

/** A referral Task's change: it keeps its order and an owner on record; the rest is the domain's decision. */
function referralChangeRefusal(
  user: AppUser,
  stored: Resource,
  after: Resource,
  read: Read,
): Refusal | undefined {
  const before = asReferral(stored);
  const next = asReferral(after);
  if (!before || !next) return forbidden('An FST referral Task stays an FST referral.');
  if (refOf((after as unknown as Loose).focus) !== refOf((stored as unknown as Loose).focus))
    return forbidden('A referral keeps its order.');
  if (next.ownerReference && next.ownerReference !== before.ownerReference && !read(next.ownerReference))
    return forbidden(`${next.ownerReference} is not on record.`);
  const decision = decideReferralChange(user, before, next);
  return decision.allowed ? undefined : forbidden(decision.reason);
}

/** The status history grows only by the entry of the transition being made, in the user's name. */
function historyRefusal(
  stored: Resource | undefined,
  after: Resource,
  user: AppUser | undefined,
): Refusal | undefined {
  const entries = (r: Resource) =>
    (((r as unknown as Loose).extension as { url?: string }[] | undefined) ?? []).filter(
      (e) => e.url === Extensions.statusHistory,
    );
  const was = stored ? entries(stored) : [];
  const now = entries(after);
  const kept = was.every((e, i) => JSON.stringify(e) === JSON.stringify(now[i]));
  if (!kept || now.length < was.length)
    return forbidden(
      'The referral’s status history is kept as recorded: entries are never changed or removed.',
    );
  const before = stored ? asReferral(stored) : undefined;
  const next = asReferral(after);
  // A new referral's first entry is its own step; so is a change of Family Partner (its transfer entry).
  const stepped =
    !stored ||
    before?.status !== next?.status ||
    before?.stage !== next?.stage ||
    before?.ownerReference !== next?.ownerReference;
  const added = now.slice(was.length);
  if (added.length > (stepped ? 1 : 0))
    return forbidden('The status history grows only by the entry of the step being taken.');
  const entry = added[0] as
    | { extension?: { url?: string; valueCode?: string; valueReference?: unknown; valueDateTime?: string }[] }
    | undefined;
  if (entry && user) {
    const field = (url: string) => entry.extension?.find((x) => x.url === url);
    const by = refOf(field('by')?.valueReference);
    if (field('status')?.valueCode !== next?.status)
      return forbidden('The new status-history entry must say the status being entered.');
    if (by !== undefined && !user.references.includes(by))
      return forbidden('The new status-history entry is recorded in your own name.');
    const future = futureChangeProblem(field('at')?.valueDateTime ?? '', new Date());
    if (future) return invalid(future);
  }
  return undefined;
}

/** Seed 000 staffing 8: a session is given by someone who may give that kind (a licensed clinician, say). */
async function supervisorRefusal(after: Resource, ctx: GuardContext): Promise<Refusal | undefined> {
  const session = parseSupervision(after);
  if (!session)
    return invalid('A supervision session names its kind, its supervisor and when it took place.');
  const problem = supervisorProblem(session.kind, await ctx.rolesOf(session.supervisor));
  return problem ? forbidden(problem) : undefined;
}

// -------------------------------------------------------------------------------------- same youth

/** The resource type a resolved reference names (`Task/t1`, `https://store/fhir/Task/t1` → `Task`). */
const typeOf = (ref: string) => ref.split('/').at(-2);

/** Every `reference` string in a resource (contained resources and `#` references aside). */
export function referencesIn(value: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 12 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, depth + 1, out);
    return out;
  }
  for (const [key, v] of Object.entries(value as Loose)) {
    if (key === 'contained') continue;
    if (key === 'reference' && typeof v === 'string' && !v.startsWith('#'))
      out.push(v.replace(/\/_history\/.*$/, ''));
    else referencesIn(v, depth + 1, out);
  }
  return out;
}

/** The youth a record is about (`Patient/…`), through a Provenance's targets and a RelatedPerson. */
export function patientOf(resource: Resource | undefined, read: Read, depth = 0): string | undefined {
  if (!resource || depth > 2) return undefined;
  if (resource.resourceType === 'Patient') return `Patient/${resource.id}`;
  const o = resource as unknown as Loose;
  for (const key of ['subject', 'patient', 'for', 'beneficiary']) {
    const ref = refOf(o[key]);
    if (ref?.startsWith('Patient/')) return ref;
  }
  if (resource.resourceType === 'Provenance') {
    for (const t of (o.target as unknown[] | undefined) ?? []) {
      const ref = refOf(t)?.replace(/\/_history\/.*$/, '');
      const p = ref ? patientOf(read(ref), read, depth + 1) : undefined;
      if (p) return p;
    }
  }
  return undefined;
}

function sameYouthRefusal(after: Resource, youth: string | undefined, read: Read): Refusal | undefined {
  if (!youth) return undefined;
  for (const ref of referencesIn(after)) {
    const type = typeOf(ref) ?? '';
    const other =
      type === 'Patient'
        ? ref
        : ['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Questionnaire'].includes(type)
          ? undefined
          : patientOf(read(ref), read);
    if (other !== undefined && other !== youth)
      return forbidden(`This record is about ${youth}; it cannot name ${ref}, which is another youth's.`);
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------ content

/** A PDF's header (with its version) and trailer. */
const PDF_HEADER = /^%PDF-[12]\.\d/;
const PDF_TAIL = Buffer.from('%%EOF');
/** Markup a browser would run or render: never inside a PDF, never in a plan under another label. */
const MARKUP = /<\s*(script|html|body|iframe|svg|object|embed)\b|<!doctype\s+html/i;

/**
 * The content is checked, not the label: an attachment that says `application/pdf` is a PDF (its header,
 * `startxref` and `%%EOF`, and no markup anywhere in it), an attachment whose bytes are HTML says so, and a
 * discharge plan holds no HTML at all and no content by address (what is elsewhere cannot be checked here).
 */
function attachmentRefusal(resource: Resource, kind: RecordKind | undefined): Refusal | undefined {
  if (resource.resourceType !== 'DocumentReference') return undefined;
  const plan = kind === 'discharge-plan';
  for (const c of resource.content ?? []) {
    const a = c.attachment;
    const type = a?.contentType?.split(';')[0].trim().toLowerCase();
    if (plan && a?.url && !a.data)
      return invalid('A discharge plan carries its content inline (attachment.data), not by address.');
    if (!a?.data) continue;
    const bytes = Buffer.from(a.data, 'base64');
    // latin1 keeps every byte one character: markup is found in binary content too.
    const text = bytes.toString('latin1');
    const markup = MARKUP.test(text);
    if (type === 'application/pdf') {
      const tail = bytes.subarray(Math.max(0, bytes.length - 1024));
      if (!PDF_HEADER.test(text.slice(0, 16)) || !tail.includes(PDF_TAIL) || !text.includes('startxref'))
        return invalid(
          'The attachment says application/pdf but is not a PDF (no %PDF- header, startxref or %%EOF trailer).',
        );
      if (markup) return invalid('The attachment says application/pdf but holds HTML or script.');
    } else if (markup && (plan || type !== 'text/html')) {
      return invalid(
        plan
          ? 'A discharge plan holds no HTML or script: attach the plan as a PDF.'
          : `The attachment says ${type ?? 'nothing of its type'} but is HTML.`,
      );
    }
  }
  return undefined;
}
