/**
 * The patient workspace as parts, one per resource search (patient, caregivers, plans, encounters,
 * referrals, contacts, discharge plans) plus the signed-in user and the FST staff list. Each part has its
 * own URLs (src/fhir/workspaceReads.ts) and parser (here), so after a write only the part that changed is
 * read again (src/fhir/invalidation.ts).
 * The first load reads every part in one batch round trip (src/fhir/batch.ts) and fills each part's cache.
 */
import { DEFAULT_CALENDAR } from '../domain/calendar';
import { caregiversInOrder } from '../domain/caregivers';
import type { BundleEntry, Resource } from 'fhir/r4';
import type {
  Caregiver,
  CarePlanSummary,
  Contact,
  ContactGap,
  DischargePlanSummary,
  EncounterSummary,
  ParseProblem,
  PersonName,
  Referral,
  Youth,
} from '../domain/model';
import type { AppUser, UserKind } from '../domain/permissions';
import { rolesFromCodes, STAFF_ROLES } from '../domain/permissions';
import type { OnCallClinician } from '../domain/onCall';
import { culturesOf, livedExperienceOf, staffRoster } from './mappers/staff';
import type { InstrumentResponseSummary } from './mappers/instrument';
import { instrumentResponses } from './mappers/instrument';
import type { LivedExperienceArea } from '../domain/matching';
import type { BatchOutcome, BatchUrl } from './batch';
import { readBatch } from './batch';
import type { OutcomeRecord } from '../domain/outcomes';
import { parseOutcome } from './mappers/outcome';
import { ASSUMED_CAPABILITIES } from './capabilities';
import { parseReviews } from './mappers/review';
import type { Review } from './mappers/review';
import { FhirError } from './http';
import type { FhirTransport } from './http';
import { parseContact } from './mappers/contact';
import { codeableConceptSchema, toPersonName } from './mappers/datatypes';
import { hasActiveConsent, parseDischargePlan, withDeliveries } from './mappers/dischargePlan';
import { parseEncounter } from './mappers/encounter';
import { isTeamMeeting, parseMeeting } from './mappers/meeting';
import { isIncidentReport, parseIncident, parseIncidentReview } from './mappers/incident';
import type { Incident, IncidentReview } from '../domain/incidents';
import type { Meeting } from '../domain/meetings';
import { distinctProblems, partition } from './mappers/parse';
import { caregiversFromPatientContacts, parsePatient, parseRelatedPerson } from './mappers/people';
import { parseSafetyPlan, plansWithGoalsAndTeams } from './mappers/plan';
import { namesOf, practitionerRoleSchema, practitionerSchema, roleCodes } from './mappers/practitioner';
import type { SafetyPlan } from './mappers/plan';
import { correctionsByTarget } from './mappers/provenance';
import { isServicePlan, parseServicePlan } from './mappers/servicePlan';
import type { ServicePlan } from '../domain/servicePlan';
import { fstOrderIds, parseReferralTask, referralRequests } from './mappers/referral';
import { z } from '../schema/z';
import { durationProblem } from '../domain/units';
import { DEFAULT_ROLE_MAPPING } from '../config/config';
import { contactSearch, PART_NAMES, PART_READS, readParts } from './workspaceReads';
import type { PartName, PartsRead, WorkspaceContext } from './workspaceReads';

export type ReportedIncident = Incident & { review?: IncidentReview };

export interface SignedInUser extends AppUser {
  name: PersonName;
}

export interface Workspace {
  youth: Youth;
  caregivers: Caregiver[];
  plans: CarePlanSummary[];
  encounters: EncounterSummary[];
  /** Adverse-incident reports, newest first, each with its supervisor review. */
  incidents: ReportedIncident[];
  /** Team meetings FST logged, newest first. */
  meetings: Meeting[];
  /** Every Task found for the youth with `code=fulfill`; domain/referral.ts decides which are FST's. */
  referrals: Referral[];
  contacts: Contact[];
  /** Set when the youth has more contacts than the workspace reads: those in the gap were not read. */
  contactsGap?: ContactGap;
  dischargePlans: DischargePlanSummary[];
  /** An active consent to share is on the server; undefined when consents could not be read. */
  consentOnFile?: boolean;
  /** Names of practitioners, by reference (care team, FST staff, the user). */
  staffNames: ReadonlyMap<string, string>;
  /** References of FST staff; undefined when the list could not be read (then no contact is excluded). */
  fstStaff?: ReadonlySet<string>;
  /** Family Partners a supervisor can assign, with the languages they speak. */
  familyPartners: FamilyPartner[];
  /** The FST service plans in force (normally one). */
  servicePlans: ServicePlan[];
  /** Continuing-stay reviews recorded. */
  reviews: Review[];
  /** Goal-attainment ratings and caregiver surveys, any order. */
  outcomes: OutcomeRecord[];
  /** Responses to the agency's own instruments, newest first. */
  agencyOutcomes: InstrumentResponseSummary[];
  /** The youth's safety plans (for the crisis protocol). */
  safetyPlans: SafetyPlan[];
  /** The referral the EHR opened the app on (`fhirContext` Task/…), if any. */
  launchedReferralId?: string;
  user?: SignedInUser;
  problems: ParseProblem[];
  /** Searches stopped by the paging limit: the view says so. */
  truncated: string[];
}

export interface PartResult<T> {
  value: T;
  problems: ParseProblem[];
  truncated: boolean;
}

interface PartSpec<T> {
  /** The resource type in the cache key (server → patient → type → part). */
  type: string;
  urls(ctx: WorkspaceContext): BatchUrl[];
  build(outcomes: BatchOutcome[], ctx: WorkspaceContext): PartResult<T>;
}

// ------------------------------------------------------------------ helpers

function ofType(entries: readonly BundleEntry[], type: string): Resource[] {
  return entries.map((e) => e.resource).filter((r): r is Resource => r?.resourceType === type);
}

function allEntries(outcomes: BatchOutcome[]): BundleEntry[] {
  return outcomes.flatMap((o) => (o.ok ? o.entries : []));
}

function failures(outcomes: BatchOutcome[], what: string): ParseProblem[] {
  return outcomes
    .filter((o): o is Extract<BatchOutcome, { ok: false }> => !o.ok)
    .map((o) => ({ reference: what, message: `Could not load ${what}: ${o.error.message}` }));
}

function result<T>(
  value: T,
  outcomes: BatchOutcome[],
  what = '',
  problems: ParseProblem[] = [],
): PartResult<T> {
  return {
    value,
    problems: [...failures(outcomes, what), ...problems],
    truncated: outcomes.some((o) => o.ok && o.truncated),
  };
}

function parsedList<T>(
  resources: Resource[],
  parse: (r: Resource) => { ok: true; value: T } | { ok: false; problem: ParseProblem },
): { values: T[]; problems: ParseProblem[] } {
  return partition(resources.map(parse));
}

const practitionerLanguagesSchema = z.looseObject({
  id: z.string(),
  communication: z.optional(z.array(codeableConceptSchema)),
});

/** BCP-47 codes from Practitioner.communication (a CodeableConcept per language in R4). */
function languagesOf(concepts: z.infer<typeof codeableConceptSchema>[] | undefined): string[] {
  return (concepts ?? []).map((c) => c.coding?.[0]?.code ?? c.text ?? '').filter(Boolean);
}

// ------------------------------------------------------------------ the parts

const patientPart: PartSpec<{ youth: Youth; fromContacts: Caregiver[] }> = {
  ...PART_READS.patient,
  build(outcomes) {
    const outcome = outcomes[0];
    if (!outcome.ok) throw outcome.error;
    const parsed = parsePatient(outcome.resource);
    if (!parsed.ok)
      throw new FhirError(422, {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', details: { text: parsed.problem.message } }],
      });
    return result({ youth: parsed.value, fromContacts: caregiversFromPatientContacts(outcome.resource) }, []);
  },
};

const caregiversPart: PartSpec<Caregiver[]> = {
  ...PART_READS.caregivers,
  build(outcomes) {
    const parsed = parsedList(ofType(allEntries(outcomes), 'RelatedPerson'), parseRelatedPerson);
    return result(parsed.values, outcomes, 'caregivers', parsed.problems);
  },
};

const plansPart: PartSpec<{
  plans: CarePlanSummary[];
  servicePlans: ServicePlan[];
  safetyPlans: SafetyPlan[];
  names: Map<string, string>;
}> = {
  ...PART_READS.plans,
  build(outcomes) {
    const entries = allEntries(outcomes);
    // The FST service plan is the Family Partner's own plan, not the ICP or treatment plan it serves.
    const carePlans = ofType(entries, 'CarePlan');
    // A safety plan is shown by the crisis protocol, not among the plans FST serves.
    const safetyPlans = carePlans.flatMap((p) => parseSafetyPlan(p) ?? []);
    const safetyIds = new Set(safetyPlans.map((p) => p.id));
    const read = plansWithGoalsAndTeams(
      [...ofType(entries, 'Goal'), ...ofType(entries, 'CareTeam'), ...carePlans],
      (p) => isServicePlan(p as Resource) || safetyIds.has(p.id ?? ''),
    );
    const plans = partition(read.plans);
    const goals = partition(read.goals);
    const servicePlans = parsedList(
      carePlans.filter((p) => isServicePlan(p) && (p as { status?: string }).status === 'active'),
      parseServicePlan,
    );
    return result(
      {
        plans: plans.values,
        servicePlans: servicePlans.values,
        safetyPlans,
        names: namesOf(ofType(entries, 'Practitioner')),
      },
      outcomes,
      'plans',
      [...goals.problems, ...plans.problems, ...servicePlans.problems],
    );
  },
};

/** The youth's visits and the team meetings FST logged (Encounters of our meeting type): one search. */
const encountersPart: PartSpec<{ visits: EncounterSummary[]; meetings: Meeting[] }> = {
  ...PART_READS.encounters,
  build(outcomes) {
    const all = ofType(allEntries(outcomes), 'Encounter');
    const parsed = parsedList(
      all.filter((e) => !isTeamMeeting(e)),
      parseEncounter,
    );
    const teamMeetings = parsedList(all.filter(isTeamMeeting), parseMeeting);
    const meetings = teamMeetings.values.sort((a, b) => (a.start < b.start ? 1 : -1));
    return result({ visits: parsed.values, meetings }, outcomes, 'encounters', [
      ...parsed.problems,
      ...teamMeetings.problems,
    ]);
  },
};

const referralsPart: PartSpec<Referral[]> = {
  ...PART_READS.referrals,
  build(outcomes) {
    const entries = allEntries(outcomes);
    const orders = fstOrderIds(ofType(entries, 'ServiceRequest'));
    const requests = referralRequests([
      ...ofType(entries, 'ServiceRequest'),
      ...ofType(entries, 'QuestionnaireResponse'),
    ]);
    const parsed = parsedList(ofType(entries, 'Task'), (t) => parseReferralTask(t, orders));
    const withRequests = parsed.values.map((r) => {
      const request = r.serviceRequestId ? requests.get(r.serviceRequestId) : undefined;
      return request ? { ...r, request } : r;
    });
    return result(withRequests, outcomes, 'referrals', parsed.problems);
  },
};

/** The FST contacts the app holds, and the gap between the first and the latest when it holds only those. */
export interface ContactsRead {
  list: Contact[];
  gap?: ContactGap;
}

/** The end of a gap no contact read bounds: every contact after the first ones is unread. */
export const UNBOUNDED = '9999-12-31T23:59:59.999Z';

function sentTimes(outcome: BatchOutcome): number[] {
  if (!outcome.ok) return [];
  return ofType(outcome.entries, 'Communication')
    .map((c) => Date.parse((c as { sent?: string }).sent ?? ''))
    .filter((t) => !Number.isNaN(t));
}

/** What lies between the two windows, when neither holds every contact nor reached the other. */
function gapBetween(latest: BatchOutcome, first: BatchOutcome): ContactGap | undefined {
  if ((latest.ok && !latest.more) || (first.ok && !first.more)) return undefined;
  // A window that failed, or whose dates are all unreadable, bounds nothing.
  const latestTimes = sentTimes(latest);
  const before = latestTimes.length ? new Date(Math.min(...latestTimes)).toISOString() : UNBOUNDED;
  const firstTimes = sentTimes(first);
  if (!firstTimes.length) return { before };
  const after = new Date(Math.max(...firstTimes)).toISOString();
  return after >= before ? undefined : { after, before };
}

/** Contacts and their corrections from search entries (a contact found by both windows counts once). */
function contactsFrom(outcomes: BatchOutcome[]): PartResult<Contact[]> {
  const seen = new Set<string>();
  const entries = allEntries(outcomes).filter((e) => {
    const key = `${e.resource?.resourceType}/${e.resource?.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const corrections = correctionsByTarget(ofType(entries, 'Provenance'));
  const parsed = parsedList(ofType(entries, 'Communication'), parseContact);
  const contacts = parsed.values.map((c) => {
    const trail = corrections.get(`Communication/${c.id}`);
    return trail ? { ...c, corrections: trail } : c;
  });
  // Kept and shown, but named: a duration no contact can have is never billed.
  const durations = contacts.flatMap((c) => {
    const problem = durationProblem(c);
    return problem
      ? [{ reference: `Communication/${c.id}`, message: `Communication/${c.id} ${problem}` }]
      : [];
  });
  return result(contacts, outcomes, 'contacts', [...parsed.problems, ...durations]);
}

const contactsPart: PartSpec<ContactsRead> = {
  ...PART_READS.contacts,
  build(outcomes) {
    const [latest, first] = outcomes;
    const read = contactsFrom(outcomes);
    // A window that failed is reported once, not once per window.
    const problems = distinctProblems(read.problems);
    return { ...read, problems, value: { list: read.value, gap: gapBetween(latest, first) } };
  },
};

/** Every FST contact of the youth, all pages: the history screen's read. */
export async function loadContactHistory(
  transport: FhirTransport,
  ctx: WorkspaceContext,
  signal?: AbortSignal,
): Promise<PartResult<ContactsRead>> {
  const read = await readBatch(transport, ctx.caps, [contactSearch(ctx, '-sent', 1000)], signal);
  // Unlike a workspace part, a failed read is an error: an empty history would pass for a complete one.
  const [outcome] = read.outcomes;
  if (!outcome.ok) throw outcome.error;
  const contacts = contactsFrom(read.outcomes);
  return { ...contacts, value: { list: contacts.value } };
}

/** Continuing-stay reviews (QuestionnaireResponse of our questionnaire): the review clock counts from them. */
const reviewsPart: PartSpec<Review[]> = {
  ...PART_READS.reviews,
  build(outcomes) {
    return result(parseReviews(ofType(allEntries(outcomes), 'QuestionnaireResponse')), outcomes, 'reviews');
  },
};

/** Goal attainment and caregiver surveys: one unreadable response is a named problem, the rest stay in view. */
const outcomesPart: PartSpec<OutcomeRecord[]> = {
  ...PART_READS.outcomes,
  build(outcomes) {
    const values: OutcomeRecord[] = [];
    const problems: ParseProblem[] = [];
    for (const r of ofType(allEntries(outcomes), 'QuestionnaireResponse')) {
      const parsed = parseOutcome(r);
      if (parsed?.ok) values.push(parsed.value);
      else if (parsed)
        problems.push({ reference: `QuestionnaireResponse/${r.id ?? ''}`, message: parsed.reason });
    }
    return result(values, outcomes, 'outcomes', problems);
  },
};

/** Responses to the agency's own instruments (src/fhir/mappers/instrument.ts), newest first. */
const agencyOutcomesPart: PartSpec<InstrumentResponseSummary[]> = {
  ...PART_READS.agencyOutcomes,
  build(outcomes) {
    return result(
      instrumentResponses(allEntries(outcomes).map((e) => e.resource)),
      outcomes,
      'the agency’s instruments',
    );
  },
};

/** The end of the episode: discharge plans, when they were delivered, and whether consent to share is on file. */
const dischargePlansPart: PartSpec<{ plans: DischargePlanSummary[]; consentOnFile?: boolean }> = {
  ...PART_READS.dischargePlans,
  build(outcomes) {
    const [documents, deliveries, consents] = outcomes;
    const parsed = parsedList(ofType(allEntries([documents]), 'DocumentReference'), parseDischargePlan);
    const plans = withDeliveries(parsed.values, ofType(allEntries([deliveries]), 'Communication'));
    // Unknown (undefined) when the consents could not be read: the wizard asks instead of assuming.
    const consentOnFile = consents.ok
      ? hasActiveConsent(ofType(consents.entries, 'Consent'), new Date())
      : undefined;
    return {
      value: { plans, consentOnFile },
      problems: [
        ...failures([documents], 'discharge plans'),
        ...failures([deliveries], 'discharge plan deliveries'),
        ...failures([consents], 'consents'),
        ...parsed.problems,
      ],
      truncated: outcomes.some((o) => o.ok && o.truncated),
    };
  },
};

/** Adverse-incident reports and their supervisor reviews. */
const incidentsPart: PartSpec<ReportedIncident[]> = {
  ...PART_READS.incidents,
  build(outcomes) {
    const entries = allEntries(outcomes);
    const reviews = ofType(entries, 'Task')
      .map(parseIncidentReview)
      .filter((r): r is IncidentReview => r !== undefined);
    const parsed = parsedList(ofType(entries, 'AdverseEvent').filter(isIncidentReport), parseIncident);
    const incidents: ReportedIncident[] = parsed.values
      .map((i) => ({ ...i, review: reviews.find((r) => r.incidentId === i.id) }))
      .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : -1));
    return result(incidents, outcomes, 'incident reports', parsed.problems);
  },
};

const userKinds: readonly string[] = ['Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson'];

/** The signed-in user: name and FST roles from their PractitionerRoles. */
const userPart: PartSpec<SignedInUser | null> = {
  ...PART_READS.user,
  build(outcomes, ctx) {
    const user = ctx.user;
    if (!user) return result(null, []);
    const kind = (userKinds.includes(user.resourceType) ? user.resourceType : 'unknown') as UserKind;
    const self = `${user.resourceType}/${user.id}`;
    if (kind !== 'Practitioner')
      return result(
        { kind, references: [self], roles: new Set(), name: { given: '', family: '', full: '' } },
        [],
      );
    const practitioner = outcomes[0]?.ok ? practitionerSchema.safeParse(outcomes[0].resource) : undefined;
    const roles = (outcomes[1]?.ok ? ofType(outcomes[1].entries, 'PractitionerRole') : [])
      .map((r) => practitionerRoleSchema.safeParse(r))
      .flatMap((r) => (r.success ? [r.data] : []));
    return result(
      {
        kind,
        references: [self, ...roles.map((r) => `PractitionerRole/${r.id}`)],
        roles: rolesFromCodes(roles.flatMap(roleCodes), ctx.roleMapping),
        name: toPersonName(practitioner?.success ? practitioner.data.name : undefined),
      },
      outcomes,
      'your user record',
    );
  },
};

/** FST staff (Family Partners and supervisors): only their contacts count toward the FST clocks. */
/** A Family Partner who can be assigned a referral. */
export interface FamilyPartner {
  roleReference: string;
  practitionerReference?: string;
  name: string;
  languages: string[];
  /** Areas of the Family Partner's own lived experience (for matching, seed 000 process 7). */
  livedExperience: LivedExperienceArea[];
  /** Cultures or communities the Family Partner shares, in their words (for matching, seed 000 process 7). */
  cultures?: string[];
}

export interface FstStaff {
  /** Practitioner and PractitionerRole references of FST staff. */
  references: Set<string>;
  names: Map<string, string>;
  familyPartners: FamilyPartner[];
  /** The licensed clinicians (FST supervisors) and their on-call hours (seed 000 staffing 9). */
  onCall: OnCallClinician[];
}

const staffPart: PartSpec<FstStaff | null> = {
  ...PART_READS.staff,
  build(outcomes, ctx) {
    if (!outcomes[0]?.ok) return result(null, outcomes, 'the FST staff list');
    const entries = outcomes[0].entries;
    const names = namesOf(ofType(entries, 'Practitioner'));
    const spoken = new Map<string, string[]>(
      ofType(entries, 'Practitioner').flatMap((p) => {
        const parsed = practitionerLanguagesSchema.safeParse(p);
        return parsed.success
          ? [[`Practitioner/${parsed.data.id}`, languagesOf(parsed.data.communication)] as const]
          : [];
      }),
    );
    const practitioners = new Map(ofType(entries, 'Practitioner').map((p) => [`Practitioner/${p.id}`, p]));
    const references = new Set<string>();
    const familyPartners: FamilyPartner[] = [];
    for (const r of ofType(entries, 'PractitionerRole')) {
      const role = practitionerRoleSchema.safeParse(r);
      if (!role.success) continue;
      const roles = rolesFromCodes(roleCodes(role.data), ctx.roleMapping);
      if (!STAFF_ROLES.some((s) => s !== 'clinician' && s !== 'care-coordinator' && roles.has(s))) continue;
      const roleReference = `PractitionerRole/${role.data.id}`;
      const practitionerReference = role.data.practitioner?.reference;
      const practitioner = practitionerReference ? practitioners.get(practitionerReference) : undefined;
      references.add(roleReference);
      if (practitionerReference) references.add(practitionerReference);
      if (roles.has('family-partner'))
        familyPartners.push({
          roleReference,
          practitionerReference,
          name: (practitionerReference && names.get(practitionerReference)) || roleReference,
          languages: (practitionerReference && spoken.get(practitionerReference)) || [],
          livedExperience: practitioner ? livedExperienceOf(practitioner) : [],
          cultures: practitioner ? culturesOf(practitioner) : [],
        });
    }
    // Who is on call, and when: the staff page's rule (staffRoster), over the same resources.
    const { onCall } = staffRoster(
      entries.map((e) => e.resource).filter((r) => r !== undefined),
      ctx.roleMapping,
    );
    return result({ references, names, familyPartners, onCall }, outcomes, 'the FST staff list');
  },
};

export const PARTS = {
  patient: patientPart,
  caregivers: caregiversPart,
  plans: plansPart,
  encounters: encountersPart,
  referrals: referralsPart,
  contacts: contactsPart,
  dischargePlans: dischargePlansPart,
  reviews: reviewsPart,
  outcomes: outcomesPart,
  agencyOutcomes: agencyOutcomesPart,
  incidents: incidentsPart,
  user: userPart,
  staff: staffPart,
} as const satisfies Record<PartName, PartSpec<unknown>>;

export type PartValue<N extends PartName> = ReturnType<(typeof PARTS)[N]['build']>;
export type WorkspaceParts = { [N in PartName]: PartValue<N> };

/** Reads one part again (after a write that touched it). */
export async function loadPart<N extends PartName>(
  transport: FhirTransport,
  name: N,
  ctx: WorkspaceContext,
  signal?: AbortSignal,
): Promise<PartValue<N>> {
  const spec = PARTS[name] as PartSpec<unknown>;
  const read = await readBatch(transport, ctx.caps, spec.urls(ctx), signal);
  return spec.build(read.outcomes, ctx) as PartValue<N>;
}

/** Reads the parts named (default: all) in one batch round trip (plus pages). */
export async function loadParts(
  transport: FhirTransport,
  ctx: WorkspaceContext,
  signal?: AbortSignal,
  names: readonly PartName[] = PART_NAMES,
): Promise<{ parts: Partial<WorkspaceParts>; requests: number }> {
  return buildParts(await readParts(transport, ctx, names, signal), ctx);
}

/** Parses what `readParts` read into the parts. */
function buildParts(
  read: PartsRead,
  ctx: WorkspaceContext,
): { parts: Partial<WorkspaceParts>; requests: number } {
  const parts: Partial<Record<PartName, unknown>> = {};
  for (const name of PART_NAMES) {
    const outcomes = read.outcomes[name];
    if (outcomes) parts[name] = (PARTS[name] as PartSpec<unknown>).build(outcomes, ctx);
  }
  return { parts: parts as Partial<WorkspaceParts>, requests: read.requests };
}

/** The view model the workspace screens read, composed from the parts. */
export function composeWorkspace(
  parts: WorkspaceParts,
  now: Date = new Date(),
  timeZone: string = DEFAULT_CALENDAR.timeZone,
): Workspace {
  const all = Object.entries(parts) as [PartName, PartResult<unknown>][];
  // Current caregivers first, former ones marked: every view lists them in this order (src/domain/caregivers.ts).
  const caregivers = caregiversInOrder(
    parts.caregivers.value.length ? parts.caregivers.value : parts.patient.value.fromContacts,
    now,
    timeZone,
  );
  const user = parts.user.value ?? undefined;
  const staff = parts.staff.value;
  const staffNames = new Map([...(staff?.names ?? []), ...parts.plans.value.names]);
  if (user?.kind === 'Practitioner' && user.name.full) staffNames.set(user.references[0], user.name.full);
  return {
    youth: parts.patient.value.youth,
    caregivers,
    plans: parts.plans.value.plans,
    servicePlans: parts.plans.value.servicePlans,
    safetyPlans: parts.plans.value.safetyPlans,
    encounters: parts.encounters.value.visits,
    meetings: parts.encounters.value.meetings,
    incidents: parts.incidents.value,
    referrals: parts.referrals.value,
    contacts: parts.contacts.value.list,
    contactsGap: parts.contacts.value.gap,
    dischargePlans: parts.dischargePlans.value.plans,
    consentOnFile: parts.dischargePlans.value.consentOnFile,
    reviews: parts.reviews.value,
    outcomes: parts.outcomes.value,
    agencyOutcomes: parts.agencyOutcomes.value,
    staffNames,
    fstStaff: staff?.references,
    familyPartners: staff?.familyPartners ?? [],
    user,
    problems: all.flatMap(([, p]) => p.problems),
    truncated: all.filter(([, p]) => p.truncated).map(([name]) => name),
  };
}

export interface LoadedWorkspace extends Workspace {
  /** FHIR HTTP requests the load made. */
  requests: number;
}

/** The whole workspace in one batch round trip (tests, benchmarks; the app goes through the part cache). */
export async function loadWorkspace(
  transport: FhirTransport,
  ctx: Pick<WorkspaceContext, 'patientId' | 'user'> & Partial<WorkspaceContext>,
  signal?: AbortSignal,
): Promise<LoadedWorkspace> {
  const full: WorkspaceContext = {
    roleMapping: DEFAULT_ROLE_MAPPING,
    caps: ASSUMED_CAPABILITIES,
    ...ctx,
  };
  const loaded = await loadParts(transport, full, signal);
  return { ...composeWorkspace(loaded.parts as WorkspaceParts), requests: loaded.requests };
}
