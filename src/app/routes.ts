/**
 * The app's URLs, built in one place. Paths carry only opaque FHIR ids (never names, MRNs or dates);
 * the page sends no Referer (index.html), so they stay in this tab's history.
 */
const id = (patientId: string) => encodeURIComponent(patientId);

export const routes = {
  caseload: '/caseload',
  staff: '/staff',
  claims: '/claims',
  overview: (patientId: string) => `/patients/${id(patientId)}`,
  history: (patientId: string) => `/patients/${id(patientId)}/history`,
} as const;

/** Route patterns (wouter), matching the builders above. */
export const patterns = {
  caseload: '/caseload',
  staff: '/staff',
  claims: '/claims',
  patient: '/patients/:patientId',
} as const;

/** Where a session lands: its patient's overview, or the caseload for a launch without a patient. */
export function homeOf(session: { patientId?: string }): string {
  return session.patientId ? routes.overview(session.patientId) : routes.caseload;
}

/** Links outside the router (launch page), resolved against the app's base path. */
export const appUrl = (path: string) => `${import.meta.env.BASE_URL}${path.replace(/^\//, '')}`;
