/**
 * Runtime configuration (`/config.json`), parsed at the boundary: one entry per EHR the app may
 * launch from, matched on `iss`. Deploying to a new EHR is a config change, never a rebuild.
 */
import { z } from '../schema/z';
import type { CalendarConfig, Weekday } from '../domain/calendar';
import type { RoleMapping } from '../domain/permissions';
import { isRecordKind, notARecordKind } from '../domain/recordKinds';
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
  // A supervisor records a self-referral (Task, ServiceRequest, admission QuestionnaireResponse) and the
  // assigned Family Partner the continuing-stay review (a QuestionnaireResponse) from the caseload too.
  'user/ServiceRequest.crus',
  'user/QuestionnaireResponse.crs',
  'user/Task.crus',
  'user/Communication.crus',
  'user/DocumentReference.crus',
  'user/Provenance.crs',
  'user/Consent.crs',
  'user/AdverseEvent.crs',
  'user/Practitioner.rus',
  'user/PractitionerRole.rs',
  // The measures job's stored figures and claim lines (issue 40), read by who oversees the program.
  'user/MeasureReport.rs',
  'user/Claim.rs',
];

const role = (code: string) => `${CodeSystems.careTeamRole}|${code}`;

/** Our care-team role codes; an EHR with its own PractitionerRole codes maps them in config.json `roles`. */
export const DEFAULT_ROLE_MAPPING: RoleMapping = {
  'family-partner': [role('family-partner')],
  'senior-family-partner': [role('senior-family-partner')],
  'fst-supervisor': [role('fst-supervisor')],
  'program-manager': [role('fst-program-manager')],
  'care-coordinator': [role('icc-care-coordinator')],
  clinician: [role('outpatient-clinician'), role('iht-clinician')],
};

const roleMappingSchema = z.pipe(
  z.partial(
    z.object({
      'family-partner': z.array(z.string().check(z.minLength(1))),
      'senior-family-partner': z.array(z.string().check(z.minLength(1))),
      'fst-supervisor': z.array(z.string().check(z.minLength(1))),
      'program-manager': z.array(z.string().check(z.minLength(1))),
      'care-coordinator': z.array(z.string().check(z.minLength(1))),
      clinician: z.array(z.string().check(z.minLength(1))),
    }),
  ),
  z.transform((m): RoleMapping => ({ ...DEFAULT_ROLE_MAPPING, ...m })),
);

const telSchema = z.string().check(z.regex(/^\+?[0-9 ()-]{3,20}$/, 'is not a telephone number'));
const crisisSchema = z.object({
  steps: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  numbers: z
    .array(
      z.object({
        label: z.string().check(z.minLength(1)),
        tel: telSchema,
        when: z.optional(z.string()),
        /**
         * The line's name and hours as a Spanish-speaking caregiver reads them on the discharge plan (seed 000
         * discharge 5: in the caregiver's language); without it the English name is printed.
         */
        es: z.optional(z.object({ label: z.optional(z.string()), when: z.optional(z.string()) })),
        /** Languages the line answers in (BCP-47 primary codes): the plan says when a line speaks Spanish. */
        languages: z.optional(z.array(z.string().check(z.minLength(2)))),
      }),
    )
    .check(z.minLength(1)),
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

/**
 * The scopes asked of a record store at the token exchange: user-level, on the FST records only (the store's
 * own policy decides which youths' records a user reaches; the write guard decides what they may change).
 */
export const DEFAULT_STORE_SCOPES = [
  'user/Task.crus',
  'user/ServiceRequest.crus',
  'user/QuestionnaireResponse.crus',
  'user/Communication.crus',
  'user/Encounter.crus',
  'user/CarePlan.crus',
  'user/Goal.crus',
  'user/DocumentReference.crus',
  'user/Provenance.crs',
  'user/Consent.crs',
  'user/AdverseEvent.crus',
  'user/Practitioner.rus',
  'user/PractitionerRole.rs',
  'user/Organization.rs',
];

/**
 * The agency's own FHIR store for the FST records an EHR does not accept (docs/deploy.md, "An EHR that
 * accepts only the discharge plan"). The user reaches it with the EHR's sign-in: the EHR's id_token is
 * exchanged (RFC 8693) at the store's token endpoint.
 */
const recordStoreSchema = z.object({
  /** Shown on the launch screen and in the user's badge: where the FST records are kept. */
  name: z._default(z.string().check(z.minLength(1)), "The agency's FST record store"),
  fhirBase: z.url(),
  tokenEndpoint: z.url(),
  /** Only token exchange is built; a store without it needs a second sign-in, which the app does not offer yet. */
  signIn: z._default(z.literal('token-exchange'), 'token-exchange'),
  scopes: z._default(z.array(z.string().check(z.minLength(1))), DEFAULT_STORE_SCOPES),
  /**
   * Record kinds kept in the store even where the EHR accepts them (an agency that keeps its FST records
   * together). The discharge plan is always written to the EHR.
   */
  inStore: z._default(
    z.array(
      z.string().check(z.refine(isRecordKind, { error: (issue) => notARecordKind(String(issue.input)) })),
    ),
    [],
  ),
});

export type RecordStoreConfig = z.infer<typeof recordStoreSchema>;

/**
 * An H2014 payer's billing profile (issue 40, src/domain/claims.ts): its unit rule, modifiers, caps and prior
 * authorisations. The measures job builds each month's claim lines with it.
 */
const modifierSchema = z.string().check(z.regex(/^[A-Z0-9]{2}$/, 'is not a two-character HCPCS modifier'));
const payerSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9-]+$/)),
  name: z.string().check(z.minLength(1)),
  default: z.optional(z.boolean()),
  unitRule: z.enum(['whole-units-only', 'any-part', 'eight-minute']),
  modifiers: z._default(
    z.object({
      youthPresent: z.optional(modifierSchema),
      youthAbsent: z.optional(modifierSchema),
      always: z.optional(z.array(modifierSchema)),
    }),
    {},
  ),
  caps: z._default(
    z.object({
      unitsPerDay: z.optional(z.int().check(z.gte(1))),
      unitsPerMonth: z.optional(z.int().check(z.gte(1))),
    }),
    {},
  ),
  priorAuthorization: z._default(
    z.object({
      required: z.boolean(),
      authorizations: z._default(
        z.array(
          z.object({
            number: z.string().check(z.minLength(1)),
            patientId: z.string().check(z.minLength(1)),
            from: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
            to: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
            units: z.int().check(z.gte(0)),
            usedBefore: z.optional(z.int().check(z.gte(0))),
          }),
        ),
        [],
      ),
    }),
    { required: false, authorizations: [] },
  ),
});
export type PayerConfig = z.infer<typeof payerSchema>;

const ehrSchema = z.object({
  name: z.string().check(z.minLength(1)),
  /** The FHIR base URL(s) this entry accepts as `iss`, exactly. */
  iss: z.pipe(
    z.union([z.url(), z.array(z.url()).check(z.minLength(1))]),
    z.transform((v) => (Array.isArray(v) ? v : [v])),
  ),
  clientId: z.string().check(z.minLength(1)),
  scopes: z._default(z.array(z.string().check(z.minLength(1))), DEFAULT_SCOPES),
  caseloadScopes: z._default(z.array(z.string().check(z.minLength(1))), DEFAULT_CASELOAD_SCOPES),
  redirectUri: z.optional(z.string()),
  timeZone: z._default(z.string(), 'America/New_York').check(
    z.refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'is not a known IANA time zone'),
  ),
  holidayCalendar: z._default(z.enum(['US-MA', 'none']), 'US-MA'),
  /** Provider closure days (YYYY-MM-DD) on top of the holiday calendar. */
  extraHolidays: z._default(z.array(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))), []),
  /** 0 = Sunday … 6 = Saturday. */
  weekStartsOn: z._default(z.int().check(z.gte(0)).check(z.lte(6)), 0),
  providerOrganization: z.optional(z.string()),
  /** The FST providers a clinician can refer to (the "FST provider" choice). */
  fstProviders: z._default(
    z.array(
      z.object({
        reference: z.string().check(z.regex(/^Organization\/[A-Za-z0-9\-.]+$/)),
        name: z.string().check(z.minLength(1)),
      }),
    ),
    [],
  ),
  /** Families one Family Partner carries at most, for matching (until PractitionerRole says otherwise). */
  familyPartnerCapacity: z._default(z.int().check(z.gte(1)).check(z.lte(100)), 12),
  /** The agency's crisis protocol (seed 000 process 12): shown from memory, never fetched when needed. */
  crisis: z._default(crisisSchema, DEFAULT_CRISIS),
  /**
   * The agency's telehealth platform (seed 000 service component 6), recorded on each video contact so an
   * auditor sees how the session was held.
   */
  telehealthPlatform: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(80))),
  /**
   * The agency's own outcome instruments (seed 000 quality 2), as FHIR Questionnaires. Only their url is checked
   * here; the items are read when the outcomes card needs them (src/fhir/mappers/instrument.ts).
   */
  instruments: z._default(
    z.array(z.looseObject({ resourceType: z.literal('Questionnaire'), url: z.url() })),
    [],
  ),
  /**
   * The agency's own cap on a service plan's hours per week / month, if it keeps one. Off by default: "the Family
   * Partner determines the appropriate number of hours" (seed 000 process 2–3).
   */
  servicePlanHoursCap: z.optional(
    z.object({
      week: z.optional(z.int().check(z.gte(1)).check(z.lte(168))),
      month: z.optional(z.int().check(z.gte(1)).check(z.lte(744))),
    }),
  ),
  /** Days between continuing-stay reviews (Arkansas CP.BH.AR.1600 §IV). */
  continuingStayReviewDays: z._default(z.int().check(z.gte(7)).check(z.lte(365)), 90),
  features: z._default(z.record(z.string(), z.boolean()), {}),
  /** PractitionerRole codes per FST role (`system|code` or a bare code); unlisted roles keep our codes. */
  roles: z._default(roleMappingSchema, DEFAULT_ROLE_MAPPING),
  /** Time limit of one FHIR request, in milliseconds. */
  requestTimeoutMs: z._default(z.int().check(z.gte(1000)).check(z.lte(300_000)), 30_000),
  /** Hours a workspace read stays readable offline on the device, encrypted (issue 38; 0 = never kept). */
  offlineHours: z._default(z.number().check(z.gte(0)).check(z.lte(72)), 12),
  /** Origins the browser must reach besides the FHIR base (e.g. an authorization server elsewhere). */
  connectOrigins: z._default(z.array(z.url()), []),
  /**
   * The attachment types the EHR accepts in a DocumentReference (issue 36). US Core guarantees only
   * `application/pdf`, the default; the plan's structured copy (a correction starts from it,
   * `application/vnd.fst-companion.discharge-plan+json`) is attached only where listed here.
   */
  chartAttachments: z._default(z.array(z.string().check(z.minLength(1))), ['application/pdf']),
  /** Where FST records go that this EHR does not accept (absent: every FST record is written to the EHR). */
  recordStore: z.optional(recordStoreSchema),
  /** H2014 payers (claim lines, the measures job): empty means no claim lines are built. */
  payers: z._default(z.array(payerSchema), []),
  /** Stored reports older than this are not shown: the caseload computes live instead (minutes). */
  storedReportsMaxAgeMinutes: z._default(z.int().check(z.gte(1)), 24 * 60),
});

export const appConfigSchema = z.object({
  ehrs: z.array(ehrSchema).check(z.minLength(1, 'config.json lists no EHR')),
  /** Who may frame the app (CSP frame-ancestors): the EHRs that embed it. */
  embedding: z._default(
    z.object({ frameAncestors: z._default(z.array(z.string().check(z.minLength(1))), ["'self'"]) }),
    { frameAncestors: ["'self'"] },
  ),
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
