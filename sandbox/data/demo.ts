/**
 * Synthetic demo data for the sandbox EHR, generated relative to `today` so the compliance clocks
 * always show something real. Every name, date and note here is invented.
 * Output: FHIR transaction Bundles (PUT with stable ids, so launch links and tests can name them).
 */
import type {
  Bundle,
  BundleEntry,
  CarePlan,
  CareTeam,
  Communication,
  DocumentReference,
  Encounter,
  Goal,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  QuestionnaireResponse,
  RelatedPerson,
  Resource,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import {
  CodeSystems,
  Extensions,
  H2014,
  IdentifierSystems,
  Profiles,
  Questionnaires,
} from '../../src/fhir/codes';
import { ADMISSION_CRITERIA } from '../../src/domain/referral';
import { PURPOSE_LABEL } from '../../src/ui/labels';
import {
  civilDateOf,
  civilFromIso,
  civilToIso,
  instantOfWallClock,
  weekday,
} from '../../src/domain/calendar';
import type { RecordedStatusChange } from '../../src/domain/model';
import { statusHistoryExtension } from '../../src/fhir/mappers/referral';
import { attainmentResponse, surveyResponse } from '../../src/fhir/mappers/outcome';
import { SATISFACTION_ITEMS } from '../../src/domain/outcomes';
import type { OnCallHours } from '../../src/domain/onCall';
import { withOnCallHours } from '../../src/fhir/mappers/staff';
import { placeOfServiceExtension } from '../../src/fhir/mappers/contact';

export interface DemoClock {
  /** ISO instant `days` before today at `hour`:`minute`, wall-clock time in the provider's time zone. */
  at(daysAgo: number, hour?: number, minute?: number): string;
  /** The civil date `days` before today in the provider's time zone. */
  date(daysAgo: number): string;
}

/** The provider's time zone of the demo (public/config.json): "today" and every time are read there. */
export const DEMO_TIME_ZONE = 'America/New_York';

/**
 * Days are counted in the provider's time zone, as the clocks count them: at 02:00 UTC it is still
 * yesterday in Massachusetts, and a referral made "3 days ago" must be 3 days old there.
 */
export function demoClock(today: Date, timeZone = DEMO_TIME_ZONE): DemoClock {
  const civilToday = civilDateOf(today, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    at: (daysAgo, hour = 10, minute = 0) =>
      (
        instantOfWallClock(
          `${civilToIso(civilToday - daysAgo)}T${pad(hour)}:${pad(minute)}`,
          timeZone,
        ) as Date
      ).toISOString(),
    date: (daysAgo) => civilToIso(civilToday - daysAgo),
  };
}

const ref = (r: Resource) => ({ reference: `${r.resourceType}/${r.id}` });
const lang = (code: string, display: string) => ({
  coding: [{ system: CodeSystems.languages, code, display }],
});

/** Medplum allows at most 50 updates per transaction; ids are literal, so chunks reference each other freely. */
const MAX_ENTRIES = 50;

function transactions(resources: Resource[]): Bundle[] {
  const out: Bundle[] = [];
  for (let i = 0; i < resources.length; i += MAX_ENTRIES)
    out.push(transaction(resources.slice(i, i + MAX_ENTRIES)));
  return out;
}

function transaction(resources: Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource): BundleEntry => ({
      fullUrl: `urn:demo:${resource.resourceType}/${resource.id}`,
      resource,
      request: {
        method: 'PUT',
        url: `${resource.resourceType}/${resource.id}`,
      },
    })),
  };
}

// ---------------------------------------------------------------- staff

export const PROVIDER_ORG: Organization = {
  resourceType: 'Organization',
  id: 'org-harbor',
  name: 'Harbor Family Services (FST provider)',
  active: true,
};
const CLINIC_ORG: Organization = {
  resourceType: 'Organization',
  id: 'org-riverside',
  name: 'Riverside Community Health',
  active: true,
};

interface PersonaSpec {
  id: string;
  given: string;
  family: string;
  role: string;
  roleDisplay: string;
  languages: [string, string][];
  org: Organization;
}

const PERSONA_SPECS: PersonaSpec[] = [
  {
    id: 'fp-rosa',
    given: 'Rosa',
    family: 'Delgado',
    role: 'family-partner',
    roleDisplay: 'Family Partner',
    languages: [
      ['es', 'Spanish'],
      ['en', 'English'],
    ],
    org: PROVIDER_ORG,
  },
  {
    id: 'fp-james',
    given: 'James',
    family: 'Okoro',
    role: 'family-partner',
    roleDisplay: 'Family Partner',
    languages: [['en', 'English']],
    org: PROVIDER_ORG,
  },
  {
    id: 'sfp-dana',
    given: 'Dana',
    family: 'Whitfield',
    role: 'senior-family-partner',
    roleDisplay: 'Senior Family Partner (supervisor)',
    languages: [['en', 'English']],
    org: PROVIDER_ORG,
  },
  {
    id: 'lc-grace',
    given: 'Grace',
    family: 'Lin',
    role: 'fst-supervisor',
    roleDisplay: 'FST clinical supervisor (LICSW)',
    languages: [['en', 'English']],
    org: PROVIDER_ORG,
  },
  {
    id: 'pm-teresa',
    given: 'Teresa',
    family: 'Nguyen',
    role: 'fst-program-manager',
    roleDisplay: 'FST program manager',
    languages: [
      ['en', 'English'],
      ['vi', 'Vietnamese'],
    ],
    org: PROVIDER_ORG,
  },
  {
    id: 'icc-marcus',
    given: 'Marcus',
    family: 'Bell',
    role: 'icc-care-coordinator',
    roleDisplay: 'ICC Care Coordinator',
    languages: [['en', 'English']],
    org: CLINIC_ORG,
  },
  {
    id: 'op-helen',
    given: 'Helen',
    family: 'Park',
    role: 'outpatient-clinician',
    roleDisplay: 'Outpatient Clinician',
    languages: [['en', 'English']],
    org: CLINIC_ORG,
  },
  {
    id: 'iht-samuel',
    given: 'Samuel',
    family: 'Okafor',
    role: 'iht-clinician',
    roleDisplay: 'In-Home Therapy Clinician',
    languages: [
      ['en', 'English'],
      ['fr', 'French'],
    ],
    org: CLINIC_ORG,
  },
];

/** The persona of each role the demo families use: the first listed (Rosa is the families' Family Partner). */
export const PERSONAS = Object.fromEntries([...PERSONA_SPECS].reverse().map((p) => [p.role, p.id])) as Record<
  string,
  string
>;

/**
 * The on-call roster (seed 000 staffing 9): Grace covers weekdays into the evening and Saturday mornings, so
 * a Sunday or late-evening visit shows on the supervisor's caseload as a service with nobody on call.
 */
const ON_CALL: Record<string, OnCallHours[]> = {
  'lc-grace': [
    { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' },
    { days: [6], start: '09:00', end: '13:00' },
  ],
};

function staff(clock: DemoClock): Resource[] {
  const out: Resource[] = [PROVIDER_ORG, CLINIC_ORG];
  for (const p of PERSONA_SPECS) {
    const practitioner: Practitioner = {
      resourceType: 'Practitioner',
      id: p.id,
      active: true,
      name: [{ given: [p.given], family: p.family }],
      communication: p.languages.map(([code, display]) => lang(code, display)),
      ...(qualificationsOf(p.id, clock) ? { qualification: qualificationsOf(p.id, clock) } : {}),
      telecom: [
        {
          system: 'email',
          value: `${p.given.toLowerCase()}@example.org`,
          use: 'work',
        },
      ],
    };
    const withHours = ON_CALL[p.id] ? withOnCallHours(practitioner, ON_CALL[p.id]) : practitioner;
    const role: PractitionerRole = {
      resourceType: 'PractitionerRole',
      id: `role-${p.id}`,
      active: true,
      // The hire date in the role: the initial training course is due before it (staffing 6).
      ...(HIRED_DAYS_AGO[p.id] ? { period: { start: clock.date(HIRED_DAYS_AGO[p.id]) } } : {}),
      practitioner: ref(practitioner),
      organization: ref(p.org),
      code: [
        {
          coding: [
            {
              system: CodeSystems.careTeamRole,
              code: p.role,
              display: p.roleDisplay,
            },
          ],
          text: p.roleDisplay,
        },
      ],
    };
    out.push(withHours, role);
  }
  return out;
}

// ---------------------------------------------------------------- families

type Program = 'icc' | 'outpatient' | 'iht';
type Stage = 'referred' | 'waitlisted' | 'active' | 'stopped' | 'discharged';

interface FamilySpec {
  n: number;
  youth: {
    given: string;
    family: string;
    gender: Patient['gender'];
    ageYears: number;
    language?: [string, string];
  };
  caregivers: {
    given: string;
    family: string;
    role: string;
    display: string;
    language?: [string, string];
  }[];
  program: Program;
  goals: { text: string; caregiver: string; dueInDays: number }[];
  /**
   * After a discharge: the clinic's reviewed plan now in force (the basis of a re-referral), with its goal.
   */
  reviewedPlan?: { daysAgo: number; goal: { text: string; caregiver: string; dueInDays: number } };
  referralDaysAgo: number;
  /** Days after referral of the first caregiver phone contact; undefined = not yet contacted. */
  firstContactAfter?: number;
  stage: Stage;
  /** Weeks of weekly contacts since service start, and which weeks are missed. */
  serviceWeeks?: number;
  missedCaregiverWeeks?: number[];
  missedCollateralWeeks?: number[];
}

const TREATER: Record<Program, string> = {
  icc: 'icc-marcus',
  outpatient: 'op-helen',
  iht: 'iht-samuel',
};
const PLAN: Record<Program, { code: string; display: string }> = {
  icc: { code: 'icp', display: 'Individual Care Plan (ICC)' },
  outpatient: {
    code: 'outpatient-treatment-plan',
    display: 'Outpatient treatment plan',
  },
  iht: {
    code: 'iht-treatment-plan',
    display: 'In-Home Therapy treatment plan',
  },
};

const PURPOSES = Object.keys(PURPOSE_LABEL);

const FAMILIES: FamilySpec[] = [
  {
    n: 1,
    youth: {
      given: 'Maya',
      family: 'Thompson',
      gender: 'female',
      ageYears: 14,
    },
    caregivers: [{ given: 'Angela', family: 'Thompson', role: 'MTH', display: 'mother' }],
    program: 'icc',
    goals: [
      {
        text: 'Reduce school refusal to fewer than 2 missed days per month',
        caregiver: 'Maya gets to school most days',
        dueInDays: 60,
      },
      {
        text: 'Caregiver uses a calm-down plan during escalations',
        caregiver: 'I have a plan for hard evenings',
        dueInDays: 90,
      },
      {
        text: 'Family connected to a parent peer support group',
        caregiver: 'I have other parents to talk to',
        dueInDays: 45,
      },
    ],
    referralDaysAgo: 70,
    firstContactAfter: 2,
    stage: 'active',
    serviceWeeks: 9,
    missedCollateralWeeks: [4],
  },
  {
    n: 2,
    youth: { given: 'Ethan', family: 'Walker', gender: 'male', ageYears: 11 },
    caregivers: [
      {
        given: 'Loretta',
        family: 'Walker',
        role: 'GRMTH',
        display: 'grandmother',
      },
    ],
    program: 'outpatient',
    goals: [
      {
        text: 'Caregiver applies consistent bedtime routine 5 nights per week',
        caregiver: 'Bedtime goes smoothly most nights',
        dueInDays: 30,
      },
      {
        text: 'Caregiver attends IEP meeting with a written list of concerns',
        caregiver: 'I speak up at the school meeting',
        dueInDays: -20,
      },
    ],
    referralDaysAgo: 400,
    firstContactAfter: 1,
    stage: 'active',
    serviceWeeks: 56,
    missedCaregiverWeeks: [6, 19, 33, 47],
    missedCollateralWeeks: [3, 12, 25, 26, 40, 51],
  },
  {
    n: 3,
    youth: {
      given: 'Sofía',
      family: 'Ramírez',
      gender: 'female',
      ageYears: 9,
      language: ['es', 'Spanish'],
    },
    caregivers: [
      {
        given: 'Lucía',
        family: 'Ramírez',
        role: 'MTH',
        display: 'mother',
        language: ['es', 'Spanish'],
      },
    ],
    program: 'iht',
    goals: [
      {
        text: 'Caregiver uses praise and planned ignoring for tantrums',
        caregiver: 'Menos berrinches en casa',
        dueInDays: 50,
      },
      {
        text: 'Family enrolled in an after-school program',
        caregiver: 'Sofía tiene un programa después de la escuela',
        dueInDays: 35,
      },
    ],
    referralDaysAgo: 35,
    firstContactAfter: 3,
    stage: 'active',
    serviceWeeks: 4,
  },
  {
    n: 4,
    youth: { given: 'Noah', family: 'Patel', gender: 'male', ageYears: 16 },
    caregivers: [
      { given: 'Priya', family: 'Patel', role: 'MTH', display: 'mother' },
      { given: 'Raj', family: 'Patel', role: 'FTH', display: 'father' },
    ],
    program: 'outpatient',
    goals: [
      {
        text: 'Caregivers learn to support medication adherence',
        caregiver: 'We help Noah remember his medicine',
        dueInDays: 90,
      },
    ],
    referralDaysAgo: 3,
    stage: 'referred',
  },
  {
    n: 5,
    youth: { given: 'Ava', family: 'Johnson', gender: 'female', ageYears: 7 },
    caregivers: [{ given: 'Tanya', family: 'Johnson', role: 'GUARD', display: 'guardian' }],
    program: 'icc',
    goals: [
      {
        text: 'Guardian navigates DCF and school systems with support',
        caregiver: 'I know who to call',
        dueInDays: 80,
      },
    ],
    referralDaysAgo: 8,
    stage: 'referred',
  },
  {
    n: 6,
    youth: { given: 'Liam', family: 'Nguyen', gender: 'male', ageYears: 12 },
    caregivers: [{ given: 'Mai', family: 'Nguyen', role: 'MTH', display: 'mother' }],
    program: 'iht',
    goals: [
      {
        text: 'Caregiver practises de-escalation coaching',
        caregiver: 'Fewer blow-ups at home',
        dueInDays: 70,
      },
    ],
    referralDaysAgo: 12,
    firstContactAfter: 2,
    stage: 'waitlisted',
  },
  {
    n: 7,
    youth: {
      given: 'Isabella',
      family: 'Carter',
      gender: 'female',
      ageYears: 15,
    },
    caregivers: [{ given: 'Denise', family: 'Carter', role: 'MTH', display: 'mother' }],
    program: 'outpatient',
    goals: [
      {
        text: 'Caregiver connects with community mental health resources',
        caregiver: 'I know where to get help',
        dueInDays: 10,
      },
    ],
    referralDaysAgo: 120,
    firstContactAfter: 4,
    stage: 'stopped',
    serviceWeeks: 10,
  },
  {
    n: 8,
    youth: { given: 'Jackson', family: 'Reed', gender: 'male', ageYears: 10 },
    caregivers: [{ given: 'Carla', family: 'Reed', role: 'STPMTH', display: 'stepmother' }],
    program: 'icc',
    goals: [
      {
        text: 'Caregiver builds a support network of two natural supports',
        caregiver: 'I have people I can lean on',
        dueInDays: -30,
      },
    ],
    reviewedPlan: {
      daysAgo: 6,
      goal: {
        text: 'Caregiver keeps the support network going after a school change',
        caregiver: 'My people still show up after the move',
        dueInDays: 120,
      },
    },
    referralDaysAgo: 200,
    firstContactAfter: 1,
    stage: 'discharged',
    serviceWeeks: 20,
  },
  {
    n: 9,
    youth: {
      given: 'Olivia',
      family: 'Brooks',
      gender: 'female',
      ageYears: 13,
    },
    caregivers: [{ given: 'Marcus', family: 'Brooks', role: 'FTH', display: 'father' }],
    program: 'icc',
    goals: [
      {
        text: 'Caregiver participates in every Care Planning Team meeting',
        caregiver: 'I have a voice at team meetings',
        dueInDays: 40,
      },
    ],
    referralDaysAgo: 2,
    stage: 'referred',
  },
];

export const DEMO_PATIENTS = Object.fromEntries(
  FAMILIES.map((f) => [`${f.youth.given} ${f.youth.family}`, `youth-${pad(f.n)}`]),
);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function family(spec: FamilySpec, clock: DemoClock): Resource[] {
  const id = (kind: string, i?: number | string) => `${kind}-${pad(spec.n)}${i === undefined ? '' : `-${i}`}`;
  const fp = PERSONAS['family-partner'];
  const treaterId = TREATER[spec.program];
  const treater = PERSONA_SPECS.find((p) => p.id === treaterId) ?? PERSONA_SPECS[0];
  const patient: Patient = {
    resourceType: 'Patient',
    id: `youth-${pad(spec.n)}`,
    identifier: [
      {
        system: IdentifierSystems.medicaidId,
        value: `MA${100200300 + spec.n}`,
      },
    ],
    active: true,
    name: [{ use: 'official', given: [spec.youth.given], family: spec.youth.family }],
    gender: spec.youth.gender,
    birthDate: clock.date(Math.round(spec.youth.ageYears * 365.25 + spec.n * 17)),
    communication: [
      {
        language: lang(...(spec.youth.language ?? ['en', 'English'])),
        preferred: true,
      },
    ],
  };
  const caregivers: RelatedPerson[] = spec.caregivers.map((c, i) => ({
    resourceType: 'RelatedPerson',
    id: id('cg', i + 1),
    active: true,
    patient: ref(patient),
    relationship: [
      {
        coding: [{ system: CodeSystems.roleCode, code: c.role, display: c.display }],
      },
    ],
    name: [{ given: [c.given], family: c.family }],
    telecom: [{ system: 'phone', value: `555-01${pad(spec.n)}${i}`, use: 'mobile' }],
    communication: [{ language: lang(...(c.language ?? ['en', 'English'])), preferred: true }],
  }));
  const careTeam: CareTeam = {
    resourceType: 'CareTeam',
    id: id('team'),
    status: 'active',
    subject: ref(patient),
    name: 'Care Planning Team',
    participant: [
      {
        role: [
          {
            coding: [
              {
                system: CodeSystems.careTeamRole,
                code: 'family-partner',
                display: 'Family Partner',
              },
            ],
          },
        ],
        member: { reference: `Practitioner/${fp}` },
      },
      {
        role: [
          {
            coding: [
              {
                system: CodeSystems.careTeamRole,
                code: treater.role,
                display: treater.roleDisplay,
              },
            ],
          },
        ],
        member: { reference: `Practitioner/${treaterId}` },
      },
      ...caregivers.map((c) => ({
        role: [
          {
            coding: [
              {
                system: CodeSystems.snomed,
                code: '133932002',
                display: 'Caregiver',
              },
            ],
          },
        ],
        member: ref(c),
      })),
    ],
  };
  const goals: Goal[] = spec.goals.map((g, i) => ({
    resourceType: 'Goal',
    id: id('goal', i + 1),
    lifecycleStatus: spec.stage === 'discharged' ? 'completed' : 'active',
    ...(spec.stage === 'discharged'
      ? {
          achievementStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
                code: 'achieved',
              },
            ],
          },
        }
      : {}),
    description: { text: g.text },
    subject: ref(patient),
    startDate: clock.date(spec.referralDaysAgo + 14),
    target: [{ dueDate: clock.date(-g.dueInDays) }],
    note: [{ text: g.caregiver }],
  }));
  const plan: CarePlan = {
    resourceType: 'CarePlan',
    id: id('plan'),
    status: spec.stage === 'discharged' ? 'completed' : 'active',
    intent: 'plan',
    category: [
      {
        coding: [{ system: CodeSystems.carePlanCategory, code: 'assess-plan' }],
      },
      {
        coding: [
          {
            system: CodeSystems.planType,
            code: PLAN[spec.program].code,
            display: PLAN[spec.program].display,
          },
        ],
        text: PLAN[spec.program].display,
      },
    ],
    title: PLAN[spec.program].display,
    subject: ref(patient),
    period: { start: clock.date(spec.referralDaysAgo + 14) },
    author: { reference: `Practitioner/${treaterId}` },
    careTeam: [ref(careTeam)],
    goal: goals.map(ref),
  };
  const encounters: Encounter[] = [0, 1, 2].map((i) => ({
    resourceType: 'Encounter',
    id: id('enc', i + 1),
    status: 'finished',
    class: {
      system: CodeSystems.actCode,
      code: 'AMB',
      display: 'ambulatory',
    },
    type: [
      {
        text: spec.program === 'icc' ? 'Care Planning Team meeting' : 'Therapy session',
      },
    ],
    subject: ref(patient),
    participant: [{ individual: { reference: `Practitioner/${treaterId}` } }],
    period: {
      start: clock.at(spec.referralDaysAgo + 14 - i * 7, 9),
      end: clock.at(spec.referralDaysAgo + 14 - i * 7, 10),
    },
    serviceProvider: ref(CLINIC_ORG),
  }));
  const referral: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: id('sr'),
    meta: { profile: [Profiles.referralServiceRequest] },
    status: spec.stage === 'discharged' ? 'completed' : 'active',
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: CodeSystems.snomed,
            code: '386229000',
            display: 'Caregiver support',
          },
        ],
      },
    ],
    code: {
      coding: [
        H2014,
        {
          system: CodeSystems.snomed,
          code: '461481000124109',
          display: 'Referral to peer support',
        },
      ],
      text: 'Family Support and Training',
    },
    subject: ref(patient),
    basedOn: [ref(plan)],
    authoredOn: clock.at(spec.referralDaysAgo, 9),
    requester: { reference: `Practitioner/${treaterId}` },
    performer: [ref(PROVIDER_ORG)],
    reasonCode: [
      {
        text: `Caregiver needs support with ${spec.goals[0].text.toLowerCase()}`,
      },
    ],
    note: [{ text: `Initial goals: ${spec.goals.map((g) => g.text).join('; ')}` }],
    // The goals chosen and the admission checklist answered with the referral (seed 000 process 1, 004 §III).
    supportingInfo: [
      ...goals.map((g) => ref(g)),
      {
        reference: `QuestionnaireResponse/${id('admission')}`,
        display: 'Admission criteria (CP.BH.AR.1600 §III)',
      },
    ],
  };
  const checklist: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    id: id('admission'),
    questionnaire: Questionnaires.admissionCriteria,
    status: 'completed',
    subject: ref(patient),
    authored: referral.authoredOn,
    author: { reference: `Practitioner/${treaterId}` },
    item: (Object.keys(ADMISSION_CRITERIA) as (keyof typeof ADMISSION_CRITERIA)[]).map((k) => ({
      linkId: k,
      text: ADMISSION_CRITERIA[k],
      answer: [{ valueBoolean: true }],
    })),
  };

  const comms: Communication[] = [];
  let seq = 0;
  const contact = (
    daysAgo: number,
    kind: 'caregiver' | 'collateral',
    medium: 'PHONE' | 'FACE' | 'VIDEOCONF',
    minutes: number,
    text: string,
    done = true,
    hour = 10,
  ) => {
    seq += 1;
    const goal = goals[seq % goals.length];
    comms.push({
      resourceType: 'Communication',
      id: id('comm', seq),
      meta: { profile: [kind === 'caregiver' ? Profiles.caregiverContact : Profiles.collateralContact] },
      identifier: [
        {
          system: IdentifierSystems.clientRequest,
          value: `demo-${pad(spec.n)}-${seq}`,
        },
      ],
      status: done ? 'completed' : 'not-done',
      ...(done
        ? {}
        : {
            statusReason: {
              coding: [
                {
                  system: CodeSystems.attemptReason,
                  code: 'no-answer',
                  display: 'No answer',
                },
              ],
              text: 'No answer; left voicemail',
            },
          }),
      category: [
        {
          coding: [
            {
              system: CodeSystems.contactCategory,
              code: `${kind}-contact`,
              display: kind === 'caregiver' ? 'Caregiver contact' : 'Collateral contact',
            },
          ],
        },
      ],
      medium: [{ coding: [{ system: CodeSystems.participationMode, code: medium }] }],
      subject: ref(patient),
      basedOn: [ref(referral)],
      partOf: [{ reference: `Task/${id('task')}` }],
      sender: { reference: `Practitioner/${fp}` },
      recipient: [kind === 'caregiver' ? ref(caregivers[0]) : { reference: `Practitioner/${treaterId}` }],
      sent: clock.at(daysAgo, hour),
      reasonCode: [
        {
          coding: [
            {
              system: CodeSystems.contactPurpose,
              code: PURPOSES[seq % PURPOSES.length],
            },
          ],
        },
      ],
      ...(done
        ? {
            extension: [
              { url: Extensions.pertainsToGoal, valueReference: ref(goal) },
              {
                url: Extensions.contactDuration,
                valueDuration: {
                  value: minutes,
                  unit: 'min',
                  system: 'http://unitsofmeasure.org',
                  code: 'min',
                },
              },
              // Seed 000 service component 5: home visits at home; calls are telehealth.
              placeOfServiceExtension(medium === 'FACE' ? 'home' : 'telehealth'),
            ],
          }
        : {}),
      payload: [{ contentString: text }],
    });
  };

  if (spec.firstContactAfter !== undefined) {
    const firstDay = spec.referralDaysAgo - spec.firstContactAfter;
    if (spec.stage === 'stopped')
      contact(firstDay + 1, 'caregiver', 'PHONE', 0, 'Called to offer an interview; no answer.', false, 8);
    contact(
      firstDay,
      'caregiver',
      'PHONE',
      20,
      'Introductory call. Explained FST and offered a face-to-face interview.',
    );
  }
  // Active families are seen every week up to today; the others for their recorded weeks.
  const weeks = spec.stage === 'active' ? Number.POSITIVE_INFINITY : (spec.serviceWeeks ?? 0);
  // First session 4 days after the first call: inside the 5-day window, so no waitlist is needed.
  const serviceStart = spec.referralDaysAgo - (spec.firstContactAfter ?? 0) - 4;
  for (let w = 0; w < weeks; w++) {
    const day = serviceStart - w * 7;
    if (day < 1) break;
    if (!spec.missedCaregiverWeeks?.includes(w)) {
      const face = w % 2 === 0;
      contact(
        day,
        'caregiver',
        face ? 'FACE' : 'PHONE',
        face ? 60 : 25,
        face ? `Home visit week ${w + 1}: practised the plan together.` : `Check-in call week ${w + 1}.`,
      );
    }
    if (!spec.missedCollateralWeeks?.includes(w) && day - 1 >= 1) {
      contact(
        day - 1,
        'collateral',
        'PHONE',
        15,
        `Update to treating provider on progress, week ${w + 1}.`,
        true,
        13,
      );
    }
  }
  let lastServiceDay = serviceStart - ((spec.serviceWeeks ?? 1) - 1) * 7;
  if (spec.stage === 'stopped') {
    lastServiceDay = Math.max(lastServiceDay, 36);
    contact(28, 'caregiver', 'PHONE', 0, 'Outreach after missed visits; no answer.', false);
    contact(21, 'caregiver', 'PHONE', 0, 'Second outreach; voicemail left with callback number.', false);
  }

  const taskStatus: Record<Stage, Task['status']> = {
    referred: 'requested',
    // The waitlist is not a Task status: accepted, with our waitlisted business status (SDOHCC).
    waitlisted: 'accepted',
    active: 'in-progress',
    stopped: 'in-progress',
    discharged: 'completed',
  };
  // The status changes as the app records them on the Task (fst-status-history).
  const supervisor = `Practitioner/${PERSONAS['senior-family-partner']}`;
  const contactedDay = spec.referralDaysAgo - (spec.firstContactAfter ?? 0);
  const history: RecordedStatusChange[] = [];
  if (spec.stage !== 'referred')
    history.push({
      status: 'accepted',
      stage: 'contacted',
      at: clock.at(spec.referralDaysAgo - 1, 11),
      by: supervisor,
    });
  if (spec.stage === 'waitlisted')
    history.push({
      status: 'accepted',
      stage: 'waitlisted',
      at: clock.at(contactedDay - 3, 11),
      by: supervisor,
      reason: 'No Family Partner with capacity this week',
    });
  if (spec.stage === 'active' || spec.stage === 'stopped' || spec.stage === 'discharged')
    history.push({
      status: 'in-progress',
      stage: 'active',
      at: clock.at(serviceStart, 12),
      by: `Practitioner/${fp}`,
    });
  if (spec.stage === 'stopped')
    history.push({
      status: 'in-progress',
      stage: 'stopped',
      at: clock.at(21, 12),
      by: `Practitioner/${fp}`,
      reason: 'Family stopped attending; outreach under way',
    });
  if (spec.stage === 'discharged')
    history.push({
      status: 'completed',
      stage: 'discharged',
      at: clock.at(lastServiceDay - 3, 12),
      by: `Practitioner/${fp}`,
      reason: 'Goals of the ICP met',
    });
  const task: Task = {
    resourceType: 'Task',
    id: id('task'),
    meta: { profile: [Profiles.referralTask] },
    identifier: [
      {
        system: IdentifierSystems.clientRequest,
        value: `demo-task-${pad(spec.n)}`,
      },
    ],
    status: taskStatus[spec.stage],
    extension: history.map(statusHistoryExtension),
    businessStatus: {
      coding: [{ system: CodeSystems.referralStatus, code: spec.stage }],
      text: spec.stage,
    },
    ...(spec.stage === 'waitlisted'
      ? {
          statusReason: {
            coding: [
              {
                system: CodeSystems.waitlistReason,
                code: 'no-family-partner-available',
                display: 'No Family Partner available',
              },
            ],
            text: 'No Family Partner with capacity this week',
          },
        }
      : {}),
    ...(spec.stage === 'discharged'
      ? {
          statusReason: {
            coding: [
              {
                system: CodeSystems.dischargeReason,
                code: 'goals-met',
                display: 'Goals of the plan met',
              },
            ],
            text: 'Goals of the ICP met',
          },
        }
      : {}),
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: CodeSystems.taskCode, code: 'fulfill' }] },
    focus: ref(referral),
    for: ref(patient),
    authoredOn: referral.authoredOn,
    lastModified: clock.at(Math.min(spec.referralDaysAgo, 2)),
    requester: { reference: `Practitioner/${treaterId}` },
    // Referred and waitlisted families have no Family Partner yet: the FST provider holds the referral.
    owner:
      spec.stage === 'referred' || spec.stage === 'waitlisted'
        ? ref(PROVIDER_ORG)
        : { reference: `PractitionerRole/role-${fp}` },
    restriction: {
      period: { end: clock.at(spec.referralDaysAgo - 5, 23, 59) },
    },
  };

  // Someone else's order Task with code=fulfill (a lab order), newer than the FST referral: never "the referral".
  const labOrder: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: id('lab'),
    status: 'active',
    intent: 'order',
    code: { coding: [{ system: CodeSystems.loinc, code: '24331-1', display: 'Lipid panel' }] },
    subject: ref(patient),
    authoredOn: clock.at(1, 8),
  };
  const labTask: Task = {
    resourceType: 'Task',
    id: id('labtask'),
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: CodeSystems.taskCode, code: 'fulfill' }] },
    focus: ref(labOrder),
    for: ref(patient),
    authoredOn: clock.at(1, 8),
  };
  // Maya's safety plan, made by her care team: the crisis protocol shows it.
  const safetyPlan: CarePlan = {
    resourceType: 'CarePlan',
    id: id('safety'),
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: CodeSystems.planType, code: 'safety-plan' }], text: 'Safety plan' }],
    title: `${spec.youth.given}'s safety plan`,
    description: 'Warning signs: pacing, refusing food, talking about running away.',
    subject: ref(patient),
    activity: [
      {
        detail: { status: 'not-started', description: 'Give space in her room; music helps her calm down.' },
      },
      {
        detail: { status: 'not-started', description: 'Call Aunt Lisa (555-0142) to come and sit with her.' },
      },
      { detail: { status: 'not-started', description: 'Remove medications and sharp objects from reach.' } },
    ],
  };
  const foreign = spec.n === 1 ? [labOrder, labTask, safetyPlan] : [];

  // The plan the clinic reviewed after a discharge: in force, so the youth can be referred again from it.
  const reviewed: Resource[] = [];
  if (spec.reviewedPlan) {
    const g = spec.reviewedPlan.goal;
    const goal: Goal = {
      resourceType: 'Goal',
      id: id('goal', 'r'),
      lifecycleStatus: 'active',
      description: { text: g.text },
      subject: ref(patient),
      startDate: clock.date(spec.reviewedPlan.daysAgo),
      target: [{ dueDate: clock.date(-g.dueInDays) }],
      note: [{ text: g.caregiver }],
    };
    const reviewedPlan: CarePlan = {
      ...plan,
      id: id('plan', 'r'),
      status: 'active',
      period: { start: clock.date(spec.reviewedPlan.daysAgo) },
      goal: [ref(goal)],
    };
    reviewed.push(goal, reviewedPlan);
  }

  const out: Resource[] = [
    patient,
    ...caregivers,
    ...foreign,
    careTeam,
    ...goals,
    plan,
    ...reviewed,
    ...encounters,
    checklist,
    referral,
    task,
    ...comms,
  ];
  if (spec.stage === 'discharged') {
    const doc: DocumentReference = {
      resourceType: 'DocumentReference',
      id: id('doc'),
      meta: { profile: [Profiles.dischargePlan] },
      status: 'current',
      docStatus: 'final',
      type: {
        coding: [
          {
            system: CodeSystems.loinc,
            code: '18842-5',
            display: 'Discharge summary',
          },
        ],
      },
      category: [
        {
          coding: [
            {
              system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
              code: 'clinical-note',
            },
          ],
        },
      ],
      subject: ref(patient),
      date: clock.at(lastServiceDay - 3),
      author: [{ reference: `Practitioner/${fp}` }],
      description: 'FST discharge plan',
      content: [
        {
          attachment: {
            contentType: 'text/plain',
            data: Buffer.from(
              'FST discharge plan: strategies, supports, services and resources agreed with the caregiver.',
            ).toString('base64'),
            title: 'FST discharge plan',
          },
        },
      ],
      context: {
        related: [ref(task), ref(referral), ref(plan)],
        period: { start: referral.authoredOn, end: clock.at(lastServiceDay) },
      },
    };
    // Delivered to the caregiver in person the day after it was written (within 5 business days of the last
    // service): the discharge clock reads this, never the plan's own date.
    const delivery: Communication = {
      resourceType: 'Communication',
      id: id('delivery'),
      identifier: [{ system: IdentifierSystems.clientRequest, value: id('delivery') }],
      status: 'completed',
      category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'discharge-plan-delivery' }] }],
      subject: ref(patient),
      basedOn: [ref(referral)],
      sent: clock.at(lastServiceDay - 4),
      medium: [{ coding: [{ system: CodeSystems.participationMode, code: 'FACE' }], text: 'In person' }],
      recipient: [ref(caregivers[0])],
      sender: { reference: `Practitioner/${fp}` },
      payload: [{ contentReference: { reference: `DocumentReference/${doc.id}` } }],
    };
    out.push(doc, delivery);
  }
  out.push(...outcomes());
  return out;

  /**
   * Seed 000 quality 2–3: goal attainment at intake, at each 90-day review and at discharge, rising over the
   * episode; a caregiver survey at discharge (in the caregiver's language), and one mid-way in a long episode.
   */
  function outcomes(): Resource[] {
    if (!['active', 'discharged'].includes(spec.stage) || serviceStart < 2) return [];
    const by = `Practitioner/${fp}`;
    const rated = (day: number, timepoint: 'intake' | 'review' | 'discharge', level: number, n: string) => ({
      ...attainmentResponse({
        patientId: patient.id ?? '',
        serviceRequestId: referral.id,
        by,
        at: new Date(clock.at(day)),
        timepoint,
        ratings: goals.map((g, i) => ({
          goalId: g.id ?? '',
          description: g.description.text ?? '',
          rating: Math.max(1, Math.min(5, level + (i % 2))),
        })),
        requestId: id('gas', n),
      }),
      id: id('gas', n),
    });
    const list: Resource[] = [rated(serviceStart - 3, 'intake', 2, 'intake')];
    const end = spec.stage === 'discharged' ? lastServiceDay : 1;
    for (let k = 1; serviceStart - 90 * k > end; k++)
      list.push(rated(serviceStart - 90 * k, 'review', Math.min(2 + k, 4), `review-${k}`));
    const spanish = spec.caregivers[0]?.language?.[0] === 'es';
    const survey = (day: number, n: string, answers: number[]) => ({
      ...surveyResponse({
        patientId: patient.id ?? '',
        serviceRequestId: referral.id,
        by,
        caregiver: `RelatedPerson/${caregivers[0]?.id ?? ''}`,
        language: spanish ? 'es' : 'en',
        at: new Date(clock.at(day)),
        answers: Object.fromEntries(SATISFACTION_ITEMS.map((item, i) => [item.linkId, answers[i]])),
        comment: '',
        requestId: id('survey', n),
      }),
      id: id('survey', n),
    });
    if (spec.stage === 'discharged') {
      list.push(rated(lastServiceDay, 'discharge', 4, 'discharge'));
      list.push(survey(Math.max(1, lastServiceDay - 2), 'discharge', [5, 5, 4, 4, 4, 5]));
    } else if (serviceStart > 180) list.push(survey(serviceStart - 180, 'midway', [5, 4, 5, 3, 4, 4]));
    return list;
  }
}

export function buildDemoBundles(today: Date = new Date()): Bundle[] {
  const clock = demoClock(today);
  return [
    ...transactions(staff(clock)),
    ...transactions(supervision(clock)),
    ...FAMILIES.flatMap((f) => transactions(family(f, clock))),
  ];
}

// ---------------------------------------------------------------- staff compliance

/**
 * Credentials and training (seed 000 staffing 1-6) as Practitioner.qualification, relative to today: James's
 * auto insurance expires within the month and two of his annual topics are overdue; Rosa is current.
 */
const HIRED_DAYS_AGO: Record<string, number> = {
  'fp-rosa': 720,
  'fp-james': 420,
  'sfp-dana': 2100,
  'lc-grace': 1500,
  'pm-teresa': 1100,
};

function qualificationsOf(id: string, clock: DemoClock): Practitioner['qualification'] {
  const q = (code: string, startDaysAgo: number, endDaysAgo?: number, issuer?: string) => ({
    code: { coding: [{ system: CodeSystems.staffQualification, code }] },
    period: {
      start: clock.date(startDaysAgo),
      ...(endDaysAgo !== undefined ? { end: clock.date(endDaysAgo) } : {}),
    },
    ...(issuer ? { issuer: { display: issuer } } : {}),
  });
  const topics = 'abcdefghijklmnopqr'.split('');
  // The lived experience a Family Partner brings, matched against what a caregiver asks for (process 7).
  const area = (code: string) => ({ code: { coding: [{ system: CodeSystems.matchPreference, code }] } });
  switch (id) {
    case 'fp-rosa':
      return [
        q('lived-experience', 3650),
        area('special-education'),
        area('child-welfare'),
        q('systems-navigation', 3650),
        q('bachelor-degree', 3650, undefined, 'UMass Boston'),
        q('drivers-licence', 900, -600, 'Massachusetts RMV'),
        q('auto-insurance', 120, -245),
        q('icc-training', 700),
        q('competency-training', 690),
        // The course on taking up the role, before her first family; then yearly.
        ...topics.map((t) => q(`topic-${t}`, 715)),
        ...topics.map((t) => q(`topic-${t}`, 150)),
      ];
    case 'fp-james':
      return [
        q('lived-experience', 5000),
        area('juvenile-court'),
        area('substance-use'),
        q('diploma-experience', 5000),
        q('drivers-licence', 1200, -400, 'Massachusetts RMV'),
        q('auto-insurance', 345, -20),
        q('icc-training', 400),
        ...topics.map((t) => q(`topic-${t}`, 415)),
        ...topics.map((t) => q(`topic-${t}`, t === 'j' || t === 'o' ? 380 : 200)),
      ];
    case 'sfp-dana':
      return [
        q('lived-experience', 7000),
        q('systems-navigation', 7000),
        q('bachelor-degree', 7000, undefined, 'Boston University'),
        q('drivers-licence', 500, -1000),
        q('auto-insurance', 60, -305),
        q('icc-training', 2000),
        q('competency-training', 1990),
        q('supervision-training', 1400),
        ...topics.map((t) => q(`topic-${t}`, 2095)),
        ...topics.map((t) => q(`topic-${t}`, 90)),
      ];
    // The FST supervisor (a licensed clinician): the training to supervise and the course (staffing 5–6).
    case 'lc-grace':
      return [
        // Staffing 9: licensed at the independent practice level (a LICSW), renewed every two years.
        q('independent-licence', 600, -130, 'Massachusetts Board of Social Work'),
        q('icc-training', 1500),
        q('supervision-training', 1490),
        ...topics.map((t) => q(`topic-${t}`, 1495)),
        ...topics.map((t) => q(`topic-${t}`, t === 'p' ? 380 : 60)),
      ];
    // The program manager: the course only (staffing 6), with this year's topic k (risk management) overdue.
    case 'pm-teresa':
      return [
        ...topics.map((t) => q(`topic-${t}`, 1105)),
        ...topics.map((t) => q(`topic-${t}`, t === 'k' ? 400 : 100)),
      ];
    default:
      return undefined;
  }
}

/**
 * 26 weeks of supervision: Dana sees Rosa and James individually each week; Grace meets them as a dyad.
 * Gaps: James missed his Senior FP supervision 3 and 11 weeks ago, and the dyad did not meet 7 weeks ago
 * (Rosa had individual clinician supervision instead). The current week has none yet.
 */
function supervision(clock: DemoClock): Resource[] {
  const out: Resource[] = [];
  const session = (id: string, kind: string, daysAgo: number, supervisor: string, supervisees: string[]) => {
    const start = clock.at(daysAgo, 14);
    const p = (code: string, reference: string) => ({
      type: [{ coding: [{ system: CodeSystems.participationType, code }] }],
      individual: { reference },
    });
    out.push({
      resourceType: 'Encounter',
      id,
      meta: { profile: [Profiles.supervisionSession] },
      identifier: [{ system: IdentifierSystems.clientRequest, value: `demo-${id}` }],
      status: 'finished',
      class: { system: CodeSystems.actCode, code: 'AMB' },
      type: [{ coding: [{ system: CodeSystems.supervisionKind, code: kind }] }],
      participant: [p('PPRF', supervisor), ...supervisees.map((s) => p('PART', s))],
      period: { start, end: new Date(Date.parse(start) + 60 * 60_000).toISOString() },
    } as Encounter);
  };
  // Weeks start on Sunday (the provider calendar): sessions on the Tuesday and Wednesday of past weeks only.
  const sinceWeekStart = weekday(civilFromIso(clock.date(0)));
  for (let w = 1; w <= 26; w++) {
    const day = sinceWeekStart + 7 * w - 2;
    session(`sup-sfp-rosa-${w}`, 'senior-fp-individual', day, 'Practitioner/sfp-dana', [
      'Practitioner/fp-rosa',
    ]);
    if (w !== 3 && w !== 11)
      session(`sup-sfp-james-${w}`, 'senior-fp-individual', day, 'Practitioner/sfp-dana', [
        'Practitioner/fp-james',
      ]);
    if (w === 7)
      session(`sup-lc-rosa-${w}`, 'clinician-individual', day - 1, 'Practitioner/lc-grace', [
        'Practitioner/fp-rosa',
      ]);
    else
      session(`sup-dyad-${w}`, 'clinician-dyad', day - 1, 'Practitioner/lc-grace', [
        'Practitioner/fp-rosa',
        'Practitioner/fp-james',
      ]);
  }
  return out;
}
