import { FhirError, fromEhr, isRetryable, SessionExpiredError } from '../fhir/http';
import { sessionEndedAdvice } from './sessionEnded';
import { Alert } from './Alert';

/**
 * A failed save, said once for every form: the server's reason, that nothing typed is lost, and — only
 * when trying again can help — which button retries it. A refusal (a role rule, invalid data) is never
 * offered as a retry.
 */
export function SaveFailed({
  title,
  error,
  saveLabel,
}: {
  title: string;
  error: unknown;
  saveLabel: string;
}) {
  const refused = !isRetryable(error);
  const status = error instanceof FhirError ? error.status : undefined;
  // The sign-in ended: the banner's words, not a retry nor a supervisor to ask.
  if (error instanceof SessionExpiredError || status === 401)
    return (
      <Alert title={title} error={error}>
        <p>{sessionEndedAdvice()}</p>
      </Alert>
    );
  return (
    <Alert title={title} error={error}>
      <p>
        Everything you entered is kept.{' '}
        {!refused
          ? `Press “${saveLabel}” to try again; it will not be saved twice.`
          : status === 400 || status === 422
            ? `Correct what the server names, then press “${saveLabel}”.`
            : status === 403 && fromEhr(error)
              ? 'Trying again will not change the answer: this is a permission of your EHR account, to ask your EHR administrator for.'
              : 'Trying again will not change the answer: ask an FST supervisor if this should be yours to save.'}
      </p>
    </Alert>
  );
}
