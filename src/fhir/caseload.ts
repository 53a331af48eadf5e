/**
 * The caseload: the current FST referral of every youth in scope (the user's own families, or the agency's for a
 * supervisor), with its contacts, plans and discharge plans, in two round trips — the referral Tasks (no
 * `_include`, which servers cap), then one batch of per-chunk searches: patients, contacts and meetings since the
 * window's start, plans, discharge plans, reviews — plus pages (and, only for referrals the EHR made without our
 * marks, a read of their orders). Parsed into domain types at the boundary.
 */
import type { BundleEntry, Resource } from 'fhir/r4';
import type {
  CarePlanSummary,
  Contact,
  ContactGap,
  DischargePlanSummary,
  ParseProblem,
  PlanGoal,
  Referral,
  Youth,
} from '../domain/model';
import type { ServerCapabilities } from './capabilities';
import { ASSUMED_CAPABILITIES } from './capabilities';
import { CodeSystems, H2014, Questionnaires } from './codes';
import { parseReviews } from './mappers/review';
import type { OutcomeRecord } from '../domain/outcomes';
import { parseOutcome } from './mappers/outcome';
import type { Review } from './mappers/review';
import type { FhirTransport } from './http';
import { readBatch } from './batch';
import { isServicePlan, parseServicePlan } from './mappers/servicePlan';
import type { ServicePlan } from '../domain/servicePlan';
import { PARTS } from './workspace';
import type { FstStaff } from './workspace';
import type { RoleMapping } from '../domain/permissions';
import { DEFAULT_ROLE_MAPPING } from '../config/config';
import { currentReferral, isFstReferral } from '../domain/referral';
import { parseContact } from './mappers/contact';
import { codeFrom, idFromReference } from './mappers/datatypes';
import { parseDischargePlan, withDeliveries } from './mappers/dischargePlan';
import { isTeamMeeting, parseMeeting } from './mappers/meeting';
import { parseIncident, parseIncidentReview } from './mappers/incident';
import type { Incident, IncidentReview } from '../domain/incidents';
import type { Meeting } from '../domain/meetings';
import { MEETING_KIND_LABEL } from '../domain/meetings';
import { partition } from './mappers/parse';
import { parsePatient } from './mappers/people';
import { parseCarePlan, parseGoal } from './mappers/plan';
import { fstOrderIds, parseReferralTask } from './mappers/referral';

export interface CaseloadFamily {
  youth: Youth;
  /** The current episode (currentReferral). */
  referral: Referral;
  /** The youth's other FST episodes (ended ones before a re-referral): the quality report counts them too. */
  earlierReferrals: Referral[];
  contacts: Contact[];
  plans: CarePlanSummary[];
  /** The FST service plans in force (for the next planned meeting). */
  servicePlans: ServicePlan[];
  reviews: Review[];
  /** Goal attainment and caregiver surveys (seed 000 quality 2–3). */
  outcomes: OutcomeRecord[];
  dischargePlans: DischargePlanSummary[];
  /** Team meetings FST logged (they can stand in for collateral contact). */
  meetings: Meeting[];
  /** Contacts that exist but were not read (before the caseload's `since`). */
  contactsGap?: ContactGap;
}

/** An incident report waiting for a supervisor's review. */
export interface OpenIncidentReview {
  review: IncidentReview;
  incident?: Incident;
  youth?: Youth;
}

export interface Caseload {
  families: CaseloadFamily[];
  /** Incident reviews still open (supervisors close them). */
  incidentReviews: OpenIncidentReview[];
  /** FST staff: whose contacts count, and the Family Partners by role (names, languages). */
  staff?: FstStaff;
  problems: ParseProblem[];
  truncated: boolean;
  requests: number;
}

/** Subject lists are chunked so a search URL stays short on every server. */
const CHUNK = 40;
/** Team meetings: Encounters of our meeting kinds (the EHR's visits are not needed here). */
const MEETING_TYPES = encodeURIComponent(
  Object.keys(MEETING_KIND_LABEL)
    .map((k) => `${CodeSystems.meetingKind}|${k}`)
    .join(','),
);

function ofType(entries: BundleEntry[], type: string): Resource[] {
  return entries.map((e) => e.resource).filter((r): r is Resource => r?.resourceType === type);
}

function subjectOf(resource: Resource): string | undefined {
  const r = resource as { subject?: { reference?: string }; for?: { reference?: string } };
  return idFromReference(r.subject?.reference ?? r.for?.reference, 'Patient');
}

/**
 * What a caseload read covers. A Family Partner reads the referrals they own, not the agency's; contacts and
 * meetings are read from `since` (the clocks' weeks and the report's period): the cost grows with families, not
 * with years of history. Weeks before `since` are a known gap (Episode.contactsGap), never counted as missed.
 */
export interface CaseloadScope {
  /** The owner references (Practitioner, PractitionerRole) whose referrals are read; all when absent. */
  owners?: readonly string[];
  /** YYYY-MM-DD: contacts and meetings sent on or after this day; all when absent. */
  since?: string;
  /**
   * Only these youths (Patient ids), read in chunks: the measures job (jobs/measures) reads the agency a chunk of
   * families at a time, and after a change only the families it touched. Incident reviews are not read then.
   */
  patients?: readonly string[];
}

const H2014_TOKEN = encodeURIComponent(`${H2014.system}|${H2014.code}`);
const DELIVERY_CATEGORY = encodeURIComponent(`${CodeSystems.contactCategory}|discharge-plan-delivery`);

const chunks = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};
/**
 * What the caseload's clocks and report read of a contact (src/fhir/mappers/contact.ts): not the progress note,
 * the purposes or the identifiers, which are two fifths of a contact on the wire. A server that ignores
 * `_elements` sends them whole, which reads the same.
 */
const CONTACT_ELEMENTS = [
  'status',
  'statusReason',
  'category',
  'medium',
  'subject',
  'partOf',
  'sender',
  'recipient',
  'sent',
  'extension',
].join(',');
const idList = (ids: readonly string[]) => ids.map(encodeURIComponent).join(',');

export async function loadCaseload(
  transport: FhirTransport,
  signal?: AbortSignal,
  caps: ServerCapabilities = ASSUMED_CAPABILITIES,
  roleMapping: RoleMapping = DEFAULT_ROLE_MAPPING,
  scope: CaseloadScope = {},
): Promise<Caseload> {
  // No _include on the referral search: a server caps what one search may include (past ~500 referrals the
  // sandbox refused the whole search). Patients come per chunk in the second round trip.
  const owner = scope.owners?.length ? `&owner=${idList(scope.owners)}` : '';
  const taskUrls = scope.patients
    ? chunks(scope.patients, CHUNK).map(
        (ids) =>
          `Task?code=fulfill&patient=${ids.map((id) => `Patient/${encodeURIComponent(id)}`).join(',')}${owner}&_count=500`,
      )
    : [`Task?code=fulfill${owner}&_sort=-authored-on&_count=500`];
  const first = await readBatch(
    transport,
    caps,
    [
      ...taskUrls,
      ...(scope.patients
        ? []
        : [
            `Task?code=${encodeURIComponent(`${CodeSystems.fstTaskCode}|incident-review`)}&status=requested&_include=Task:focus&_count=200`,
          ]),
    ],
    signal,
  );
  const taskOutcomes = first.outcomes.slice(0, taskUrls.length);
  for (const o of taskOutcomes) if (!o.ok) throw o.error;
  const tasksOutcome = {
    entries: taskOutcomes.flatMap((o) => (o.ok ? o.entries : [])),
    truncated: taskOutcomes.some((o) => o.ok && o.truncated),
  };
  let requests = first.requests;
  let truncated = tasksOutcome.truncated;
  const problems: ParseProblem[] = [];
  const keep = <T>(p: { values: T[]; problems: ParseProblem[] }) => {
    problems.push(...p.problems);
    return p.values;
  };
  const tasks = ofType(tasksOutcome.entries, 'Task');
  // A referral the EHR made (no profile, no identifier of ours) is FST's when its order is H2014: those orders
  // only are read, by id.
  const unmarked = keep(partition(tasks.map((t) => parseReferralTask(t))))
    .filter((r) => r.fstMarks.length === 0 && r.serviceRequestId)
    .map((r) => r.serviceRequestId as string);
  let orders = new Set<string>();
  if (unmarked.length) {
    const found = await readBatch(
      transport,
      caps,
      chunks([...new Set(unmarked)], CHUNK).map(
        (ids) => `ServiceRequest?_id=${idList(ids)}&code=${H2014_TOKEN}`,
      ),
      signal,
    );
    requests += found.requests;
    orders = fstOrderIds(found.outcomes.flatMap((o) => (o.ok ? ofType(o.entries, 'ServiceRequest') : [])));
  }
  const referrals = keep(partition(tasks.map((t) => parseReferralTask(t, orders)))).filter(isFstReferral);
  const reviewsOutcome = scope.patients ? undefined : first.outcomes[taskUrls.length];
  const taskPatient = new Map(tasks.map((t) => [t.id ?? '', subjectOf(t)]));
  // One row per youth: their current FST referral (domain/referral.ts decides which).
  const byYouth = new Map<string, Referral[]>();
  for (const r of referrals) {
    const pid = taskPatient.get(r.id) ?? '';
    byYouth.set(pid, [...(byYouth.get(pid) ?? []), r]);
  }
  const patientIds = [...byYouth.keys()].filter(Boolean);

  const category = encodeURIComponent(
    `${CodeSystems.contactCategory}|caregiver-contact,${CodeSystems.contactCategory}|collateral-contact`,
  );
  const sent = scope.since ? `&sent=ge${scope.since}` : '';
  const dated = scope.since ? `&date=ge${scope.since}` : '';
  const urls: string[] = [];
  for (const ids of chunks(patientIds, CHUNK)) {
    const subjects = ids.map((id) => `Patient/${encodeURIComponent(id)}`).join(',');
    urls.push(`Patient?_id=${idList(ids)}&_count=${CHUNK}`);
    urls.push(
      `Communication?subject=${subjects}&category=${category}${sent}&_elements=${CONTACT_ELEMENTS}&_count=1000`,
    );
    urls.push(`CarePlan?subject=${subjects}&_include=CarePlan:goal&_count=500`);
    urls.push(
      `DocumentReference?subject=${subjects}&type=${encodeURIComponent('http://loinc.org|18842-5')}&_count=500`,
    );
    // The plans' deliveries: the discharge clock is met by them, never by the plan's own date.
    urls.push(`Communication?subject=${subjects}&category=${DELIVERY_CATEGORY}&_count=500`);
    urls.push(
      // Continuing-stay reviews, goal attainment and caregiver surveys: one search.
      `QuestionnaireResponse?subject=${subjects}&questionnaire=${encodeURIComponent(`${Questionnaires.continuingStay},${Questionnaires.goalAttainment},${Questionnaires.caregiverSatisfaction}`)}&_count=500`,
    );
    urls.push(`Encounter?subject=${subjects}&type=${MEETING_TYPES}${dated}&_count=500`);
  }
  // The FST staff list rides in the same batch: the same part the workspace reads.
  const staffUrls = PARTS.staff.urls({ patientId: '', roleMapping, caps });
  const second = await readBatch(transport, caps, [...staffUrls, ...urls], signal);
  requests += second.requests;
  const staffPart = PARTS.staff.build(second.outcomes.slice(0, staffUrls.length), {
    patientId: '',
    roleMapping,
    caps,
  });
  problems.push(...staffPart.problems);
  const entries: BundleEntry[] = [];
  second.outcomes.slice(staffUrls.length).forEach((o, i) => {
    if (!o.ok) {
      problems.push({
        reference: urls[i].split('?')[0],
        message: `Could not load ${urls[i].split('?')[0]} for the caseload: ${o.error.message}`,
      });
      return;
    }
    entries.push(...o.entries);
    truncated ||= o.truncated;
  });
  const youths = new Map(keep(partition(ofType(entries, 'Patient').map(parsePatient))).map((y) => [y.id, y]));
  // Open incident reviews with their reports; unreadable ones are named, not dropped silently.
  const incidentReviews: OpenIncidentReview[] = [];
  if (reviewsOutcome?.ok) {
    const reports = new Map<string, Incident>(
      keep(partition(ofType(reviewsOutcome.entries, 'AdverseEvent').map(parseIncident))).map((i) => [
        i.id,
        i,
      ]),
    );
    for (const t of ofType(reviewsOutcome.entries, 'Task')) {
      const review = parseIncidentReview(t);
      if (review)
        incidentReviews.push({
          review,
          incident: reports.get(review.incidentId),
          youth: review.patientId ? youths.get(review.patientId) : undefined,
        });
    }
  } else if (reviewsOutcome)
    problems.push({
      reference: 'Task',
      message: `Could not load incident reviews: ${reviewsOutcome.error.message}`,
    });
  const goals = new Map<string, PlanGoal>(
    keep(partition(ofType(entries, 'Goal').map(parseGoal))).map((g) => [g.id, g]),
  );
  const byPatient = <T>(
    resources: Resource[],
    parse: (r: Resource) => { ok: true; value: T } | { ok: false; problem: ParseProblem },
  ) => {
    const map = new Map<string, T[]>();
    for (const r of resources) {
      const parsed = parse(r);
      if (!parsed.ok) {
        problems.push(parsed.problem);
        continue;
      }
      const pid = subjectOf(r) ?? '';
      map.set(pid, [...(map.get(pid) ?? []), parsed.value]);
    }
    return map;
  };
  const communications = ofType(entries, 'Communication');
  const isDelivery = (r: Resource) =>
    codeFrom((r as { category?: Parameters<typeof codeFrom>[0] }).category, CodeSystems.contactCategory) ===
    'discharge-plan-delivery';
  const contacts = byPatient(
    communications.filter((r) => !isDelivery(r)),
    parseContact,
  );
  const carePlans = ofType(entries, 'CarePlan');
  const plans = byPatient(
    carePlans.filter((r) => !isServicePlan(r)),
    (r) => parseCarePlan(r, goals, new Map()),
  );
  const servicePlans = byPatient(
    carePlans.filter((r) => isServicePlan(r) && (r as { status?: string }).status === 'active'),
    parseServicePlan,
  );
  const deliveries = communications.filter(isDelivery);
  const docs = new Map(
    [...byPatient(ofType(entries, 'DocumentReference'), parseDischargePlan)].map(
      ([pid, plans]) => [pid, withDeliveries(plans, deliveries)] as const,
    ),
  );
  const meetings = byPatient(ofType(entries, 'Encounter').filter(isTeamMeeting), parseMeeting);
  const reviews = new Map<string, Review[]>();
  const outcomes = new Map<string, OutcomeRecord[]>();
  for (const r of ofType(entries, 'QuestionnaireResponse')) {
    const pid = subjectOf(r) ?? '';
    reviews.set(pid, [...(reviews.get(pid) ?? []), ...parseReviews([r])]);
    const outcome = parseOutcome(r);
    if (outcome?.ok) outcomes.set(pid, [...(outcomes.get(pid) ?? []), outcome.value]);
    else if (outcome)
      problems.push({ reference: `QuestionnaireResponse/${r.id ?? ''}`, message: outcome.reason });
  }

  const since = scope.since;
  const families: CaseloadFamily[] = [];
  for (const [pid, list] of byYouth) {
    const referral = currentReferral(list);
    if (!referral) continue;
    const youth = pid ? youths.get(pid) : undefined;
    if (!pid || !youth) {
      problems.push({
        reference: `Task/${referral.id}`,
        message: `Task/${referral.id} has no readable patient`,
      });
      continue;
    }
    families.push({
      youth,
      referral,
      // Contacts before `since` were not read: the clocks that need them say so, never "missed".
      ...(since && list.some((r) => r.authoredOn < since) ? { contactsGap: { before: since } } : {}),
      earlierReferrals: list.filter((r) => r.id !== referral.id && isFstReferral(r)),
      contacts: contacts.get(pid) ?? [],
      plans: plans.get(pid) ?? [],
      servicePlans: servicePlans.get(pid) ?? [],
      reviews: reviews.get(pid) ?? [],
      outcomes: outcomes.get(pid) ?? [],
      dischargePlans: docs.get(pid) ?? [],
      meetings: meetings.get(pid) ?? [],
    });
  }
  return { families, incidentReviews, staff: staffPart.value ?? undefined, problems, truncated, requests };
}
