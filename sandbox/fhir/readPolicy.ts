/**
 * The record store's read rule (src/domain/policy.ts, the `read` column; issue 34: "Family Partners read every
 * family in the store"): a family's FST records — and the store's stubs of the youth and caregivers — are read
 * by the family's assigned Family Partner, FST supervisors, program managers and the youth's treaters (who
 * referred, or whom the EHR launched on the youth); staff records by all staff. Applied inside every read,
 * search, `_include` and batch entry, through the request's AccessPolicy.
 */
import { LINKED_TYPES } from '../../src/fhir/crossServer';
import { Operator } from '@medplum/core';
import type { Resource, Task } from '@medplum/fhirtypes';
import { overseesProgram } from '../../src/domain/permissions';
import type { AppUser } from '../../src/domain/permissions';
import { decideFamilyRead, decideRead, OWN_READ_RULE_KINDS, POLICY } from '../../src/domain/policy';
import { recordKindOf } from '../../src/fhir/recordKind';
import type { AccessTokenInfo } from '../auth/provider';
import type { ReadStored } from './access';
import { patientOf, userOf } from './guard';
import type { ValidatingRepository } from './repository';

/** The youths of the FST referrals whose `code` (owner, requester) is one of `refs`. */
async function youthsOf(repo: ValidatingRepository, code: string, refs: readonly string[]) {
  const tasks = await repo.searchResources<Task>({
    resourceType: 'Task',
    filters: [{ code, operator: Operator.EQUALS, value: refs.join(',') }],
    count: 100_000,
  });
  return new Set(
    tasks
      .filter((t) => recordKindOf(t) === 'referral-task')
      .map((t) => t.for?.reference)
      .filter((r): r is string => r !== undefined),
  );
}

/** The read rule for one request's token; it decides each record from the youth it is about. */
export async function storeReadRule(
  repo: ValidatingRepository,
  token: AccessTokenInfo,
  read: ReadStored,
): Promise<(resource: Resource) => boolean> {
  // A backend client of the store (the token-exchange service's directory) reads people and organisations
  // (whose linked stubs it finds and makes), never a family's FST records.
  if (token.backendClient)
    return (resource) => LINKED_TYPES.has(resource.resourceType) || !recordKindOf(resource, read);
  const user = await userOf(repo, token.fhirUser);
  if (!user) return () => false;
  if (overseesProgram(user)) return () => true;
  const me = user.references[0];
  const [assigned, referred] = await Promise.all([
    youthsOf(repo, 'owner', user.references),
    youthsOf(repo, 'requester', user.references),
  ]);
  const launched = token.patient ? `Patient/${token.patient}` : undefined;
  const byYouth = new Map<string, boolean>();
  const ownRule = ownReadKindsDecider(user, read);
  return (resource) => {
    const own = ownRule(resource);
    if (own !== undefined) return own;
    const youth = patientOf(resource, read);
    if (!youth) {
      const kind = recordKindOf(resource, read);
      return kind ? decideRead(user, kind).allowed : true;
    }
    let allowed = byYouth.get(youth);
    if (allowed === undefined) {
      allowed = decideFamilyRead(user, {
        assignedReference: assigned.has(youth) ? me : undefined,
        requesterReference: referred.has(youth) ? me : undefined,
        launchedOnYouth: youth === launched,
      }).allowed;
      byYouth.set(youth, allowed);
    }
    return allowed;
  };
}

/** The resource types of the kinds read by their own row (claim lines: billing), not by the family rule. */
const OWN_READ_TYPES = new Set(OWN_READ_RULE_KINDS.map((k) => POLICY[k].resourceType));

function ownReadKindsDecider(user: AppUser, read: ReadStored): (resource: Resource) => boolean | undefined {
  return (resource) => {
    if (!OWN_READ_TYPES.has(resource.resourceType)) return undefined;
    const kind = recordKindOf(resource, read);
    return kind && OWN_READ_RULE_KINDS.includes(kind) ? decideRead(user, kind).allowed : undefined;
  };
}

/**
 * Whether a request to the EHR could answer with a record read by its own row: its address or body names the
 * type (a search, a read, an `_include`, a batch entry). Other reads pay nothing for the rule.
 */
export function mayTouchOwnReadKinds(relativeUrl: string, body: unknown): boolean {
  const text = `${relativeUrl} ${body === undefined ? '' : JSON.stringify(body)}`;
  return (
    [...OWN_READ_TYPES].some((type) => text.includes(type)) || /(^|\/)_history|[?&]_type=/.test(relativeUrl)
  );
}

/**
 * On the EHR, which applies its own read rules to the chart, the kinds of the policy table that are not the
 * chart's (claim lines) are still read by the table: a person's token reads them only where the row allows;
 * a backend client (the measures job, no user) reads what its scopes grant.
 */
export async function ownReadKindsRule(
  repo: ValidatingRepository,
  token: AccessTokenInfo,
  read: ReadStored,
): Promise<((resource: Resource) => boolean) | undefined> {
  if (!token.fhirUser) return undefined;
  const user = await userOf(repo, token.fhirUser);
  if (!user) return (resource) => !OWN_READ_TYPES.has(resource.resourceType);
  const decider = ownReadKindsDecider(user, read);
  return (resource) => decider(resource) ?? true;
}
