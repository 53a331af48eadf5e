/**
 * Which Tasks are requests to the caregiver (issue 39), by their code: all the record classification
 * (`recordKind.ts`) needs, without the request mapper itself.
 */
import type { CaregiverPurpose } from '../../domain/caregiver';
import { CAREGIVER_PURPOSES } from '../../domain/caregiver';
import { CodeSystems } from '../codes';

/** The Task codes (CodeSystems.fstTaskCode) of each purpose. */
export const REQUEST_CODE: Record<CaregiverPurpose, string> = {
  'sign-plan': 'caregiver-sign-plan',
  'answer-survey': 'caregiver-survey',
};

type Loose = { resourceType: string; [key: string]: unknown };
const codingsOf = (r: Loose) =>
  ((r.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).filter(
    (c) => c.system === CodeSystems.fstTaskCode,
  );

export function purposeOf(r: { resourceType: string }): CaregiverPurpose | undefined {
  if (r.resourceType !== 'Task') return undefined;
  const codes = codingsOf(r as Loose).map((c) => c.code);
  return CAREGIVER_PURPOSES.find((p) => codes.includes(REQUEST_CODE[p]));
}

export function isCaregiverRequest(r: { resourceType: string }): boolean {
  return purposeOf(r) !== undefined;
}
