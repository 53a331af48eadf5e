/**
 * The patient workspace in one FHIR round trip (a batch Bundle of reads and `_include` searches),
 * plus one more only when a search has further pages. Servers without batch or `_include` get the
 * same reads in parallel and direct searches. Parsed into domain types at the boundary.
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';
import type {
  Caregiver,
  CarePlanSummary,
  CareTeamMember,
  Contact,
  DischargePlanSummary,
  EncounterSummary,
  ParseProblem,
  PersonName,
  PlanGoal,
  Referral,
  Youth,
} from '../domain/model';
import { FhirError, collectPages, fhirRequest } from './http';
import { ASSUMED_CAPABILITIES, supportsInclude } from './capabilities';
import type { ServerCapabilities } from './capabilities';
import type { FhirTransport } from './http';
import { caregiversFromPatientContacts, parsePatient, parseRelatedPerson } from './mappers/people';
import { careTeamMembers, parseCarePlan, parseGoal } from './mappers/plan';
import { parseEncounter } from './mappers/encounter';
import { parseReferralTask } from './mappers/referral';
import { CodeSystems } from './codes';
import { parseContact } from './mappers/contact';
import { parseDischargePlan } from './mappers/dischargePlan';
import { partition } from './mappers/parse';
import { humanNameSchema, toPersonName, textOf, codeableConceptSchema } from './mappers/datatypes';
import { z } from 'zod';

export interface WorkspaceUser {
  reference: string;
  name: PersonName;
  roles: string[];
}

export interface Workspace {
  youth: Youth;
  caregivers: Caregiver[];
  plans: CarePlanSummary[];
  encounters: EncounterSummary[];
  referrals: Referral[];
  contacts: Contact[];
  dischargePlans: DischargePlanSummary[];
  /** Names of care-team practitioners, by reference (from `_include`). */
  staffNames: ReadonlyMap<string, string>;
  user?: WorkspaceUser;
  problems: ParseProblem[];
  /** Searches stopped by the paging limit: the view says so. */
  truncated: string[];
  /** FHIR HTTP requests this load made. */
  requests: number;
}

export interface WorkspaceRequest {
  patientId: string;
  user?: { resourceType: string; id: string };
}

/** The searches of the workspace, by name. Page sizes are large: most families fit one page. */
export function workspaceSearches(
  req: WorkspaceRequest,
  caps: ServerCapabilities = ASSUMED_CAPABILITIES,
): Record<string, string> {
  const pid = encodeURIComponent(req.patientId);
  const includePlanParts =
    supportsInclude(caps, 'CarePlan', 'goal') && supportsInclude(caps, 'CarePlan', 'care-team');
  const searches: Record<string, string> = {
    patient: `Patient/${pid}`,
    caregivers: `RelatedPerson?patient=Patient/${pid}&_count=100`,
    plans: includePlanParts
      ? `CarePlan?subject=Patient/${pid}&_include=CarePlan:goal&_include=CarePlan:care-team&_include:iterate=CareTeam:participant&_count=100`
      : `CarePlan?subject=Patient/${pid}&_count=100`,
    encounters: `Encounter?subject=Patient/${pid}&_sort=-date&_count=100`,
    referrals: `Task?patient=Patient/${pid}&code=fulfill&_sort=-authored-on&_count=100`,
    // Only FST contacts: other Communications in the chart are not ours to read.
    contacts: `Communication?subject=Patient/${pid}&category=${encodeURIComponent(
      `${CodeSystems.contactCategory}|caregiver-contact,${CodeSystems.contactCategory}|collateral-contact`,
    )}&_sort=-sent&_count=1000`,
    dischargePlans: `DocumentReference?subject=Patient/${pid}&type=${encodeURIComponent('http://loinc.org|18842-5')}&_count=50`,
  };
  if (!includePlanParts) {
    // Without _include, the plan's goals and care team are searched for directly.
    searches.goals = `Goal?patient=Patient/${pid}&_count=200`;
    searches.careTeams = `CareTeam?patient=Patient/${pid}&_count=20`;
  }
  if (req.user?.resourceType === 'Practitioner') {
    const uid = encodeURIComponent(req.user.id);
    searches.user = `Practitioner/${uid}`;
    searches.userRoles = `PractitionerRole?practitioner=Practitioner/${uid}&_count=20`;
  }
  return searches;
}

type Outcome = { resource: Resource } | { failure: FhirError };

/** One round trip: a batch Bundle of all reads. */
async function viaBatch(transport: FhirTransport, urls: string[], signal?: AbortSignal): Promise<Outcome[]> {
  const batch: Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: urls.map((url) => ({ request: { method: 'GET', url } })),
  };
  const response = await fhirRequest<Bundle>(transport, '', { method: 'POST', body: batch, signal });
  return urls.map((_, i) => {
    const entry = response.body.entry?.[i];
    const status = Number.parseInt(entry?.response?.status ?? '0', 10);
    if (status >= 400 || !entry?.resource) {
      const outcome =
        (entry?.response?.outcome as OperationOutcome | undefined) ??
        (entry?.resource?.resourceType === 'OperationOutcome'
          ? (entry.resource as OperationOutcome)
          : undefined);
      return {
        failure: new FhirError(
          status || 500,
          outcome ?? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] },
        ),
      };
    }
    return { resource: entry.resource };
  });
}

/** The fallback for servers without batch: the same reads, in parallel. */
async function viaParallel(
  transport: FhirTransport,
  urls: string[],
  signal?: AbortSignal,
): Promise<Outcome[]> {
  return Promise.all(
    urls.map(async (url) => {
      try {
        return { resource: (await fhirRequest<Resource>(transport, url, { signal })).body };
      } catch (err) {
        if (err instanceof FhirError) return { failure: err };
        throw err;
      }
    }),
  );
}

const practitionerSchema = z
  .object({
    resourceType: z.literal('Practitioner'),
    id: z.string(),
    name: z.array(humanNameSchema).optional(),
  })
  .loose();
const roleSchema = z.object({ code: z.array(codeableConceptSchema).optional() }).loose();

function resourcesOf(entries: BundleEntry[], type: string): Resource[] {
  return entries.map((e) => e.resource).filter((r): r is Resource => r?.resourceType === type);
}

export async function loadWorkspace(
  transport: FhirTransport,
  req: WorkspaceRequest,
  signal?: AbortSignal,
  caps: ServerCapabilities = ASSUMED_CAPABILITIES,
): Promise<Workspace> {
  const searches = workspaceSearches(req, caps);
  const names = Object.keys(searches);
  const urls = names.map((n) => searches[n]);
  const outcomes = caps.batch
    ? await viaBatch(transport, urls, signal)
    : await viaParallel(transport, urls, signal);
  let requests = caps.batch ? 1 : urls.length;
  const results = new Map<string, Resource | undefined>();
  const failures = new Map<string, FhirError>();
  names.forEach((name, i) => {
    const outcome = outcomes[i];
    if ('failure' in outcome) failures.set(name, outcome.failure);
    else results.set(name, outcome.resource);
  });
  const patientFailure = failures.get('patient');
  if (patientFailure) throw patientFailure;

  // Second round trip, only for searches with more pages: all followed in parallel.
  const truncated: string[] = [];
  const complete = new Map<string, BundleEntry[]>();
  await Promise.all(
    names
      .filter((n) => results.get(n)?.resourceType === 'Bundle')
      .map(async (name) => {
        const pages = await collectPages(transport, results.get(name) as Bundle, signal);
        requests += pages.pages - 1;
        if (pages.truncated) truncated.push(name);
        complete.set(name, pages.entries);
      }),
  );
  const entries = (name: string) => complete.get(name) ?? [];

  const problems: ParseProblem[] = [];
  const collect = <T>(parsed: { values: T[]; problems: ParseProblem[] }): T[] => {
    problems.push(...parsed.problems);
    return parsed.values;
  };

  const youthParsed = parsePatient(results.get('patient') as Resource);
  if (!youthParsed.ok)
    throw new FhirError(422, {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          details: { text: youthParsed.problem.message },
        },
      ],
    });

  let caregivers = collect(
    partition(resourcesOf(entries('caregivers'), 'RelatedPerson').map(parseRelatedPerson)),
  );
  if (caregivers.length === 0) caregivers = caregiversFromPatientContacts(results.get('patient') as Resource);

  const planEntries = [...entries('plans'), ...entries('goals'), ...entries('careTeams')];
  const goals = collect(partition(resourcesOf(planEntries, 'Goal').map(parseGoal)));
  const goalsById = new Map<string, PlanGoal>(goals.map((g) => [g.id, g]));
  const teamsById = new Map<string, CareTeamMember[]>(
    resourcesOf(planEntries, 'CareTeam').map((t) => [t.id ?? '', careTeamMembers(t)]),
  );
  const staffNames = new Map<string, string>(
    [
      ...resourcesOf(planEntries, 'Practitioner'),
      ...(results.get('user') ? [results.get('user') as Resource] : []),
    ]
      .map((r) => practitionerSchema.safeParse(r))
      .filter((r) => r.success)
      .map((r) => [`Practitioner/${r.data.id}`, toPersonName(r.data.name).full]),
  );
  const plans = collect(
    partition(resourcesOf(planEntries, 'CarePlan').map((p) => parseCarePlan(p, goalsById, teamsById))),
  );

  let user: WorkspaceUser | undefined;
  const practitioner = practitionerSchema.safeParse(results.get('user'));
  if (practitioner.success) {
    user = {
      reference: `Practitioner/${practitioner.data.id}`,
      name: toPersonName(practitioner.data.name),
      roles: resourcesOf(entries('userRoles'), 'PractitionerRole')
        .flatMap((r) => roleSchema.safeParse(r).data?.code ?? [])
        .map((c) => textOf(c))
        .filter((t): t is string => Boolean(t)),
    };
  }

  for (const [name, failure] of failures) {
    if (name !== 'user' && name !== 'userRoles')
      problems.push({
        reference: name,
        message: `Could not load ${name}: ${failure.message}`,
      });
  }

  return {
    youth: youthParsed.value,
    caregivers,
    plans,
    encounters: collect(partition(resourcesOf(entries('encounters'), 'Encounter').map(parseEncounter))),
    referrals: collect(partition(resourcesOf(entries('referrals'), 'Task').map(parseReferralTask))),
    contacts: collect(partition(resourcesOf(entries('contacts'), 'Communication').map(parseContact))),
    staffNames,
    dischargePlans: collect(
      partition(resourcesOf(entries('dischargePlans'), 'DocumentReference').map(parseDischargePlan)),
    ),
    user,
    problems,
    truncated,
    requests,
  };
}
