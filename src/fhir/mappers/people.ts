/** Patient → Youth; RelatedPerson (or Patient.contact, on servers without RelatedPerson) → Caregiver. */
import { z } from '../../schema/z';
import type { Caregiver, Parsed, Youth } from '../../domain/model';
import { codeableConceptSchema, humanNameSchema, toPersonName } from './datatypes';
import { parseResource } from './parse';
import { IdentifierSystems } from '../codes';

const telecomSchema = z.looseObject({ system: z.optional(z.string()), value: z.optional(z.string()) });
const communicationSchema = z.looseObject({
  language: codeableConceptSchema,
  preferred: z.optional(z.boolean()),
});

function languages(list: z.infer<typeof communicationSchema>[] | undefined): string[] {
  const sorted = [...(list ?? [])].sort(
    (a, b) => Number(b.preferred ?? false) - Number(a.preferred ?? false),
  );
  return sorted.map((c) => c.language.coding?.[0]?.code ?? c.language.text ?? '').filter(Boolean);
}

const patientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string({ error: 'has no id' }),
  name: z.optional(z.array(humanNameSchema)),
  birthDate: z.optional(z.string()),
  gender: z.optional(z.string()),
  communication: z.optional(z.array(communicationSchema)),
  identifier: z.optional(
    z.array(z.looseObject({ system: z.optional(z.string()), value: z.optional(z.string()) })),
  ),
  contact: z.optional(
    z.array(
      z.looseObject({
        relationship: z.optional(z.array(codeableConceptSchema)),
        name: z.optional(humanNameSchema),
        gender: z.optional(z.string()),
        telecom: z.optional(z.array(telecomSchema)),
      }),
    ),
  ),
});

/** v3 RoleCode and v2 0131 codes seen on caregivers, in words: used when no coding carries a display. */
const RELATIONSHIP_WORDS: Record<string, string> = {
  MTH: 'mother',
  FTH: 'father',
  PRN: 'parent',
  GUARD: 'guardian',
  GRPRN: 'grandparent',
  GRMTH: 'grandmother',
  GRFTH: 'grandfather',
  STPPRN: 'step-parent',
  STPMTH: 'stepmother',
  STPFTH: 'stepfather',
  ADOPTP: 'adoptive parent',
  ADOPTM: 'adoptive mother',
  ADOPTF: 'adoptive father',
  FAMMEMB: 'family member',
  AUNT: 'aunt',
  UNCLE: 'uncle',
  SIB: 'sibling',
  SIGOTHR: 'significant other',
  FRND: 'friend',
  N: 'next of kin',
  C: 'emergency contact',
};

/** The relationship in words: any concept's text or display first, then a known code, then the code itself. */
function relationshipOf(
  concepts: z.infer<typeof codeableConceptSchema>[] | undefined,
  fallback: string,
): string {
  const list = concepts ?? [];
  const words = list.map((c) => c.text ?? c.coding?.find((k) => k.display)?.display).find(Boolean);
  if (words) return words;
  const codes = list
    .flatMap((c) => c.coding ?? [])
    .map((k) => k.code)
    .filter((k): k is string => Boolean(k));
  return codes.map((k) => RELATIONSHIP_WORDS[k]).find(Boolean) ?? codes[0] ?? fallback;
}

/** v3 RoleCode relationships that say the caregiver's gender (mother, grandfather…). */
const FEMALE_ROLES = new Set(['MTH', 'STPMTH', 'GRMTH', 'NMTH', 'FMTH', 'ADOPTM', 'AUNT', 'SIS', 'DAU']);
const MALE_ROLES = new Set(['FTH', 'STPFTH', 'GRFTH', 'NFTH', 'FFTH', 'ADOPTF', 'UNCLE', 'BRO', 'SON']);

/** The caregiver's gender for wording: as recorded, else as the relationship code says; undefined otherwise. */
function genderOf(
  recorded: string | undefined,
  concepts: z.infer<typeof codeableConceptSchema>[] | undefined,
): string | undefined {
  if (recorded === 'female' || recorded === 'male') return recorded;
  const codes = (concepts ?? []).flatMap((c) => c.coding ?? []).map((k) => k.code ?? '');
  if (codes.some((c) => FEMALE_ROLES.has(c))) return 'female';
  if (codes.some((c) => MALE_ROLES.has(c))) return 'male';
  return recorded;
}

export function parsePatient(resource: { resourceType: string; id?: string }): Parsed<Youth> {
  return parseResource(patientSchema, resource, (p) => ({
    id: p.id,
    name: toPersonName(p.name),
    birthDate: p.birthDate,
    gender: p.gender,
    languages: languages(p.communication),
    ...memberIdOf(p.identifier),
  }));
}

/** The youth's Medicaid member id (our identifier system), for claim lines. */
const memberIdOf = (ids: { system?: string; value?: string }[] | undefined) => {
  const value = ids?.find((i) => i.system === IdentifierSystems.medicaidId)?.value;
  return value ? { memberId: value } : {};
};

/** Patient.contact entries as caregivers: the fallback when the server has no RelatedPerson. */
export function caregiversFromPatientContacts(resource: { resourceType: string; id?: string }): Caregiver[] {
  const parsed = patientSchema.safeParse(resource);
  if (!parsed.success) return [];
  return (parsed.data.contact ?? []).map((c, i) => ({
    reference: `Patient/${parsed.data.id}#contact-${i}`,
    name: toPersonName(c.name ? [c.name] : undefined),
    relationship: relationshipOf(c.relationship, 'contact'),
    gender: genderOf(c.gender, c.relationship),
    phone: c.telecom?.find((t) => t.system === 'phone')?.value,
    languages: [],
  }));
}

const relatedPersonSchema = z.looseObject({
  resourceType: z.literal('RelatedPerson'),
  id: z.string({ error: 'has no id' }),
  active: z.optional(z.boolean()),
  period: z.optional(z.looseObject({ end: z.optional(z.string()) })),
  name: z.optional(z.array(humanNameSchema)),
  relationship: z.optional(z.array(codeableConceptSchema)),
  gender: z.optional(z.string()),
  telecom: z.optional(z.array(telecomSchema)),
  communication: z.optional(z.array(communicationSchema)),
});

export function parseRelatedPerson(resource: { resourceType: string; id?: string }): Parsed<Caregiver> {
  return parseResource(relatedPersonSchema, resource, (r) => ({
    reference: `RelatedPerson/${r.id}`,
    name: toPersonName(r.name),
    relationship: relationshipOf(r.relationship, 'caregiver'),
    gender: genderOf(r.gender, r.relationship),
    phone: r.telecom?.find((t) => t.system === 'phone')?.value,
    languages: languages(r.communication),
    ...(r.active !== undefined ? { active: r.active } : {}),
    ...(r.period?.end ? { periodEnd: r.period.end } : {}),
  }));
}
