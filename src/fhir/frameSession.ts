/**
 * The app page's part of signing in inside a storage-blocked EHR frame (the whole flow: src/fhir/frameSignIn.ts):
 * the frame's sign-in window, the hand-over, and the session kept in memory.
 */
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import type { fhirclient } from 'fhirclient/lib/types';
import { SIGN_IN_WINDOW_PARAM } from './frameSignIn';

const MESSAGE_TYPE = 'fst-companion:signed-in';

interface HandOver {
  type: typeof MESSAGE_TYPE;
  state: fhirclient.ClientState;
}

// ---------------------------------------------------------------- the frame

/**
 * Opens the sign-in window for this launch (call from a click: browsers block windows opened otherwise) and
 * resolves with the session state it hands back. Rejects when the window could not open or was closed first.
 */
export function signInThroughWindow(launchUrl: string): Promise<fhirclient.ClientState> {
  const url = new URL(launchUrl);
  url.searchParams.set(SIGN_IN_WINDOW_PARAM, '1');
  const signIn = window.open(url.href, 'fst-companion-sign-in', 'popup,width=520,height=680');
  if (!signIn) return Promise.reject(new Error('The browser did not open the sign-in window.'));
  return new Promise((resolve, reject) => {
    const closed = setInterval(() => {
      if (!signIn.closed) return;
      // The window closes itself after posting: give its message a moment to arrive first.
      setTimeout(() => {
        window.removeEventListener('message', onMessage);
        reject(new Error('The sign-in window was closed before the sign-in finished.'));
      }, 500);
      clearInterval(closed);
    }, 300);
    function onMessage(e: MessageEvent) {
      // Only our own origin, and only the window this frame opened: the message carries the access token.
      if (e.origin !== window.location.origin || e.source !== signIn) return;
      const data = e.data as Partial<HandOver> | null;
      if (data?.type !== MESSAGE_TYPE || !data.state) return;
      clearInterval(closed);
      window.removeEventListener('message', onMessage);
      resolve(data.state);
    }
    window.addEventListener('message', onMessage);
  });
}

/**
 * A fhirclient Client over the handed-over state, kept in memory only: its adapter is fhirclient's own browser
 * adapter but for storage (a token refresh is kept for this page's life, never written to the blocked storage).
 */
export function clientInMemory(state: fhirclient.ClientState): Client {
  const client = FHIR.client(state);
  const memory = new Map<string, unknown>();
  const storage: fhirclient.Storage = {
    get: async (key: string) => memory.get(key),
    set: async (key: string, value: unknown) => {
      memory.set(key, value);
      return value;
    },
    unset: async (key: string) => memory.delete(key),
  };
  const browser = client.environment;
  const inMemory = Object.create(browser) as fhirclient.Adapter;
  inMemory.getStorage = () => storage;
  // Public clients send their client_id when refreshing (RFC 6749 §6), as in src/fhir/session.ts.
  Object.defineProperty(inMemory, 'options', {
    value: { ...browser.options, refreshTokenWithClientId: true },
  });
  // Typed read-only; a plain property of the instance, set by its constructor.
  Object.defineProperty(client, 'environment', { value: inMemory });
  return client;
}

// ---------------------------------------------------------------- the sign-in window

/**
 * Hands the finished session to the frame that opened this window (same origin only), then forgets it here —
 * no token stays in this window's storage — and closes.
 */
export function handOverToFrame(client: Client): void {
  const message: HandOver = { type: MESSAGE_TYPE, state: client.state };
  (window.opener as Window).postMessage(message, window.location.origin);
  sessionStorage.clear();
  window.close();
}
