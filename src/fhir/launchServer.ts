/**
 * The FHIR server a launch in this tab is signing in to, kept from the launch page to the redirect page
 * (sessionStorage; a server address, no patient data). The redirect page uses it to read the server's
 * CapabilityStatement while the code is exchanged for a token, instead of after.
 */
const KEY = 'fst:launch-server';

export function rememberLaunchServer(iss: string): void {
  sessionStorage.setItem(KEY, iss);
}

export function launchServer(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}
