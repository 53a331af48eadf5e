/**
 * The caseload: every FST referral Task the user can see, with its youth, contacts, plans and discharge
 * plans, in two round trips (Tasks with `_include` of the patients; then one batch of per-chunk searches),
 * plus pages. Parsed into domain types at the boundary.
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import type {
  CarePlanSummary,
  Contact,
  DischargePlanSummary,
  ParseProblem,
  PlanGoal,
  Referral,
  Youth,
} from '../domain/model';
import type { ServerCapabilities } from './capabilities';
import { ASSUMED_CAPABILITIES } from './capabilities';
import { CodeSystems } from './codes';
import { collectPages, FhirError, fhirRequest } from './http';
import type { FhirTransport } from './http';
import { parseContact } from './mappers/contact';
import { idFromReference } from './mappers/datatypes';
import { parseDischargePlan } from './mappers/dischargePlan';
import { partition } from './mappers/parse';
import { parsePatient } from './mappers/people';
import { parseCarePlan, parseGoal } from './mappers/plan';
import { parseReferralTask } from './mappers/referral';

export interface CaseloadFamily {
  youth: Youth;
  referral: Referral;
  contacts: Contact[];
  plans: CarePlanSummary[];
  dischargePlans: DischargePlanSummary[];
}

export interface Caseload {
  families: CaseloadFamily[];
  problems: ParseProblem[];
  truncated: boolean;
  requests: number;
}

/** Subject lists are chunked so a search URL stays short on every server. */
const CHUNK = 40;

function ofType(entries: BundleEntry[], type: string): Resource[] {
  return entries.map((e) => e.resource).filter((r): r is Resource => r?.resourceType === type);
}

function subjectOf(resource: Resource): string | undefined {
  const r = resource as { subject?: { reference?: string }; for?: { reference?: string } };
  return idFromReference(r.subject?.reference ?? r.for?.reference, 'Patient');
}

export async function loadCaseload(
  transport: FhirTransport,
  signal?: AbortSignal,
  caps: ServerCapabilities = ASSUMED_CAPABILITIES,
): Promise<Caseload> {
  const first = await fhirRequest<Bundle>(
    transport,
    'Task?code=fulfill&_include=Task:patient&_sort=-authored-on&_count=500',
    { signal },
  );
  const tasks = await collectPages(transport, first.body, signal);
  let requests = tasks.pages;
  let truncated = tasks.truncated;
  const problems: ParseProblem[] = [];
  const keep = <T>(p: { values: T[]; problems: ParseProblem[] }) => {
    problems.push(...p.problems);
    return p.values;
  };
  const referrals = keep(partition(ofType(tasks.entries, 'Task').map(parseReferralTask)));
  const youths = new Map(
    keep(partition(ofType(tasks.entries, 'Patient').map(parsePatient))).map((y) => [y.id, y]),
  );
  const taskPatient = new Map(ofType(tasks.entries, 'Task').map((t) => [t.id ?? '', subjectOf(t)]));
  const patientIds = [...new Set([...taskPatient.values()].filter((id): id is string => !!id))];

  const category = encodeURIComponent(
    `${CodeSystems.contactCategory}|caregiver-contact,${CodeSystems.contactCategory}|collateral-contact`,
  );
  const urls: string[] = [];
  for (let i = 0; i < patientIds.length; i += CHUNK) {
    const subjects = patientIds
      .slice(i, i + CHUNK)
      .map((id) => `Patient/${encodeURIComponent(id)}`)
      .join(',');
    urls.push(`Communication?subject=${subjects}&category=${category}&_count=1000`);
    urls.push(`CarePlan?subject=${subjects}&_include=CarePlan:goal&_count=500`);
    urls.push(
      `DocumentReference?subject=${subjects}&type=${encodeURIComponent('http://loinc.org|18842-5')}&_count=500`,
    );
  }
  const entries: BundleEntry[] = [];
  if (urls.length) {
    let bundles: Bundle[];
    if (caps.batch) {
      const batch: Bundle = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: urls.map((url) => ({ request: { method: 'GET', url } })),
      };
      const response = await fhirRequest<Bundle>(transport, '', { method: 'POST', body: batch, signal });
      requests += 1;
      bundles = (response.body.entry ?? []).map((e, i) => {
        if (e.resource?.resourceType !== 'Bundle') {
          throw new FhirError(Number.parseInt(e.response?.status ?? '500', 10) || 500, {
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'error',
                code: 'processing',
                details: { text: `Could not load ${urls[i].split('?')[0]} for the caseload` },
              },
            ],
          });
        }
        return e.resource as Bundle;
      });
    } else {
      bundles = await Promise.all(
        urls.map(async (url) => (await fhirRequest<Bundle>(transport, url, { signal })).body),
      );
      requests += urls.length;
    }
    const pages = await Promise.all(bundles.map((b) => collectPages(transport, b, signal)));
    for (const p of pages) {
      entries.push(...p.entries);
      requests += p.pages - 1;
      truncated ||= p.truncated;
    }
  }

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
  const contacts = byPatient(ofType(entries, 'Communication'), parseContact);
  const plans = byPatient(ofType(entries, 'CarePlan'), (r) => parseCarePlan(r, goals, new Map()));
  const docs = byPatient(ofType(entries, 'DocumentReference'), parseDischargePlan);

  const families: CaseloadFamily[] = [];
  for (const referral of referrals) {
    const pid = taskPatient.get(referral.id);
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
      contacts: contacts.get(pid) ?? [],
      plans: plans.get(pid) ?? [],
      dischargePlans: docs.get(pid) ?? [],
    });
  }
  return { families, problems, truncated, requests };
}
