/**
 * Issue 36 §2: "Share the service plan with the referring provider" reaches her only where she works — the
 * EHR. On the full EHR the share is a completed Communication in the EHR; on the limited EHR (which takes no
 * messages) it is recorded in the store as not done, with why, never as sent; the plan card reads either
 * back from the servers (readPlanShare).
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Communication } from 'fhir/r4';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { routedSession } from '../test/support/routedSession';
import { parseConfig } from '../src/config/config';
import type { EhrConfig } from '../src/config/config';
import { currentGoals, currentPlans } from '../src/domain/referral';
import { loadCapabilities } from '../src/fhir/capabilities';
import { loadWorkspace } from '../src/fhir/workspace';
import { readPlanShare, saveServicePlan, shareReachesReferrer } from '../src/fhir/servicePlans';

const YOUTH = 'youth-01';

describe.each(['full', 'limited'] as const)('sharing the service plan on the %s EHR', (mode) => {
  let sandbox: Sandbox;
  let ehr: EhrConfig;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ ehr: mode });
    const fst = mode === 'limited' ? sandbox.store : undefined;
    ehr = parseConfig({
      ehrs: [
        {
          name: mode === 'full' ? 'Sandbox EHR' : 'Limited EHR',
          iss: sandbox.fhirBase,
          clientId: 'fst-companion',
          ...(fst
            ? {
                recordStore: {
                  name: 'The FST record store',
                  fhirBase: fst.fhirBase,
                  tokenEndpoint: fst.tokenEndpoint,
                },
              }
            : {}),
        },
      ],
    }).ehrs[0];
  });
  afterAll(async () => sandbox?.close());

  it('delivers it where the referrer works, or records that it was not delivered', async () => {
    const { transport, router } = await routedSession(sandbox, ehr, YOUTH, 'fp-rosa');
    const caps = router?.caps ?? (await loadCapabilities(transport));
    const ws = await loadWorkspace(transport, {
      patientId: YOUTH,
      user: { resourceType: 'Practitioner', id: 'fp-rosa' },
      caps,
    });
    const referrer = ws.referrals.find((r) => r.status === 'in-progress')?.requesterReference ?? '';
    expect(referrer).toMatch(/^Practitioner\//);
    const existing = ws.servicePlans[0];
    const delivered = shareReachesReferrer({ recordStore: router && { name: 'store', router } }, caps);
    expect(delivered).toBe(mode === 'full');
    const saved = await saveServicePlan(
      transport,
      caps,
      {
        id: existing?.id,
        versionId: existing?.versionId,
        basedOnPlanId: currentPlans(ws.plans)[0].id,
        meetings: [{ frequency: 'weekly', day: 'tue', time: '17:00', setting: 'home' }],
        hours: { amount: 3, per: 'week' },
        goalTargets: currentGoals(ws.plans).map((g) => ({ goalId: g.id, targetDate: '2027-03-01' })),
        start: '2026-11-24',
        authorReference: 'Practitioner/fp-rosa',
      },
      {
        patientId: YOUTH,
        requestId: `share-${mode}`,
        now: new Date(),
        sender: 'Practitioner/fp-rosa',
        shareWith: referrer,
        shareDelivered: delivered,
        ehrName: ehr.name,
      },
    );
    expect(saved.share).toMatchObject({ delivered: mode === 'full', recipient: referrer });

    // What each server holds.
    const shares = (repo: Sandbox['repo']) =>
      (repo.allStored() as Communication[]).filter(
        (c) =>
          c.resourceType === 'Communication' &&
          (c.about ?? []).some((a) => a.reference?.endsWith(`CarePlan/${saved.plan.id}`)),
      );
    const inEhr = shares(sandbox.repo);
    const inStore = sandbox.store ? shares(sandbox.store.repo) : [];
    if (mode === 'full') {
      expect(inEhr.map((c) => c.status)).toEqual(['completed']);
      expect(inEhr[0].recipient?.[0].reference).toBe(referrer);
    } else {
      expect(inEhr).toEqual([]);
      expect(inStore.map((c) => c.status)).toEqual(['not-done']);
      expect(inStore[0].sent).toBeUndefined();
      expect(inStore[0].statusReason?.text).toContain('Limited EHR accepts no messages');
    }
    // The card's read, from the servers.
    const read = await readPlanShare(transport, YOUTH, saved.plan.id ?? '');
    expect(read?.delivered).toBe(mode === 'full');
    expect(read?.recipient).toBe(referrer);
    if (mode === 'limited') expect(read?.reason).toContain('sends the plan to the referring provider');
  });
});
