import { useMemo } from 'react';
import { calendarFor } from '../../config/config';
import { evaluateEpisode } from '../../domain/compliance';
import type { EpisodeCompliance } from '../../domain/compliance';
import { episodeFor } from '../../domain/episode';
import type { Workspace } from '../../fhir/workspace';
import { usePatientSession } from '../../app/SessionContext';

/** The compliance of the youth's current referral (undefined without one), computed once per data change. */
export function useEpisodeCompliance(ws: Workspace): EpisodeCompliance | undefined {
  const session = usePatientSession();
  const referral = ws.referrals[0];
  return useMemo(
    () =>
      referral
        ? evaluateEpisode(
            episodeFor({
              referral,
              contacts: ws.contacts,
              plans: ws.plans,
              dischargePlans: ws.dischargePlans,
            }),
            new Date(),
            calendarFor(session.ehr),
          )
        : undefined,
    [referral, ws.contacts, ws.plans, ws.dischargePlans, session.ehr],
  );
}
