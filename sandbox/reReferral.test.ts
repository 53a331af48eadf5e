/**
 * Issue 35 §2 "Re-referral changes the past", on the sandbox's data through the caseload's own computation
 * (loadCaseload → evaluateCaseload → caseloadQualityReport): youth-08's discharged episode keeps its clocks and
 * its outcomes when the youth is referred again, and the new episode starts without the old one's survey
 * (docs/invariants.md, invariant 7).
 */
import './env';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { DEFAULT_CALENDAR, civilDateOf, civilToIso } from '../src/domain/calendar';
import { outcomesOfEpisode } from '../src/domain/outcomes';
import { reportRows } from '../src/domain/quality';
import { loadCaseload } from '../src/fhir/caseload';
import { ASSUMED_CAPABILITIES } from '../src/fhir/capabilities';
import { createReferral } from '../src/fhir/referrals';
import { caseloadQualityReport, evaluateCaseload } from '../src/features/quality/caseloadReport';
import type { EvaluatedFamily } from '../src/features/quality/caseloadReport';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ auth: false });
});
afterAll(async () => sandbox?.close());

const tz = DEFAULT_CALENDAR.timeZone;

it("a re-referral changes no measure of the youth's earlier episode", async () => {
  const now = new Date();
  const today = civilDateOf(now, tz);
  // A year: the discharged episode's ratings and survey fall in it.
  const period = { from: civilToIso(today - 364), to: civilToIso(today) };
  const transport = { baseUrl: sandbox.fhirBase, authorization: async () => null };
  const read = async () => {
    const caseload = await loadCaseload(transport, undefined, undefined, undefined, { since: period.from });
    const evaluated = evaluateCaseload(caseload, now, DEFAULT_CALENDAR, 90);
    const rows = reportRows(caseloadQualityReport(evaluated, period, now, DEFAULT_CALENDAR));
    const family = evaluated.find((e) => e.family.youth.id === 'youth-08') as EvaluatedFamily;
    return { rows, family };
  };
  const row = (rows: Awaited<ReturnType<typeof read>>['rows'], id: string) => {
    const r = rows.find((x) => x.id === id);
    return [r?.numerator, r?.denominator, r?.value];
  };
  const before = await read();
  const oldEpisode = before.family.family.referral;
  expect(oldEpisode.stage).toBe('discharged');
  expect(row(before.rows, 'families-goal-attainment-improved')[1]).toBeGreaterThan(0);
  expect(before.family.compliance.clocks['continuing-stay'].status).toBe('met');

  await createReferral(transport, ASSUMED_CAPABILITIES, {
    requestId: crypto.randomUUID(),
    patientId: 'youth-08',
    planId: 'plan-08-r',
    goalIds: ['goal-08-r'],
    newGoals: [],
    reason: 'Support after a school change',
    providerReference: 'Organization/org-harbor',
    requesterReference: 'Practitioner/icc-marcus',
    recordedBy: 'Practitioner/icc-marcus',
    criteria: { A: true, B: true, C: true },
    authoredOn: now.toISOString(),
  });

  const after = await read();
  expect(after.family.family.referral.id).not.toBe(oldEpisode.id);
  const earlier = after.family.earlier.find((x) => x.referral.id === oldEpisode.id);
  // The discharged episode: the same clocks, judged against its own plan, and the same weeks.
  expect(earlier?.compliance.clocks).toEqual(before.family.compliance.clocks);
  expect(earlier?.compliance.weeks).toEqual(before.family.compliance.weeks);
  // The report's outcome rows: the earlier episode's change and survey still count, once.
  for (const id of [
    'families-goal-attainment-improved',
    'goal-attainment-change',
    'satisfaction-surveys',
    'satisfaction-mean',
  ])
    expect(row(after.rows, id), id).toEqual(row(before.rows, id));
  // The new episode shows none of the old episode's survey or ratings.
  const all = [after.family.family.referral, ...after.family.family.earlierReferrals];
  expect(outcomesOfEpisode(after.family.family.outcomes, after.family.family.referral, all)).toEqual([]);
  expect(outcomesOfEpisode(after.family.family.outcomes, oldEpisode, all).length).toBeGreaterThan(0);
});
