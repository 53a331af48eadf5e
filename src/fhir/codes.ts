/**
 * Code systems, identifier systems and canonical URLs the app writes and reads.
 * One place: the profiles (fhir-profiles/), the sandbox data and the mappers all use these.
 */

export const FST_CANONICAL = 'https://fst-companion.example.org/fhir';

export const CodeSystems = {
  hcpcs: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  participationMode: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode',
  /** CMS Place of Service Code Set (FHIR R4 service-place): where a contact took place, for H2014 claims. */
  placeOfService: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  taskCode: 'http://hl7.org/fhir/CodeSystem/task-code',
  carePlanCategory: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category',
  languages: 'urn:ietf:bcp:47',
  contactCategory: `${FST_CANONICAL}/CodeSystem/fst-contact-category`,
  /** What a caregiver asks for in a Family Partner, and the lived experience a Family Partner brings. */
  matchPreference: `${FST_CANONICAL}/CodeSystem/fst-match-preference`,
  contactPurpose: `${FST_CANONICAL}/CodeSystem/fst-contact-purpose`,
  referralStatus: `${FST_CANONICAL}/CodeSystem/fst-referral-status`,
  /** What a Task asks of a job (`measures-run`: a fresh run of the measures job) and a Claim's month tag. */
  jobRequest: `${FST_CANONICAL}/CodeSystem/fst-job-request`,
  claimMonth: `${FST_CANONICAL}/CodeSystem/fst-claim-month`,
  waitlistReason: `${FST_CANONICAL}/CodeSystem/fst-waitlist-reason`,
  dischargeReason: `${FST_CANONICAL}/CodeSystem/fst-discharge-reason`,
  planType: `${FST_CANONICAL}/CodeSystem/fst-plan-type`,
  careTeamRole: `${FST_CANONICAL}/CodeSystem/fst-care-team-role`,
  attemptReason: `${FST_CANONICAL}/CodeSystem/fst-attempt-reason`,
  meetingSetting: `${FST_CANONICAL}/CodeSystem/fst-meeting-setting`,
  meetingKind: `${FST_CANONICAL}/CodeSystem/fst-meeting-kind`,
  incidentCategory: `${FST_CANONICAL}/CodeSystem/fst-incident-category`,
  fstTaskCode: `${FST_CANONICAL}/CodeSystem/fst-task-code`,
  notifiedParty: `${FST_CANONICAL}/CodeSystem/fst-notified-party`,
  staffQualification: `${FST_CANONICAL}/CodeSystem/fst-staff-qualification`,
  supervisionKind: `${FST_CANONICAL}/CodeSystem/fst-supervision-kind`,
  agreement: `${FST_CANONICAL}/CodeSystem/fst-agreement`,
  outcomeTimepoint: `${FST_CANONICAL}/CodeSystem/fst-outcome-timepoint`,
  adverseEventSeriousness: 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness',
} as const;

export const IdentifierSystems = {
  /** Client-generated identifier on every resource the app creates: makes retried saves idempotent. */
  clientRequest: `${FST_CANONICAL}/identifier/client-request`,
  medicaidId: `${FST_CANONICAL}/identifier/member-id`,
  /** What the measures job writes, one value per episode / month / payer: a re-run updates, never duplicates. */
  measuresJob: `${FST_CANONICAL}/identifier/measures-job`,
} as const;

/** The search that finds what an earlier try of the same save created (`If-None-Exist`, conditional create). */
export function clientRequestQuery(requestId: string): string {
  return `identifier=${encodeURIComponent(`${IdentifierSystems.clientRequest}|${requestId}`)}`;
}

/**
 * Tags the app puts in meta.tag. An agency's own outcome instrument has a Questionnaire the app does not know in
 * advance: its responses carry this tag, so the guard and the record router treat them as outcome measures.
 */
export const Tags = {
  outcomeMeasure: { system: `${FST_CANONICAL}/CodeSystem/fst-record-tag`, code: 'outcome-measure' },
} as const;

export const Extensions = {
  pertainsToGoal: 'http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal',
  contactDuration: `${FST_CANONICAL}/StructureDefinition/fst-contact-duration`,
  telehealthRequested: `${FST_CANONICAL}/StructureDefinition/fst-telehealth-requested-by-family`,
  telehealthPlatform: `${FST_CANONICAL}/StructureDefinition/fst-telehealth-platform`,
  placeOfService: `${FST_CANONICAL}/StructureDefinition/fst-place-of-service`,
  /** When the server first stored an FST contact (stamped by the server, sandbox/fhir/recordedAt.ts). */
  recordedAt: `${FST_CANONICAL}/StructureDefinition/fst-recorded-at`,
  onCallHours: `${FST_CANONICAL}/StructureDefinition/fst-on-call-hours`,
  matchOverride: `${FST_CANONICAL}/StructureDefinition/fst-match-override`,
  statusHistory: `${FST_CANONICAL}/StructureDefinition/fst-status-history`,
  goalTarget: `${FST_CANONICAL}/StructureDefinition/fst-goal-target`,
  plannedHours: `${FST_CANONICAL}/StructureDefinition/fst-planned-hours`,
  meetingSetting: `${FST_CANONICAL}/StructureDefinition/fst-meeting-setting`,
  goalUpdate: `${FST_CANONICAL}/StructureDefinition/fst-goal-update`,
  meetingDecisions: `${FST_CANONICAL}/StructureDefinition/fst-meeting-decisions`,
  nextMeeting: `${FST_CANONICAL}/StructureDefinition/fst-next-meeting`,
  youthAttended: `${FST_CANONICAL}/StructureDefinition/fst-youth-attended`,
  incidentWhatHappened: `${FST_CANONICAL}/StructureDefinition/fst-incident-what-happened`,
  incidentActions: `${FST_CANONICAL}/StructureDefinition/fst-incident-immediate-actions`,
  incidentNotification: `${FST_CANONICAL}/StructureDefinition/fst-incident-notification`,
} as const;

export const H2014 = {
  system: CodeSystems.hcpcs,
  code: 'H2014',
  display: 'Skills training and development, per 15 minutes',
};

/** Our questionnaires: the checklist a referral answers (seed 004 §III), readable by an auditor later. */
export const Questionnaires = {
  admissionCriteria: `${FST_CANONICAL}/Questionnaire/fst-admission-criteria`,
  continuingStay: `${FST_CANONICAL}/Questionnaire/fst-continuing-stay`,
  caregiverSatisfaction: `${FST_CANONICAL}/Questionnaire/fst-caregiver-satisfaction`,
  goalAttainment: `${FST_CANONICAL}/Questionnaire/fst-goal-attainment`,
} as const;

/** Our profiles (fhir-profiles/): every resource the app writes names one in meta.profile. */
export const Profiles = {
  referralServiceRequest: `${FST_CANONICAL}/StructureDefinition/fst-referral-servicerequest`,
  referralTask: `${FST_CANONICAL}/StructureDefinition/fst-referral-task`,
  caregiverContact: `${FST_CANONICAL}/StructureDefinition/fst-caregiver-contact`,
  collateralContact: `${FST_CANONICAL}/StructureDefinition/fst-collateral-contact`,
  dischargePlan: `${FST_CANONICAL}/StructureDefinition/fst-discharge-plan`,
  /** US Core 6.1.0 DocumentReference: the chart copy of the plan conforms (fhir-profiles, transcribed). */
  usCoreDocumentReference: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference',
  caregiverSignature: `${FST_CANONICAL}/StructureDefinition/fst-caregiver-signature`,
  servicePlan: `${FST_CANONICAL}/StructureDefinition/fst-service-plan`,
  teamMeeting: `${FST_CANONICAL}/StructureDefinition/fst-team-meeting`,
  incidentReport: `${FST_CANONICAL}/StructureDefinition/fst-incident-report`,
  incidentReview: `${FST_CANONICAL}/StructureDefinition/fst-incident-review`,
  supervisionSession: `${FST_CANONICAL}/StructureDefinition/fst-supervision-session`,
} as const;
