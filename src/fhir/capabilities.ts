/**
 * What the FHIR server can do, read once per session from its CapabilityStatement, so the app
 * adapts instead of assuming: batch or parallel reads, `_include`, conditional create or
 * search-before-create, and which resource types it may write at all.
 */
import { z } from '../schema/z';
import { fhirRequest, SessionExpiredError } from './http';
import type { FhirTransport } from './http';
import { fetchMetadataText } from './launchServer';
import type { GrantedScopes } from './smartScopes';
import type { WriteGrant } from '../domain/nextSteps';

const resourceSchema = z.looseObject({
  type: z.string(),
  interaction: z.optional(z.array(z.looseObject({ code: z.string() }))),
  conditionalCreate: z.optional(z.boolean()),
  searchInclude: z.optional(z.array(z.string())),
  searchRevInclude: z.optional(z.array(z.string())),
});

const capabilitySchema = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  rest: z.optional(
    z.array(
      z.looseObject({
        mode: z.optional(z.string()),
        interaction: z.optional(z.array(z.looseObject({ code: z.string() }))),
        resource: z.optional(z.array(resourceSchema)),
      }),
    ),
  ),
});

export interface ServerCapabilities {
  batch: boolean;
  /** All-or-nothing Bundles; without it, writes of several resources use the ordered fallback. */
  transaction: boolean;
  /** Resource types the server serves, with their interactions. */
  interactions: ReadonlyMap<string, ReadonlySet<string>>;
  conditionalCreate: ReadonlySet<string>;
  includes: ReadonlyMap<string, readonly string[]>;
  /** True when the statement could not be read: assume a plain R4 server with batch. */
  assumed: boolean;
}

/** What we assume of a server whose CapabilityStatement is missing or unreadable. */
export const ASSUMED_CAPABILITIES: ServerCapabilities = {
  batch: true,
  transaction: true,
  interactions: new Map(),
  conditionalCreate: new Set(),
  includes: new Map(),
  assumed: true,
};

export function parseCapabilities(json: unknown): ServerCapabilities {
  const parsed = capabilitySchema.safeParse(json);
  if (!parsed.success) return ASSUMED_CAPABILITIES;
  const server = parsed.data.rest?.find((r) => r.mode === 'server') ?? parsed.data.rest?.[0];
  const interactions = new Map<string, Set<string>>();
  const conditionalCreate = new Set<string>();
  const includes = new Map<string, string[]>();
  for (const r of server?.resource ?? []) {
    interactions.set(r.type, new Set((r.interaction ?? []).map((i) => i.code)));
    if (r.conditionalCreate) conditionalCreate.add(r.type);
    includes.set(r.type, r.searchInclude ?? []);
  }
  const system = new Set((server?.interaction ?? []).map((i) => i.code));
  return {
    batch: system.has('batch') || system.has('transaction'),
    transaction: system.has('transaction'),
    interactions,
    conditionalCreate,
    includes,
    assumed: false,
  };
}

/** Whether `type` supports `interaction`; a server that lists nothing is not held against. */
export function supports(caps: ServerCapabilities, type: string, interaction: string): boolean {
  if (caps.assumed) return true;
  return caps.interactions.get(type)?.has(interaction) ?? false;
}

/** Whether `_include=<type>:<param>` will be honoured. */
export function supportsInclude(caps: ServerCapabilities, type: string, param: string): boolean {
  if (caps.assumed) return true;
  const list = caps.includes.get(type) ?? [];
  return list.includes('*') || list.includes(`${type}:${param}`);
}

export async function loadCapabilities(
  transport: FhirTransport,
  signal?: AbortSignal,
): Promise<ServerCapabilities> {
  try {
    const response = await fhirRequest<unknown>(transport, 'metadata', { signal });
    return parseCapabilities(response.body);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    if (err instanceof SessionExpiredError) throw err;
    return ASSUMED_CAPABILITIES;
  }
}

/**
 * The CapabilityStatement read without the token (FHIR servers serve `metadata` to anyone), so it can
 * be read while the code is still being exchanged. Undefined when the server wants a token for it, or
 * answers with something unreadable: the session then reads it with the token.
 */
export async function loadPublicCapabilities(serverUrl: string): Promise<ServerCapabilities | undefined> {
  const text = await fetchMetadataText(serverUrl, AbortSignal.timeout(10_000));
  return text === undefined ? undefined : capabilitiesFromText(text);
}

/** A CapabilityStatement read as text (by the launch page or above); undefined when unreadable. */
export function capabilitiesFromText(text: string): ServerCapabilities | undefined {
  try {
    const caps = parseCapabilities(JSON.parse(text));
    return caps.assumed ? undefined : caps;
  } catch {
    return undefined;
  }
}

/** What this session may write: within the token's scopes and accepted by the server (src/domain/nextSteps.ts). */
export function writeGrant(scopes: GrantedScopes, caps: ServerCapabilities): WriteGrant {
  return {
    refusal: (type, permission) =>
      !scopes.allows(type, permission)
        ? 'sign-in'
        : !supports(caps, type, permission === 'c' ? 'create' : 'update')
          ? 'server'
          : undefined,
  };
}
