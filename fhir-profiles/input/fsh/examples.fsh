Instance: example-referral
InstanceOf: FSTReferralServiceRequest
Usage: #example
Title: "Example FST referral"
* status = #active
* intent = #order
* code = $HCPCS#H2014 "Skills training and development, per 15 minutes"
* subject = Reference(Patient/youth-01)
* basedOn = Reference(CarePlan/plan-01)
* authoredOn = "2026-11-02T14:00:00-05:00"
* requester = Reference(Practitioner/icc-marcus)
* reasonCode.text = "Caregiver needs support with school refusal"

Instance: example-referral-task
InstanceOf: FSTReferralTask
Usage: #example
Title: "Example waitlisted referral Task"
* identifier.system = "https://fst-companion.example.org/fhir/identifier/client-request"
* identifier.value = "8d0b2a7e-0c61-4a0e-9f49-2d1f5d3f1a01"
* status = #on-hold
* businessStatus = FSTReferralStatus#waitlisted
* statusReason = FSTWaitlistReason#no-family-partner-available
* intent = #order
* code = $TaskCode#fulfill
* focus = Reference(ServiceRequest/example-referral)
* for = Reference(Patient/youth-01)
* authoredOn = "2026-11-02T14:00:00-05:00"
* lastModified = "2026-11-05T09:00:00-05:00"
* requester = Reference(Practitioner/icc-marcus)
* restriction.period.end = "2026-11-07T23:59:59-05:00"

Instance: example-caregiver-contact
InstanceOf: FSTCaregiverContact
Usage: #example
Title: "Example caregiver phone call"
* identifier.system = "https://fst-companion.example.org/fhir/identifier/client-request"
* identifier.value = "5b6f0f3c-6c55-4a0e-8d7b-7d7f1a2b3c4d"
* status = #completed
* category = FSTContactCategory#caregiver-contact
* medium = $ParticipationMode#PHONE
* subject = Reference(Patient/youth-01)
* sent = "2026-11-20T10:00:00-05:00"
* sender = Reference(Practitioner/fp-rosa)
* recipient = Reference(RelatedPerson/cg-01-1)
* partOf = Reference(Task/example-referral-task)
* reasonCode = FSTContactPurpose#coaching
* extension[goal].valueReference = Reference(Goal/goal-01-1)
* extension[duration].valueDuration = 25 'min' "min"
* payload.contentString = "Weekly check-in; practised the calm-down plan."

Instance: example-caregiver-attempt
InstanceOf: FSTCaregiverContact
Usage: #example
Title: "Example attempted call"
* identifier.system = "https://fst-companion.example.org/fhir/identifier/client-request"
* identifier.value = "0f7e1c2a-1111-4a0e-8d7b-7d7f1a2b3c4d"
* status = #not-done
* statusReason = FSTAttemptReason#no-answer
* category = FSTContactCategory#caregiver-contact
* medium = $ParticipationMode#PHONE
* subject = Reference(Patient/youth-01)
* sent = "2026-11-19T10:00:00-05:00"
* sender = Reference(Practitioner/fp-rosa)
* recipient = Reference(RelatedPerson/cg-01-1)

Instance: example-collateral-contact
InstanceOf: FSTCollateralContact
Usage: #example
Title: "Example collateral contact"
* identifier.system = "https://fst-companion.example.org/fhir/identifier/client-request"
* identifier.value = "6c7a1f3c-6c55-4a0e-8d7b-7d7f1a2b3c4d"
* status = #completed
* category = FSTContactCategory#collateral-contact
* medium = $ParticipationMode#PHONE
* subject = Reference(Patient/youth-01)
* sent = "2026-11-20T13:00:00-05:00"
* sender = Reference(Practitioner/fp-rosa)
* recipient = Reference(Practitioner/icc-marcus)
* reasonCode = FSTContactPurpose#guiding
* extension[duration].valueDuration = 15 'min' "min"
* payload.contentString = "Update to the care coordinator on progress toward ICP goals."

Instance: example-discharge-plan
InstanceOf: FSTDischargePlan
Usage: #example
Title: "Example discharge plan"
* status = #current
* docStatus = #final
* type = $LOINC#18842-5 "Discharge summary"
* category = $DocCategory#clinical-note
* subject = Reference(Patient/youth-08)
* date = "2026-11-20T15:00:00-05:00"
* author = Reference(Practitioner/fp-rosa)
* content.attachment.contentType = #text/plain
* content.attachment.data = "RlNUIGRpc2NoYXJnZSBwbGFu"
* context.related = Reference(Task/task-08)
* context.period.end = "2026-11-18"

Instance: example-caregiver-signature
InstanceOf: FSTCaregiverSignature
Usage: #example
Title: "Example caregiver signature"
* target = Reference(DocumentReference/example-discharge-plan)
* recorded = "2026-11-20T15:05:00-05:00"
* agent.who = Reference(RelatedPerson/cg-08-1)
* signature.type = $SignatureType#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature.when = "2026-11-20T15:05:00-05:00"
* signature.who = Reference(RelatedPerson/cg-08-1)
* signature.sigFormat = #text/plain
* signature.data = "SSBhZ3JlZSB0byB0aGlzIHBsYW4u"
