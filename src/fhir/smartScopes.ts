/**
 * SMART on FHIR clinical scopes, v2 (`patient/Task.crus`) and v1 (`patient/Task.read`), parsed into
 * one permission model. Pure code: the app uses it to check what a token allows, and the sandbox
 * uses the same parser to enforce it.
 * Spec: SMART App Launch 2.x, "Scopes for requesting clinical data".
 */

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ClinicalScope {
  context: ScopeContext;
  /** A resource type, or '*' for all. */
  resourceType: string;
  permissions: ReadonlySet<Permission>;
  /** A fine-grained constraint (`category=…` in `patient/Communication.rs?category=…`): search parameters. */
  query?: string;
}

const V2_ORDER = 'cruds';
// A v1 `.write` is create and update, not delete (SMART 2's own mapping of v1 write: `cu`); `*` is read and
// write. Nothing v1 deletes: an app that needs delete asks for it in v2 (`.d`).
const V1_PERMISSIONS: Record<string, Permission[]> = {
  read: ['r', 's'],
  write: ['c', 'u'],
  '*': ['c', 'r', 'u', 's'],
};
const CLINICAL = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/;

/** Parses one scope; undefined for non-clinical scopes (`openid`, `launch`…) and malformed ones. */
export function parseClinicalScope(scope: string): ClinicalScope | undefined {
  const match = CLINICAL.exec(scope);
  if (!match) return undefined;
  const [, context, resourceType, perms, rawQuery] = match as unknown as [
    string,
    ScopeContext,
    string,
    string,
    string | undefined,
  ];
  const query = rawQuery && rawQuery.length > 1 ? rawQuery.slice(1) : undefined;
  const v1 = V1_PERMISSIONS[perms];
  if (v1) return { context, resourceType, permissions: new Set(v1), ...(query ? { query } : {}) };
  // v2 permissions are a non-empty subsequence of "cruds", in that order.
  let last = -1;
  for (const ch of perms) {
    const at = V2_ORDER.indexOf(ch);
    if (at <= last) return undefined;
    last = at;
  }
  return {
    context,
    resourceType,
    permissions: new Set(perms as unknown as Iterable<Permission>),
    ...(query ? { query } : {}),
  };
}

export interface GrantedScopes {
  readonly raw: readonly string[];
  readonly clinical: readonly ClinicalScope[];
  has(scope: string): boolean;
  /** Whether any granted clinical scope allows `permission` on `resourceType` (in any or the given context). */
  allows(resourceType: string, permission: Permission, context?: ScopeContext): boolean;
}

export function parseScopes(scope: string | undefined): GrantedScopes {
  const raw = (scope ?? '').split(/\s+/).filter(Boolean);
  const set = new Set(raw);
  const clinical = raw.map(parseClinicalScope).filter((s): s is ClinicalScope => s !== undefined);
  return {
    raw,
    clinical,
    has: (s) => set.has(s),
    allows: (resourceType, permission, context) =>
      clinical.some(
        (s) =>
          (context === undefined || s.context === context) &&
          (s.resourceType === '*' || s.resourceType === resourceType) &&
          s.permissions.has(permission),
      ),
  };
}

/** The v1 equivalents of a v2 scope, for servers that do not advertise `permission-v2`. */
export function toV1Scopes(scope: string): string[] {
  const parsed = parseClinicalScope(scope);
  if (!parsed) return [scope];
  const base = `${parsed.context}/${parsed.resourceType}`;
  const p = parsed.permissions;
  const out: string[] = [];
  if (p.has('r') || p.has('s')) out.push(`${base}.read`);
  if (p.has('c') || p.has('u') || p.has('d')) out.push(`${base}.write`);
  return out;
}
