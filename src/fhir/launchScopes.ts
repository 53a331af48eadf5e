/**
 * Which scopes to ask for. SMART 2 servers advertise `permission-v2`; for the others (SMART 1,
 * or no smart-configuration at all) every v2 clinical scope is translated to its v1 equivalents.
 * Granted scopes are read in either syntax by parseScopes.
 */
import { toV1Scopes } from './smartScopes';

export type LaunchKind = 'ehr' | 'standalone' | 'caseload';

/** EHR launch asks for the EHR's context; standalone asks the user to pick a patient; caseload for none. */
const CONTEXT_SCOPES: Record<LaunchKind, string[]> = {
  ehr: ['launch'],
  standalone: ['launch/patient'],
  caseload: [],
};

export function launchScopes(
  configured: readonly string[],
  kind: LaunchKind,
  capabilities: readonly string[] | undefined,
): string {
  const all = [...CONTEXT_SCOPES[kind], ...configured];
  const v2 = capabilities?.includes('permission-v2') ?? false;
  const scopes = v2 ? all : all.flatMap(toV1Scopes);
  return [...new Set(scopes)].join(' ');
}

/**
 * The server's advertised SMART capabilities, or undefined when it publishes none. Read through fhirclient's own
 * cache (`getAndCache`): its authorize() reads the same document next, and gets it from there instead of
 * asking the server a second time (`npm run bench:ui` fails on such a repeat). The time limit races the read
 * rather than aborting it, so a slow answer still serves authorize().
 */
export async function fetchSmartCapabilities(iss: string, timeoutMs = 8000): Promise<string[] | undefined> {
  try {
    const url = `${iss.replace(/\/+$/, '')}/.well-known/smart-configuration`;
    // Loaded here, not at the top: the module touches `window` when it loads (Node tests import this file).
    const { getAndCache } = await import('fhirclient/lib/lib');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const json = (await Promise.race([
      getAndCache(url),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer))) as { capabilities?: unknown } | undefined;
    return Array.isArray(json?.capabilities)
      ? json.capabilities.filter((c): c is string => typeof c === 'string')
      : [];
  } catch {
    return undefined;
  }
}
