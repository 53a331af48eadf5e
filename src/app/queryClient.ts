import { QueryCache, MutationCache, QueryClient } from '@tanstack/react-query';
import { FhirError, SessionExpiredError } from '../fhir/http';

/**
 * One cache for the app. Client errors (4xx) are not retried: they will not change on their own.
 * A 401 anywhere flips the app to the "session expired" screen through `onSessionExpired`.
 */
export function createQueryClient(onSessionExpired: () => void): QueryClient {
  const onError = (error: unknown) => {
    if (error instanceof SessionExpiredError) onSessionExpired();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    // 'always': the app decides what offline means (issue 38), not TanStack's pause. A read offline is served
    // from the device's copy or fails saying so; a save goes to the outbox or fails with the offline message —
    // never a "Saving…" that waits silently for a network.
    defaultOptions: {
      queries: {
        networkMode: 'always',
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          !(error instanceof FhirError && error.status >= 400 && error.status < 500) && count < 2,
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}
