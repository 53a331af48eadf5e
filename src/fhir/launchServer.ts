/**
 * The FHIR server a launch in this tab is signing in to, kept from the launch page to the redirect page
 * (sessionStorage; a server address and its public CapabilityStatement, no patient data). With the
 * statement in hand, the redirect page starts the youth's read the moment it has a token; without it, it
 * reads the statement while the code is exchanged.
 */
const SERVER = 'fst:launch-server';
const METADATA = 'fst:launch-server-metadata';
/** A statement larger than this is read again on the redirect page rather than kept. */
const MAX_METADATA = 1_000_000;

export function rememberLaunchServer(iss: string, metadata?: string): void {
  sessionStorage.setItem(SERVER, iss);
  sessionStorage.removeItem(METADATA);
  if (metadata === undefined || metadata.length > MAX_METADATA) return;
  try {
    sessionStorage.setItem(METADATA, metadata);
  } catch {
    // Storage full: the redirect page reads the statement itself.
  }
}

export function launchServer(): string | undefined {
  return sessionStorage.getItem(SERVER) ?? undefined;
}

/** The CapabilityStatement the launch page read, as text (parsed by the app). */
export function launchServerMetadata(): string | undefined {
  return sessionStorage.getItem(METADATA) ?? undefined;
}

/** The server's `metadata`, read without a token, as text; undefined on any failure. */
export async function fetchMetadataText(iss: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const response = await fetch(`${iss.replace(/\/+$/, '')}/metadata`, {
      headers: { accept: 'application/fhir+json' },
      signal,
    });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}
