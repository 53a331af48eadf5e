import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AppUser } from './permissions';
import { decideWrite, FAMILY_RULE, POLICY, reachOf, renderPolicyDoc } from './policy';

const user = (
  role: AppUser['roles'] extends ReadonlySet<infer R> ? R : never,
  me = 'Practitioner/me',
): AppUser => ({
  kind: 'Practitioner',
  references: [me, 'PractitionerRole/my-role'],
  roles: new Set([role]),
});

describe('the policy table', () => {
  it('says what the seeds and the issue say, in the cases field testing found', () => {
    // A clinician never writes FST's own records: meetings, supervision, incidents, discharge plans.
    for (const kind of ['team-meeting', 'supervision-session', 'incident-report', 'discharge-plan'] as const)
      expect(decideWrite(user('clinician'), kind, 'create').allowed, kind).toBe(false);
    // A care coordinator does not write the FST service plan.
    expect(decideWrite(user('care-coordinator'), 'service-plan', 'create').allowed).toBe(false);
    // A Family Partner corrects her own contact, not a colleague's; a supervisor corrects any.
    expect(
      decideWrite(user('family-partner'), 'fst-contact', 'change', { authorReference: 'Practitioner/me' })
        .allowed,
    ).toBe(true);
    expect(
      decideWrite(user('family-partner'), 'fst-contact', 'change', { authorReference: 'Practitioner/x' })
        .allowed,
    ).toBe(false);
    expect(
      decideWrite(user('fst-supervisor'), 'fst-contact', 'change', { authorReference: 'Practitioner/x' })
        .allowed,
    ).toBe(true);
    // Her own staff record is her supervisor's to change.
    expect(decideWrite(user('family-partner'), 'staff-record', 'change').allowed).toBe(false);
    // The assigned Family Partner discharges; another does not.
    expect(
      decideWrite(user('family-partner'), 'discharge-plan', 'create', {
        assignedReference: 'PractitionerRole/my-role',
      }).allowed,
    ).toBe(true);
    expect(
      decideWrite(user('family-partner'), 'discharge-plan', 'create', {
        assignedReference: 'PractitionerRole/other',
      }).allowed,
    ).toBe(false);
    // Audit records are never changed by anyone.
    expect(decideWrite(user('fst-supervisor'), 'audit', 'change')).toEqual({
      allowed: false,
      reason: 'An audit record is never changed.',
    });
  });

  it('every row has a rule for each interaction, and the doc cells read from it', () => {
    for (const [kind, row] of Object.entries(POLICY)) {
      for (const i of ['create', 'change', 'withdraw'] as const) expect(row[i], `${kind} ${i}`).toBeDefined();
    }
    expect(reachOf('family-partner', 'fst-contact', 'change')).toBe('own');
    expect(reachOf('fst-supervisor', 'fst-contact', 'change')).toBe('yes');
    expect(reachOf('clinician', 'fst-contact', 'create')).toBe('no');
  });

  it('docs/permissions.md is the table as it is now (run scripts/policy-doc.mts after a change)', () => {
    expect(readFileSync('docs/permissions.md', 'utf8')).toBe(renderPolicyDoc());
  });
});

describe('the read rule', () => {
  it('every record about a family is read by the one family rule; staff records by all staff', () => {
    for (const [kind, row] of Object.entries(POLICY))
      expect(row.read, kind).toEqual(
        ['staff-record', 'supervision-session', 'measures-run-request'].includes(kind)
          ? { anyOf: [{ action: 'read-staff-records' }] }
          : kind === 'claim-line'
            ? { anyOf: [{ action: 'review-claims' }] }
            : FAMILY_RULE,
      );
    expect(reachOf('family-partner', 'fst-contact', 'read')).toBe('own');
    expect(reachOf('program-manager', 'fst-contact', 'read')).toBe('yes');
    expect(reachOf('clinician', 'discharge-plan', 'read')).toBe('own');
    // Billing: supervisors and program managers; not a Family Partner, not even for her own families.
    expect(reachOf('family-partner', 'claim-line', 'read')).toBe('no');
    expect(reachOf('fst-supervisor', 'claim-line', 'read')).toBe('yes');
    expect(reachOf('program-manager', 'claim-line', 'read')).toBe('yes');
  });
});
