Extension: FSTContactDuration
Id: fst-contact-duration
Title: "FST contact duration"
Description: "How long the contact lasted (minutes): the basis of H2014 15-minute units."
Context: Communication
* value[x] only Duration
* valueDuration.system = $UCUM
* valueDuration.code = #min
* valueDuration.value 1..1

Extension: FSTTelehealthRequested
Id: fst-telehealth-requested-by-family
Title: "Telehealth requested by family"
Description: "The family asked for this session by telehealth (MassHealth FST service component 6)."
Context: Communication
* value[x] only boolean

Extension: FSTTelehealthPlatform
Id: fst-telehealth-platform
Title: "Telehealth platform"
Description: "The platform a telehealth session was held on: the agency's, from its configuration (MassHealth FST service component 6)."
Context: Communication
* value[x] only string

Extension: FSTOnCallHours
Id: fst-on-call-hours
Title: "On-call hours"
Description: "A weekly stretch of hours in which this licensed clinician is on call for the Family Partners (MassHealth FST staffing 9). An end of 23:59:59 means midnight."
Context: Practitioner
* extension contains
    day 1..7 and
    start 1..1 and
    end 1..1
* extension[day].value[x] only code
* extension[day].valueCode from http://hl7.org/fhir/ValueSet/days-of-week (required)
* extension[start].value[x] only time
* extension[end].value[x] only time

Extension: FSTMatchOverride
Id: fst-match-override
Title: "Family Partner chosen over the best match"
Description: "On a referral Task's note: the supervisor chose another Family Partner than the one the ranking put first; the note's text is the reason (MassHealth FST process 7)."
Context: Task.note
* extension contains
    suggested 1..1 and
    chosen 1..1
* extension[suggested].value[x] only Reference(PractitionerRole)
* extension[chosen].value[x] only Reference(PractitionerRole)

Extension: FSTStatusHistory
Id: fst-status-history
Title: "FST referral status change"
Description: "One status change of an FST referral Task: the status it moved to, when, who made it and why; or one change of its Family Partner (an assignment, or a transfer: fromOwner and toOwner, the status unchanged). Written in the same If-Match update as the status itself, so the history and the status cannot drift; the clocks (waitlist, service start, end of service) read it. Used instead of _history, which most EHRs do not offer for Task, and instead of Provenance, which has no element for the status."
Context: Task
* extension contains
    status 1..1 and
    businessStatus 0..1 and
    at 1..1 and
    by 0..1 and
    reason 0..1 and
    fromOwner 0..1 and
    toOwner 0..1
* extension[status].value[x] only code
* extension[businessStatus].value[x] only Coding
* extension[at].value[x] only dateTime
* extension[by].value[x] only Reference(Practitioner or PractitionerRole or RelatedPerson or Organization)
* extension[reason].value[x] only string
* extension[fromOwner].value[x] only Reference(Practitioner or PractitionerRole or Organization)
* extension[toOwner].value[x] only Reference(Practitioner or PractitionerRole or Organization)

Extension: FSTGoalTarget
Id: fst-goal-target
Title: "FST goal target"
Description: "The date the Family Partner and caregiver aim to reach one goal of the plan by."
Context: CarePlan
* extension contains goal 1..1 and dueDate 1..1
* extension[goal].value[x] only Reference(Goal)
* extension[dueDate].value[x] only date

Extension: FSTPlannedHours
Id: fst-planned-hours
Title: "FST planned hours"
Description: "Hours of FST per week or per month, set from the needs of the youth and caregiver (MassHealth FST process 2-3)."
Context: CarePlan
* value[x] only Quantity
* valueQuantity.system = "http://unitsofmeasure.org"
* valueQuantity.code from FSTPlannedHoursUnitVS (required)
* valueQuantity.value 1..1

ValueSet: FSTPlannedHoursUnitVS
Id: fst-planned-hours-unit
Title: "FST planned hours units"
Description: "Hours per week or per month."
* http://unitsofmeasure.org#h/wk "hours per week"
* http://unitsofmeasure.org#h/mo "hours per month"

Extension: FSTMeetingSettingExt
Id: fst-meeting-setting
Title: "FST meeting setting"
Description: "Where a planned FST meeting takes place."
Context: CarePlan.activity.detail
* value[x] only code
* valueCode from FSTMeetingSettingVS (required)

Extension: FSTGoalUpdate
Id: fst-goal-update
Title: "FST goal update at a team meeting"
Description: "One goal of the youth's plan discussed at a Care Planning Team or treatment-team meeting, with the update the Family Partner gave (seed 000 process 3)."
Context: Encounter
* extension contains goal 1..1 and update 1..1
* extension[goal].value[x] only Reference(Goal)
* extension[update].value[x] only string

Extension: FSTMeetingDecisions
Id: fst-meeting-decisions
Title: "FST meeting decisions"
Description: "What the team decided at the meeting."
Context: Encounter
* value[x] only string

Extension: FSTNextMeeting
Id: fst-next-meeting
Title: "FST next team meeting"
Description: "When the team meets next, as set at this meeting."
Context: Encounter
* value[x] only dateTime

Extension: FSTYouthAttended
Id: fst-youth-attended
Title: "Youth attended"
Description: "The youth took part in the meeting (a Patient cannot be an Encounter participant in R4)."
Context: Encounter
* value[x] only boolean

Extension: FSTIncidentWhatHappened
Id: fst-incident-what-happened
Title: "What happened"
Description: "The reporter's account of an adverse incident (R4 AdverseEvent has no narrative element)."
Context: AdverseEvent
* value[x] only string

Extension: FSTIncidentActions
Id: fst-incident-immediate-actions
Title: "Immediate actions"
Description: "What was done at once, by whom."
Context: AdverseEvent
* value[x] only string

Extension: FSTIncidentNotification
Id: fst-incident-notification
Title: "Incident notification"
Description: "Who was notified of the incident, exactly whom, and when."
Context: AdverseEvent
* extension contains party 1..1 and who 1..1 and at 1..1
* extension[party].value[x] only Coding
* extension[who].value[x] only string
* extension[at].value[x] only dateTime

Extension: FSTPlaceOfService
Id: fst-place-of-service
Title: "Place of service"
Description: "Where an FST contact took place (MassHealth FST service components 5-6: the caregiver's home and community, or telehealth at the family's request), as the CMS place-of-service code an H2014 claim line carries (the code system of FHIR's service-place value set, used by Claim.item.location[x])."
Context: Communication
* value[x] only Coding
* valueCoding from FSTPlaceOfServiceVS (required)

Extension: FSTRecordedAt
Id: fst-recorded-at
Title: "When the contact was recorded"
Description: "The instant the server first stored this FST contact, stamped by the server on create and kept unchanged by every later version (an amendment, a withdrawal): a contact logged weeks after it happened shows so in the history, its CSV and its print (issue 35). Not meta.lastUpdated, which every amendment moves, and not a value the client sends, which could be back-dated."
Context: Communication
* value[x] only instant
