/**
 * A synthetic agency for benchmarks and scale tests: `families` youth referred over `years`, each with an FST
 * referral (Task + H2014 order), a caregiver, a plan with a goal, and the contacts the seed requires every week — a
 * caregiver contact (45 minutes, for the plan's goal) and a collateral contact with the provider — from the first
 * session to the episode's end or today (≈ 156 contacts a family over two years). Referrals are owned by the demo's two Family Partners in turn. Invented data, as transaction Bundles.
 * `npm run bench` loads it at 30, 300 and 1 000 families; `scripts/generate-agency.mts` writes it out for SANDBOX_DATA.
 */
import type { Resource } from 'fhir/r4';
import { CodeSystems, Extensions, H2014, IdentifierSystems } from '../../src/fhir/codes';

const DAY = 86_400_000;
const OWNERS = ['PractitionerRole/role-fp-rosa', 'PractitionerRole/role-fp-james'];
const SENDERS = ['Practitioner/fp-rosa', 'Practitioner/fp-james'];

export interface AgencyOptions {
  families: number;
  years?: number;
  /** Weeks of contacts per family at most (the default: two years, 78 weeks of two contacts). */
  contactsPerFamily?: number;
}

export function buildAgency(today: Date, options: AgencyOptions): Resource[] {
  const years = options.years ?? 2;
  const span = years * 365 * DAY;
  const perFamily = options.contactsPerFamily ?? 78;
  const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });
  const out: Resource[] = [];
  for (let n = 0; n < options.families; n++) {
    const id = (kind: string) => `${kind}-a${n}`;
    // Referrals spread over the years; a third of the older episodes have ended.
    const referred = today.getTime() - span + Math.floor((span * n) / options.families);
    const ended = n % 3 === 0 && referred < today.getTime() - 180 * DAY;
    const end = ended ? referred + 150 * DAY : today.getTime() - DAY;
    const patient = id('youth');
    out.push(
      {
        resourceType: 'Patient',
        id: patient,
        identifier: [{ system: IdentifierSystems.medicaidId, value: `AG${100000 + n}` }],
        name: [{ given: [`Youth${n}`], family: 'Agency' }],
        birthDate: `${2008 + (n % 12)}-0${1 + (n % 9)}-15`,
      } as Resource,
      {
        resourceType: 'RelatedPerson',
        id: id('cg'),
        patient: ref('Patient', patient),
        name: [{ given: [`Caregiver${n}`], family: 'Agency' }],
        relationship: [{ coding: [{ system: CodeSystems.roleCode, code: 'PRN' }] }],
      } as Resource,
      {
        resourceType: 'Goal',
        id: id('goal'),
        lifecycleStatus: 'active',
        description: { text: 'Caregiver keeps a weekly routine' },
        subject: ref('Patient', patient),
      } as Resource,
      {
        resourceType: 'CarePlan',
        id: id('plan'),
        status: 'active',
        intent: 'plan',
        title: 'Treatment plan',
        category: [{ coding: [{ system: CodeSystems.planType, code: 'outpatient' }] }],
        subject: ref('Patient', patient),
        goal: [ref('Goal', id('goal'))],
      } as Resource,
      {
        resourceType: 'ServiceRequest',
        id: id('sr'),
        status: ended ? 'completed' : 'active',
        intent: 'order',
        code: { coding: [H2014] },
        subject: ref('Patient', patient),
        authoredOn: new Date(referred).toISOString(),
        requester: ref('Practitioner', 'op-helen'),
      } as Resource,
      {
        resourceType: 'Task',
        id: id('task'),
        // Ours by its identifier (and its order's H2014 code); no profile, so the import stays quick.
        identifier: [{ system: IdentifierSystems.clientRequest, value: id('task') }],
        status: ended ? 'completed' : 'in-progress',
        businessStatus: {
          coding: [{ system: CodeSystems.referralStatus, code: ended ? 'discharged' : 'active' }],
        },
        intent: 'order',
        code: { coding: [{ system: CodeSystems.taskCode, code: 'fulfill' }] },
        focus: ref('ServiceRequest', id('sr')),
        for: ref('Patient', patient),
        authoredOn: new Date(referred).toISOString(),
        lastModified: new Date(referred + 2 * DAY).toISOString(),
        requester: ref('Practitioner', 'op-helen'),
        owner: { reference: OWNERS[n % OWNERS.length] },
      } as Resource,
    );
    const first = referred + 3 * DAY;
    const weeks = Math.min(perFamily, Math.floor((end - first) / (7 * DAY)) + 1);
    for (let w = 0; w < weeks; w++)
      for (const caregiver of [true, false]) {
        const cid = `${id('comm')}-${w}${caregiver ? '' : 'c'}`;
        out.push({
          resourceType: 'Communication',
          id: cid,
          identifier: [{ system: IdentifierSystems.clientRequest, value: cid }],
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
          medium: [
            { coding: [{ system: CodeSystems.participationMode, code: caregiver ? 'FACE' : 'PHONE' }] },
          ],
          subject: ref('Patient', patient),
          partOf: [ref('Task', id('task'))],
          sender: { reference: SENDERS[n % SENDERS.length] },
          recipient: [caregiver ? ref('RelatedPerson', id('cg')) : ref('Practitioner', 'op-helen')],
          sent: new Date(first + w * 7 * DAY + (caregiver ? 0 : DAY)).toISOString(),
          ...(caregiver
            ? {
                extension: [
                  { url: Extensions.pertainsToGoal, valueReference: ref('Goal', id('goal')) },
                  {
                    url: Extensions.contactDuration,
                    valueDuration: {
                      value: 45,
                      unit: 'min',
                      system: 'http://unitsofmeasure.org',
                      code: 'min',
                    },
                  },
                ],
              }
            : {}),
          payload: [{ contentString: `Week ${w + 1}: practised the routine together.` }],
        } as Resource);
      }
  }
  return out;
}
