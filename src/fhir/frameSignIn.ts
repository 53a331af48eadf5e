/**
 * Signing in inside an EHR frame whose browser blocks storage for embedded sites (a privacy setting: the
 * frame's sessionStorage throws). fhirclient keeps its sign-in state in sessionStorage, which cannot survive
 * the authorization redirect there. So the launch page sends the frame to the app page, which offers a small
 * sign-in window (a top-level window, where storage works); that window runs the ordinary launch and code
 * exchange, hands the finished session to the frame by `postMessage` (same origin only), forgets it and closes.
 * The frame keeps the session in memory and runs the app in the same document: nothing is stored, so a reload
 * of the frame asks for a new launch.
 *
 * This module is the launch page's part, what both pages share, and the checks the app page makes before anything
 * loads (no fhirclient here); the app page's sign-in window and hand-over are src/fhir/frameSession.ts.
 */

/** The launch page's parameter that marks the sign-in window. */
export const SIGN_IN_WINDOW_PARAM = 'signin-window';
/** The app page's parameter: this frame signs in through a window (with the launch's own parameters beside it). */
export const FRAME_SIGN_IN_PARAM = 'frame-sign-in';
/** Kept in the sign-in window's own sessionStorage across the redirect: hand the session over, do not run. */
export const HAND_OVER_KEY = 'fst-sign-in-for-frame';

/** Whether this document may use sessionStorage at all (a storage-blocking browser throws on access). */
export function tabStorageWorks(): boolean {
  try {
    const probe = 'fst-storage-probe';
    sessionStorage.setItem(probe, '1');
    sessionStorage.removeItem(probe);
    return true;
  } catch {
    return false;
  }
}

/** The app page that offers the sign-in, for the launch page's query (`?iss=…&launch=…`). */
export function frameSignInAddress(launchQuery: string): string {
  const params = new URLSearchParams(launchQuery);
  params.set(FRAME_SIGN_IN_PARAM, '1');
  return `./?${params.toString()}`;
}

/** In the sign-in window, before the redirect: remember to hand the session over instead of running. */
export function markSignInWindow(): void {
  sessionStorage.setItem(HAND_OVER_KEY, '1');
}

// ---------------------------------------------------------------- read by the app page before anything loads

/** On the app page: the launch to run in the sign-in window, when this frame was sent here to sign in. */
export function frameSignInLaunch(): string | undefined {
  const params = new URLSearchParams(window.location.search);
  if (!params.has(FRAME_SIGN_IN_PARAM)) return undefined;
  params.delete(FRAME_SIGN_IN_PARAM);
  return new URL(`launch.html?${params.toString()}`, window.location.href).href;
}

/** After the redirect: this window signs in for a frame (and the frame is still there to receive it). */
export function isSignInWindow(): boolean {
  try {
    return sessionStorage.getItem(HAND_OVER_KEY) === '1' && window.opener !== null;
  } catch {
    return false;
  }
}
