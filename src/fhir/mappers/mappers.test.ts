import { describe, expect, it } from 'vitest';
import { CodeSystems, Extensions, Questionnaires } from '../codes';
import { parseContact } from './contact';
import { caregiversFromPatientContacts, parsePatient, parseRelatedPerson } from './people';
import { parseReferralTask, referralRequests } from './referral';
import { careTeamMembers, parseCarePlan, parseGoal } from './plan';

const communication = {
  resourceType: 'Communication',
  id: 'c1',
  meta: { versionId: '3' },
  status: 'completed',
  category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'collateral-contact' }] }],
  medium: [{ coding: [{ system: CodeSystems.participationMode, code: 'VIDEOCONF' }] }],
  sent: '2026-11-20T15:00:00Z',
  partOf: [{ reference: 'Task/t1' }],
  reasonCode: [{ coding: [{ system: CodeSystems.contactPurpose, code: 'coaching' }] }],
  extension: [
    { url: Extensions.pertainsToGoal, valueReference: { reference: 'Goal/g1' } },
    { url: Extensions.pertainsToGoal, valueReference: { reference: 'Goal/g2' } },
    { url: Extensions.contactDuration, valueDuration: { value: 45, code: 'min' } },
  ],
  payload: [{ contentString: 'Talked with the therapist.' }],
};

describe('parseContact', () => {
  it('reads an FST contact', () => {
    const parsed = parseContact(communication);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({
      id: 'c1',
      kind: 'collateral',
      method: 'video',
      durationMinutes: 45,
      goalIds: ['g1', 'g2'],
      purposes: ['coaching'],
      note: 'Talked with the therapist.',
      referralTaskId: 't1',
      versionId: '3',
    });
  });

  it('turns a missing sent date into a named problem, not a crash', () => {
    const { sent: _sent, ...withoutSent } = communication;
    const parsed = parseContact(withoutSent);
    expect(parsed).toEqual({
      ok: false,
      problem: { reference: 'Communication/c1', message: 'Communication/c1 has no sent date' },
    });
  });

  it('turns a sent date that is not a date into a named problem; keeps a partial date', () => {
    expect(parseContact({ ...communication, sent: 'not-a-date' } as never)).toEqual({
      ok: false,
      problem: {
        reference: 'Communication/c1',
        message: 'Communication/c1 has a sent date that is not a date',
      },
    });
    const partial = parseContact({ ...communication, sent: '2026-11' } as never);
    expect(partial.ok && partial.value.sent).toBe('2026-11');
  });

  it('refuses a Communication that is not an FST contact', () => {
    const parsed = parseContact({ ...communication, category: [] } as never);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.message).toMatch(/not an FST contact/);
  });

  it('records the reason of an attempt', () => {
    const parsed = parseContact({
      ...communication,
      status: 'not-done',
      statusReason: { text: 'No answer' },
    } as never);
    expect(parsed.ok && parsed.value.attemptReason).toBe('No answer');
  });
});

describe('people', () => {
  it('reads the youth with preferred language first', () => {
    const parsed = parsePatient({
      resourceType: 'Patient',
      id: 'p1',
      name: [
        { use: 'nickname', given: ['Mo'] },
        { use: 'official', given: ['Maya', 'Rose'], family: 'T' },
      ],
      communication: [
        { language: { coding: [{ code: 'en' }] } },
        { language: { coding: [{ code: 'es' }] }, preferred: true },
      ],
    } as never);
    expect(parsed.ok && parsed.value.name.full).toBe('Maya Rose T');
    expect(parsed.ok && parsed.value.languages).toEqual(['es', 'en']);
  });

  it('reads caregivers from RelatedPerson and from Patient.contact', () => {
    const rp = parseRelatedPerson({
      resourceType: 'RelatedPerson',
      id: 'r1',
      name: [{ given: ['Ana'], family: 'Diaz' }],
      relationship: [{ coding: [{ code: 'MTH', display: 'mother' }] }],
      telecom: [{ system: 'phone', value: '555' }],
    } as never);
    expect(rp.ok && rp.value).toMatchObject({
      reference: 'RelatedPerson/r1',
      relationship: 'mother',
      phone: '555',
    });
    const fromContacts = caregiversFromPatientContacts({
      resourceType: 'Patient',
      id: 'p1',
      contact: [{ name: { given: ['Joe'], family: 'Diaz' }, relationship: [{ text: 'father' }] }],
    } as never);
    expect(fromContacts).toEqual([
      expect.objectContaining({
        reference: 'Patient/p1#contact-0',
        relationship: 'father',
        name: expect.objectContaining({ full: 'Joe Diaz' }),
      }),
    ]);
  });
});

describe('plan', () => {
  it('joins the plan with its included goals and care team', () => {
    const goal = parseGoal({
      resourceType: 'Goal',
      id: 'g1',
      lifecycleStatus: 'active',
      description: { text: 'Attend school' },
      target: [{ dueDate: '2027-01-01' }],
      note: [{ text: 'Maya goes to school' }],
    } as never);
    expect(goal.ok).toBe(true);
    if (!goal.ok) return;
    const team = careTeamMembers({
      resourceType: 'CareTeam',
      id: 't1',
      participant: [
        {
          role: [
            {
              coding: [
                { system: CodeSystems.careTeamRole, code: 'family-partner', display: 'Family Partner' },
              ],
            },
          ],
          member: { reference: 'Practitioner/fp' },
        },
      ],
    } as never);
    const plan = parseCarePlan(
      {
        resourceType: 'CarePlan',
        id: 'cp1',
        status: 'active',
        category: [{ coding: [{ system: CodeSystems.planType, code: 'icp' }], text: 'Individual Care Plan' }],
        goal: [{ reference: 'Goal/g1' }, { reference: 'Goal/missing' }],
        careTeam: [{ reference: 'CareTeam/t1' }],
      } as never,
      new Map([['g1', goal.value]]),
      new Map([['t1', team]]),
    );
    expect(plan.ok && plan.value).toMatchObject({
      kind: 'icp',
      title: 'Individual Care Plan',
      goals: [{ id: 'g1', caregiverWording: 'Maya goes to school', targetDate: '2027-01-01' }],
      careTeam: [{ reference: 'Practitioner/fp', role: 'family-partner' }],
    });
  });
});

describe('referral task', () => {
  it('needs a referral date', () => {
    const parsed = parseReferralTask({ resourceType: 'Task', id: 't', status: 'requested' } as never);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.message).toBe('Task/t has no referral date (authoredOn)');
  });

  it('reads the FST stage from businessStatus', () => {
    const parsed = parseReferralTask({
      resourceType: 'Task',
      id: 't',
      status: 'on-hold',
      authoredOn: '2026-11-01T10:00:00Z',
      businessStatus: { coding: [{ system: CodeSystems.referralStatus, code: 'waitlisted' }] },
      statusReason: { text: 'No Family Partner available' },
      focus: { reference: 'ServiceRequest/sr1' },
    } as never);
    expect(parsed.ok && parsed.value).toMatchObject({
      stage: 'waitlisted',
      statusReason: 'No Family Partner available',
      serviceRequestId: 'sr1',
    });
  });
});

describe('codes from real EHRs are shown, never dropped', () => {
  it('keeps a purpose from another code system by its words or code', () => {
    const parsed = parseContact({
      resourceType: 'Communication',
      id: 'x',
      status: 'completed',
      sent: '2026-11-20T15:00:00Z',
      category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'caregiver-contact' }] }],
      reasonCode: [
        { coding: [{ system: CodeSystems.contactPurpose, code: 'coaching' }] },
        { coding: [{ system: 'http://ehr.example/purpose', code: 'RESP', display: 'Respite planning' }] },
        { coding: [{ system: 'http://ehr.example/purpose', code: 'X9' }] },
      ],
    } as never);
    expect(parsed.ok && parsed.value.purposes).toEqual(['coaching', 'Respite planning', 'X9']);
  });

  it('names a relationship from any coding with a display, else in words for known codes', () => {
    const rp = (relationship: unknown) =>
      parseRelatedPerson({ resourceType: 'RelatedPerson', id: 'r', relationship } as never);
    const withDisplayElsewhere = rp([
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] },
      { coding: [{ system: CodeSystems.roleCode, code: 'MTH', display: 'mother' }] },
    ]);
    expect(withDisplayElsewhere.ok && withDisplayElsewhere.value.relationship).toBe('mother');
    const codeOnly = rp([{ coding: [{ system: CodeSystems.roleCode, code: 'SIGOTHR' }] }]);
    expect(codeOnly.ok && codeOnly.value.relationship).toBe('significant other');
    const unknown = rp([{ coding: [{ system: 'http://ehr.example/rel', code: 'ZZ' }] }]);
    expect(unknown.ok && unknown.value.relationship).toBe('ZZ');
  });
});

describe('what the referrer sent', () => {
  it('reads the reason, the goals and the admission checklist named by the order', () => {
    const requests = referralRequests([
      {
        resourceType: 'ServiceRequest',
        id: 'sr1',
        reasonCode: [{ text: 'Caregiver overwhelmed by school calls' }],
        supportingInfo: [{ reference: 'Goal/g1' }, { reference: 'QuestionnaireResponse/qr1' }],
      },
      {
        resourceType: 'QuestionnaireResponse',
        id: 'qr1',
        questionnaire: Questionnaires.admissionCriteria,
        item: [
          { linkId: 'A', answer: [{ valueBoolean: true }] },
          { linkId: 'B', answer: [{ valueBoolean: false }] },
        ],
      },
      // Another questionnaire's answers are not admission criteria.
      { resourceType: 'QuestionnaireResponse', id: 'qr2', questionnaire: 'http://other', item: [] },
      // An unreadable order is left out, never fatal.
      { resourceType: 'ServiceRequest', id: 'sr2', supportingInfo: 'nonsense' } as never,
    ] as never);
    expect(requests.get('sr1')).toEqual({
      reason: 'Caregiver overwhelmed by school calls',
      goalIds: ['g1'],
      newGoals: [],
      criteria: { A: true, B: false },
    });
    expect(requests.has('sr2')).toBe(false);
  });
});
