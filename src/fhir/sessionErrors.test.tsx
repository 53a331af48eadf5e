import { describe, expect, it } from 'vitest';
import { tokenEndpointError } from './session';

/** fhirclient's HttpError after parse(): status line, URL, then the OAuth error and its description. */
const httpError = (status: number, last: string) =>
  Object.assign(new Error(`${status} Unauthorized\nURL: https://ehr.test/auth/token\n${last}`), {
    name: 'HttpError',
    status,
  });

describe('token endpoint refusals', () => {
  it('are said in the server’s words, not as "Something went wrong"', () => {
    const err = tokenEndpointError(httpError(401, 'invalid_client: client authentication failed'));
    expect(err?.name).toBe('AuthorizationError');
    expect(err?.message).toBe(
      "The EHR's sign-in refused the launch: client authentication failed (invalid_client). Launch again, or ask your administrator.",
    );
    expect(tokenEndpointError(httpError(400, 'invalid_grant'))?.message).toContain(
      'refused the launch: invalid_grant.',
    );
  });

  it('leave other failures alone (a server fault, a network error)', () => {
    expect(tokenEndpointError(httpError(503, 'Service Unavailable'))).toBeUndefined();
    expect(tokenEndpointError(new TypeError('Failed to fetch'))).toBeUndefined();
  });
});
