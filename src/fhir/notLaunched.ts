/**
 * Opened without a launch: no authorization response in the URL and no SMART state in this tab — or a
 * storage-blocking browser's EHR frame was reloaded, which ends a session held in memory (src/fhir/frameSignIn.ts).
 * Apart from src/fhir/session.ts, which brings fhirclient and zod: the first paint says what to do without
 * waiting for the launch machinery.
 */
export class NotLaunchedError extends Error {
  override name = 'NotLaunchedError';
  constructor(readonly storageBlocked = false) {
    super(
      storageBlocked
        ? 'This browser keeps sign-ins out of apps embedded in the EHR, so the session lived in this frame only and a reload ended it. Launch FST Companion again from your EHR.'
        : 'FST Companion was opened without a launch. Open it from your EHR, or start a standalone launch.',
    );
  }
}
