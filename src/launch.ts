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
import {
  frameSignInAddress,
  markSignInWindow,
  SIGN_IN_WINDOW_PARAM,
  tabStorageWorks,
} from './fhir/frameSignIn';
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
      const host = e.iss.length > 1 ? `${e.name} (${new URL(iss).host})` : e.name;
      // Where the FST records are kept, and that the EHR's sign-in reaches it too.
      const name = e.recordStore
        ? `${host}, FST records in ${e.recordStore.name} (same sign-in, by token exchange)`
        : host;
      const base = `launch.html?iss=${encodeURIComponent(iss)}`;
      return [
        { label: `${name}: open a youth`, href: base },
        { label: `${name}: caseload and quality report`, href: `${base}&caseload=1` },
      ];
    }),
  );
  show('Start FST Companion', 'Choose where to sign in.', links);
}

/**
 * The browser, not the EHR, keeps the sign-in's state out of this page. In an EHR frame (storage blocked for
 * sites embedded by another) the app's page offers a sign-in in a small window of its own and runs from memory
 * in the frame (src/fhir/frameSignIn.ts); the launch parameters go with it.
 */
function storageBlocked(): void {
  if (window.top !== window) {
    window.location.replace(frameSignInAddress(window.location.search));
    return;
  }
  // Its own tab refuses storage too: only the browser's setting can change that.
  show(
    'This browser keeps FST Companion from signing in',
    'It blocks storage for this site (a browser privacy setting, not a fault of the EHR). Allow this site to keep data for the session, then launch FST Companion again.',
  );
}

/**
 * Back from the app's first screen lands here again, on a launch the EHR has already used: running it again
 * would fail at the EHR and overwrite this tab's session. With a completed session for the same server in
 * this tab, go forward to the app instead.
 */
function returnedByBack(iss: string): boolean {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return nav?.type === 'back_forward' && hasCompletedSession(iss);
}

function hasCompletedSession(iss: string): boolean {
  try {
    const key = JSON.parse(sessionStorage.getItem('SMART_KEY') ?? 'null') as unknown;
    if (typeof key !== 'string') return false;
    const state = JSON.parse(sessionStorage.getItem(key) ?? 'null') as {
      serverUrl?: string;
      tokenResponse?: { access_token?: string };
    } | null;
    const same = state?.serverUrl?.replace(/\/+$/, '') === iss.replace(/\/+$/, '');
    return same && !!state?.tokenResponse?.access_token;
  } catch {
    return false;
  }
}

// The same when the browser restores this page from its back-forward cache (no script runs again).
window.addEventListener('pageshow', (e) => {
  const iss = new URLSearchParams(window.location.search).get('iss');
  if (e.persisted && iss && hasCompletedSession(iss)) window.history.forward();
});

async function main(): Promise<void> {
  if (!tabStorageWorks()) {
    storageBlocked();
    return;
  }
  const params = new URLSearchParams(window.location.search);
  const iss = params.get('iss');
  const launch = params.get('launch') ?? undefined;
  // The sign-in window of a storage-blocked frame: after the redirect, hand the session over (src/main.tsx).
  if (params.has(SIGN_IN_WINDOW_PARAM)) markSignInWindow();
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
  if (returnedByBack(iss)) {
    window.history.forward();
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
  if (err instanceof DOMException && err.name === 'SecurityError') {
    storageBlocked();
    return;
  }
  // fhirclient's messages describe the protocol step that failed (no patient data): show them.
  const detail = err instanceof Error ? ` (${err.message})` : '';
  show('Launch failed', `The EHR could not be reached to start the sign-in. Try launching again.${detail}`);
});
