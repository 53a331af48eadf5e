/**
 * TanStack Query keys, ordered server → patient → resource type → search or id → operation (bonfhir's
 * order with our patient level). A new launch (other server or patient) can never be served another's
 * cache, and a write refreshes exactly the keys it declares (invalidation.ts).
 */
/** The signed-in user's part: its key is built by the header (useSignedInUser) as well as the workspace. */
export const USER_PART_TYPE = 'user';

export const fhirKeys = {
  server: (serverUrl: string) => ['fhir', serverUrl] as const,
  capabilities: (serverUrl: string) => [...fhirKeys.server(serverUrl), 'metadata'] as const,
  /** Every caseload of the server (invalidation), or one scope of it (whose families, since when). */
  caseload: (serverUrl: string, scope?: { since?: string; owners?: readonly string[] }) =>
    scope
      ? ([
          ...fhirKeys.server(serverUrl),
          'caseload',
          scope.since ?? '',
          [...(scope.owners ?? [])].join(','),
        ] as const)
      : ([...fhirKeys.server(serverUrl), 'caseload'] as const),
  /** What the measures job stored (issue 40): the caseload rows, a period's months, a month's claims, a run asked for. */
  stored: (serverUrl: string, what: 'caseload' | 'quality' | 'claims' | 'run-request', detail = '') =>
    [...fhirKeys.server(serverUrl), 'measures-job', what, detail] as const,
  /** The staff compliance view from the period's first day (its supervision sessions are read from then). */
  staffCompliance: (serverUrl: string, from: string) =>
    [...fhirKeys.server(serverUrl), 'staff-compliance', from] as const,
  /** Server-level parts (the signed-in user, the FST staff list): shared by every youth opened. */
  sessionPart: (serverUrl: string, type: string, name: string) =>
    [...fhirKeys.server(serverUrl), type, name] as const,
  patient: (serverUrl: string, patientId: string) =>
    [...fhirKeys.server(serverUrl), 'Patient', patientId] as const,
  /** One part of the workspace: e.g. the youth's FST contacts search. */
  patientPart: (serverUrl: string, patientId: string, type: string, name: string) =>
    [...fhirKeys.patient(serverUrl, patientId), type, name] as const,
  /** The first load: one batch that fills every part. */
  workspaceLoad: (serverUrl: string, patientId: string) =>
    [...fhirKeys.patient(serverUrl, patientId), 'workspace-load'] as const,
};
