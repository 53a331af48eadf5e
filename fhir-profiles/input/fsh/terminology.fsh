// Our own code systems: FST concepts no standard terminology covers (FHIR-NOTES).

CodeSystem: FSTContactCategory
Id: fst-contact-category
Title: "FST contact category"
Description: "Whom a Family Partner contact was with."
* ^caseSensitive = true
* #caregiver-contact "Caregiver contact" "Contact with the parent or caregiver of the youth."
* #collateral-contact "Collateral contact" "Contact with the youth's ICC, In-Home Therapy or outpatient provider."
* #discharge-plan-delivery "Discharge plan delivered" "The discharge plan given to a recipient (seed 000 discharge 3, 5): one per recipient, `sent` is the delivery date."

ValueSet: FSTContactCategoryVS
Id: fst-contact-category
Title: "FST contact categories"
Description: "Caregiver or collateral contact."
* FSTContactCategory#caregiver-contact
* FSTContactCategory#collateral-contact

CodeSystem: FSTContactPurpose
Id: fst-contact-purpose
Title: "FST contact purpose"
Description: "Purposes of FST activities (MassHealth FST performance specification, service components 3b and 3c)."
* ^caseSensitive = true
* #educating "Educating"
* #supporting "Supporting"
* #coaching "Coaching"
* #modeling "Modeling"
* #guiding "Guiding"
* #system-navigation "Navigating child-serving systems"
* #peer-support-linkage "Linkage to peer / parent support and self-help groups"
* #community-resources "Identifying formal and community resources"
* #crisis "Crisis" "Support during or after a crisis, following the agency's crisis protocol (MassHealth FST process 12)."

ValueSet: FSTContactPurposeVS
Id: fst-contact-purpose
Title: "FST contact purposes"
Description: "Why the contact happened."
* include codes from system FSTContactPurpose

ValueSet: FSTContactMediumVS
Id: fst-contact-medium
Title: "FST contact methods"
Description: "How the contact happened: phone, face-to-face, telehealth video, or written (other)."
* $ParticipationMode#PHONE "telephone"
* $ParticipationMode#FACE "face-to-face"
* $ParticipationMode#VIDEOCONF "videoconferencing"
* $ParticipationMode#WRITTEN "written"

ValueSet: FSTContactStatusVS
Id: fst-contact-status
Title: "FST contact statuses"
Description: "completed: contact made; not-done: an attempt (e.g. no answer); entered-in-error: withdrawn."
* http://hl7.org/fhir/event-status#completed
* http://hl7.org/fhir/event-status#not-done
* http://hl7.org/fhir/event-status#entered-in-error

CodeSystem: FSTAttemptReason
Id: fst-attempt-reason
Title: "FST contact attempt reason"
Description: "Why an attempted contact was not made."
* ^caseSensitive = true
* #no-answer "No answer"
* #voicemail "Voicemail left"
* #wrong-number "Wrong or disconnected number"
* #declined "Caregiver declined the call"
* #rescheduled "Rescheduled by the family"
* #other "Other"

CodeSystem: FSTReferralStatus
Id: fst-referral-status
Title: "FST referral business status"
Description: "FST sub-states of a referral Task (Task.businessStatus)."
* ^caseSensitive = true
* #referred "Referred" "Referral received; caregiver not yet contacted."
* #contacted "Contacted" "Caregiver contacted; interview offered."
* #waitlisted "Waitlisted" "Services cannot start in time; the family is on the waitlist."
* #active "Active" "Receiving FST services."
* #stopped "Stopped without notice" "The family stopped without notice; outreach under way."
* #discharged "Discharged" "Discharged from FST."
* #declined "Declined" "The FST provider declined the referral."
* #cancelled "Cancelled" "The referral was cancelled before or during services."

ValueSet: FSTReferralStatusVS
Id: fst-referral-status
Title: "FST referral business statuses"
Description: "FST sub-states of a referral."
* include codes from system FSTReferralStatus

CodeSystem: FSTWaitlistReason
Id: fst-waitlist-reason
Title: "FST waitlist reason"
Description: "Why a family is on the FST waitlist."
* ^caseSensitive = true
* #no-family-partner-available "No Family Partner with capacity"
* #language-match-pending "Waiting for a Family Partner matching the family's language or culture"
* #family-availability "The family's availability does not allow an earlier start"
* #other "Other"

CodeSystem: FSTDischargeReason
Id: fst-discharge-reason
Title: "FST discharge reason"
Description: "Reasons for discharge from FST: MassHealth performance specification (discharge 1, 4) and Arkansas CP.BH.AR.1600 discharge criteria B-E."
* ^caseSensitive = true
* #goals-met "Goals of the treatment plan / ICP met" "MassHealth discharge 1; Arkansas criterion B (goals substantially met)."
* #caregiver-declined "Caregiver no longer wants services" "MassHealth discharge 1; Arkansas criterion C (individual requests discharge)."
* #no-longer-needed "No longer needed, per treaters and caregiver" "MassHealth discharge 1."
* #terminated-without-notice "Terminated without notice" "MassHealth discharge 4: outreach documented."
* #transfer "Transfer to another service" "Arkansas criterion D."
* #more-intensive-services "More intensive services needed" "Arkansas criterion E."
* #underlying-service-ended "Underlying ICC / IHT / outpatient service ended"

ValueSet: FSTReferralStatusReasonVS
Id: fst-referral-status-reason
Title: "FST referral status reasons"
Description: "Waitlist and discharge reasons."
* include codes from system FSTWaitlistReason
* include codes from system FSTDischargeReason

CodeSystem: FSTPlanType
Id: fst-plan-type
Title: "FST plan type"
Description: "Which plan FST serves."
* ^caseSensitive = true
* #icp "Individual Care Plan (ICC)"
* #outpatient-treatment-plan "Outpatient treatment plan"
* #iht-treatment-plan "In-Home Therapy treatment plan"
* #safety-plan "Safety plan" "The youth's crisis safety plan, made by the care team."
* #fst-service-plan "FST service plan" "The Family Partner's plan with the caregiver: meeting schedule, hours and goal targets (MassHealth FST process 2-3)."

CodeSystem: FSTCareTeamRole
Id: fst-care-team-role
Title: "FST care team role"
Description: "Roles on a youth's care team that FST works with."
* ^caseSensitive = true
* #family-partner "Family Partner"
* #senior-family-partner "Senior Family Partner (supervisor)"
* #icc-care-coordinator "ICC Care Coordinator"
* #outpatient-clinician "Outpatient Clinician"
* #iht-clinician "In-Home Therapy Clinician"
* #fst-supervisor "FST clinical supervisor" "A clinician licensed at the independent practice level who supervises Family Partners (seed 000 staffing 8, 9)."
* #fst-program-manager "FST program manager" "Manages the FST program; trained like Family Partners and supervisory staff (seed 000 staffing 6)."

CodeSystem: FSTMeetingSetting
Id: fst-meeting-setting
Title: "FST meeting setting"
Description: "Where FST meetings with the caregiver take place (MassHealth FST service components 5-6)."
* ^caseSensitive = true
* #home "Home"
* #community "Community"
* #telehealth "Telehealth, at the family's request"

ValueSet: FSTMeetingSettingVS
Id: fst-meeting-setting
Title: "FST meeting settings"
Description: "Home, community, or telehealth at the family's request."
* include codes from system FSTMeetingSetting

CodeSystem: FSTMeetingKind
Id: fst-meeting-kind
Title: "FST team meeting kind"
Description: "Meetings a Family Partner attends (seed 000 process 2-4, linkages 2-4)."
* ^caseSensitive = true
* #cpt "Care Planning Team meeting" "The youth's ICC Care Planning Team."
* #treatment-team "Treatment-team meeting" "Outpatient or In-Home Therapy treatment team."
* #school-iep "School / IEP meeting"
* #state-agency "State agency meeting" "DCF, DMH, DYS or court: only with the caregiver's consent."
* #other "Other meeting"

ValueSet: FSTMeetingKindVS
Id: fst-meeting-kind
Title: "FST team meeting kinds"
Description: "Kinds of team meeting."
* include codes from system FSTMeetingKind

CodeSystem: FSTIncidentCategory
Id: fst-incident-category
Title: "FST adverse incident category"
Description: "Categories of adverse incident a Family Partner reports (seed 000 quality management 4)."
* ^caseSensitive = true
* #injury "Injury"
* #restraint "Restraint"
* #police "Police involvement"
* #hospitalisation "Hospitalisation"
* #abuse-neglect "Abuse or neglect report" "A report to the child protection authority (e.g. DCF 51A) is mandatory."
* #medication "Medication event"
* #missing-youth "Missing youth"
* #other "Other"

ValueSet: FSTIncidentCategoryVS
Id: fst-incident-category
Title: "FST adverse incident categories"
Description: "Categories of adverse incident."
* include codes from system FSTIncidentCategory

CodeSystem: FSTTaskCode
Id: fst-task-code
Title: "FST task codes"
Description: "Work FST staff are asked to do, besides referrals."
* ^caseSensitive = true
* #incident-review "Review an incident report" "A supervisor reviews an adverse-incident report and closes it with a note."

CodeSystem: FSTNotifiedParty
Id: fst-notified-party
Title: "FST notified party"
Description: "Who was told of an adverse incident."
* ^caseSensitive = true
* #caregiver "Caregiver"
* #supervisor "Supervisor"
* #authority "Authority" "The relevant authority, e.g. a DCF 51A report."

CodeSystem: FSTStaffQualification
Id: fst-staff-qualification
Title: "FST staff qualifications and training"
Description: "Seed 000 staffing 1, 2, 4-6: the qualification basis, licence and insurance, ICC and competency training, and the annual training topics a-r. Recorded as Practitioner.qualification (period.start completed or issued, period.end expiry)."
* ^caseSensitive = true
* #lived-experience "Experience as a caregiver of a youth with special needs" "Staffing 1 a."
* #systems-navigation "Experience navigating child- and family-serving systems and teaching family members" "Staffing 1 b."
* #bachelor-degree "Bachelor's degree in human services and one year of experience" "Staffing 1 c."
* #associate-degree "Associate's degree in human services and one year of experience" "Staffing 1 d."
* #diploma-experience "High school diploma or GED and two years of experience" "Staffing 1 d."
* #drivers-licence "Driver's licence" "Staffing 2."
* #auto-insurance "Auto insurance" "Staffing 2."
* #icc-training "State ICC training" "Staffing 4, 5."
* #competency-training "Skill-based and competency-based training to provide ICC services" "Staffing 4."
* #supervision-training "Skill-based and competency-based training to supervise Family Partners" "Staffing 5."
* #independent-licence "Licence at the independent practice level" "Staffing 9: the clinician available for consultation (e.g. LICSW, LMHC); period.end is its expiry."
* #topic-a "Clinical and psychosocial needs of the target population"
* #topic-b "Systems of Care principles and philosophy"
* #topic-c "The four phases and ten principles of Wraparound"
* #topic-d "Their role within a CPT"
* #topic-e "Ethnic, cultural and linguistic considerations"
* #topic-f "Community resources and services"
* #topic-g "Family-centered practice"
* #topic-h "Behavior management coaching"
* #topic-i "Social skills training"
* #topic-j "Psychotropic medications and side effects"
* #topic-k "Risk management / safety planning"
* #topic-l "Crisis management"
* #topic-m "Child-serving systems and processes"
* #topic-n "Basic IEP and special education"
* #topic-o "CHINS / juvenile court issues"
* #topic-p "MCE performance specifications and medical necessity criteria"
* #topic-q "Child and adolescent development including sexuality"
* #topic-r "Conflict resolution"

CodeSystem: FSTSupervisionKind
Id: fst-supervision-kind
Title: "FST supervision kind"
Description: "Seed 000 staffing 8: weekly individual supervision with a Senior Family Partner, and weekly individual, group or dyad supervision with a licensed behavioural-health clinician."
* ^caseSensitive = true
* #senior-fp-individual "Individual supervision with a Senior Family Partner"
* #clinician-individual "Individual supervision with a licensed clinician"
* #clinician-group "Group supervision with a licensed clinician"
* #clinician-dyad "Dyad supervision with a licensed clinician" "Two supervisees at the same time."

ValueSet: FSTSupervisionKindVS
Id: fst-supervision-kind
Title: "FST supervision kinds"
Description: "Kinds of FST staff supervision."
* include codes from system FSTSupervisionKind

CodeSystem: FSTMatchPreference
Id: fst-match-preference
Title: "FST match preference"
Description: "What a caregiver asks for in a Family Partner, and the lived experience a Family Partner brings (MassHealth FST process 7: matched on ethnicity, culture, language, needs and strengths)."
* ^caseSensitive = true
* #special-education "Special education (IEP)"
* #child-welfare "Child welfare (DCF) involvement"
* #juvenile-court "Juvenile court or CHINS"
* #psychiatric-care "A youth's psychiatric hospitalisation"
* #substance-use "Substance use in the family"
* #developmental-disability "Developmental disability"
* #culture "Culture or community" "The caregiver's culture or community, in their own words (the coding's text)."
* #ethnicity "Ethnicity" "The caregiver's ethnicity, in their own words (the coding's text)."
* #strengths "Strengths" "The caregiver's strengths the Family Partner builds on, in the referrer's words (the coding's text)."

CodeSystem: FSTRecordTag
Id: fst-record-tag
Title: "FST record tag"
Description: "Tags FST Companion puts in meta.tag where a record's own codes cannot say what it is."
* ^caseSensitive = true
* #outcome-measure "Outcome measure" "A response to one of the agency's own outcome instruments (MassHealth FST quality management 2)."

ValueSet: FSTPlaceOfServiceVS
Id: fst-place-of-service
Title: "FST places of service"
Description: "The CMS place-of-service codes an FST contact is recorded with: home, community (other place of service), office, school, telehealth in the caregiver's home."
* $POS#12 "Home"
* $POS#99 "Other Place of Service"
* $POS#11 "Office"
* $POS#03 "School"
* $POS#10 "Telehealth Provided in Patient's Home"
