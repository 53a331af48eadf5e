/** Encounter → EncounterSummary. */
import { z } from 'zod';
import type { EncounterSummary, Parsed } from '../../domain/model';
import { codeableConceptSchema, textOf } from './datatypes';
import { parseResource } from './parse';

const encounterSchema = z
  .object({
    resourceType: z.literal('Encounter'),
    id: z.string({ error: 'has no id' }),
    status: z.string({ error: 'has no status' }),
    type: z.array(codeableConceptSchema).optional(),
    period: z.object({ start: z.string().optional(), end: z.string().optional() }).loose().optional(),
  })
  .loose();

export function parseEncounter(resource: { resourceType: string; id?: string }): Parsed<EncounterSummary> {
  return parseResource(encounterSchema, resource, (e) => ({
    id: e.id,
    status: e.status,
    type: textOf(e.type?.[0]),
    start: e.period?.start,
    end: e.period?.end,
  }));
}
