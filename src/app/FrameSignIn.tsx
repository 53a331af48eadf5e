import { useState } from 'react';
import type { fhirclient } from 'fhirclient/lib/types';
import { signInThroughWindow } from '../fhir/frameSession';

/**
 * In an EHR frame whose browser blocks storage: the sign-in in a small window of its own (opened from this
 * click, or the browser blocks it), then the app in this frame from memory (src/fhir/frameSignIn.ts).
 */
export function FrameSignIn({
  launchUrl,
  onSignedIn,
}: {
  launchUrl: string;
  onSignedIn: (state: fhirclient.ClientState) => void;
}) {
  const [step, setStep] = useState<{ waiting: boolean; problem?: string }>({ waiting: false });
  const signIn = () => {
    setStep({ waiting: true });
    signInThroughWindow(launchUrl).then(onSignedIn, (err: unknown) =>
      setStep({
        waiting: false,
        problem: err instanceof Error ? err.message : 'The sign-in did not finish.',
      }),
    );
  };
  return (
    <main className="launch-panel">
      <h1>Sign in to open FST Companion here</h1>
      {step.problem && <p role="alert">{step.problem}</p>}
      <p>
        This browser blocks storage for apps embedded in another site (a privacy setting, not a fault of the
        EHR), so the sign-in opens in a small window. FST Companion then runs in this frame until it is closed
        or reloaded.
      </p>
      {step.waiting ? (
        <p role="status">Finish the sign-in in the window that opened.</p>
      ) : (
        <button type="button" onClick={signIn}>
          Sign in
        </button>
      )}
      <p>
        <a href={launchUrl} target="_blank" rel="noopener">
          Or open FST Companion in a new tab
        </a>
      </p>
    </main>
  );
}
