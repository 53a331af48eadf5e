import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import type { OperationOutcome } from 'fhir/r4';
import { ehrServerName, FhirError, RequestTimeoutError, SessionExpiredError } from '../fhir/http';
import { sessionEndedAdvice } from './sessionEnded';
import { SaveFailed } from './SaveFailed';

const outcome = (text: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'forbidden', details: { text } }],
});

describe('SaveFailed', () => {
  it('never offers a role refusal as a retry, and shows the server’s reason', () => {
    render(
      <SaveFailed
        title="The meeting was not saved"
        error={new FhirError(403, outcome('Only Family Partners and FST supervisors log FST contacts.'))}
        saveLabel="Save meeting"
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Only Family Partners and FST supervisors log FST contacts.');
    expect(alert.textContent).toContain('Everything you entered is kept.');
    expect(alert.textContent).not.toContain('try again');
    expect(alert.textContent).toContain('Trying again will not change the answer');
  });

  it('asks for a correction on invalid data', () => {
    render(
      <SaveFailed
        title="The meeting was not saved"
        error={new FhirError(400, outcome('start is required'))}
        saveLabel="Save meeting"
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain(
      'Correct what the server names, then press “Save meeting”.',
    );
  });

  it('offers a retry when there was no answer or a server fault', () => {
    for (const error of [new RequestTimeoutError(true, 30_000), new FhirError(503, outcome('busy'))]) {
      const { unmount } = render(<SaveFailed title="Not saved" error={error} saveLabel="Save meeting" />);
      expect(screen.getByRole('alert').textContent).toContain(
        'Press “Save meeting” to try again; it will not be saved twice.',
      );
      unmount();
    }
  });

  it('an ended sign-in says what the session banner says, not "ask an FST supervisor"', () => {
    sessionStorage.setItem('fst-draft:contact:x:Practitioner/p:y', '{"note":"typed"}');
    try {
      render(
        <SaveFailed
          title="The contact was not saved"
          error={new SessionExpiredError(401, outcome('Session expired'), 'Harbor FST record store')}
          saveLabel="Save contact"
        />,
      );
      const text = screen.getByRole('alert').textContent ?? '';
      expect(text).toContain(sessionEndedAdvice());
      expect(text).not.toContain('FST supervisor');
    } finally {
      sessionStorage.clear();
    }
  });

  it("an EHR permission refusal is the EHR administrator's to grant", () => {
    render(
      <SaveFailed
        title="The plan was not saved"
        error={
          new FhirError(403, { resourceType: 'OperationOutcome', issue: [] }, ehrServerName('Riverside'))
        }
        saveLabel="Finalise discharge"
      />,
    );
    const text = screen.getByRole('alert').textContent ?? '';
    expect(text).toContain('The EHR (Riverside) refused');
    expect(text).toContain('ask your EHR administrator');
    expect(text).not.toContain('FST supervisor');
    expect(text).not.toMatch(/press .* to try again/i);
  });
});
