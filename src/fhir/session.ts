/**
 * The SMART session: fhirclient completes the launch once per page load; what the app relies on
 * from the token response is parsed with zod into a `SmartSession`. Tokens stay inside fhirclient
 * (its sessionStorage state); the app only asks it for an Authorization header per request.
 */
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { z } from '../schema/z';
import { ConfigError, findEhr, loadConfig } from '../config/config';
import type { EhrConfig } from '../config/config';
import { ehrServerName, SessionExpiredError } from './http';
import type { FhirTransport } from './http';
import { parseScopes } from './smartScopes';
import { capabilitiesFromText, loadPublicCapabilities } from './capabilities';
import type { ServerCapabilities } from './capabilities';
import { launchServer, launchServerMetadata } from './launchServer';
import { clientInMemory, handOverToFrame } from './frameSession';
import { tabStorageWorks } from './frameSignIn';
import type { GrantedScopes } from './smartScopes';
import { NotLaunchedError } from './notLaunched';

// Where the app page's first paint needs it without this module (src/fhir/notLaunched.ts).
export { NotLaunchedError };

export type UserType = 'Practitioner' | 'PractitionerRole' | 'Patient' | 'RelatedPerson';

export interface SmartSession {
  transport: FhirTransport;
  serverUrl: string;
  /** Absent for a caseload session (a supervisor's standalone launch without a patient). */
  patientId?: string;
  encounterId?: string;
  user?: { resourceType: UserType; id: string };
  scopes: GrantedScopes;
  needPatientBanner: boolean;
  smartStyleUrl?: string;
  /** References the EHR passed as `fhirContext` (e.g. the open referral `Task/…`). */
  fhirContext: string[];
  /** Epoch seconds at which the access token expires, from fhirclient's state (survives reloads). */
  expiresAt?: number;
  /** A refresh token was issued: the session renews itself. Without one it ends at expiresAt. */
  canRefresh: boolean;
  ehr: EhrConfig;
  /** The CapabilityStatement, read without the token during the code exchange, when the server allows. */
  publicCapabilities?: Promise<ServerCapabilities | undefined>;
  /** FST records kept in the agency's record store beside the EHR (config.json `recordStore`). */
  recordStore?: { name: string; router: import('./recordRouter').RecordRouter };
}

/** A session launched for one youth. */
export type PatientSession = SmartSession & { patientId: string };

export class LaunchError extends Error {
  override name = 'LaunchError';
}

const tokenContextSchema = z.object({
  scope: z.optional(z.string()),
  patient: z.optional(z.string().check(z.minLength(1))),
  encounter: z.optional(z.string().check(z.minLength(1))),
  need_patient_banner: z.optional(z.boolean()),
  smart_style_url: z.optional(z.url()),
  fhirContext: z.optional(z.array(z.looseObject({ reference: z.optional(z.string()) }))),
});

const USER_REF =
  /(Practitioner|PractitionerRole|Patient|RelatedPerson)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** `fhirUser` may be relative (`Practitioner/1`) or absolute; only the type and id matter. */
export function parseFhirUser(fhirUser: string | null | undefined): SmartSession['user'] {
  const match = fhirUser ? USER_REF.exec(fhirUser) : null;
  return match ? { resourceType: match[1] as UserType, id: match[2] } : undefined;
}

/** fhirclient keeps the key of its state under SMART_KEY in this tab's sessionStorage. */
function hasLaunchInProgress(): boolean {
  const params = new URLSearchParams(window.location.search);
  if (!tabStorageWorks()) throw new NotLaunchedError(true);
  return params.has('code') || params.has('error') || sessionStorage.getItem('SMART_KEY') !== null;
}

function transportFor(client: Client, timeoutMs: number, serverName: string): FhirTransport {
  return {
    baseUrl: client.state.serverUrl.replace(/\/+$/, ''),
    timeoutMs,
    serverName,
    async authorization() {
      try {
        await client.refreshIfNeeded();
      } catch {
        throw new SessionExpiredError(401, {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: 'login',
              details: { text: 'Session expired' },
            },
          ],
        });
      }
      return client.getAuthorizationHeader();
    },
  };
}

export function sessionFromClient(client: Client, ehr: EhrConfig): SmartSession {
  const parsed = tokenContextSchema.safeParse(client.state.tokenResponse ?? {});
  if (!parsed.success) throw new LaunchError('The EHR sent a launch context the app cannot read.');
  const token = parsed.data;
  return {
    transport: transportFor(client, ehr.requestTimeoutMs, ehrServerName(ehr.name)),
    serverUrl: client.state.serverUrl.replace(/\/+$/, ''),
    patientId: token.patient,
    encounterId: token.encounter,
    user: parseFhirUser(client.getFhirUser()),
    scopes: parseScopes(token.scope),
    needPatientBanner: token.need_patient_banner ?? true,
    smartStyleUrl: token.smart_style_url,
    fhirContext: (token.fhirContext ?? []).map((c) => c.reference).filter((r): r is string => Boolean(r)),
    expiresAt: client.state.expiresAt,
    canRefresh: Boolean(client.state.tokenResponse?.refresh_token),
    ehr,
  };
}

/** The authorization server refused the sign-in (`?error=…`): its own words, for the user. */
export class AuthorizationError extends Error {
  override name = 'AuthorizationError';
}

/**
 * An OAuth error in the redirect: taken out of the address bar (no replay, nothing left in history) and
 * said in the server's words (error_description), not as "Something went wrong".
 */
function authorizationError(): AuthorizationError | undefined {
  const params = new URLSearchParams(window.location.search);
  const error = params.get('error');
  if (!error) return undefined;
  window.history.replaceState(null, '', window.location.pathname);
  const description = params.get('error_description');
  return new AuthorizationError(
    `The EHR's sign-in refused the launch: ${description ?? error}${description ? ` (${error})` : ''}. Launch again, or ask your administrator.`,
  );
}

/**
 * A refusal at the token endpoint (invalid_client, invalid_grant…) in the server's own words: fhirclient
 * puts the OAuth `error: error_description` on the last line of its HttpError's message.
 */
export function tokenEndpointError(err: unknown): AuthorizationError | undefined {
  if (!(err instanceof Error) || err.name !== 'HttpError') return undefined;
  const status = (err as { status?: number }).status;
  if (status !== 400 && status !== 401) return undefined;
  const last = err.message.split('\n').at(-1) ?? '';
  const m = /^([a-z_]+)(?:: (.+))?$/.exec(last.trim());
  if (!m) return undefined;
  const [, error, description] = m;
  return new AuthorizationError(
    `The EHR's sign-in refused the launch: ${description ?? error}${description ? ` (${error})` : ''}. Launch again, or ask your administrator.`,
  );
}

/** fhirclient's code exchange (`ready()`); a refusal at the token endpoint is said in the server's words. */
function exchangeCode(): Promise<Client> {
  // Public clients send their client_id when refreshing (RFC 6749 §6); fhirclient leaves it out by default.
  FHIR.oauth2.settings.refreshTokenWithClientId = true;
  return FHIR.oauth2.ready().catch((err: unknown) => {
    throw tokenEndpointError(err) ?? err;
  });
}

async function completeLaunch(): Promise<SmartSession> {
  const refused = authorizationError();
  if (refused) throw refused;
  if (!hasLaunchInProgress()) throw new NotLaunchedError();
  const server = launchServer();
  const read = launchServerMetadata();
  const publicCapabilities = !server
    ? undefined
    : read !== undefined
      ? Promise.resolve(capabilitiesFromText(read))
      : loadPublicCapabilities(server);
  const [config, client] = await Promise.all([loadConfig(), exchangeCode()]);
  const ehr = findEhr(config, client.state.serverUrl);
  if (!ehr) throw new ConfigError(`The FHIR server ${client.state.serverUrl} is not in config.json.`);
  // Drop the sign-in's own parameters from the address bar so a reload or a shared link never replays them;
  // the app's own (a history filter) stay.
  const query = new URLSearchParams(window.location.search);
  const signIn = ['code', 'state', 'iss', 'launch'].filter((k) => query.has(k));
  if (signIn.length) {
    for (const k of signIn) query.delete(k);
    const rest = query.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
  }
  const plain = sessionFromClient(client, ehr);
  return withStore(server === client.state.serverUrl ? { ...plain, publicCapabilities } : plain, client, ehr);
}

async function withStore(session: SmartSession, client: Client, ehr: EhrConfig): Promise<SmartSession> {
  if (!ehr.recordStore) return session;
  // The EHR does not hold every FST record: reach the agency's store with the same sign-in.
  const { withRecordStore } = await import('./storeSession');
  return withRecordStore(session, client, { ...ehr, recordStore: ehr.recordStore });
}

/**
 * In the sign-in window a storage-blocked EHR frame opened: complete the code exchange here and hand the
 * session to the frame (src/fhir/frameSignIn.ts). Resolves once handed over; the window then closes.
 */
export async function signInForFrame(): Promise<void> {
  const refused = authorizationError();
  if (refused) throw refused;
  handOverToFrame(await exchangeCode());
}

/** The session a frame received from its sign-in window, held in memory only. */
export async function sessionInMemory(state: Client['state']): Promise<SmartSession> {
  const config = await loadConfig();
  const ehr = findEhr(config, state.serverUrl);
  if (!ehr) throw new ConfigError(`The FHIR server ${state.serverUrl} is not in config.json.`);
  const client = clientInMemory(state);
  return withStore(sessionFromClient(client, ehr), client, ehr);
}

let started: Promise<SmartSession> | undefined;

/**
 * Completes the launch exactly once per page load (fhirclient's `ready()` exchanges the code; a second
 * call — e.g. from a StrictMode double effect — would fail). Call at module level, await in React.
 */
export function startSession(): Promise<SmartSession> {
  started ??= completeLaunch();
  return started;
}
