/** The FST referral Task → Referral. */
import { z } from 'zod';
import type { Parsed, Referral, ReferralStage } from '../../domain/model';
import { CodeSystems } from '../codes';
import {
  codeableConceptSchema,
  codeFrom,
  idFromReference,
  metaSchema,
  referenceSchema,
  textOf,
} from './datatypes';
import { parseResource } from './parse';

const STAGES: ReferralStage[] = ['referred', 'contacted', 'waitlisted', 'active', 'stopped', 'discharged'];

const taskSchema = z
  .object({
    resourceType: z.literal('Task'),
    id: z.string({ error: 'has no id' }),
    meta: metaSchema.optional(),
    status: z.string({ error: 'has no status' }),
    businessStatus: codeableConceptSchema.optional(),
    statusReason: codeableConceptSchema.optional(),
    authoredOn: z.string({ error: 'has no referral date (authoredOn)' }),
    lastModified: z.string().optional(),
    focus: referenceSchema.optional(),
    requester: referenceSchema.optional(),
    owner: referenceSchema.optional(),
  })
  .loose();

export function parseReferralTask(resource: { resourceType: string; id?: string }): Parsed<Referral> {
  return parseResource(taskSchema, resource, (t) => {
    const stageCode = codeFrom(t.businessStatus, CodeSystems.referralStatus);
    return {
      id: t.id,
      status: t.status,
      stage: STAGES.find((s) => s === stageCode),
      statusReason: textOf(t.statusReason),
      authoredOn: t.authoredOn,
      lastModified: t.lastModified,
      serviceRequestId: idFromReference(t.focus?.reference, 'ServiceRequest'),
      requesterReference: t.requester?.reference,
      ownerReference: t.owner?.reference,
      versionId: t.meta?.versionId,
    };
  });
}
