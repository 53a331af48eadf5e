/**
 * Whether a stored resource is an FST record, decided by what it says (its codes, identifiers, questionnaire,
 * profile, extensions — anything in our canonical namespace — an H2014 order, an FST discharge plan by its
 * LOINC type), never by `meta.profile` alone: a record written without our profile is read by the app all the
 * same. Audit records (Provenance) count too. FST records are never hard-deleted: a withdrawal is
 * entered-in-error with a Provenance, and `_history` keeps every version.
 */
import type { Resource } from '@medplum/fhirtypes';
import { FST_CANONICAL } from '../../src/fhir/codes';
import { recordKindOf } from '../../src/fhir/recordKind';

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

/**
 * An FST record: one of the kinds the write guard judges (src/fhir/recordKind.ts, by codes), or anything else
 * that carries our namespace (a Goal with our extension, say).
 */
export function isFstRecord(resource: Resource | undefined): boolean {
  if (!resource) return false;
  return recordKindOf(resource) !== undefined || mentionsOurs(resource);
}
