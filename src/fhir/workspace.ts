/**
 * The patient workspace in one FHIR round trip (a batch Bundle of reads and `_include` searches),
 * plus one more only when a search has further pages. Parsed into domain types at the boundary.
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

/** The searches of the workspace batch, by name. Page sizes are large: most families fit one page. */
export function workspaceSearches(req: WorkspaceRequest): Record<string, string> {
  const pid = encodeURIComponent(req.patientId);
  const searches: Record<string, string> = {
    patient: `Patient/${pid}`,
    caregivers: `RelatedPerson?patient=Patient/${pid}&_count=100`,
    plans: `CarePlan?subject=Patient/${pid}&_include=CarePlan:goal&_include=CarePlan:care-team&_count=100`,
    encounters: `Encounter?subject=Patient/${pid}&_sort=-date&_count=100`,
    referrals: `Task?patient=Patient/${pid}&code=fulfill&_sort=-authored-on&_count=100`,
    // Only FST contacts: other Communications in the chart are not ours to read.
    contacts: `Communication?subject=Patient/${pid}&category=${encodeURIComponent(
      `${CodeSystems.contactCategory}|caregiver-contact,${CodeSystems.contactCategory}|collateral-contact`,
    )}&_sort=-sent&_count=1000`,
    dischargePlans: `DocumentReference?subject=Patient/${pid}&type=${encodeURIComponent('http://loinc.org|18842-5')}&_count=50`,
  };
  if (req.user?.resourceType === 'Practitioner') {
    const uid = encodeURIComponent(req.user.id);
    searches.user = `Practitioner/${uid}`;
    searches.userRoles = `PractitionerRole?practitioner=Practitioner/${uid}&_count=20`;
  }
  return searches;
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
): Promise<Workspace> {
  const searches = workspaceSearches(req);
  const names = Object.keys(searches);
  const batch: Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: names.map((name) => ({
      request: { method: 'GET', url: searches[name] },
    })),
  };
  const response = await fhirRequest<Bundle>(transport, '', {
    method: 'POST',
    body: batch,
    signal,
  });
  let requests = 1;
  const results = new Map<string, Resource | undefined>();
  const failures = new Map<string, FhirError>();
  names.forEach((name, i) => {
    const entry = response.body.entry?.[i];
    const status = Number.parseInt(entry?.response?.status ?? '0', 10);
    if (status >= 400 || !entry?.resource) {
      const outcome =
        (entry?.response?.outcome as OperationOutcome | undefined) ??
        (entry?.resource?.resourceType === 'OperationOutcome'
          ? (entry.resource as OperationOutcome)
          : undefined);
      failures.set(
        name,
        new FhirError(
          status || 500,
          outcome ?? {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'processing' }],
          },
        ),
      );
    } else {
      results.set(name, entry.resource);
    }
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

  const planEntries = entries('plans');
  const goals = collect(partition(resourcesOf(planEntries, 'Goal').map(parseGoal)));
  const goalsById = new Map<string, PlanGoal>(goals.map((g) => [g.id, g]));
  const teamsById = new Map<string, CareTeamMember[]>(
    resourcesOf(planEntries, 'CareTeam').map((t) => [t.id ?? '', careTeamMembers(t)]),
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
    dischargePlans: collect(
      partition(resourcesOf(entries('dischargePlans'), 'DocumentReference').map(parseDischargePlan)),
    ),
    user,
    problems,
    truncated,
    requests,
  };
}
