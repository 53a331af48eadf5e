/** Communication (FST caregiver / collateral contact) → Contact. */
import { z } from 'zod';
import type { Contact, ContactKind, ContactMethod, Parsed } from '../../domain/model';
import { CodeSystems, Extensions } from '../codes';
import {
  codeableConceptSchema,
  codeFrom,
  extensionSchema,
  idFromReference,
  metaSchema,
  referenceSchema,
  textOf,
} from './datatypes';
import { parseResource } from './parse';

const MEDIUM_TO_METHOD: Record<string, ContactMethod> = {
  PHONE: 'phone',
  FACE: 'face-to-face',
  VIDEOCONF: 'video',
};

const KIND_BY_CATEGORY: Record<string, ContactKind> = {
  'caregiver-contact': 'caregiver',
  'collateral-contact': 'collateral',
};

const communicationSchema = z
  .object({
    resourceType: z.literal('Communication'),
    id: z.string({ error: 'has no id' }),
    meta: metaSchema.optional(),
    status: z.enum(['completed', 'not-done', 'entered-in-error', 'in-progress'], {
      error: 'has a status FST does not use',
    }),
    statusReason: codeableConceptSchema.optional(),
    category: z.array(codeableConceptSchema).optional(),
    medium: z.array(codeableConceptSchema).optional(),
    sent: z.string({ error: 'has no sent date' }),
    recipient: z.array(referenceSchema).optional(),
    sender: referenceSchema.optional(),
    partOf: z.array(referenceSchema).optional(),
    reasonCode: z.array(codeableConceptSchema).optional(),
    extension: z.array(extensionSchema).optional(),
    payload: z.array(z.object({ contentString: z.string().optional() }).loose()).optional(),
  })
  .loose()
  .refine((c) => codeFrom(c.category, CodeSystems.contactCategory) !== undefined, {
    error: 'is not an FST contact (no caregiver / collateral category)',
  });

export function parseContact(resource: { resourceType: string; id?: string }): Parsed<Contact> {
  return parseResource(communicationSchema, resource, (c) => {
    const medium = codeFrom(c.medium, CodeSystems.participationMode);
    const duration = c.extension?.find((e) => e.url === Extensions.contactDuration)?.valueDuration?.value;
    return {
      id: c.id,
      kind: KIND_BY_CATEGORY[codeFrom(c.category, CodeSystems.contactCategory) ?? ''] ?? 'caregiver',
      status: c.status,
      method: (medium && MEDIUM_TO_METHOD[medium]) || 'other',
      sent: c.sent,
      durationMinutes: duration,
      goalIds: (c.extension ?? [])
        .filter((e) => e.url === Extensions.pertainsToGoal)
        .map((e) => idFromReference(e.valueReference?.reference, 'Goal'))
        .filter((id): id is string => id !== undefined),
      purposes: (c.reasonCode ?? [])
        .map((r) => codeFrom(r, CodeSystems.contactPurpose))
        .filter((p): p is string => p !== undefined),
      note:
        c.payload
          ?.map((p) => p.contentString)
          .filter(Boolean)
          .join('\n') || undefined,
      recipientReference: c.recipient?.[0]?.reference,
      senderReference: c.sender?.reference,
      attemptReason: c.status === 'not-done' ? textOf(c.statusReason) : undefined,
      referralTaskId: c.partOf?.map((p) => idFromReference(p.reference, 'Task')).find(Boolean),
      versionId: c.meta?.versionId,
    };
  });
}
