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

/**
 * `fetch` against the limited sandbox's record store as that user: the EHR sign-in exchanged at the store, as
 * the app does (src/fhir/recordStore.ts), so a spec reads what the store holds.
 */
export async function storeAs(patient: string, user: string, scope: string, sandbox = LIMITED_SANDBOX) {
  const signIn = await ehrLaunchToken(sandbox, {
    patient,
    user,
    scope: `launch openid fhirUser ${scope}`,
    issuer: `${sandbox}/auth`,
    fhirBase: `${sandbox}/fhir`,
    appUrl: APP,
  });
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: String(signIn.id_token),
    subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    actor_token: String(signIn.access_token),
    actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    client_id: 'fst-companion',
  });
  const answer = (await (await fetch(`${sandbox}/store/token`, { method: 'POST', body: form })).json()) as {
    access_token?: string;
  };
  if (!answer.access_token) throw new Error('the store refused the exchange');
  const headers = { authorization: `Bearer ${answer.access_token}` };
  return (path: string) => fetch(`${sandbox}/store/fhir/${path}`, { headers });
}

/** The limited sandbox's store faults (SANDBOX_FAULT_CONTROL): down, signed-out, up. */
export async function storeFault(state: 'down' | 'signed-out' | 'up', sandbox = LIMITED_SANDBOX) {
  const res = await fetch(`${sandbox}/_sandbox/store?state=${state}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`store fault ${state}: HTTP ${res.status}`);
}
