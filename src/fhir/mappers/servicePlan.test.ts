import '../../../sandbox/env';
import { describe, expect, it } from 'vitest';
import { validateForWrite } from '../../../sandbox/fhir/validation';
import type { ServicePlan } from '../../domain/servicePlan';
import { isServicePlan, parseServicePlan, servicePlanResource, shareServicePlan } from './servicePlan';
import { parseReviews, reviewResource } from './review';

const plan: ServicePlan = {
  basedOnPlanId: 'plan-03',
  meetings: [
    { frequency: 'weekly', day: 'tue', time: '17:00', setting: 'home' },
    { frequency: 'every-2-weeks', day: 'sat', time: '10:30', setting: 'telehealth' },
  ],
  hours: { amount: 3, per: 'week' },
  goalTargets: [{ goalId: 'goal-03-1', targetDate: '2027-02-01' }],
  start: '2026-11-24',
  authorReference: 'Practitioner/fp-rosa',
};
const now = new Date('2026-11-23T17:00:00Z');

describe('the service plan as FHIR', () => {
  const resource = servicePlanResource(plan, { patientId: 'youth-03', requestId: 'sp-1', now });

  it('is a valid CarePlan of our profile, and reads back as written', () => {
    expect(() => validateForWrite(resource as never)).not.toThrow();
    expect(isServicePlan(resource)).toBe(true);
    const parsed = parseServicePlan({ ...resource, id: 'sp' });
    expect(parsed.ok && { ...parsed.value, id: undefined, versionId: undefined }).toEqual({
      ...plan,
      id: undefined,
      versionId: undefined,
    });
  });

  it('refuses a plan without a meeting setting', () => {
    const withoutSetting = {
      ...resource,
      activity: [{ detail: { ...resource.activity?.[0]?.detail, extension: [] } }],
    };
    expect(() => validateForWrite(withoutSetting as never)).toThrow();
  });

  it('is shared with the referring provider by a Communication that points at it', () => {
    const note = shareServicePlan({
      patientId: 'youth-03',
      planReference: 'CarePlan/sp',
      recipient: 'Practitioner/iht-samuel',
      sender: 'Practitioner/fp-rosa',
      now,
      requestId: 'sp-1',
    });
    expect(() => validateForWrite(note as never)).not.toThrow();
    expect(note.about?.[0]?.reference).toBe('CarePlan/sp');
  });

  it('a continuing-stay review is a valid QuestionnaireResponse the clock reads back', () => {
    const review = reviewResource({
      patientId: 'youth-03',
      serviceRequestId: 'sr-03',
      by: 'Practitioner/fp-rosa',
      at: now,
      answers: { criteria: true, progress: true, open: true },
      requestId: 'rv-1',
    });
    expect(() => validateForWrite(review as never)).not.toThrow();
    // Read back with what it found (seed 004 §IV A and B).
    expect(parseReviews([review])).toEqual([
      {
        at: now.toISOString(),
        serviceRequestId: 'sr-03',
        by: 'Practitioner/fp-rosa',
        criteriaHold: true,
        goalsRemain: true,
      },
    ]);
  });
});
