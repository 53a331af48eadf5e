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
