/** Practitioner and PractitionerRole → names and FST role codes: the staff list, the user and the staff view. */
import { z } from '../../schema/z';
import type { RoleCode } from '../../domain/permissions';
import { codeableConceptSchema, humanNameSchema, referenceSchema, toPersonName } from './datatypes';

export const practitionerSchema = z.looseObject({
  resourceType: z.literal('Practitioner'),
  id: z.string(),
  name: z.optional(z.array(humanNameSchema)),
});

export const practitionerRoleSchema = z.looseObject({
  resourceType: z.literal('PractitionerRole'),
  id: z.string(),
  practitioner: z.optional(referenceSchema),
  code: z.optional(z.array(codeableConceptSchema)),
  /** The role held from (start: the hire date in the role) to (end). */
  period: z.optional(z.looseObject({ start: z.optional(z.string()), end: z.optional(z.string()) })),
});

/** `Practitioner/<id>` → the practitioner's name, for every Practitioner among `resources`. */
export function namesOf(resources: readonly { resourceType: string }[]): Map<string, string> {
  return new Map(
    resources
      .map((r) => practitionerSchema.safeParse(r))
      .filter((r) => r.success)
      .map((r) => [`Practitioner/${r.data.id}`, toPersonName(r.data.name).full]),
  );
}

/** The role's codings, for `rolesFromCodes`. */
export function roleCodes(role: z.infer<typeof practitionerRoleSchema>): RoleCode[] {
  return (role.code ?? []).flatMap((c) => c.coding ?? []).map((c) => ({ system: c.system, code: c.code }));
}
