import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { Link, Redirect, Route, Router, Switch, useLocation, useParams } from 'wouter';
import type { SmartSession } from '../fhir/session';
import { NotLaunchedError } from '../fhir/notLaunched';
import { launchStep, subscribeLaunchStep } from '../fhir/launchProgress';
import { staffOnlyRefusal } from '../domain/permissions';
import { Alert } from '../ui/Alert';
import { sessionEndedAdvice } from '../ui/sessionEnded';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { preloaded, useSettled } from '../ui/preloaded';
import { SessionContext } from './SessionContext';
import { PatientContext } from './PatientContext';
import type { AppStart } from './start';
import { UserBadge } from './UserBadge';
import { SignedOut, SignOutButton } from './SignOut';
import { appUrl, homeOf, patterns, routes } from './routes';
import { formatDateTime } from '../ui/format';
import { OfflineBanner } from '../features/offline/OfflineBanner';
// Each screen is its own chunk. The workspace's starts downloading as this module runs, alongside the
// token exchange, so it is there when the session is; it stays out of the JS the first paint waits for.
const WorkspacePage = preloaded(import('../features/workspace/WorkspacePage').then((m) => m.WorkspacePage));
// The caseload is a separate chunk: clinicians launched on one youth never download it.
const StaffPage = lazy(() => import('../features/staff/StaffPage').then((m) => ({ default: m.StaffPage })));
const CaseloadPage = lazy(() =>
  import('../features/quality/CaseloadPage').then((m) => ({ default: m.CaseloadPage })),
);

export function App({ start }: { start: AppStart }) {
  const launch = useSettled(start.session);
  if (launch.status === 'pending') return <LaunchWaiting />;
  if (launch.status === 'failed') return <LaunchProblem error={launch.error} />;
  return (
    <ErrorBoundary fallback={(error) => <LaunchProblem error={error} />}>
      <LaunchedApp session={launch.value} start={start} />
    </ErrorBoundary>
  );
}

/** While the launch waits: for which server (the EHR, then the agency's record store). */
function LaunchWaiting() {
  const step = useSyncExternalStore(subscribeLaunchStep, launchStep);
  return (
    <p role="status">{step.waitingFor ? `Signing in to ${step.waitingFor}…` : 'Connecting to the EHR…'}</p>
  );
}

function LaunchProblem({ error }: { error: unknown }) {
  if (error instanceof NotLaunchedError && error.storageBlocked) {
    return (
      <main className="launch-panel">
        <h1>Launch FST Companion again</h1>
        <p>{error.message}</p>
      </main>
    );
  }
  // An address of the app opened in a new tab (a link opened beside, a copied address): the sign-in stays in the
  // tab it was made in, so this tab has none. Say so, and how to go on, rather than "not launched".
  if (error instanceof NotLaunchedError && window.location.pathname.includes('/patients/')) {
    return (
      <main className="launch-panel">
        <h1>This tab is not signed in</h1>
        <p>
          FST Companion keeps each sign-in in the tab it was launched in, so a youth’s record never opens in a
          tab nobody signed in to. Go back to the tab you launched from, or open the youth’s chart in your EHR
          and launch FST Companion again.
        </p>
        <p>
          <a href={appUrl('launch.html')}>Sign in again in this tab</a> (a standalone launch: your caseload,
          then the family).
        </p>
      </main>
    );
  }
  if (error instanceof NotLaunchedError) {
    return (
      <main className="launch-panel">
        <h1>FST Companion is not launched</h1>
        <p>Open FST Companion from a youth's chart in your EHR.</p>
        <p>
          Family Partners can also <a href={appUrl('launch.html')}>start a standalone launch</a>.
        </p>
      </main>
    );
  }
  return (
    <main className="launch-panel">
      <Alert title="FST Companion could not start" error={error}>
        <p>
          Relaunch the app from your EHR, or <a href={appUrl('launch.html')}>start again</a>.
        </p>
      </Alert>
    </main>
  );
}

function LaunchedApp({ session, start }: { session: SmartSession; start: AppStart }) {
  const { queryClient, expiry } = start;
  const expired = useSyncExternalStore(expiry.subscribe, expiry.expired);
  const [signedOut, setSignedOut] = useState(false);
  useEffect(() => {
    // Its reader (zod) is not part of the first paint.
    void import('./smartStyle').then((m) => m.applySmartStyle(session.smartStyleUrl));
  }, [session.smartStyleUrl]);
  const refusal = session.user
    ? staffOnlyRefusal({ kind: session.user.resourceType, references: [], roles: new Set() })
    : undefined;
  if (signedOut) return <SignedOut />;
  if (refusal) {
    return (
      <main className="launch-panel">
        <h1>FST Companion is for staff</h1>
        <p>{refusal}</p>
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <QueryClientProvider client={queryClient}>
        <Router base={import.meta.env.BASE_URL.replace(/\/$/, '')}>
          <header className="app-header">
            <span className="app-name">FST Companion</span>
            <UserBadge />
            <SignOutButton onSignedOut={() => setSignedOut(true)} />
          </header>
          <OfflineBanner timeZone={session.ehr.timeZone} />
          {expired ? <SessionExpired /> : <ExpiryWarning session={session} />}
          <main className="app-main">
            <RoutedViews session={session} />
          </main>
        </Router>
      </QueryClientProvider>
    </SessionContext.Provider>
  );
}

/**
 * The session ended: said at the top, while the screen stays as it was, so nothing typed disappears.
 * Drafts are also kept in this tab.
 */
function SessionExpired() {
  return (
    <div className="session-banner">
      <Alert title="Your session has expired">
        <p>
          {sessionEndedAdvice()} Relaunch FST Companion from your EHR (or{' '}
          <a href={appUrl('launch.html')}>start a standalone launch</a>).
        </p>
      </Alert>
    </div>
  );
}

const WARN_BEFORE_MS = 5 * 60_000;

/** A session that cannot renew itself is announced before it ends, so work can be saved in time. */
function ExpiryWarning({ session }: { session: SmartSession }) {
  const [warn, setWarn] = useState(false);
  useEffect(() => {
    if (session.canRefresh || !session.expiresAt) return;
    const at = session.expiresAt * 1000 - WARN_BEFORE_MS;
    const timer = setTimeout(() => setWarn(true), Math.max(0, at - Date.now()));
    return () => clearTimeout(timer);
  }, [session.canRefresh, session.expiresAt]);
  if (!warn || !session.expiresAt) return null;
  return (
    <div className="session-banner">
      <Alert title="Your session ends soon" tone="warning">
        <p>
          This sign-in cannot be renewed and ends at{' '}
          {formatDateTime(new Date(session.expiresAt * 1000).toISOString(), session.ehr.timeZone)}. Save what
          you are working on, then relaunch FST Companion from your EHR.
        </p>
      </Alert>
    </div>
  );
}

function RoutedViews({ session }: { session: SmartSession }) {
  const [location] = useLocation();
  return (
    // A new address clears an earlier view's failure.
    <ErrorBoundary resetKey={location} fallback={(error) => <Alert title="This view failed" error={error} />}>
      <Switch>
        <Route path={patterns.caseload}>
          <Suspense fallback={<p role="status">Loading…</p>}>
            <CaseloadPage />
          </Suspense>
        </Route>
        <Route path={patterns.staff}>
          <Suspense fallback={<p role="status">Loading…</p>}>
            <StaffPage />
          </Suspense>
        </Route>
        <Route path={patterns.patient} nest>
          <PatientRoute session={session} />
        </Route>
        <Route>
          <Redirect to={homeOf(session)} replace />
        </Route>
      </Switch>
    </ErrorBoundary>
  );
}

/**
 * A youth's screens. A patient-level launch reaches only its own youth; a caseload launch (user-level
 * scopes) opens any youth the EHR lets the user see.
 */
function PatientRoute({ session }: { session: SmartSession }) {
  const { patientId } = useParams<{ patientId: string }>();
  if (session.patientId && session.patientId !== patientId) {
    return (
      <Alert title="This launch is for another youth">
        <p>
          FST Companion was opened from another youth's chart.{' '}
          <a href={routes.overview(session.patientId)}>Go back to that youth</a>, or open this youth's chart
          in your EHR.
        </p>
      </Alert>
    );
  }
  return (
    <PatientContext.Provider value={patientId}>
      {/* A caseload sign-in opened this youth from the list: the way back is always on screen. */}
      {!session.patientId && (
        <nav aria-label="Back to the list" className="no-print back-link">
          <Link href={`~${routes.caseload}`}>← Caseload</Link>
        </nav>
      )}
      <Suspense fallback={<p role="status">Loading…</p>}>
        <WorkspacePage />
      </Suspense>
    </PatientContext.Provider>
  );
}
