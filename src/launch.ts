/**
 * Entry of launch.html, the SMART launch URL. EHR launch: `?iss=…&launch=…`; standalone launch: `?iss=…`
 * (or no iss: pick one of the configured EHRs). An `iss` that config.json does not list is refused:
 * the app never sends a user to an unlisted authorization server.
 */
import FHIR from 'fhirclient';
import { findEhr, loadConfig } from './config/config';
import type { AppConfig } from './config/config';
import { fetchSmartCapabilities, launchScopes } from './fhir/launchScopes';
import './ui/base.css';

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
  show(
    'Start FST Companion',
    'Choose the EHR to sign in to.',
    config.ehrs.map((e) => ({
      label: e.name,
      href: `launch.html?iss=${encodeURIComponent(e.iss[0])}`,
    })),
  );
}

async function main(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const iss = params.get('iss');
  const launch = params.get('launch') ?? undefined;
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
  const capabilities = await fetchSmartCapabilities(iss);
  await FHIR.oauth2.authorize({
    iss,
    launch,
    clientId: ehr.clientId,
    scope: launchScopes(ehr.scopes, launch !== undefined, capabilities),
    redirectUri: ehr.redirectUri ?? './',
    pkceMode: 'required',
    completeInTarget: true,
  });
}

main().catch(() => {
  show('Launch failed', 'The EHR could not be reached to start the sign-in. Try launching again.');
});
