import { useMemo } from 'react';
import { calendarFor } from '../../config/config';
import { evaluateEpisode } from '../../domain/compliance';
import type { EpisodeCompliance } from '../../domain/compliance';
import { episodeFor } from '../../domain/episode';
import { currentReferral } from '../../domain/referral';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { usePendingContacts } from '../offline/outboxState';

/** The compliance of the youth's current FST referral (undefined without one), computed once per data change. */
export function useEpisodeCompliance(ws: Workspace): EpisodeCompliance | undefined {
  const session = useSession();
  // Contacts saved on the device and not yet sent: the clocks say pending for them, never met.
  const pending = usePendingContacts(session, usePatientId());
  const referral = useMemo(
    () => currentReferral(ws.referrals, ws.launchedReferralId),
    [ws.referrals, ws.launchedReferralId],
  );
  return useMemo(
    () =>
      referral
        ? evaluateEpisode(
            {
              ...episodeFor({
                referral,
                contacts: ws.contacts,
                contactsGap: ws.contactsGap,
                plans: ws.plans,
                dischargePlans: ws.dischargePlans,
                fstStaff: ws.fstStaff,
                reviews: ws.reviews,
                reviewIntervalDays: session.ehr.continuingStayReviewDays,
                meetings: ws.meetings,
                referrals: ws.referrals,
              }),
              pendingContacts: pending.filter((c) => c.state === 'pending'),
            },
            new Date(),
            calendarFor(session.ehr),
          )
        : undefined,
    [
      referral,
      ws.contacts,
      ws.contactsGap,
      ws.plans,
      ws.dischargePlans,
      ws.fstStaff,
      ws.reviews,
      ws.meetings,
      ws.referrals,
      session.ehr,
      pending,
    ],
  );
}
