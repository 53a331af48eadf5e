import { describe, expect, it } from 'vitest';
import type { Action, AppUser, RoleMapping, StaffRole } from './permissions';
import { decide, overseesProgram, rolesFromCodes, staffOnlyRefusal } from './permissions';

// A record, so that a new action fails to compile here until it is listed.
const EVERY_ACTION: Record<Action, true> = {
  'log-contact': true,
  'amend-contact': true,
  'withdraw-contact': true,
  refer: true,
  'accept-referral': true,
  'assign-family-partner': true,
  waitlist: true,
  'cancel-referral': true,
  'end-service': true,
  'manage-services': true,
  discharge: true,
  'report-incident': true,
  'review-incident': true,
  'manage-staff': true,
  'read-family': true,
  'read-staff-records': true,
  'review-claims': true,
  'request-measures-run': true,
};

const user = (roles: StaffRole[], kind: AppUser['kind'] = 'Practitioner'): AppUser => ({
  kind,
  references: ['Practitioner/me', 'PractitionerRole/role-me'],
  roles: new Set(roles),
});

describe('who reads a family’s FST record in the store', () => {
  const fp = user(['family-partner']);
  const clinician = user(['clinician']);
  it('the assigned Family Partner, oversight, and the treaters — not another Family Partner', () => {
    expect(decide(fp, 'read-family', { assignedReference: 'PractitionerRole/role-me' }).allowed).toBe(true);
    expect(decide(fp, 'read-family', { assignedReference: 'PractitionerRole/other' }).allowed).toBe(false);
    // A Family Partner is no treater because the EHR opened the chart for her: she reads her own families.
    expect(decide(fp, 'read-family', { launchedOnYouth: true }).allowed).toBe(false);
    expect(decide(user(['program-manager']), 'read-family').allowed).toBe(true);
    expect(decide(user(['fst-supervisor']), 'read-family').allowed).toBe(true);
    expect(decide(clinician, 'read-family', { requesterReference: 'Practitioner/me' }).allowed).toBe(true);
    expect(decide(clinician, 'read-family', { launchedOnYouth: true }).allowed).toBe(true);
    expect(decide(clinician, 'read-family', { requesterReference: 'Practitioner/x' }).allowed).toBe(false);
    expect(decide(user(['clinician'], 'RelatedPerson'), 'read-staff-records').allowed).toBe(false);
  });
});

describe('roles from PractitionerRole codes', () => {
  const mapping: RoleMapping = {
    'family-partner': ['http://ehr.example/roles|FP'],
    'senior-family-partner': ['SFP'],
    'fst-supervisor': [],
    'program-manager': ['PM'],
    'care-coordinator': ['http://ehr.example/roles|CC'],
    clinician: ['http://ehr.example/roles|LICSW'],
  };
  it('maps system|code exactly and a bare code in any system', () => {
    expect([...rolesFromCodes([{ system: 'http://ehr.example/roles', code: 'FP' }], mapping)]).toEqual([
      'family-partner',
    ]);
    expect([...rolesFromCodes([{ system: 'http://other', code: 'FP' }], mapping)]).toEqual([]);
    expect([...rolesFromCodes([{ system: 'http://other', code: 'SFP' }], mapping)]).toEqual([
      'senior-family-partner',
    ]);
  });
});

describe('permissions', () => {
  it('lets only Family Partners and supervisors log FST contacts', () => {
    expect(decide(user(['family-partner']), 'log-contact').allowed).toBe(true);
    expect(decide(user(['senior-family-partner']), 'log-contact').allowed).toBe(true);
    const clinician = decide(user(['clinician']), 'log-contact');
    expect(clinician).toMatchObject({ allowed: false, reason: expect.stringMatching(/Family Partners/) });
    expect(decide(user(['care-coordinator']), 'log-contact').allowed).toBe(false);
    expect(decide(user([]), 'log-contact').allowed).toBe(false);
  });

  it('lets the author or a supervisor amend or withdraw a contact, nobody else', () => {
    const mine = { authorReference: 'Practitioner/me' };
    const theirs = { authorReference: 'Practitioner/other' };
    expect(decide(user(['family-partner']), 'amend-contact', mine).allowed).toBe(true);
    expect(decide(user(['family-partner']), 'withdraw-contact', theirs).allowed).toBe(false);
    expect(decide(user(['fst-supervisor']), 'withdraw-contact', theirs).allowed).toBe(true);
    expect(decide(user(['care-coordinator']), 'amend-contact', theirs)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/author/),
    });
    // A clinician who happens to be the sender of an old note is not FST staff.
    expect(decide(user(['clinician']), 'amend-contact', mine).allowed).toBe(false);
  });

  it('splits the referral: clinicians refer, supervisors accept, the assigned FP or a supervisor discharges', () => {
    expect(decide(user(['clinician']), 'refer').allowed).toBe(true);
    expect(decide(user(['care-coordinator']), 'refer').allowed).toBe(true);
    expect(decide(user(['family-partner']), 'refer').allowed).toBe(false);
    for (const action of ['accept-referral', 'assign-family-partner', 'waitlist'] as const) {
      expect(decide(user(['senior-family-partner']), action).allowed).toBe(true);
      expect(decide(user(['family-partner']), action).allowed).toBe(false);
      expect(decide(user(['clinician']), action).allowed).toBe(false);
    }
    expect(
      decide(user(['family-partner']), 'discharge', { assignedReference: 'PractitionerRole/role-me' })
        .allowed,
    ).toBe(true);
    expect(
      decide(user(['family-partner']), 'discharge', { assignedReference: 'PractitionerRole/other' }).allowed,
    ).toBe(false);
    expect(
      decide(user(['fst-supervisor']), 'discharge', { assignedReference: 'PractitionerRole/other' }).allowed,
    ).toBe(true);
  });

  it('lets a program manager oversee the program (staffing 6) and write nothing', () => {
    const manager = user(['program-manager']);
    expect(overseesProgram(manager)).toBe(true);
    expect(overseesProgram(user(['fst-supervisor']))).toBe(true);
    expect(overseesProgram(user(['senior-family-partner']))).toBe(true);
    expect(overseesProgram(user(['family-partner']))).toBe(false);
    expect(overseesProgram(user(['care-coordinator']))).toBe(false);
    // Reading is not writing: a program manager reads every family's record and writes none.
    const reads: readonly Action[] = ['read-family', 'read-staff-records', 'review-claims'];
    for (const action of Object.keys(EVERY_ACTION) as Action[])
      expect(decide(manager, action).allowed, action).toBe(reads.includes(action));
  });

  it('refuses patients and family members with a plain message', () => {
    expect(staffOnlyRefusal(user([], 'Patient'))).toMatch(/for the staff/);
    expect(staffOnlyRefusal(user([], 'RelatedPerson'))).toMatch(/for the staff/);
    expect(decide(user(['family-partner'], 'Patient'), 'log-contact').allowed).toBe(false);
    expect(staffOnlyRefusal(user([]))).toBeUndefined();
  });
});
