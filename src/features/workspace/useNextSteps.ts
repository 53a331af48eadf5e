import { useMemo } from 'react';
import { nextSteps } from '../../domain/nextSteps';
import type { NextSteps } from '../../domain/nextSteps';
import { currentReferral } from '../../domain/referral';
import { ASSUMED_CAPABILITIES, writeGrant } from '../../fhir/capabilities';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { useCapabilities } from '../../app/useCapabilities';
import type { AppUser } from '../../domain/permissions';

/**
 * What this user may do next with this youth's FST episode (src/domain/nextSteps.ts): every button and
 * every typed address of the workspace reads it.
 */
export function useNextSteps(ws: Workspace, user: AppUser): NextSteps {
  const session = useSession();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  return useMemo(
    () =>
      nextSteps(
        {
          referral: currentReferral(ws.referrals, ws.launchedReferralId),
          contacts: ws.contacts,
          dischargePlans: ws.dischargePlans,
        },
        user,
        writeGrant(session.scopes, caps),
      ),
    [ws.referrals, ws.launchedReferralId, ws.contacts, ws.dischargePlans, user, session, caps],
  );
}
