/**
 * The referral's version conflict, apart from its writer (src/fhir/referrals.ts): the workspace's referral card
 * recognises it on screen, and loads the writer only when a change is made (issue 38).
 */
import type { Referral } from '../domain/model';
import { FhirError, VERSION_CONFLICT } from './http';

/** Someone changed the referral since the user read it: their version, to show before re-applying. */
export class ReferralConflictError extends FhirError {
  override name = 'ReferralConflictError';
  constructor(readonly current: Referral) {
    super(412, VERSION_CONFLICT);
  }
}
