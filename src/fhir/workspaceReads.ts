/**
 * What the workspace reads: each part's searches (one or more URLs) and the resource type its cache key
 * names. Apart from the parsers (workspace.ts): what is asked of the server in one place, how the answer
 * is read in another, and the cache keys every write invalidates (invalidation.ts) need only this file.
 */
import type { RoleMapping, StaffRole } from '../domain/permissions';
import type { BatchOutcome, BatchUrl } from './batch';
import { onePage, readBatch } from './batch';
import { supportsInclude } from './capabilities';
import type { ServerCapabilities } from './capabilities';
import { CodeSystems, Questionnaires } from './codes';
import type { FhirTransport } from './http';
import { USER_PART_TYPE } from './queryKeys';

export interface WorkspaceContext {
  patientId: string;
  user?: { resourceType: string; id: string };
  roleMapping: RoleMapping;
  caps: ServerCapabilities;
  /** The agency's own instruments (config.json `instruments`): their responses ride in the same batch. */
  instruments?: readonly { url: string; version?: unknown }[];
}

/** The `role` search tokens for the FST roles of the mapping (bare codes search any system). */
function fstRoleTokens(mapping: RoleMapping): string {
  const fst: StaffRole[] = ['family-partner', 'senior-family-partner', 'fst-supervisor', 'program-manager'];
  return fst
    .flatMap((r) => mapping[r])
    .map(encodeURIComponent)
    .join(',');
}

const pid = (ctx: WorkspaceContext) => encodeURIComponent(ctx.patientId);

function includesPlanParts(caps: ServerCapabilities): boolean {
  return supportsInclude(caps, 'CarePlan', 'goal') && supportsInclude(caps, 'CarePlan', 'care-team');
}

const CONTACT_CATEGORIES = encodeURIComponent(
  `${CodeSystems.contactCategory}|caregiver-contact,${CodeSystems.contactCategory}|collateral-contact`,
);

/**
 * The workspace reads a youth's latest contacts and their first ones: together, every contact of a normal
 * family, and for a years-long history the current weeks and the episode's opening (the 5- and 14-day
 * clocks) in the same round trip. The history screen reads the rest on demand (`loadContactHistory`).
 */
export const LATEST_CONTACTS = 300;
export const FIRST_CONTACTS = 25;

// Only FST contacts (other Communications in the chart are not ours to read), with their audit trail.
export const contactSearch = (ctx: WorkspaceContext, sort: 'sent' | '-sent', count: number) =>
  `Communication?subject=Patient/${pid(ctx)}&category=${CONTACT_CATEGORIES}&_revinclude=Provenance:target&_sort=${sort}&_count=${count}`;

const DELIVERY_CATEGORY = encodeURIComponent(`${CodeSystems.contactCategory}|discharge-plan-delivery`);

const INCIDENT_REVIEW = encodeURIComponent(`${CodeSystems.fstTaskCode}|incident-review`);

interface PartRead {
  /** The resource type in the cache key (server → patient → type → part). */
  type: string;
  urls(ctx: WorkspaceContext): BatchUrl[];
}

export const PART_READS = {
  patient: {
    type: 'Patient',
    urls: (ctx) => [`Patient/${pid(ctx)}`],
  },
  caregivers: {
    type: 'RelatedPerson',
    urls: (ctx) => [`RelatedPerson?patient=Patient/${pid(ctx)}&_count=100`],
  },
  plans: {
    type: 'CarePlan',
    urls: (ctx) =>
      includesPlanParts(ctx.caps)
        ? [
            `CarePlan?subject=Patient/${pid(ctx)}&_include=CarePlan:goal&_include=CarePlan:care-team&_include:iterate=CareTeam:participant&_count=100`,
          ]
        : // Without _include, the plan's goals and care team are searched for directly.
          [
            `CarePlan?subject=Patient/${pid(ctx)}&_count=100`,
            `Goal?patient=Patient/${pid(ctx)}&_count=200`,
            `CareTeam?patient=Patient/${pid(ctx)}&_count=20`,
          ],
  },
  encounters: {
    type: 'Encounter',
    urls: (ctx) => [`Encounter?subject=Patient/${pid(ctx)}&_sort=-date&_count=100`],
  },
  referrals: {
    type: 'Task',
    // The focus ServiceRequest comes along: its H2014 code marks an EHR-made FST referral as ours.
    // The admission checklists too: the supervisor decides on the referral's reason, goals and criteria.
    urls: (ctx) => [
      `Task?patient=Patient/${pid(ctx)}&code=fulfill${supportsInclude(ctx.caps, 'Task', 'focus') ? '&_include=Task:focus' : ''}&_count=100`,
      `QuestionnaireResponse?subject=Patient/${pid(ctx)}&questionnaire=${encodeURIComponent(Questionnaires.admissionCriteria)}&_count=50`,
    ],
  },
  contacts: {
    type: 'Communication',
    urls: (ctx) => [
      onePage(contactSearch(ctx, '-sent', LATEST_CONTACTS)),
      onePage(contactSearch(ctx, 'sent', FIRST_CONTACTS)),
    ],
  },
  dischargePlans: {
    type: 'DocumentReference',
    urls: (ctx) => [
      `DocumentReference?subject=Patient/${pid(ctx)}&type=${encodeURIComponent('http://loinc.org|18842-5')}&_count=50`,
      `Communication?subject=Patient/${pid(ctx)}&category=${DELIVERY_CATEGORY}&_count=100`,
      `Consent?patient=Patient/${pid(ctx)}&status=active&_count=50`,
    ],
  },
  reviews: {
    type: 'QuestionnaireResponse',
    urls: (ctx) => [
      `QuestionnaireResponse?subject=Patient/${pid(ctx)}&questionnaire=${encodeURIComponent(Questionnaires.continuingStay)}&_count=100`,
    ],
  },
  // Seed 000 quality 2–3: goal attainment and the caregiver satisfaction survey.
  outcomes: {
    type: 'QuestionnaireResponse',
    urls: (ctx) => [
      `QuestionnaireResponse?subject=Patient/${pid(ctx)}&questionnaire=${encodeURIComponent(`${Questionnaires.caregiverSatisfaction},${Questionnaires.goalAttainment}`)}&_count=200`,
    ],
  },
  agencyOutcomes: {
    type: 'QuestionnaireResponse',
    // Responses name the Questionnaire with its version (url|version); a server may match canonicals exactly.
    urls: (ctx) => {
      const searched = (ctx.instruments ?? []).flatMap((q) =>
        typeof q.version === 'string' ? [q.url, `${q.url}|${q.version}`] : [q.url],
      );
      return searched.length
        ? [
            `QuestionnaireResponse?subject=Patient/${pid(ctx)}&questionnaire=${encodeURIComponent(searched.join(','))}&_count=200`,
          ]
        : [];
    },
  },
  incidents: {
    type: 'AdverseEvent',
    urls: (ctx) => [
      `AdverseEvent?subject=Patient/${pid(ctx)}&_count=100`,
      `Task?patient=Patient/${pid(ctx)}&code=${INCIDENT_REVIEW}&_count=100`,
    ],
  },
  user: {
    type: USER_PART_TYPE,
    urls: (ctx) => {
      const user = ctx.user;
      if (user?.resourceType !== 'Practitioner') return [];
      const uid = encodeURIComponent(user.id);
      return [`Practitioner/${uid}`, `PractitionerRole?practitioner=Practitioner/${uid}&_count=20`];
    },
  },
  staff: {
    type: 'PractitionerRole',
    urls: (ctx) => [
      `PractitionerRole?role=${fstRoleTokens(ctx.roleMapping)}${supportsInclude(ctx.caps, 'PractitionerRole', 'practitioner') ? '&_include=PractitionerRole:practitioner' : ''}&_count=500`,
    ],
  },
} satisfies Record<string, PartRead>;

export type PartName = keyof typeof PART_READS;
export const PART_NAMES = Object.keys(PART_READS) as PartName[];

/** Parts that belong to the server and user, not the patient: cached once for every youth opened. */
export const SESSION_PARTS: readonly PartName[] = ['user', 'staff'];

export interface PartsRead {
  /** Each part's outcomes, one per URL, in order. */
  outcomes: Partial<Record<PartName, BatchOutcome[]>>;
  /** HTTP requests made, pages included. */
  requests: number;
}

/** Reads the parts named in one batch round trip (plus pages): the raw outcomes, parsed by workspace.ts. */
export async function readParts(
  transport: FhirTransport,
  ctx: WorkspaceContext,
  names: readonly PartName[],
  signal?: AbortSignal,
): Promise<PartsRead> {
  const urlsByPart = names.map((name) => (PART_READS[name] as PartRead).urls(ctx));
  const read = await readBatch(transport, ctx.caps, urlsByPart.flat(), signal);
  const outcomes: Partial<Record<PartName, BatchOutcome[]>> = {};
  let at = 0;
  names.forEach((name, i) => {
    outcomes[name] = read.outcomes.slice(at, at + urlsByPart[i].length);
    at += urlsByPart[i].length;
  });
  return { outcomes, requests: read.requests };
}
