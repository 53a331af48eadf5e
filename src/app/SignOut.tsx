/**
 * Signing out on a shared or lost device (issue 38): the workspace copies kept for offline reading are
 * deleted, this tab's sign-in (fhirclient's state) and every answer held in memory are dropped. What the user
 * wrote and the servers do not hold yet — pending records — stays on the device, sealed, and is sent at her
 * next sign-in: she is told how many before she confirms, so nothing is lost without her knowing.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ownerOfSignIn } from '../domain/outbox';
import { useSession } from './SessionContext';
import { appUrl } from './routes';

function signOutQuestion(pending: number): string {
  return pending === 0
    ? 'Sign out? The copies of workspaces kept on this device for offline reading are deleted.'
    : `${pending} ${pending === 1 ? 'record saved on this device is' : 'records saved on this device are'} not yet on the server. ` +
        'They stay on this device, sealed, and are sent the next time you sign in. Sign out? ' +
        'The copies of workspaces kept for offline reading are deleted.';
}

export function SignOutButton({ onSignedOut }: { onSignedOut: () => void }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    const owner = ownerOfSignIn(session.serverUrl, session.user);
    const { list } = await import('../features/offline/outboxStore');
    const pending = owner ? (await list(owner).catch(() => [])).length : 0;
    if (!window.confirm(signOutQuestion(pending))) return;
    setBusy(true);
    const { pruneReads } = await import('../features/offline/readCache');
    // `undefined` owner: every copy on the device goes, whoever it belonged to.
    await pruneReads(undefined, Date.now(), session.ehr.offlineHours).catch(() => 0);
    queryClient.clear();
    sessionStorage.clear();
    onSignedOut();
  };
  return (
    <button type="button" className="secondary sign-out" disabled={busy} onClick={() => void signOut()}>
      Sign out
    </button>
  );
}

export function SignedOut() {
  return (
    <main className="launch-panel">
      <h1 tabIndex={-1} ref={(h) => h?.focus()}>
        You are signed out
      </h1>
      <p>
        The copies kept on this device for offline reading were deleted. Close this tab, or{' '}
        <a href={appUrl('launch.html')}>sign in again</a>.
      </p>
    </main>
  );
}
