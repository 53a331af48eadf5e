/**
 * Runtime configuration (`/config.json`), parsed at the boundary: one entry per EHR the app may
 * launch from, matched on `iss`. Deploying to a new EHR is a config change, never a rebuild.
 */
import { z } from 'zod';
import type { CalendarConfig, Weekday } from '../domain/calendar';
import type { RoleMapping } from '../domain/permissions';
// With its extension: vite.config.ts loads this file through Node.
import { CodeSystems } from '../fhir/codes.ts';

export const DEFAULT_SCOPES = [
  'openid',
  'fhirUser',
  'online_access',
  'patient/Patient.rs',
  'patient/RelatedPerson.rs',
  'patient/CarePlan.crus',
  'patient/CareTeam.rs',
  'patient/Goal.rs',
  'patient/Encounter.crs',
  'patient/ServiceRequest.crus',
  'patient/QuestionnaireResponse.crs',
  'patient/Task.crus',
  'patient/Communication.crus',
  'patient/DocumentReference.crus',
  'patient/Provenance.crs',
  'patient/Consent.crs',
  'patient/AdverseEvent.crs',
  'user/Practitioner.rs',
  'user/PractitionerRole.rs',
];

/**
 * A caseload launch (a Family Partner or supervisor, no patient): user-level scopes, bounded by what the
 * EHR lets this user see. A caseload row opens that youth's workspace with the same session, so these
 * cover the workspace's reads and the Family Partner's writes for any youth the user may access.
 */
export const DEFAULT_CASELOAD_SCOPES = [
  'openid',
  'fhirUser',
  'online_access',
  'user/Patient.rs',
  'user/RelatedPerson.rs',
  'user/CarePlan.crus',
  'user/CareTeam.rs',
  'user/Goal.rs',
  'user/Encounter.crs',
  'user/ServiceRequest.rus',
  'user/QuestionnaireResponse.rs',
  'user/Task.crus',
  'user/Communication.crus',
  'user/DocumentReference.crus',
  'user/Provenance.crs',
  'user/Consent.crs',
  'user/AdverseEvent.crs',
  'user/Practitioner.rus',
  'user/PractitionerRole.rs',
];

const role = (code: string) => `${CodeSystems.careTeamRole}|${code}`;

/** Our care-team role codes; an EHR with its own PractitionerRole codes maps them in config.json `roles`. */
export const DEFAULT_ROLE_MAPPING: RoleMapping = {
  'family-partner': [role('family-partner')],
  'senior-family-partner': [role('senior-family-partner')],
  'fst-supervisor': [role('fst-supervisor')],
  'care-coordinator': [role('icc-care-coordinator')],
  clinician: [role('outpatient-clinician'), role('iht-clinician')],
};

const roleMappingSchema = z
  .object({
    'family-partner': z.array(z.string().min(1)),
    'senior-family-partner': z.array(z.string().min(1)),
    'fst-supervisor': z.array(z.string().min(1)),
    'care-coordinator': z.array(z.string().min(1)),
    clinician: z.array(z.string().min(1)),
  })
  .partial()
  .transform((m): RoleMapping => ({ ...DEFAULT_ROLE_MAPPING, ...m }));

const telSchema = z.string().regex(/^\+?[0-9 ()-]{3,20}$/, 'is not a telephone number');
const crisisSchema = z.object({
  steps: z.array(z.string().min(1)).min(1),
  numbers: z
    .array(z.object({ label: z.string().min(1), tel: telSchema, when: z.string().optional() }))
    .min(1),
});

/** Until an agency configures its own: the national line, and the steps every protocol shares. */
const DEFAULT_CRISIS: z.infer<typeof crisisSchema> = {
  steps: [
    'If anyone is in immediate danger, call 911.',
    "Stay with the caregiver and youth if it is safe; follow the youth's safety plan.",
    'Call the on-call licensed clinician; after hours and at weekends use the on-call number.',
    'Log the crisis contact afterwards, with purpose "Crisis".',
  ],
  numbers: [{ label: '988 Suicide & Crisis Lifeline', tel: '988' }],
};

const ehrSchema = z.object({
  name: z.string().min(1),
  /** The FHIR base URL(s) this entry accepts as `iss`, exactly. */
  iss: z.union([z.url(), z.array(z.url()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
  clientId: z.string().min(1),
  scopes: z.array(z.string().min(1)).default(DEFAULT_SCOPES),
  caseloadScopes: z.array(z.string().min(1)).default(DEFAULT_CASELOAD_SCOPES),
  redirectUri: z.string().optional(),
  timeZone: z
    .string()
    .default('America/New_York')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'is not a known IANA time zone'),
  holidayCalendar: z.enum(['US-MA', 'none']).default('US-MA'),
  /** Provider closure days (YYYY-MM-DD) on top of the holiday calendar. */
  extraHolidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  /** 0 = Sunday … 6 = Saturday. */
  weekStartsOn: z.number().int().min(0).max(6).default(0),
  providerOrganization: z.string().optional(),
  /** The FST providers a clinician can refer to (the "FST provider" choice). */
  fstProviders: z
    .array(
      z.object({ reference: z.string().regex(/^Organization\/[A-Za-z0-9\-.]+$/), name: z.string().min(1) }),
    )
    .default([]),
  /** Families one Family Partner carries at most, for matching (until PractitionerRole says otherwise). */
  familyPartnerCapacity: z.number().int().min(1).max(100).default(12),
  /** The agency's crisis protocol (seed 000 process 12): shown from memory, never fetched when needed. */
  crisis: crisisSchema.default(DEFAULT_CRISIS),
  /** Days between continuing-stay reviews (Arkansas CP.BH.AR.1600 §IV). */
  continuingStayReviewDays: z.number().int().min(7).max(365).default(90),
  features: z.record(z.string(), z.boolean()).default({}),
  /** PractitionerRole codes per FST role (`system|code` or a bare code); unlisted roles keep our codes. */
  roles: roleMappingSchema.default(DEFAULT_ROLE_MAPPING),
  /** Time limit of one FHIR request, in milliseconds. */
  requestTimeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
  /** Origins the browser must reach besides the FHIR base (e.g. an authorization server elsewhere). */
  connectOrigins: z.array(z.url()).default([]),
});

export const appConfigSchema = z.object({
  ehrs: z.array(ehrSchema).min(1, 'config.json lists no EHR'),
  /** Who may frame the app (CSP frame-ancestors): the EHRs that embed it. */
  embedding: z
    .object({ frameAncestors: z.array(z.string().min(1)).default(["'self'"]) })
    .default({ frameAncestors: ["'self'"] }),
});

export type EhrConfig = z.infer<typeof ehrSchema>;
export type AppConfig = z.infer<typeof appConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Normalises a FHIR base for comparison: no trailing slash. */
function normaliseBase(url: string): string {
  return url.replace(/\/+$/, '');
}

export function findEhr(config: AppConfig, iss: string): EhrConfig | undefined {
  const wanted = normaliseBase(iss);
  return config.ehrs.find((e) => e.iss.some((i) => normaliseBase(i) === wanted));
}

export function parseConfig(json: unknown): AppConfig {
  const result = appConfigSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ConfigError(`config.json is invalid at ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return result.data;
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  let response: Response;
  try {
    // From the app's base path, not the current route (a reload on /patients/…/history).
    response = await fetchImpl(new URL(`${import.meta.env.BASE_URL}config.json`, document.baseURI), {
      cache: 'no-store',
    });
  } catch {
    throw new ConfigError('config.json could not be loaded (network error)');
  }
  if (!response.ok) throw new ConfigError(`config.json could not be loaded (HTTP ${response.status})`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ConfigError('config.json is not valid JSON');
  }
  return parseConfig(json);
}

/** The provider calendar the compliance clocks use for this EHR. */
export function calendarFor(ehr: EhrConfig): CalendarConfig {
  return {
    timeZone: ehr.timeZone,
    weekStartsOn: ehr.weekStartsOn as Weekday,
    holidayCalendar: ehr.holidayCalendar,
    extraHolidays: ehr.extraHolidays,
  };
}

/** The FST providers to refer to: as configured, or the provider organisation alone. */
export function fstProvidersOf(ehr: EhrConfig): { reference: string; name: string }[] {
  if (ehr.fstProviders.length) return ehr.fstProviders;
  return ehr.providerOrganization ? [{ reference: ehr.providerOrganization, name: 'FST provider' }] : [];
}
