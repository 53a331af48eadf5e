import { lazy, Suspense, use, useEffect, useState } from 'react';
import { applySmartStyle } from './smartStyle';
import { QueryClientProvider } from '@tanstack/react-query';
import type { SmartSession } from '../fhir/session';
import { NotLaunchedError } from '../fhir/session';
import { Alert } from '../ui/Alert';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { WorkspacePage } from '../features/workspace/WorkspacePage';
// The supervisor's caseload is a separate chunk: clinicians and Family Partners never download it.
const CaseloadPage = lazy(() =>
  import('../features/quality/CaseloadPage').then((m) => ({ default: m.CaseloadPage })),
);
import { SessionContext } from './SessionContext';
import { createQueryClient } from './queryClient';
import { UserBadge } from './UserBadge';

export function App({ session }: { session: Promise<SmartSession> }) {
  return (
    <ErrorBoundary fallback={(error) => <LaunchProblem error={error} />}>
      <Suspense fallback={<p role="status">Connecting to the EHR…</p>}>
        <LaunchedApp sessionPromise={session} />
      </Suspense>
    </ErrorBoundary>
  );
}

function LaunchProblem({ error }: { error: unknown }) {
  if (error instanceof NotLaunchedError) {
    return (
      <main className="launch-panel">
        <h1>FST Companion is not launched</h1>
        <p>Open FST Companion from a youth's chart in your EHR.</p>
        <p>
          Family Partners can also <a href="launch.html">start a standalone launch</a>.
        </p>
      </main>
    );
  }
  return (
    <main className="launch-panel">
      <Alert title="FST Companion could not start" error={error}>
        <p>
          Relaunch the app from your EHR, or <a href="launch.html">start again</a>.
        </p>
      </Alert>
    </main>
  );
}

function LaunchedApp({ sessionPromise }: { sessionPromise: Promise<SmartSession> }) {
  const session = use(sessionPromise);
  const [expired, setExpired] = useState(false);
  const [queryClient] = useState(() => createQueryClient(() => setExpired(true)));
  useEffect(() => {
    void applySmartStyle(session.smartStyleUrl);
  }, [session.smartStyleUrl]);
  if (expired) {
    return (
      <main className="launch-panel">
        <Alert title="Session expired">
          <p>
            Your session has expired. Relaunch FST Companion from your EHR. Unsaved drafts are kept in this
            tab.
          </p>
        </Alert>
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <QueryClientProvider client={queryClient}>
        <header className="app-header">
          <span className="app-name">FST Companion</span>
          {session.patientId ? (
            <UserBadge />
          ) : (
            <span className="user-badge">Caseload and quality report</span>
          )}
        </header>
        <main className="app-main">
          <ErrorBoundary fallback={(error) => <Alert title="This view failed" error={error} />}>
            {session.patientId ? (
              <WorkspacePage />
            ) : (
              <Suspense fallback={<p role="status">Loading…</p>}>
                <CaseloadPage />
              </Suspense>
            )}
          </ErrorBoundary>
        </main>
      </QueryClientProvider>
    </SessionContext.Provider>
  );
}
