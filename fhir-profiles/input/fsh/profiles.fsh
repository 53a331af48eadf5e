Profile: FSTReferralServiceRequest
Parent: ServiceRequest
Id: fst-referral-servicerequest
Title: "FST referral (ServiceRequest)"
Description: "An order for Family Support and Training (H2014), based on the youth's ICP or treatment plan."
* status MS
* intent = #order
* code 1..1 MS
* code = $HCPCS#H2014
* subject 1..1 MS
* subject only Reference(Patient)
* basedOn 1..* MS
* basedOn only Reference(CarePlan)
* authoredOn 1..1 MS
* requester 1..1 MS
* performer MS
* reasonCode 1..* MS
* reasonCode ^short = "Reasons for referral"
* supportingInfo MS
* supportingInfo ^short = "Initial goals (Goal)"
* note MS

Profile: FSTReferralTask
Parent: Task
Id: fst-referral-task
Title: "FST referral tracking (Task)"
Description: "Tracks an FST referral, SDOHCC TaskForReferralManagement style, with FST sub-states in businessStatus."
* identifier MS
* status MS
* businessStatus 1..1 MS
* businessStatus from FSTReferralStatusVS (required)
* statusReason MS
* statusReason from FSTReferralStatusReasonVS (extensible)
* intent = #order
* code 1..1 MS
* code = $TaskCode#fulfill
* focus 1..1 MS
* focus only Reference(ServiceRequest)
* for 1..1 MS
* for only Reference(Patient)
* authoredOn 1..1 MS
* lastModified 1..1 MS
* requester 1..1 MS
* owner MS
* restriction.period MS
* restriction.period ^short = "Due: first caregiver call within 5 calendar days of referral"
* extension contains FSTStatusHistory named statusHistory 0..* MS
* obeys fst-task-1

Invariant: fst-task-1
Description: "A waitlisted, stopped or discharged referral says why (statusReason)."
Expression: "businessStatus.coding.where(code = 'waitlisted' or code = 'discharged').exists() implies statusReason.exists()"
Severity: #error

Profile: FSTContactCommunication
Parent: Communication
Id: fst-contact
Title: "FST contact (Communication)"
Description: "A Family Partner contact, documented as a progress note. Attempts are status not-done with a reason."
* identifier 1..* MS
* identifier ^short = "Client-generated identifier: a retried save never duplicates"
* status MS
* status from FSTContactStatusVS (required)
* statusReason MS
* category 1..1 MS
* category from FSTContactCategoryVS (required)
* medium 1..1 MS
* medium from FSTContactMediumVS (required)
* subject 1..1 MS
* subject only Reference(Patient)
* sent 1..1 MS
* sender 1..1 MS
* sender only Reference(Practitioner or PractitionerRole)
* recipient 1..* MS
* basedOn MS
* basedOn only Reference(ServiceRequest)
* partOf MS
* partOf only Reference(Task)
* reasonCode MS
* reasonCode from FSTContactPurposeVS (required)
* extension contains
    $PertainsToGoal named goal 0..* MS and
    FSTContactDuration named duration 0..1 MS and
    FSTTelehealthRequested named telehealthRequested 0..1 MS and
    FSTTelehealthPlatform named telehealthPlatform 0..1 MS and
    FSTPlaceOfService named placeOfService 0..1 MS and
    FSTRecordedAt named recordedAt 0..1 MS
* payload MS
* payload.content[x] only string
* obeys fst-contact-1 and fst-contact-2 and fst-contact-3

Invariant: fst-contact-1
Description: "An attempt (not-done) says why no contact was made."
Expression: "status = 'not-done' implies statusReason.exists()"
Severity: #error

Invariant: fst-contact-3
Description: "The place of service is one of the CMS codes FST records: 12 home, 99 community, 11 office, 03 school, 10 telehealth (MassHealth FST service component 5)."
Expression: "extension.where(url = 'https://fst-companion.example.org/fhir/StructureDefinition/fst-place-of-service').all(value.system = 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set' and (value.code = '12' or value.code = '99' or value.code = '11' or value.code = '03' or value.code = '10'))"
Severity: #error

Invariant: fst-contact-2
Description: "A completed contact records its duration (for H2014 units)."
Expression: "status = 'completed' implies extension.where(url = 'https://fst-companion.example.org/fhir/StructureDefinition/fst-contact-duration').exists()"
Severity: #error

Profile: FSTCaregiverContact
Parent: FSTContactCommunication
Id: fst-caregiver-contact
Title: "FST caregiver contact"
Description: "Contact with the youth's parent or caregiver."
* recipient only Reference(RelatedPerson or Patient)
// An invariant rather than a pattern on the repeating category: validators differ on array patterns.
* obeys fst-caregiver-1

Invariant: fst-caregiver-1
Description: "A caregiver contact is categorised as caregiver-contact."
Expression: "category.coding.where(system = 'https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category' and code = 'caregiver-contact').exists()"
Severity: #error

Profile: FSTCollateralContact
Parent: FSTContactCommunication
Id: fst-collateral-contact
Title: "FST collateral contact"
Description: "Contact with the youth's ICC, IHT or outpatient provider."
* recipient only Reference(Practitioner or PractitionerRole or Organization)
* obeys fst-collateral-1

Invariant: fst-collateral-1
Description: "A collateral contact is categorised as collateral-contact."
Expression: "category.coding.where(system = 'https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category' and code = 'collateral-contact').exists()"
Severity: #error

Profile: USCoreDocumentReference
Parent: DocumentReference
Id: us-core-documentreference
Title: "US Core DocumentReference (6.1.0), its cardinalities and invariant"
Description: "The constraints of US Core 6.1.0 DocumentReference a server validates, transcribed here because the US Core package cannot be downloaded offline: status, type, category, subject (a Patient), content with its content type, and us-core-6 (url or data). Its terminology bindings are not checked here. The chart copy of the discharge plan conforms to it and says so in meta.profile."
* ^url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference"
* ^version = "6.1.0"
* identifier MS
* status MS
* type 1..1 MS
* category 1..* MS
* subject 1..1 MS
* subject only Reference(Patient)
* date MS
* author MS
* content 1..* MS
* content.attachment MS
* content.attachment obeys us-core-6
* content.attachment.contentType 1..1 MS
* content.attachment.data MS
* content.attachment.url MS
* content.format MS
* context MS
* context.encounter 0..1 MS
* context.period MS

Invariant: us-core-6
Description: "DocumentReference.content.attachment.url or DocumentReference.content.attachment.data or both SHALL be present."
Expression: "url.exists() or data.exists()"
Severity: #error

Profile: FSTDischargePlan
Parent: USCoreDocumentReference
Id: fst-discharge-plan
Title: "FST discharge plan (DocumentReference)"
Description: "The discharge plan: strategies, supports, services and resources; US Core DocumentReference shape. A corrected plan is a new DocumentReference that `replaces` the earlier one, which becomes superseded."
* status MS
* docStatus MS
* type 1..1 MS
* type = $LOINC#18842-5
* category 1..* MS
* obeys fst-doc-2
* subject 1..1 MS
* subject only Reference(Patient)
* date 1..1 MS
* author 1..* MS
* content 1..* MS
* content.attachment.contentType 1..1 MS
* content.attachment obeys fst-doc-1
* context 1..1 MS
* context.related 1..* MS
* context.period MS

Invariant: fst-doc-2
Description: "The document is categorised as a clinical note (US Core)."
Expression: "category.coding.where(system = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category' and code = 'clinical-note').exists()"
Severity: #error

Invariant: fst-doc-1
Description: "The attachment carries its content inline or by URL."
Expression: "data.exists() or url.exists()"
Severity: #error

Profile: FSTCaregiverSignature
Parent: Provenance
Id: fst-caregiver-signature
Title: "Caregiver signature (Provenance)"
Description: "The caregiver's signature of agreement on the discharge plan."
* target 1..1 MS
* target only Reference(DocumentReference)
* recorded MS
* agent 1..* MS
* agent.who only Reference(RelatedPerson or Patient or Practitioner or PractitionerRole)
* signature 1..* MS
* signature.type 1..* MS
* signature.who only Reference(RelatedPerson or Patient)
* signature.sigFormat 1..1 MS
* signature.data MS

Profile: FSTServicePlan
Parent: CarePlan
Id: fst-service-plan
Title: "FST service plan (CarePlan)"
Description: "The Family Partner's plan with the caregiver, based on the ICP or treatment plan: an activity per planned meeting series (schedule and setting), the planned hours, and a target date per FST goal."
* identifier 1..* MS
* status MS
* intent = #plan
* category 1..* MS
* obeys fst-plan-1 and fst-plan-2
* subject only Reference(Patient)
* basedOn 1..* MS
* basedOn only Reference(CarePlan)
* author 1..1 MS
* goal MS
* extension contains FSTGoalTarget named goalTarget 0..* MS and FSTPlannedHours named plannedHours 0..1 MS
* activity 1..* MS
* activity.detail 1..1 MS
* activity.detail.scheduledTiming 1..1 MS
* activity.detail.extension contains FSTMeetingSettingExt named setting 1..1 MS

Invariant: fst-plan-1
Description: "The plan is categorised as the FST service plan."
Expression: "category.coding.where(code = 'fst-service-plan').exists()"
Severity: #error

Invariant: fst-plan-2
Description: "Every planned meeting series says where it takes place (home, community, or telehealth)."
Expression: "activity.all(detail.extension.where(url = 'https://fst-companion.example.org/fhir/StructureDefinition/fst-meeting-setting').exists())"
Severity: #error

Profile: FSTTeamMeeting
Parent: Encounter
Id: fst-team-meeting
Title: "FST team meeting (Encounter)"
Description: "A Care Planning Team, treatment-team, school or state-agency meeting a Family Partner attended for the youth: who attended (chart references, or names for people not in the chart), the goals discussed with the update given, decisions and the next meeting. A meeting with the youth's provider present and an update given counts as that week's collateral contact (seed 000 process 9)."
* identifier 1..* MS
* status = #finished
* type 1..1 MS
* type from FSTMeetingKindVS (required)
* subject 1..1 MS
* subject only Reference(Patient)
* participant 1..* MS
* participant.individual 1..1 MS
* period 1..1 MS
* period.start 1..1
* period.end 1..1
* basedOn MS
* extension contains
    FSTGoalUpdate named goalUpdate 0..* MS and
    FSTMeetingDecisions named decisions 0..1 MS and
    FSTNextMeeting named nextMeeting 0..1 MS and
    FSTYouthAttended named youthAttended 0..1 MS

Profile: FSTIncidentReport
Parent: AdverseEvent
Id: fst-incident-report
Title: "FST adverse incident report (AdverseEvent)"
Description: "An adverse incident a Family Partner reports (seed 000 quality management 4): when, category, seriousness, what happened, immediate actions, who was notified and when."
* identifier 1..1 MS
* actuality = #actual
* category 1..1 MS
* category from FSTIncidentCategoryVS (required)
* subject only Reference(Patient)
* date 1..1 MS
* recordedDate 1..1 MS
* recorder 1..1 MS
* seriousness 1..1 MS
* obeys fst-incident-1
* extension contains
    FSTIncidentWhatHappened named whatHappened 0..1 MS and
    FSTIncidentActions named immediateActions 0..1 MS and
    FSTIncidentNotification named notification 0..* MS

Invariant: fst-incident-1
Description: "The report says what happened. (An invariant, not a 1..1 slice: Medplum's validator does not match slices of resource-level extensions by URL.)"
Expression: "extension.where(url = 'https://fst-companion.example.org/fhir/StructureDefinition/fst-incident-what-happened').value.exists()"
Severity: #error

Profile: FSTIncidentReview
Parent: Task
Id: fst-incident-review
Title: "FST incident review (Task)"
Description: "A supervisor's review of an incident report: requested when the report is written, completed with a note when the supervisor closes it."
* identifier 1..* MS
* code 1..1
* code = FSTTaskCode#incident-review
* focus 1..1 MS
* focus only Reference(AdverseEvent)
* for 1..1 MS
* for only Reference(Patient)
* intent = #order
* obeys fst-review-1

Invariant: fst-review-1
Description: "A closed review carries the supervisor's note."
Expression: "status = 'completed' implies note.exists()"
Severity: #error

Profile: FSTSupervisionSession
Parent: Encounter
Id: fst-supervision-session
Title: "FST staff supervision session (Encounter)"
Description: "A supervision session of Family Partners (seed 000 staffing 8): no patient, the supervisor as primary performer and the supervisees as participants. No patient data."
* identifier 1..* MS
* status = #finished
* type 1..1 MS
* type from FSTSupervisionKindVS (required)
* subject 0..0
* participant 2..* MS
* participant.individual 1..1 MS
* period 1..1 MS
* period.start 1..1
* period.end 1..1
* reasonCode MS
* obeys fst-sup-1 and fst-sup-2

Invariant: fst-sup-1
Description: "A dyad has exactly two supervisees."
Expression: "type.coding.where(code = 'clinician-dyad').exists() implies participant.where(type.coding.where(code = 'PART').exists()).count() = 2"
Severity: #error

Invariant: fst-sup-2
Description: "Exactly one supervisor (primary performer)."
Expression: "participant.where(type.coding.where(code = 'PPRF').exists()).count() = 1"
Severity: #error
