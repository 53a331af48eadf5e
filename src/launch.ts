/**
 * Entry of launch.html, the SMART launch URL. EHR launch: `?iss=…&launch=…`; standalone launch: `?iss=…`
 * (or no iss: pick one of the configured EHRs). An `iss` that config.json does not list is refused:
 * the app never sends a user to an unlisted authorization server.
 */
import FHIR from 'fhirclient';
import { findEhr, loadConfig } from './config/config';
import type { AppConfig } from './config/config';
import { fetchSmartCapabilities, launchScopes } from './fhir/launchScopes';
import { fetchMetadataText, rememberLaunchServer } from './fhir/launchServer';
import './ui/base.css';

/** How long the launch waits for the CapabilityStatement after the SMART configuration has arrived. */
const METADATA_GRACE_MS = 300;

const root = document.getElementById('root') as HTMLElement;

function show(title: string, message: string, links: { label: string; href: string }[] = []): void {
  const main = document.createElement('main');
  main.className = 'launch-panel';
  const h1 = document.createElement('h1');
  h1.textContent = title;
  const p = document.createElement('p');
  p.textContent = message;
  p.setAttribute('role', links.length ? 'status' : 'alert');
  main.append(h1, p);
  if (links.length) {
    const ul = document.createElement('ul');
    for (const link of links) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.label;
      li.append(a);
      ul.append(li);
    }
    main.append(ul);
  }
  root.replaceChildren(main);
}

function chooser(config: AppConfig): void {
  const links = config.ehrs.flatMap((e) =>
    e.iss.flatMap((iss) => {
      // One EHR may list several FHIR bases (e.g. test and production): name the host when it does.
      const name = e.iss.length > 1 ? `${e.name} (${new URL(iss).host})` : e.name;
      const base = `launch.html?iss=${encodeURIComponent(iss)}`;
      return [
        { label: `${name}: open a youth`, href: base },
        { label: `${name}: caseload and quality report`, href: `${base}&caseload=1` },
      ];
    }),
  );
  show('Start FST Companion', 'Choose where to sign in.', links);
}

async function main(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const iss = params.get('iss');
  const launch = params.get('launch') ?? undefined;
  const caseload = params.get('caseload') === '1' && launch === undefined;
  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (err) {
    show('FST Companion cannot start', err instanceof Error ? err.message : 'config.json could not be read.');
    return;
  }
  if (!iss) {
    chooser(config);
    return;
  }
  const ehr = findEhr(config, iss);
  if (!ehr) {
    show(
      'Launch refused',
      `The FHIR server ${iss} is not configured for FST Companion. Ask your administrator to register it.`,
    );
    return;
  }
  show('Connecting…', `Signing in to ${ehr.name}.`);
  const abort = new AbortController();
  const metadata = fetchMetadataText(iss, abort.signal);
  const capabilities = await fetchSmartCapabilities(iss);
  // The CapabilityStatement, when it comes soon after: the app then needs not wait for it after the token.
  const soon = new Promise<undefined>((resolve) => setTimeout(resolve, METADATA_GRACE_MS, undefined));
  rememberLaunchServer(iss, await Promise.race([metadata, soon]));
  abort.abort();
  await FHIR.oauth2.authorize({
    iss,
    launch,
    clientId: ehr.clientId,
    scope: caseload
      ? launchScopes(ehr.caseloadScopes, 'caseload', capabilities)
      : launchScopes(ehr.scopes, launch !== undefined ? 'ehr' : 'standalone', capabilities),
    redirectUri: ehr.redirectUri ?? './',
    pkceMode: 'required',
    completeInTarget: true,
  });
}

main().catch((err: unknown) => {
  // fhirclient's messages describe the protocol step that failed (no patient data): show them.
  const detail = err instanceof Error ? ` (${err.message})` : '';
  show('Launch failed', `The EHR could not be reached to start the sign-in. Try launching again.${detail}`);
});
