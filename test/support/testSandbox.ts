/** The in-process sandbox the node tests start, and a user's access token from it by an EHR launch. */
import { startSandbox } from '../../sandbox/server';
import type { Sandbox, SandboxOptions } from '../../sandbox/server';
import { parseConfig } from '../../src/config/config';
import type { EhrConfig } from '../../src/config/config';
import { APP_URL, ehrLaunchToken } from './smartFlow';

/** SMART v2, demo data, auth on, a free port; `extra` changes any of it. */
export function startTestSandbox(extra: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({
    appUrl: APP_URL,
    smartVersion: 'v2',
    dataFiles: [],
    demoData: true,
    port: 0,
    auth: true,
    ...extra,
  });
}

/** An access token for `user` launched on `patient` with `scope` (which includes `launch` and the rest). */
export async function launchToken(
  sandbox: Sandbox,
  patient: string,
  user: string,
  scope: string,
): Promise<string> {
  const token = await ehrLaunchToken(sandbox.baseUrl, {
    patient,
    user,
    scope,
    issuer: sandbox.issuer,
    fhirBase: sandbox.fhirBase,
  });
  return String(token.access_token);
}

/**
 * A FHIR call with a bearer token, as the sandbox tests make it: a body is sent as FHIR JSON unless the caller
 * names its own content type (a JSON Patch); the answer's status and parsed body.
 */
export async function fhirAt(base: string, path: string, token: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/fhir+json');
  const res = await fetch(`${base}/${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

/**
 * The app's configuration of this sandbox as its EHR, as the tests that drive the app's own FHIR code need it:
 * the agency (Harbor Family Services) as provider; `extra` adds or changes any config.json field of the entry.
 */
export function sandboxEhrConfig(sandbox: Sandbox, extra: Record<string, unknown> = {}): EhrConfig {
  const [ehr] = parseConfig({
    ehrs: [
      {
        name: 'sandbox',
        iss: sandbox.fhirBase,
        clientId: 'fst-companion',
        providerOrganization: 'Organization/org-harbor',
        fstProviders: [{ reference: 'Organization/org-harbor', name: 'Harbor Family Services' }],
        ...extra,
      },
    ],
  }).ehrs;
  if (!ehr) throw new Error('no EHR in the configuration');
  return ehr;
}
