/**
 * Role checks where the data is: the sandbox refuses an FST contact written by someone the app's rules
 * (src/domain/permissions.ts, the same module) would not let write it — a clinician's call logged as an
 * FST contact, a care coordinator amending a Family Partner's note, a referral step out of turn, or a
 * discharge plan by anyone but the assigned Family Partner or a supervisor. A real EHR does this with its own
 * access control; the sandbox must not be looser than the app.
 */
import { Operator } from '@medplum/core';
import type { Communication, DocumentReference, PractitionerRole, Resource } from '@medplum/fhirtypes';
import type { AppUser } from '../../src/domain/permissions';
import { decide, isSupervisor, rolesFromCodes } from '../../src/domain/permissions';
import type { Referral } from '../../src/domain/model';
import { isFstReferral } from '../../src/domain/referral';
import type { ReferralAction } from '../../src/domain/referralTransitions';
import { canTransition, TRANSITIONS } from '../../src/domain/referralTransitions';
import { parseReferralTask } from '../../src/fhir/mappers/referral';
import { DEFAULT_ROLE_MAPPING } from '../../src/config/config';
import { CodeSystems, Profiles } from '../../src/fhir/codes';
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
  read: (reference: string) => Resource | undefined = () => undefined,
): string | undefined {
  if (!user) return undefined;
  // Incident reports by FST staff; their reviews closed by a supervisor.
  if (hasProfile(resource, Profiles.incidentReport) || hasProfile(stored, Profiles.incidentReport))
    return refusalOf(decide(user, 'report-incident'));
  if (hasProfile(resource, Profiles.incidentReview) || hasProfile(stored, Profiles.incidentReview))
    return refusalOf(decide(user, stored ? 'review-incident' : 'report-incident'));
  // Staff records: supervision sessions and staff qualifications are the FST supervisors' to write.
  if (hasProfile(resource, Profiles.supervisionSession) || hasProfile(stored, Profiles.supervisionSession))
    return refusalOf(decide(user, 'manage-staff'));
  if (resource?.resourceType === 'Practitioner' && stored) return refusalOf(decide(user, 'manage-staff'));
  // A team meeting FST logged is FST's record, as a contact is.
  if (isTeamMeeting(resource) || isTeamMeeting(stored)) {
    const decision = decide(user, 'log-contact');
    return decision.allowed ? undefined : decision.reason;
  }
  if (isDischargePlan(resource) || isDischargePlan(stored))
    return dischargePlanRefusal(user, (resource ?? stored) as DocumentReference, read);
  if (resource?.resourceType === 'Task' || stored?.resourceType === 'Task')
    return referralRefusal(user, resource, stored);
  if (!isFstContact(resource) && !isFstContact(stored)) return undefined;
  const decision = stored
    ? decide(user, 'amend-contact', { authorReference: (stored as Communication).sender?.reference })
    : decide(user, 'log-contact');
  return decision.allowed ? undefined : decision.reason;
}

const hasProfile = (resource: Resource | undefined, profile: string) =>
  (resource?.meta?.profile ?? []).includes(profile);
const refusalOf = (d: ReturnType<typeof decide>) => (d.allowed ? undefined : d.reason);

function isTeamMeeting(resource: Resource | undefined): boolean {
  return (
    resource?.resourceType === 'Encounter' && (resource.meta?.profile ?? []).includes(Profiles.teamMeeting)
  );
}

function isDischargePlan(resource: Resource | undefined): boolean {
  return (
    resource?.resourceType === 'DocumentReference' &&
    (resource.meta?.profile ?? []).includes(Profiles.dischargePlan)
  );
}

/** Our discharge plans (new or corrected): the assigned Family Partner of the referral, or a supervisor. */
function dischargePlanRefusal(
  user: AppUser,
  plan: DocumentReference,
  read: (reference: string) => Resource | undefined,
): string | undefined {
  const taskRef = plan.context?.related?.find((r) => r.reference?.startsWith('Task/'))?.reference;
  const referral = taskRef ? asReferral(read(taskRef)) : undefined;
  const decision = decide(user, 'discharge', {
    assignedReference: referral?.ownerReference,
    requesterReference: referral?.requesterReference,
  });
  return decision.allowed ? undefined : decision.reason;
}

const asReferral = (r: Resource | undefined): Referral | undefined => {
  if (r?.resourceType !== 'Task') return undefined;
  const parsed = parseReferralTask(r as never);
  return parsed.ok && isFstReferral(parsed.value) ? parsed.value : undefined;
};

/**
 * FST referral Tasks: a new one is a referral (clinicians and care coordinators, or FST supervisors
 * recording a self-referral); a status change must be a step of the transition table this user may take;
 * a change of owner is an assignment (FST supervisors).
 */
function referralRefusal(
  user: AppUser,
  resource: Resource | undefined,
  stored: Resource | undefined,
): string | undefined {
  const before = asReferral(stored);
  const after = asReferral(resource);
  if (!before && !after) return undefined;
  if (!before) {
    const refer = decide(user, 'refer');
    return refer.allowed || isSupervisor(user) ? undefined : refer.reason;
  }
  if (!after) return 'An FST referral Task stays an FST referral.';
  if (after.ownerReference !== before.ownerReference) {
    const assign = decide(user, 'assign-family-partner');
    if (!assign.allowed) return assign.reason;
  }
  if (after.status === before.status && after.stage === before.stage) return undefined;
  const steps = (Object.keys(TRANSITIONS) as ReferralAction[]).filter(
    (a) => TRANSITIONS[a].to === after.status && TRANSITIONS[a].stage === after.stage,
  );
  const checks = steps.map((a) => canTransition(before, a, user));
  if (checks.some((c) => c.allowed)) return undefined;
  const refused = checks.find((c) => !c.allowed);
  const reason = refused && !refused.allowed ? refused.reason : undefined;
  return reason ?? `A referral cannot go from ${before.status} to ${after.status}.`;
}
