/** zod schemas for the FHIR datatypes the app reads, and their domain conversions. */
import { visibleText } from '../../domain/names';
import { z } from '../../schema/z';
import type { PersonName } from '../../domain/model';

export const codingSchema = z.looseObject({
  system: z.optional(z.string()),
  code: z.optional(z.string()),
  display: z.optional(z.string()),
});
export const codeableConceptSchema = z.looseObject({
  coding: z.optional(z.array(codingSchema)),
  text: z.optional(z.string()),
});
export const referenceSchema = z.looseObject({
  reference: z.optional(z.string()),
  display: z.optional(z.string()),
});
export const humanNameSchema = z.looseObject({
  use: z.optional(z.string()),
  given: z.optional(z.array(z.string())),
  family: z.optional(z.string()),
  text: z.optional(z.string()),
});
/** The extension values the app reads. */
const extensionValues = {
  valueReference: z.optional(referenceSchema),
  valueDuration: z.optional(
    z.looseObject({
      value: z.optional(z.number()),
      unit: z.optional(z.string()),
      code: z.optional(z.string()),
    }),
  ),
  valueBoolean: z.optional(z.boolean()),
  valueString: z.optional(z.string()),
  valueDateTime: z.optional(z.string()),
  valueInstant: z.optional(z.string()),
  valueCoding: z.optional(codingSchema),
};
/** An extension, simple or complex (one level of sub-extensions, as ours are). */
export const extensionSchema = z.looseObject({
  url: z.string(),
  ...extensionValues,
  extension: z.optional(z.array(z.looseObject({ url: z.string(), ...extensionValues }))),
});
export const metaSchema = z.looseObject({
  versionId: z.optional(z.string()),
  lastUpdated: z.optional(z.string()),
  profile: z.optional(z.array(z.string())),
});

export type CodeableConceptIn = z.infer<typeof codeableConceptSchema>;
export type HumanNameIn = z.infer<typeof humanNameSchema>;

export function toPersonName(names: HumanNameIn[] | undefined): PersonName {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  // Names enter here: without invisible marks from then on (src/domain/names.ts).
  const given = visibleText(name?.given?.join(' ') ?? '');
  const family = visibleText(name?.family ?? '');
  const full = visibleText(name?.text ?? [given, family].filter(Boolean).join(' '));
  return { given, family, full: full || 'Unnamed' };
}

/** The first code of `system` in a CodeableConcept (list). */
export function codeFrom(
  concepts: CodeableConceptIn | CodeableConceptIn[] | undefined,
  system: string,
): string | undefined {
  const list = Array.isArray(concepts) ? concepts : concepts ? [concepts] : [];
  for (const c of list) {
    const hit = c.coding?.find((k) => k.system === system && k.code);
    if (hit?.code) return hit.code;
  }
  return undefined;
}

/** Human text: CodeableConcept.text, else the first display, else the first code. */
export function textOf(concept: CodeableConceptIn | undefined): string | undefined {
  return (
    concept?.text ??
    concept?.coding?.find((c) => c.display)?.display ??
    concept?.coding?.find((c) => c.code)?.code
  );
}

/** `Goal/1` → `1` when the reference is of `type`. */
export function idFromReference(reference: string | undefined, type: string): string | undefined {
  if (!reference) return undefined;
  const match = new RegExp(`(?:^|/)${type}/([^/]+)$`).exec(reference);
  return match?.[1];
}
