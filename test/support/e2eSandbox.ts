/** The main e2e sandbox and app, and the two ways a spec reaches them: an EHR launch URL, and a user's token. */
import { ehrLaunchToken } from './smartFlow';

export const SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? '8181'}`;
/** The sandbox whose data is built around PINNED_NOW, with SANDBOX_FAULT_CONTROL on. */
export const PINNED_SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_PINNED_PORT ?? '8183'}`;
/** The sandbox whose EHR accepts only the discharge plan (SANDBOX_EHR=limited), the record store beside it. */
export const LIMITED_SANDBOX = `http://localhost:${process.env.E2E_SANDBOX_LIMITED_PORT ?? '8185'}`;
export const APP = `http://localhost:${process.env.E2E_APP_PORT ?? '5183'}`;

/** The sandbox's EHR launch of the app for a youth and a user. */
export const launch = (patient: string, user: string, sandbox = SANDBOX) =>
  `${sandbox}/launch?patient=${patient}&user=${user}&app=${encodeURIComponent(`${APP}/launch.html`)}`;

/** An access token for a user on a youth, with the scopes given (besides launch, openid, fhirUser). */
export async function tokenFor(
  patient: string,
  user: string,
  scope: string,
  sandbox = SANDBOX,
): Promise<string> {
  const token = await ehrLaunchToken(sandbox, {
    patient,
    user,
    scope: `launch openid fhirUser ${scope}`,
    issuer: `${sandbox}/auth`,
    fhirBase: `${sandbox}/fhir`,
    appUrl: APP,
  });
  return String(token.access_token);
}

/** `fetch` against the sandbox's FHIR base as that user. */
export async function fhirAs(patient: string, user: string, scope: string, sandbox = SANDBOX) {
  const headers = {
    authorization: `Bearer ${await tokenFor(patient, user, scope, sandbox)}`,
    'content-type': 'application/fhir+json',
  };
  return (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox}/fhir/${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
}

/** A bare FST caregiver contact as someone might POST it by hand: what the guard must refuse to the wrong role. */
export function handMadeContact(patient: string, sender: string, sent: string): string {
  return JSON.stringify({
    resourceType: 'Communication',
    status: 'completed',
    category: [
      {
        coding: [
          {
            system: 'https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category',
            code: 'caregiver-contact',
          },
        ],
      },
    ],
    subject: { reference: `Patient/${patient}` },
    sender: { reference: sender },
    sent,
  });
}
