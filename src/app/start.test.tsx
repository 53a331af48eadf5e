// jsdom: startApp imports the workspace's chunk as the page does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { startApp } from './start';
import {
  answerBatch,
  BASE,
  capabilityStatement,
  patient,
  searchset,
  contact,
} from '../../test/fixtures/fhir';
import { testSession } from '../../test/fixtures/session';
import { parseCapabilities } from '../fhir/capabilities';
import { partKey } from '../fhir/invalidation';
import type { ContactsRead, PartResult } from '../fhir/workspace';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function countBatches() {
  const seen = { batches: 0, metadata: 0 };
  server.use(
    http.get(`${BASE}/metadata`, () => {
      seen.metadata++;
      return HttpResponse.json(capabilityStatement({ batch: true, include: true }));
    }),
    http.post(`${BASE}/`, async (info) => {
      seen.batches++;
      return answerBatch({
        'Patient/p1': patient,
        Communication: searchset([contact('c1', '2026-11-20T15:00:00Z')]),
      })(info);
    }),
  );
  return seen;
}

const contactsOf = (start: ReturnType<typeof startApp>) =>
  start.queryClient.getQueryData<PartResult<ContactsRead>>(partKey(BASE, 'p1', 'contacts'));

describe('startApp', () => {
  it("reads the youth's workspace as the session arrives, in one batch, with the launch page's statement", async () => {
    const seen = countBatches();
    const caps = parseCapabilities(capabilityStatement({ batch: true, include: true }));
    const start = startApp(Promise.resolve(testSession({ publicCapabilities: Promise.resolve(caps) })));
    await waitFor(() => expect(contactsOf(start)?.value.list.map((c) => c.id)).toEqual(['c1']));
    expect(seen).toEqual({ batches: 1, metadata: 0 });
  });

  it('without the statement from the launch page, reads it first, then the same one batch', async () => {
    const seen = countBatches();
    const start = startApp(Promise.resolve(testSession()));
    await waitFor(() => expect(contactsOf(start)?.value.list.map((c) => c.id)).toEqual(['c1']));
    expect(seen).toEqual({ batches: 1, metadata: 1 });
  });

  it('a launch without a patient reads nothing', async () => {
    const seen = countBatches();
    startApp(Promise.resolve(testSession({ patientId: undefined })));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual({ batches: 0, metadata: 0 });
  });
});
