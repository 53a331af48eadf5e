/**
 * What the measures job asks for at sign-in (SMART Backend Services `system/` scopes), and what the sandbox
 * registers for it: read the FST records and the chart parts the clocks need, export them, and write its own
 * reports and claim lines. Nothing wider is granted.
 */
export const MEASURES_SCOPES = [
  'system/Patient.rs',
  'system/Practitioner.rs',
  'system/PractitionerRole.rs',
  'system/Organization.rs',
  // Update: the job completes a supervisor's request for a fresh run (the guard allows it nothing else on Task).
  'system/Task.rus',
  'system/ServiceRequest.rs',
  'system/Communication.rs',
  'system/CarePlan.rs',
  'system/Goal.rs',
  'system/DocumentReference.rs',
  'system/QuestionnaireResponse.rs',
  'system/Encounter.rs',
  'system/Coverage.rs',
  'system/MeasureReport.crus',
  'system/Claim.crus',
] as const;
