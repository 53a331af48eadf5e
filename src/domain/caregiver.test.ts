import { describe, expect, it } from 'vitest';
import type { CaregiverGrant } from './caregiver';
import { decideCaregiverWrite, requestOpen, requestState } from './caregiver';

const now = new Date('2026-11-20T12:00:00Z');
const grant: CaregiverGrant = {
  relatedPerson: 'RelatedPerson/cg-1',
  youth: 'Patient/y-1',
  task: 'Task/t-1',
  purpose: 'answer-survey',
};
const facts = { requestOpen: true, ownYouth: true, inHerName: true, forHerRequest: true };

describe('a request to the caregiver', () => {
  it('is in the state the Task says, and expired once past its end unless done', () => {
    expect(requestState({ status: 'requested', expiresAt: '2026-11-21T00:00:00Z' }, now)).toBe('sent');
    expect(requestState({ status: 'in-progress', expiresAt: '2026-11-21T00:00:00Z' }, now)).toBe('opened');
    expect(requestState({ status: 'in-progress', expiresAt: '2026-11-20T12:00:00Z' }, now)).toBe('expired');
    expect(requestState({ status: 'completed', expiresAt: '2026-11-19T00:00:00Z' }, now)).toBe('done');
    expect(requestState({ status: 'cancelled' }, now)).toBe('revoked');
    expect(requestState({ status: 'failed' }, now)).toBe('locked');
    expect(requestOpen({ status: 'requested' }, now)).toBe(false);
    expect(requestOpen({ status: 'in-progress' }, now)).toBe(true);
  });

  it('lets her write only her own answers, for her open request', () => {
    expect(decideCaregiverWrite(grant, 'outcome-measure', 'create', facts).allowed).toBe(true);
    for (const refused of [
      decideCaregiverWrite(grant, 'fst-contact', 'create', facts),
      decideCaregiverWrite(grant, 'outcome-measure', 'change', facts),
      decideCaregiverWrite(grant, 'outcome-measure', 'withdraw', facts),
      decideCaregiverWrite(grant, 'audit', 'create', facts),
      decideCaregiverWrite(grant, 'outcome-measure', 'create', { ...facts, requestOpen: false }),
      decideCaregiverWrite(grant, 'outcome-measure', 'create', { ...facts, ownYouth: false }),
      decideCaregiverWrite(grant, 'outcome-measure', 'create', { ...facts, inHerName: false }),
      decideCaregiverWrite(grant, 'outcome-measure', 'create', { ...facts, forHerRequest: false }),
      decideCaregiverWrite(grant, undefined, 'create', facts),
    ])
      expect(refused.allowed).toBe(false);
    expect(decideCaregiverWrite({ ...grant, purpose: 'sign-plan' }, 'audit', 'create', facts).allowed).toBe(
      true,
    );
    expect(decideCaregiverWrite({ ...grant, purpose: 'sign-plan' }, 'consent', 'create', facts).allowed).toBe(
      true,
    );
  });
});
