/**
 * TanStack Query keys, ordered server → patient → what. A new launch (other server or patient)
 * can never be served another's cache, and invalidating a patient's prefix reaches all of it.
 */
export const fhirKeys = {
  server: (serverUrl: string) => ['fhir', serverUrl] as const,
  capabilities: (serverUrl: string) => [...fhirKeys.server(serverUrl), 'metadata'] as const,
  caseload: (serverUrl: string) => [...fhirKeys.server(serverUrl), 'caseload'] as const,
  patient: (serverUrl: string, patientId: string) =>
    [...fhirKeys.server(serverUrl), 'Patient', patientId] as const,
  workspace: (serverUrl: string, patientId: string) =>
    [...fhirKeys.patient(serverUrl, patientId), 'workspace'] as const,
};
