/**
 * Where the outbox shows on the workspace: the replay's triggers always run (start, `online`, returning to
 * the app), while the card's code loads only when this user has something on the device — most visits have
 * nothing pending, and their first screen does not wait for it (issue 38's budget).
 */
import { lazy, Suspense } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { useCapabilities } from '../../app/useCapabilities';
import { ownerOfSignIn } from '../../domain/outbox';
import { useOutbox, useReplayTriggers } from './outboxState';

const OutboxCard = lazy(() => import('./OutboxCard').then((m) => ({ default: m.OutboxCard })));

export function OutboxSlot() {
  const session = useSession();
  const patientId = usePatientId();
  const caps = useCapabilities();
  const queryClient = useQueryClient();
  const owner = ownerOfSignIn(session.serverUrl, session.user);
  useReplayTriggers(session, owner, caps.data, queryClient);
  const box = useOutbox(owner);
  const something = box.entries.some((e) => e.patientId === patientId) || box.others > 0 || box.unavailable;
  if (!something) return null;
  return (
    <Suspense fallback={null}>
      <OutboxCard />
    </Suspense>
  );
}
