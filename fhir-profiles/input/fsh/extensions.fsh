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

Extension: FSTStatusHistory
Id: fst-status-history
Title: "FST referral status change"
Description: "One status change of an FST referral Task: the status it moved to, when, who made it and why. Written in the same If-Match update as the status itself, so the history and the status cannot drift; the clocks (waitlist, service start, end of service) read it. Used instead of _history, which most EHRs do not offer for Task, and instead of Provenance, which has no element for the status."
Context: Task
* extension contains
    status 1..1 and
    businessStatus 0..1 and
    at 1..1 and
    by 0..1 and
    reason 0..1
* extension[status].value[x] only code
* extension[businessStatus].value[x] only Coding
* extension[at].value[x] only dateTime
* extension[by].value[x] only Reference(Practitioner or PractitionerRole or RelatedPerson or Organization)
* extension[reason].value[x] only string
