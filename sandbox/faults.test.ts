/**
 * Faults (SANDBOX_FAULTS): 250 contact saves through the app's own save path (createContact) against a
 * sandbox where 30 % of writes fail — refused (503, 500), applied but never answered, or answered too late.
 * The user retries each failure, as the app invites them to: exactly 250 Communications, none duplicated,
 * none lost, and every failure was reported (a FhirError with words for the user), never silent.
 */
import './env';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { createContact } from '../src/fhir/contacts';
import { createReferral } from '../src/fhir/referrals';
import { loadCapabilities } from '../src/fhir/capabilities';
import { FhirError } from '../src/fhir/http';
import type { FhirTransport } from '../src/fhir/http';
import { IdentifierSystems } from '../src/fhir/codes';
import type { ContactDraft, ReferralDraft } from '../src/domain/model';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ auth: false, faults: { share: 0.3, seed: 7 } });
});
afterAll(async () => sandbox?.close());

const SAVES = 250;

/** The client's time limit is shorter than the sandbox's slow answer: those saves time out, as in the field. */
const impatientClient = (): FhirTransport => ({
  baseUrl: sandbox.fhirBase,
  authorization: async () => null,
  timeoutMs: 1_000,
});

/**
 * Saves as a user would: after each failure — always a FhirError with words for them (`onFailure` gets
 * it) — the same save again, up to 20 retries.
 */
async function saveUntilDone(save: () => Promise<unknown>, onFailure: (err: FhirError) => void = () => {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      await save();
      return;
    } catch (err) {
      expect(err).toBeInstanceOf(FhirError);
      onFailure(err as FhirError);
      if (attempt > 20) throw err;
    }
  }
}

it(
  `${SAVES} saves with 30 % faults: exactly ${SAVES} contacts, each failure reported and retried`,
  { timeout: 180_000 },
  async () => {
    const transport = impatientClient();
    const caps = await loadCapabilities(transport);
    const run = `faults-${Date.now()}`;
    const messages = new Set<string>();
    let failures = 0;
    for (let i = 0; i < SAVES; i++) {
      const draft: ContactDraft = {
        requestId: `${run}-${i}`,
        kind: 'caregiver',
        method: 'phone',
        sent: new Date(Date.UTC(2026, 10, 20, 15, 0) - i * 60_000).toISOString(),
        durationMinutes: 10,
        purposes: ['supporting'],
        goalIds: ['goal-01-1'],
        note: `Call ${i}`,
        recipientReference: 'RelatedPerson/cg-01-1',
        senderReference: 'Practitioner/fp-rosa',
        patientId: 'youth-01',
      };
      await saveUntilDone(
        () => createContact(transport, caps, draft),
        (err) => {
          messages.add(err.message);
          failures++;
        },
      );
    }
    const saved = (await sandbox.repo.searchResources({
      resourceType: 'Communication',
      filters: [{ code: 'subject', operator: 'eq' as never, value: 'Patient/youth-01' }],
      count: 10_000,
    })) as { identifier?: { system?: string; value?: string }[] }[];
    const ours = saved
      .map((c) => c.identifier?.find((x) => x.system === IdentifierSystems.clientRequest)?.value ?? '')
      .filter((v) => v.startsWith(run));
    expect(ours).toHaveLength(SAVES);
    expect(new Set(ours).size).toBe(SAVES);
    // About 30 % of first tries (and of retries) failed, in each of the four ways, each with words for the user.
    expect(failures).toBeGreaterThan(SAVES * 0.2);
    expect([...messages].some((m) => /did not answer within 1 seconds.*Saving again is safe/.test(m))).toBe(
      true,
    );
    expect([...messages].some((m) => /could not be reached/.test(m))).toBe(true);
    expect([...messages].some((m) => /Injected fault|had a problem/.test(m))).toBe(true);
  },
);

it(
  '60 referrals with 30 % faults: each a checklist, an order and a Task, all or nothing, none duplicated',
  { timeout: 120_000 },
  async () => {
    const transport = impatientClient();
    const caps = await loadCapabilities(transport);
    const run = `ref-faults-${Date.now()}`;
    const N = 60;
    for (let i = 0; i < N; i++) {
      const draft: ReferralDraft = {
        requestId: `${run}-${i}`,
        patientId: 'youth-09',
        planId: 'plan-09',
        goalIds: ['goal-09-1'],
        newGoals: [],
        reason: `Referral ${i}`,
        providerReference: 'Organization/org-harbor',
        requesterReference: 'Practitioner/icc-marcus',
        recordedBy: 'Practitioner/icc-marcus',
        criteria: { A: true, B: true, C: true },
        authoredOn: new Date(Date.UTC(2026, 10, 20, 15, 0) - i * 60_000).toISOString(),
      };
      await saveUntilDone(() => createReferral(transport, caps, draft));
    }
    const ours = async (resourceType: string) =>
      (
        (await sandbox.repo.searchResources({ resourceType, count: 10_000 } as never)) as {
          identifier?: { system?: string; value?: string }[] | { system?: string; value?: string };
        }[]
      ).filter((r) =>
        [r.identifier ?? []]
          .flat()
          .some((x) => x.system === IdentifierSystems.clientRequest && (x.value ?? '').startsWith(run)),
      ).length;
    // Every referral whole: never an order without its Task, never one written twice.
    expect(await ours('Task')).toBe(N);
    expect(await ours('ServiceRequest')).toBe(N);
    expect(await ours('QuestionnaireResponse')).toBe(N);
  },
);
