/**
 * The scope tables of docs/ehr-registration.md, generated from the scopes the app asks for (config.ts), so a site
 * that registers the table grants what every launch asks (issue 36: the table had lost
 * `patient/QuestionnaireResponse.crs`). `scripts/scope-doc.mts` writes them; scopeDoc.test.ts keeps them equal.
 */
import { DEFAULT_CASELOAD_SCOPES, DEFAULT_SCOPES, DEFAULT_STORE_SCOPES } from './config';

/** Why the app reads or writes each resource type: one sentence a site's reviewer can check. */
export const SCOPE_WHY: Readonly<Record<string, string>> = {
  Patient: 'the youth’s name, date of birth, language',
  RelatedPerson: 'the parents / caregivers FST serves',
  CarePlan: 'the ICP or treatment plan; the FST service plan (create, revise)',
  CareTeam: 'the treaters to contact and to send the discharge plan to',
  Goal: 'the goals of the plan FST works toward',
  Encounter: 'recent visits; the Care Planning Team and other meetings FST logs; supervision sessions',
  ServiceRequest:
    'the FST (H2014) referral order: read, create when a clinician refers, revoke or complete it',
  QuestionnaireResponse:
    'the admission checklist, continuing-stay reviews, goal ratings, the caregiver survey and the agency’s instruments',
  Task: 'referral tracking: status, waitlist, assignment, discharge; incident reviews',
  Communication:
    'every contact as a progress note: create, correct (amend, entered-in-error); plan deliveries',
  DocumentReference:
    'the discharge plan (its PDF inline), written back to the chart; a corrected plan supersedes',
  Provenance:
    'the audit trail (who amended or withdrew a record, and why) and the discharge plan’s signatures',
  Consent: 'the caregiver’s consent to share: found on the server, or recorded',
  AdverseEvent: 'adverse-incident reports (with a review Task for the FST supervisor)',
  Practitioner: 'names and roles of staff; with `u`, their training and credentials (supervisors)',
  PractitionerRole: 'the user’s FST role, and which senders are FST staff (only their contacts count)',
  Organization: 'the FST provider organisation a referral is sent to',
  MeasureReport:
    'the measures job’s stored caseload rows and quality summaries (supervisors, program managers)',
  Claim: 'the H2014 claim lines the measures job built, for the preview (supervisors, program managers)',
};

const OPENID: readonly [string, string][] = [
  ['`launch` (EHR launch) / `launch/patient` (standalone)', 'the youth the app is opened for'],
  ['`openid fhirUser`', 'who is signed in: the Family Partner, supervisor, care coordinator or clinician'],
  ['`online_access`', 'refresh the access token while the user is working (no offline access is requested)'],
];

const typeOf = (scope: string) => /^(?:patient|user|system)\/([A-Za-z*]+)\./.exec(scope)?.[1];

function table(head: string, rows: readonly (readonly [string, string])[]): string[] {
  return [`| ${head} | why |`, '| --- | --- |', ...rows.map(([scope, why]) => `| ${scope} | ${why} |`)];
}

const clinical = (scopes: readonly string[]) =>
  scopes
    .filter((s) => typeOf(s))
    .map((s): [string, string] => [`\`${s}\``, SCOPE_WHY[typeOf(s) ?? ''] ?? '(no reason recorded)']);

/** Scopes without a reason in SCOPE_WHY (a test keeps this empty). */
export function unexplainedScopes(): string[] {
  return [...DEFAULT_SCOPES, ...DEFAULT_CASELOAD_SCOPES, ...DEFAULT_STORE_SCOPES].filter(
    (s) => typeOf(s) && !SCOPE_WHY[typeOf(s) ?? ''],
  );
}

export const SCOPES_START = '<!-- scopes: generated from src/config/config.ts by scripts/scope-doc.mts -->';
export const SCOPES_END = '<!-- /scopes -->';

/** The generated part of docs/ehr-registration.md, between its markers. */
export function renderScopeTables(): string {
  return [
    SCOPES_START,
    '',
    '**EHR launch** (`scopes`, from the youth’s chart):',
    '',
    ...table('scope', [...OPENID, ...clinical(DEFAULT_SCOPES)]),
    '',
    '**Caseload launch** (`caseloadScopes`: a Family Partner, supervisor or program manager, no patient):',
    '',
    ...table('scope', clinical(DEFAULT_CASELOAD_SCOPES)),
    '',
    '**The record store** (`recordStore.scopes`, asked at the store’s token exchange; the store grants each only',
    'where the EHR sign-in covers its type, patient-level when the EHR grant was: [deploy.md](deploy.md)):',
    '',
    ...table('scope', clinical(DEFAULT_STORE_SCOPES)),
    '',
    SCOPES_END,
  ].join('\n');
}

/** `doc` with its generated part replaced by the current tables. */
export function withScopeTables(doc: string): string {
  const start = doc.indexOf(SCOPES_START);
  const end = doc.indexOf(SCOPES_END);
  if (start < 0 || end < start) throw new Error('docs/ehr-registration.md has no scope markers');
  return doc.slice(0, start) + renderScopeTables() + doc.slice(end + SCOPES_END.length);
}
