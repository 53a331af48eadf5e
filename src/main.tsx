/** Entry of index.html, the SMART redirect URL. */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { frameSignInLaunch, isSignInWindow } from './fhir/frameSignIn';
import type { SmartSession } from './fhir/session';
import { App } from './app/App';
import { startApp } from './app/start';
import { appUrl, homeOf } from './app/routes';
import './ui/base.css';

// The launch machinery (fhirclient, zod, the config) is a chunk of its own, announced in index.html so it
// downloads beside this script: the first paint does not wait for it (issue 25: initial JS).
const launch = () => import('./fhir/session');
// Only an EHR frame whose browser blocks storage needs it (src/fhir/frameSignIn.ts).
const FrameSignIn = lazy(() => import('./app/FrameSignIn').then((m) => ({ default: m.FrameSignIn })));

const element = document.getElementById('root') as HTMLElement;

if (isSignInWindow()) {
  // This window signs in for such a frame and hands the session over: no app runs here.
  element.textContent = 'Signing in…';
  launch()
    .then((m) => m.signInForFrame())
    .then(
      () => (element.textContent = 'Signed in. FST Companion opens in your EHR; this window closes.'),
      (err: unknown) =>
        (element.textContent = err instanceof Error ? err.message : 'The sign-in failed. Launch again.'),
    );
} else {
  // React logs errors caught by boundaries to the console by default; ours may quote server text about a
  // patient, so they are shown on screen by the boundary and logged nowhere.
  const silent = () => undefined;
  const root = createRoot(element, {
    onCaughtError: silent,
    onUncaughtError: silent,
    onRecoverableError: silent,
  });
  const run = (session: Promise<SmartSession>) =>
    root.render(
      <StrictMode>
        <App start={startApp(session)} />
      </StrictMode>,
    );
  const frameLaunch = frameSignInLaunch();
  if (frameLaunch)
    root.render(
      <Suspense fallback={<p role="status">Starting FST Companion…</p>}>
        <FrameSignIn
          launchUrl={frameLaunch}
          onSignedIn={(state) =>
            run(
              launch()
                .then((m) => m.sessionInMemory(state))
                .then((s) => {
                  // The app's own address, without a navigation (which would lose a session held in memory).
                  window.history.replaceState(null, '', appUrl(homeOf(s)));
                  return s;
                }),
            )
          }
        />
      </Suspense>,
    );
  // Once per page load, before React renders: StrictMode's double effects must not exchange the code twice,
  // and a patient's first read leaves as soon as the token is there (src/app/start.ts).
  else run(launch().then((m) => m.startSession()));
  registerOfflineShell();
}

/**
 * The offline shell (vite.config.ts `offlineShell`): registered once the page has loaded and the browser is
 * idle, so precaching never competes with the workspace's first read.
 */
function registerOfflineShell() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const config = `${import.meta.env.BASE_URL}config.json`;
  // This page read config.json before the worker controlled it: read once more through the worker, so a
  // reload without a network finds the last copy (the worker reads it from the network first).
  const warm = () => void fetch(config, { cache: 'no-store' }).catch(() => undefined);
  const register = () => {
    navigator.serviceWorker.addEventListener('controllerchange', warm, { once: true });
    if (navigator.serviceWorker.controller) warm();
    void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch(() => undefined);
  };
  const idle = () =>
    'requestIdleCallback' in window ? requestIdleCallback(register) : setTimeout(register, 2000);
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
