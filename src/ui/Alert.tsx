import type { ReactNode } from 'react';
import { FhirError } from '../fhir/http';

/** Our own errors carry messages written for users; anything else gets a generic sentence. */
const USER_FACING = new Set([
  'NotLaunchedError',
  'LaunchError',
  'ConfigError',
  'AuthorizationError',
  // The agency's record store refused the token exchange: its reason, in its words.
  'RecordStoreSignInError',
  // A write across the EHR and the store that landed in the EHR only: what is where.
  'PartlyWrittenError',
]);

export function errorMessage(error: unknown): string {
  if (error instanceof FhirError) return error.message;
  if (error instanceof Error && USER_FACING.has(error.name)) return error.message;
  return 'Something went wrong.';
}

/** The one way errors are shown: plain words, as text, with an optional action. */
export function Alert({
  title,
  error,
  children,
  tone = 'error',
}: {
  title: string;
  error?: unknown;
  children?: ReactNode;
  tone?: 'error' | 'warning' | 'info';
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <strong>{title}</strong>
      {error !== undefined && <p>{errorMessage(error)}</p>}
      {children}
    </div>
  );
}
