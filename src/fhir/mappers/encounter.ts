/** Encounter → EncounterSummary. */
import { z } from '../../schema/z';
import type { EncounterSummary, Parsed } from '../../domain/model';
import { codeableConceptSchema, textOf } from './datatypes';
import { parseResource } from './parse';

const encounterSchema = z.looseObject({
  resourceType: z.literal('Encounter'),
  id: z.string({ error: 'has no id' }),
  status: z.string({ error: 'has no status' }),
  type: z.optional(z.array(codeableConceptSchema)),
  period: z.optional(z.looseObject({ start: z.optional(z.string()), end: z.optional(z.string()) })),
});

export function parseEncounter(resource: { resourceType: string; id?: string }): Parsed<EncounterSummary> {
  return parseResource(encounterSchema, resource, (e) => ({
    id: e.id,
    status: e.status,
    type: textOf(e.type?.[0]),
    start: e.period?.start,
    end: e.period?.end,
  }));
}
