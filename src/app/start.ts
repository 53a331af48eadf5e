/**
 * What the page starts before React renders: the SMART session, the one query cache, and — for a patient
 * launch — the youth's first read, sent the moment the session exists rather than after the shell has
 * rendered and painted (`npm run bench:ui` measures token → interactive).
 */
import type { QueryClient } from '@tanstack/react-query';
import type { SmartSession } from '../fhir/session';
import { createQueryClient } from './queryClient';
import { restoreDrafts } from '../ui/drafts';

/** Set once a request answers 401; the app then says so and keeps the screen (App.tsx). */
export interface SessionExpiry {
  subscribe(listener: () => void): () => void;
  expired(): boolean;
}

export interface AppStart {
  session: Promise<SmartSession>;
  queryClient: QueryClient;
  expiry: SessionExpiry;
}

/**
 * Drafts this user left in another tab (an EHR opens a relaunch in a new one) are put into this tab before the
 * app renders, so the form is waiting (src/ui/draftVault.ts). A vault that fails costs the drafts, not the launch.
 */
async function withDrafts(session: SmartSession): Promise<SmartSession> {
  const user = session.user ? `${session.user.resourceType}/${session.user.id}` : '';
  await restoreDrafts(session.serverUrl, user).catch(() => undefined);
  return session;
}

export function startApp(launched: Promise<SmartSession>): AppStart {
  // The offline copies (src/features/offline): loaded beside the code exchange, so the session waits for
  // nothing. If the chunk cannot load, the app runs online only.
  const offline = import('../features/offline/offlineSession');
  offline.catch(() => undefined);
  const session = launched.then(withDrafts).then((s) =>
    offline.then(
      (m) => m.withOfflineReads(s),
      () => s,
    ),
  );
  let expired = false;
  const listeners = new Set<() => void>();
  const queryClient = createQueryClient(() => {
    expired = true;
    for (const listener of listeners) listener();
  });
  // Loaded while the code is exchanged for the token, not after: evaluating it once the token is there
  // delayed the first read by ~50 ms (bench:ui timeline). A caseload launch loads it for nothing
  // (≤ 20 kB gzip with what it adds, part of it shared with the caseload).
  const workspaceReads = import('../features/workspace/useWorkspace');
  // Its failure is the workspace's to show (as below); a caseload launch never awaits it.
  workspaceReads.catch(() => undefined);
  session.then(
    (s) => {
      const patientId = s.patientId;
      if (!patientId) return;
      workspaceReads
        .then((m) => m.prefetchWorkspace(queryClient, s, patientId))
        // A failure here is the workspace's own query's to show, when it runs.
        .catch(() => undefined);
    },
    // A failed launch is App's to show.
    () => undefined,
  );
  return {
    session,
    queryClient,
    expiry: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      expired: () => expired,
    },
  };
}
