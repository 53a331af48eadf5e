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
import { decideFamilyRead, decideRead } from '../../src/domain/policy';
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
  return (resource) => {
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
