/** FST discharge plan DocumentReference → DischargePlanSummary. */
import { z } from 'zod';
import type { DischargePlanSummary, Parsed } from '../../domain/model';
import { idFromReference, referenceSchema } from './datatypes';
import { parseResource } from './parse';

const documentSchema = z
  .object({
    resourceType: z.literal('DocumentReference'),
    id: z.string({ error: 'has no id' }),
    status: z.string(),
    date: z.string({ error: 'has no date' }),
    context: z
      .object({
        related: z.array(referenceSchema).optional(),
        period: z.object({ end: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export function parseDischargePlan(resource: {
  resourceType: string;
  id?: string;
}): Parsed<DischargePlanSummary> {
  return parseResource(documentSchema, resource, (d) => ({
    id: d.id,
    status: d.status,
    date: d.date,
    lastServiceDate: d.context?.period?.end,
    referralTaskIds: (d.context?.related ?? [])
      .map((r) => idFromReference(r.reference, 'Task'))
      .filter((id): id is string => id !== undefined),
  }));
}
