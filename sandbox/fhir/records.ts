/**
 * Whether a stored resource is an FST record, decided by what it says (its codes, identifiers, questionnaire,
 * profile, extensions — anything in our canonical namespace — an H2014 order, an FST discharge plan by its
 * LOINC type), never by `meta.profile` alone: a record written without our profile is read by the app all the
 * same. Audit records (Provenance) count too. FST records are never hard-deleted: a withdrawal is
 * entered-in-error with a Provenance, and `_history` keeps every version.
 */
import type { Resource } from '@medplum/fhirtypes';
import { FST_CANONICAL, H2014 } from '../../src/fhir/codes';

const DISCHARGE_SUMMARY = 'http://loinc.org|18842-5';

/** True when some string value under `value` (a system, url, profile or canonical) is in our namespace. */
function mentionsOurs(value: unknown, depth = 0): boolean {
  if (depth > 8 || value === null || value === undefined) return false;
  if (typeof value === 'string') return value.startsWith(`${FST_CANONICAL}/`);
  if (Array.isArray(value)) return value.some((v) => mentionsOurs(v, depth + 1));
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of [
      'system',
      'url',
      'profile',
      'questionnaire',
      'meta',
      'coding',
      'identifier',
      'extension',
    ])
      if (mentionsOurs(o[key], depth + 1)) return true;
    for (const key of ['category', 'type', 'code', 'businessStatus', 'statusReason', 'class', 'serviceType'])
      if (mentionsOurs(o[key], depth + 1)) return true;
  }
  return false;
}

const codings = (concept: unknown): { system?: string; code?: string }[] =>
  (Array.isArray(concept) ? concept : [concept]).flatMap(
    (c) => (c as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? [],
  );

export function isFstRecord(resource: Resource | undefined): boolean {
  if (!resource) return false;
  if (resource.resourceType === 'Provenance') return true;
  if (mentionsOurs(resource)) return true;
  const r = resource as unknown as { code?: unknown; type?: unknown };
  if (resource.resourceType === 'ServiceRequest')
    return codings(r.code).some((c) => c.system === H2014.system && c.code === H2014.code);
  if (resource.resourceType === 'DocumentReference')
    return codings(r.type).some((c) => `${c.system}|${c.code}` === DISCHARGE_SUMMARY);
  return false;
}
