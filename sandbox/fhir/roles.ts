/**
 * Role checks where the data is: the sandbox refuses an FST contact written by someone the app's rules
 * (src/domain/permissions.ts, the same module) would not let write it — a clinician's call logged as an
 * FST contact, or a care coordinator amending a Family Partner's note. A real EHR does this with its own
 * access control; the sandbox must not be looser than the app.
 */
import { Operator } from '@medplum/core';
import type { Communication, PractitionerRole, Resource } from '@medplum/fhirtypes';
import type { AppUser } from '../../src/domain/permissions';
import { decide, rolesFromCodes } from '../../src/domain/permissions';
import { DEFAULT_ROLE_MAPPING } from '../../src/config/config';
import { CodeSystems } from '../../src/fhir/codes';
import type { ValidatingRepository } from './repository';

const FST_CATEGORIES = new Set(['caregiver-contact', 'collateral-contact']);

function isFstContact(resource: Resource | undefined): resource is Communication {
  return (
    resource?.resourceType === 'Communication' &&
    (resource.category ?? []).some((c) =>
      (c.coding ?? []).some(
        (k) => k.system === CodeSystems.contactCategory && FST_CATEGORIES.has(k.code ?? ''),
      ),
    )
  );
}

/** The token's user with FST roles from their PractitionerRoles in the store. */
export async function userOf(
  repo: ValidatingRepository,
  fhirUser: string | undefined,
): Promise<AppUser | undefined> {
  const match = fhirUser
    ? /(Practitioner|PractitionerRole|Patient|RelatedPerson)\/([^/]+)$/.exec(fhirUser)
    : null;
  if (!match) return undefined;
  const [, kind, id] = match;
  const reference = `${kind}/${id}`;
  if (kind !== 'Practitioner')
    return { kind: kind as AppUser['kind'], references: [reference], roles: new Set() };
  const roles = await repo.searchResources<PractitionerRole>({
    resourceType: 'PractitionerRole',
    filters: [{ code: 'practitioner', operator: Operator.EQUALS, value: reference }],
  });
  return {
    kind: 'Practitioner',
    references: [reference, ...roles.map((r) => `PractitionerRole/${r.id}`)],
    roles: rolesFromCodes(
      roles.flatMap((r) => (r.code ?? []).flatMap((c) => c.coding ?? [])),
      DEFAULT_ROLE_MAPPING,
    ),
  };
}

/**
 * Why this write is refused, or undefined when the user may make it. `stored` is the current version for
 * an update (the author is judged on what is stored, not on what the body claims).
 */
export function roleRefusal(
  user: AppUser | undefined,
  resource: Resource | undefined,
  stored: Resource | undefined,
): string | undefined {
  if (!user || (!isFstContact(resource) && !isFstContact(stored))) return undefined;
  const decision = stored
    ? decide(user, 'amend-contact', { authorReference: (stored as Communication).sender?.reference })
    : decide(user, 'log-contact');
  return decision.allowed ? undefined : decision.reason;
}
