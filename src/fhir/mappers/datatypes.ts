/** zod schemas for the FHIR datatypes the app reads, and their domain conversions. */
import { z } from 'zod';
import type { PersonName } from '../../domain/model';

export const codingSchema = z
  .object({
    system: z.string().optional(),
    code: z.string().optional(),
    display: z.string().optional(),
  })
  .loose();
export const codeableConceptSchema = z
  .object({
    coding: z.array(codingSchema).optional(),
    text: z.string().optional(),
  })
  .loose();
export const referenceSchema = z
  .object({ reference: z.string().optional(), display: z.string().optional() })
  .loose();
export const humanNameSchema = z
  .object({
    use: z.string().optional(),
    given: z.array(z.string()).optional(),
    family: z.string().optional(),
    text: z.string().optional(),
  })
  .loose();
/** The extension values the app reads. */
const extensionValues = {
  valueReference: referenceSchema.optional(),
  valueDuration: z
    .object({
      value: z.number().optional(),
      unit: z.string().optional(),
      code: z.string().optional(),
    })
    .loose()
    .optional(),
  valueBoolean: z.boolean().optional(),
  valueString: z.string().optional(),
  valueDateTime: z.string().optional(),
  valueCoding: codingSchema.optional(),
};
/** An extension, simple or complex (one level of sub-extensions, as ours are). */
export const extensionSchema = z
  .object({
    url: z.string(),
    ...extensionValues,
    extension: z.array(z.object({ url: z.string(), ...extensionValues }).loose()).optional(),
  })
  .loose();
export const metaSchema = z
  .object({
    versionId: z.string().optional(),
    lastUpdated: z.string().optional(),
    profile: z.array(z.string()).optional(),
  })
  .loose();

export type CodeableConceptIn = z.infer<typeof codeableConceptSchema>;
export type HumanNameIn = z.infer<typeof humanNameSchema>;

export function toPersonName(names: HumanNameIn[] | undefined): PersonName {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  const given = name?.given?.join(' ') ?? '';
  const family = name?.family ?? '';
  const full = name?.text ?? [given, family].filter(Boolean).join(' ');
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
