/**
 * Staff compliance ⇄ FHIR. Credentials and training completions are Practitioner.qualification (code from
 * our FSTStaffQualification system, period.start completed, period.end expiry, issuer); a supervision
 * session is an Encounter with no patient (our FSTSupervisionSession profile): the supervisor as primary
 * performer, the supervisees as participants. None of it carries patient data.
 */
import type { Encounter, Practitioner } from 'fhir/r4';
import { z } from '../../schema/z';
import type { RoleMapping } from '../../domain/permissions';
import { rolesFromCodes } from '../../domain/permissions';
import type {
  CredentialKind,
  Qualification,
  StaffMember,
  SupervisionDraft,
  SupervisionKind,
  SupervisionSession,
  TrainingTopic,
} from '../../domain/staff';
import { CREDENTIALS, SUPERVISION_KIND_LABEL, TRAINING_TOPICS } from '../../domain/staff';
import type { Weekday } from '../../domain/calendar';
import type { OnCallClinician, OnCallHours } from '../../domain/onCall';
import type { LivedExperienceArea } from '../../domain/matching';
import { LIVED_EXPERIENCE_AREAS, LIVED_EXPERIENCE_CODES } from '../../domain/matching';
import { onCallHoursProblems } from '../../domain/onCall';
import { CodeSystems, Extensions, IdentifierSystems, Profiles } from '../codes';
import { codeableConceptSchema, codeFrom, referenceSchema, toPersonName } from './datatypes';
import { practitionerRoleSchema, practitionerSchema, roleCodes } from './practitioner';

const KNOWN = new Set<string>([...Object.keys(TRAINING_TOPICS), ...Object.keys(CREDENTIALS)]);
const KINDS = Object.keys(SUPERVISION_KIND_LABEL) as SupervisionKind[];

/** A practitioner with the version (for If-Match) and the qualifications. */
// Loose like practitionerSchema: z.extend keeps the base object's unknown-key policy.
const staffPractitionerSchema = z.extend(practitionerSchema, {
  meta: z.optional(z.looseObject({ versionId: z.optional(z.string()) })),
  qualification: z.optional(
    z.array(
      z.looseObject({
        code: codeableConceptSchema,
        period: z.optional(z.looseObject({ start: z.optional(z.string()), end: z.optional(z.string()) })),
        issuer: z.optional(referenceSchema),
      }),
    ),
  ),
});

export interface Supervisor {
  reference: string;
  name: string;
  /** Which requirement they can supervise for (seed 000 staffing 8). */
  kind: 'senior-fp' | 'clinician';
}

export interface StaffRoster {
  members: StaffMember[];
  supervisors: Supervisor[];
  /** The licensed clinicians and their on-call hours (seed 000 staffing 9), with the version to change them. */
  onCall: (OnCallClinician & { versionId?: string })[];
}

/** Family Partners and Senior Family Partners (supervised), and who may supervise, from roles + practitioners. */
export function staffRoster(
  resources: readonly { resourceType: string }[],
  mapping: RoleMapping,
): StaffRoster {
  const practitioners = new Map<string, z.infer<typeof staffPractitionerSchema>>();
  for (const r of resources) {
    const p = staffPractitionerSchema.safeParse(r);
    if (p.success) practitioners.set(`Practitioner/${p.data.id}`, p.data);
  }
  const members: StaffMember[] = [];
  const supervisors: Supervisor[] = [];
  const onCall: StaffRoster['onCall'] = [];
  for (const r of resources) {
    const role = practitionerRoleSchema.safeParse(r);
    const ref = role.success ? role.data.practitioner?.reference : undefined;
    if (!role.success || !ref) continue;
    const roles = rolesFromCodes(roleCodes(role.data), mapping);
    const p = practitioners.get(ref);
    const name = p ? toPersonName(p.name).full || ref : ref;
    if (roles.has('senior-family-partner')) supervisors.push({ reference: ref, name, kind: 'senior-fp' });
    if (roles.has('fst-supervisor')) {
      supervisors.push({ reference: ref, name, kind: 'clinician' });
      if (!onCall.some((c) => c.reference === ref))
        onCall.push({
          reference: ref,
          name,
          hours: p ? onCallHoursOf(p) : [],
          ...(p ? independentLicenceOf(p) : {}),
          versionId: p?.meta?.versionId,
        });
    }
    const staffRole = roles.has('senior-family-partner')
      ? 'senior-family-partner'
      : roles.has('family-partner')
        ? 'family-partner'
        : roles.has('fst-supervisor')
          ? 'fst-supervisor'
          : roles.has('program-manager')
            ? 'program-manager'
            : undefined;
    if (!staffRole || members.some((m) => m.reference === ref)) continue;
    members.push({
      reference: ref,
      name,
      role: staffRole,
      hiredOn: role.data.period?.start?.slice(0, 10),
      livedExperience: p ? livedExperienceOf(p) : [],
      versionId: p?.meta?.versionId,
      qualifications: (p?.qualification ?? []).flatMap((q): Qualification[] => {
        const code = codeFrom(q.code, CodeSystems.staffQualification);
        return code && KNOWN.has(code)
          ? [
              {
                code: code as TrainingTopic | CredentialKind,
                start: q.period?.start?.slice(0, 10),
                end: q.period?.end?.slice(0, 10),
                issuer: q.issuer?.display,
              },
            ]
          : [];
      }),
    });
  }
  members.sort((a, b) => a.name.localeCompare(b.name));
  return { members, supervisors, onCall };
}

/** Staffing 9: the licence "at the independent practice level" on record, the one that runs longest. */
function independentLicenceOf(p: z.infer<typeof staffPractitionerSchema>): { licence?: { end?: string } } {
  const held = (p.qualification ?? [])
    .filter((q) => codeFrom(q.code, CodeSystems.staffQualification) === 'independent-licence')
    .map((q) => q.period?.end?.slice(0, 10))
    .sort((a, b) => (a === undefined ? -1 : b === undefined ? 1 : b.localeCompare(a)));
  return held.length ? { licence: held[0] ? { end: held[0] } : {} } : {};
}

const DAY_CODES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
// FHIR `time` stops at 23:59:59: the end of the day is written so and read back as 24:00.
const END_OF_DAY = '23:59:59';

const onCallExtensionSchema = z.looseObject({
  url: z.string(),
  extension: z.optional(
    z.array(
      z.looseObject({
        url: z.string(),
        valueCode: z.optional(z.string()),
        valueTime: z.optional(z.string()),
      }),
    ),
  ),
});

/**
 * A licensed clinician's weekly on-call hours (seed 000 staffing 9): our complex extension on their Practitioner
 * (day 1..7, start, end). A stretch that does not read whole is left out, never guessed.
 */
export function onCallHoursOf(practitioner: object): OnCallHours[] {
  const { extension } = practitioner as { extension?: unknown };
  const extensions = Array.isArray(extension) ? (extension as unknown[]) : [];
  return extensions.flatMap((raw): OnCallHours[] => {
    const e = onCallExtensionSchema.safeParse(raw);
    if (!e.success || e.data.url !== Extensions.onCallHours) return [];
    const parts = e.data.extension ?? [];
    const days = parts
      .filter((p) => p.url === 'day')
      .map((p) => DAY_CODES.indexOf(p.valueCode as (typeof DAY_CODES)[number]))
      .filter((d): d is Weekday => d >= 0);
    const time = (url: string) => parts.find((p) => p.url === url)?.valueTime?.slice(0, 5);
    const start = time('start');
    const endRaw = parts.find((p) => p.url === 'end')?.valueTime;
    const end = endRaw === END_OF_DAY ? '24:00' : endRaw?.slice(0, 5);
    if (!start || !end) return [];
    const hours = { days, start, end };
    return onCallHoursProblems(hours).length ? [] : [hours];
  });
}

/**
 * The areas of lived experience a Family Partner brings (seed 000 process 7), recorded as qualifications in our
 * match-preference code system.
 */
export function livedExperienceOf(practitioner: object): LivedExperienceArea[] {
  const { qualification } = practitioner as { qualification?: unknown };
  if (!Array.isArray(qualification)) return [];
  return qualification.flatMap((q: unknown) => {
    const code = codeableConceptSchema.safeParse((q as { code?: unknown } | null)?.code);
    const area = code.success ? codeFrom(code.data, CodeSystems.matchPreference) : undefined;
    return area && LIVED_EXPERIENCE_CODES.includes(area as LivedExperienceArea)
      ? [area as LivedExperienceArea]
      : [];
  });
}

/**
 * The cultures or communities a Family Partner shares (seed 000 process 7), in their own words: qualifications
 * coded `culture` in our match-preference code system, the words in the code's text.
 */
export function culturesOf(practitioner: object): string[] {
  const { qualification } = practitioner as { qualification?: unknown };
  if (!Array.isArray(qualification)) return [];
  return qualification.flatMap((q: unknown) => {
    const code = codeableConceptSchema.safeParse((q as { code?: unknown } | null)?.code);
    if (!code.success || codeFrom(code.data, CodeSystems.matchPreference) !== 'culture') return [];
    const text = code.data.text?.trim();
    return text ? [text] : [];
  });
}

/** The Practitioner with these on-call hours in place of the ones it had; every other element as stored. */
export function withOnCallHours(p: Practitioner, hours: readonly OnCallHours[]): Practitioner {
  const others = (p.extension ?? []).filter((e) => e.url !== Extensions.onCallHours);
  const written = hours.map((h) => ({
    url: Extensions.onCallHours,
    extension: [
      ...[...h.days].sort().map((d) => ({ url: 'day', valueCode: DAY_CODES[d] })),
      { url: 'start', valueTime: `${h.start}:00` },
      { url: 'end', valueTime: h.end === '24:00' ? END_OF_DAY : `${h.end}:00` },
    ],
  }));
  const extension = [...others, ...written];
  const { extension: _dropped, ...rest } = p;
  return extension.length ? { ...rest, extension } : rest;
}

/**
 * The Practitioner with one more qualification: everything else as stored (the EHR's own entries survive). An
 * area of lived experience (for matching) is coded in our match-preference system and has no dates.
 */
export function withQualification(
  p: Practitioner,
  q: Omit<Qualification, 'code'> & { code: Qualification['code'] | LivedExperienceArea },
): Practitioner {
  if ((LIVED_EXPERIENCE_CODES as readonly string[]).includes(q.code)) {
    const area = q.code as LivedExperienceArea;
    const display = LIVED_EXPERIENCE_AREAS[area];
    return {
      ...p,
      qualification: [
        ...(p.qualification ?? []),
        { code: { coding: [{ system: CodeSystems.matchPreference, code: area, display }], text: display } },
      ],
    };
  }
  const label =
    q.code in TRAINING_TOPICS
      ? TRAINING_TOPICS[q.code as TrainingTopic]
      : CREDENTIALS[q.code as CredentialKind];
  return {
    ...p,
    qualification: [
      ...(p.qualification ?? []),
      {
        code: {
          coding: [{ system: CodeSystems.staffQualification, code: q.code, display: label }],
          text: label,
        },
        period: { ...(q.start ? { start: q.start } : {}), ...(q.end ? { end: q.end } : {}) },
        ...(q.issuer?.trim() ? { issuer: { display: q.issuer.trim() } } : {}),
      },
    ],
  };
}

const participantType = (code: 'PPRF' | 'PART') => [
  { coding: [{ system: CodeSystems.participationType, code }] },
];

export function supervisionEncounter(
  d: SupervisionDraft & { kind: SupervisionKind; minutes: number },
): Encounter {
  return {
    resourceType: 'Encounter',
    meta: { profile: [Profiles.supervisionSession] },
    identifier: [{ system: IdentifierSystems.clientRequest, value: d.requestId }],
    status: 'finished',
    class: { system: CodeSystems.actCode, code: 'AMB', display: 'ambulatory' },
    type: [
      {
        coding: [
          { system: CodeSystems.supervisionKind, code: d.kind, display: SUPERVISION_KIND_LABEL[d.kind] },
        ],
      },
    ],
    participant: [
      { type: participantType('PPRF'), individual: { reference: d.supervisor } },
      ...d.supervisees.map((reference) => ({ type: participantType('PART'), individual: { reference } })),
    ],
    period: { start: d.start, end: new Date(Date.parse(d.start) + d.minutes * 60_000).toISOString() },
    ...(d.topics.length ? { reasonCode: d.topics.map((text) => ({ text })) } : {}),
  };
}

const encounterSchema = z.looseObject({
  resourceType: z.literal('Encounter'),
  id: z.string(),
  type: z.optional(z.array(codeableConceptSchema)),
  period: z.looseObject({ start: z.string(), end: z.optional(z.string()) }),
  participant: z.optional(
    z.array(
      z.looseObject({
        type: z.optional(z.array(codeableConceptSchema)),
        individual: z.optional(referenceSchema),
      }),
    ),
  ),
  reasonCode: z.optional(z.array(codeableConceptSchema)),
});

export function parseSupervision(resource: { resourceType: string }): SupervisionSession | undefined {
  const parsed = encounterSchema.safeParse(resource);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const kind = codeFrom(e.type, CodeSystems.supervisionKind) as SupervisionKind;
  if (!KINDS.includes(kind)) return undefined;
  const who = (code: string) =>
    (e.participant ?? [])
      .filter((p) => codeFrom(p.type, CodeSystems.participationType) === code)
      .map((p) => p.individual?.reference)
      .filter((r): r is string => r !== undefined);
  return {
    id: e.id,
    kind,
    start: e.period.start,
    minutes: e.period.end
      ? Math.round((Date.parse(e.period.end) - Date.parse(e.period.start)) / 60_000)
      : undefined,
    supervisor: who('PPRF')[0] ?? '',
    supervisees: who('PART'),
    topics: (e.reasonCode ?? []).map((c) => c.text ?? '').filter(Boolean),
  };
}
