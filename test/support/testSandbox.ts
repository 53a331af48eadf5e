/** The in-process sandbox the node tests start, and a user's access token from it by an EHR launch. */
import { startSandbox } from '../../sandbox/server';
import type { Sandbox, SandboxOptions } from '../../sandbox/server';
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
