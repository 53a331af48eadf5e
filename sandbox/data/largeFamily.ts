/**
 * A very large synthetic family for benchmarks: one ICC youth with years of contacts (default 5 years,
 * 10 000 contacts), as transaction Bundles. Invented data. Used by `npm run bench:ui` and, written out by
 * `scripts/generate-large-family.mts`, loadable with SANDBOX_DATA.
 */
import { placeOfServiceExtension } from '../../src/fhir/mappers/contact';
import type { Bundle, Resource } from 'fhir/r4';
import { putTransactions } from './bundles';
import { CodeSystems, Extensions, H2014, IdentifierSystems, Profiles } from '../../src/fhir/codes';

const DAY = 86_400_000;
export const LARGE_PATIENT_ID = 'youth-large';

export function buildLargeFamily(today: Date, contacts = 10_000, years = 5): Bundle[] {
  const start = today.getTime() - years * 365 * DAY;
  const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });
  const base: Resource[] = [
    {
      resourceType: 'Patient',
      id: LARGE_PATIENT_ID,
      name: [{ given: ['Riley'], family: 'Largefamily' }],
      birthDate: '2010-05-05',
      gender: 'other',
    } as Resource,
    {
      resourceType: 'RelatedPerson',
      id: 'cg-large',
      patient: ref('Patient', LARGE_PATIENT_ID),
      name: [{ given: ['Jordan'], family: 'Largefamily' }],
      relationship: [{ coding: [{ system: CodeSystems.roleCode, code: 'PRN', display: 'parent' }] }],
    } as Resource,
    {
      resourceType: 'Goal',
      id: 'goal-large',
      lifecycleStatus: 'active',
      description: { text: 'Caregiver sustains routines' },
      subject: ref('Patient', LARGE_PATIENT_ID),
    } as Resource,
    {
      resourceType: 'CareTeam',
      id: 'team-large',
      subject: ref('Patient', LARGE_PATIENT_ID),
      participant: [
        {
          role: [
            {
              coding: [
                {
                  system: CodeSystems.careTeamRole,
                  code: 'icc-care-coordinator',
                  display: 'ICC Care Coordinator',
                },
              ],
            },
          ],
          member: ref('Practitioner', 'icc-marcus'),
        },
      ],
    } as Resource,
    {
      resourceType: 'CarePlan',
      id: 'plan-large',
      status: 'active',
      intent: 'plan',
      title: 'Individual Care Plan (ICC)',
      category: [{ coding: [{ system: CodeSystems.planType, code: 'icp' }] }],
      subject: ref('Patient', LARGE_PATIENT_ID),
      goal: [ref('Goal', 'goal-large')],
      careTeam: [ref('CareTeam', 'team-large')],
    } as Resource,
    {
      resourceType: 'ServiceRequest',
      id: 'sr-large',
      meta: { profile: [Profiles.referralServiceRequest] },
      status: 'active',
      intent: 'order',
      code: { coding: [H2014] },
      subject: ref('Patient', LARGE_PATIENT_ID),
      basedOn: [ref('CarePlan', 'plan-large')],
      authoredOn: new Date(start - 3 * DAY).toISOString(),
      requester: ref('Practitioner', 'icc-marcus'),
      reasonCode: [{ text: 'Benchmark family' }],
    } as Resource,
    {
      resourceType: 'Task',
      id: 'task-large',
      meta: { profile: [Profiles.referralTask] },
      status: 'in-progress',
      businessStatus: { coding: [{ system: CodeSystems.referralStatus, code: 'active' }] },
      intent: 'order',
      code: { coding: [{ system: CodeSystems.taskCode, code: 'fulfill' }] },
      focus: ref('ServiceRequest', 'sr-large'),
      for: ref('Patient', LARGE_PATIENT_ID),
      authoredOn: new Date(start - 3 * DAY).toISOString(),
      lastModified: new Date(start).toISOString(),
      requester: ref('Practitioner', 'icc-marcus'),
      owner: ref('Practitioner', 'fp-rosa'),
    } as Resource,
  ];
  const span = today.getTime() - DAY - start;
  const comms: Resource[] = [];
  for (let i = 0; i < contacts; i++) {
    const caregiver = i % 2 === 0;
    const sent = new Date(start + Math.floor((span * i) / contacts)).toISOString();
    comms.push({
      resourceType: 'Communication',
      id: `comm-large-${i}`,
      meta: { profile: [caregiver ? Profiles.caregiverContact : Profiles.collateralContact] },
      identifier: [{ system: IdentifierSystems.clientRequest, value: `large-${i}` }],
      status: 'completed',
      category: [
        {
          coding: [
            {
              system: CodeSystems.contactCategory,
              code: caregiver ? 'caregiver-contact' : 'collateral-contact',
            },
          ],
        },
      ],
      medium: [{ coding: [{ system: CodeSystems.participationMode, code: i % 3 === 0 ? 'FACE' : 'PHONE' }] }],
      subject: ref('Patient', LARGE_PATIENT_ID),
      partOf: [ref('Task', 'task-large')],
      sender: ref('Practitioner', 'fp-rosa'),
      recipient: [caregiver ? ref('RelatedPerson', 'cg-large') : ref('Practitioner', 'icc-marcus')],
      sent,
      reasonCode: [{ coding: [{ system: CodeSystems.contactPurpose, code: 'coaching' }] }],
      extension: [
        { url: Extensions.pertainsToGoal, valueReference: ref('Goal', 'goal-large') },
        {
          url: Extensions.contactDuration,
          valueDuration: {
            value: 20 + (i % 40),
            unit: 'min',
            system: 'http://unitsofmeasure.org',
            code: 'min',
          },
        },
        placeOfServiceExtension(i % 3 === 0 ? 'home' : 'telehealth'),
      ],
      payload: [{ contentString: `Contact ${i + 1}: worked on routines and school mornings.` }],
    } as Resource);
  }
  return putTransactions([...base, ...comms]);
}
