/**
 * Drives a SMART authorization-code flow against the sandbox without a browser: follows the
 * redirects with a small cookie jar, exactly as a browser would. For sandbox tests only.
 */
import { createHash, randomBytes } from 'node:crypto';

export const APP_URL = 'http://localhost:5173';

export const CLIENT_ID = 'fst-companion';

export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return {
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
  };
}

export interface AuthorizeParams {
  issuer: string;
  fhirBase: string;
  scope: string;
  launch?: string;
  challenge?: string;
  aud?: string;
  state?: string;
  /** Form fields for the standalone picker, when it is shown. */
  picker?: Record<string, string>;
  /** The app origin the client is registered with (its redirect URI is `${appUrl}/`). */
  appUrl?: string;
}

/** Runs the authorize leg; returns the redirect back to the app (with `code` or `error`). */
export async function authorize(p: AuthorizeParams): Promise<URL> {
  const jar = new CookieJar();
  const url = new URL(`${p.issuer}/auth`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', CLIENT_ID);
  const appUrl = p.appUrl ?? APP_URL;
  url.searchParams.set('redirect_uri', `${appUrl}/`);
  url.searchParams.set('scope', p.scope);
  url.searchParams.set('state', p.state ?? randomBytes(8).toString('hex'));
  url.searchParams.set('aud', p.aud ?? p.fhirBase);
  if (p.launch) url.searchParams.set('launch', p.launch);
  if (p.challenge) {
    url.searchParams.set('code_challenge', p.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  let next: string = url.toString();
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    if (next.startsWith(appUrl)) return new URL(next);
    const res = await fetch(next, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    jar.store(res);
    method = 'GET';
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      next = new URL(location, next).toString();
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status === 200 && action && p.picker) {
      next = new URL(action.replace(/&#38;/g, '&'), next).toString();
      method = 'POST';
      body = new URLSearchParams(p.picker).toString();
      continue;
    }
    throw new Error(`authorize stopped at ${res.status}: ${html.slice(0, 300)}`);
  }
  throw new Error('too many redirects');
}

export async function exchangeCode(
  issuer: string,
  code: string,
  verifier?: string,
  appUrl = APP_URL,
): Promise<Response> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${appUrl}/`,
    client_id: CLIENT_ID,
  });
  if (verifier) form.set('code_verifier', verifier);
  return fetch(`${issuer}/token`, {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** An EHR launch: the sandbox's /launch then the whole flow; returns the token response. */
export async function ehrLaunchToken(
  baseUrl: string,
  opts: {
    patient: string;
    user: string;
    scope: string;
    issuer: string;
    fhirBase: string;
    appUrl?: string;
  },
): Promise<Record<string, unknown>> {
  const appUrl = opts.appUrl ?? APP_URL;
  const launchRes = await fetch(
    `${baseUrl}/launch?app=${encodeURIComponent(`${appUrl}/launch.html`)}&patient=${opts.patient}&user=${opts.user}`,
    { redirect: 'manual' },
  );
  const launch = new URL(launchRes.headers.get('location') ?? '').searchParams.get('launch') ?? undefined;
  const { verifier, challenge } = pkcePair();
  const back = await authorize({ ...opts, launch, challenge });
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.toString()}`);
  const res = await exchangeCode(opts.issuer, code, verifier, appUrl);
  return (await res.json()) as Record<string, unknown>;
}
