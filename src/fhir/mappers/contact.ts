/** Communication (FST caregiver / collateral contact) → Contact. */
import { z } from '../../schema/z';
import type { Communication, Extension } from 'fhir/r4';
import type { Contact, ContactDraft, ContactKind, ContactMethod, Parsed } from '../../domain/model';
import { CodeSystems, Extensions, IdentifierSystems, Profiles } from '../codes';
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
import { FHIR_DATE_TIME } from '../../domain/calendar';
import { CMS_PLACE_OF_SERVICE, placeFromCmsCode } from '../../domain/placeOfService';
import type { PlaceOfService } from '../../domain/placeOfService';

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
  .looseObject({
    resourceType: z.literal('Communication'),
    id: z.string({ error: 'has no id' }),
    meta: z.optional(metaSchema),
    status: z.enum(['completed', 'not-done', 'entered-in-error', 'in-progress'], {
      error: 'has a status FST does not use',
    }),
    statusReason: z.optional(codeableConceptSchema),
    category: z.optional(z.array(codeableConceptSchema)),
    medium: z.optional(z.array(codeableConceptSchema)),
    sent: z
      .string({ error: 'has no sent date' })
      .check(z.regex(FHIR_DATE_TIME, { error: 'has a sent date that is not a date' })),
    recipient: z.optional(z.array(referenceSchema)),
    sender: z.optional(referenceSchema),
    partOf: z.optional(z.array(referenceSchema)),
    reasonCode: z.optional(z.array(codeableConceptSchema)),
    extension: z.optional(z.array(extensionSchema)),
    payload: z.optional(z.array(z.looseObject({ contentString: z.optional(z.string()) }))),
  })
  .check(
    z.refine((c) => codeFrom(c.category, CodeSystems.contactCategory) !== undefined, {
      error: 'is not an FST contact (no caregiver / collateral category)',
    }),
  );

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
      // Our purpose codes by code; anything else by its words or code, never dropped.
      purposes: (c.reasonCode ?? [])
        .map((r) => codeFrom(r, CodeSystems.contactPurpose) ?? textOf(r))
        .filter((p): p is string => p !== undefined),
      note:
        c.payload
          ?.map((p) => p.contentString)
          .filter(Boolean)
          .join('\n') || undefined,
      recipientReference: c.recipient?.[0]?.reference,
      senderReference: c.sender?.reference,
      attemptReason: c.status === 'not-done' ? textOf(c.statusReason) : undefined,
      telehealthRequestedByFamily: c.extension?.find((e) => e.url === Extensions.telehealthRequested)
        ?.valueBoolean,
      telehealthPlatform: c.extension?.find((e) => e.url === Extensions.telehealthPlatform)?.valueString,
      placeOfService: placeFromCmsCode(
        c.extension?.find(
          (e) => e.url === Extensions.placeOfService && e.valueCoding?.system === CodeSystems.placeOfService,
        )?.valueCoding?.code,
      ),
      referralTaskId: c.partOf?.map((p) => idFromReference(p.reference, 'Task')).find(Boolean),
      versionId: c.meta?.versionId,
      recordedAt: c.extension?.find((e) => e.url === Extensions.recordedAt)?.valueInstant,
      corrections: [],
    };
  });
}

const METHOD_TO_MEDIUM: Record<ContactMethod, string> = {
  phone: 'PHONE',
  'face-to-face': 'FACE',
  video: 'VIDEOCONF',
  other: 'WRITTEN',
};

/** Where a contact took place, as the CMS place-of-service code (seed 000 service component 5). */
export function placeOfServiceExtension(place: PlaceOfService): Extension {
  const pos = CMS_PLACE_OF_SERVICE[place];
  return {
    url: Extensions.placeOfService,
    valueCoding: { system: CodeSystems.placeOfService, code: pos.code, display: pos.display },
  };
}

/** The fields this app owns on an FST contact; everything else on a resource is left as it is. */
function managedFields(draft: ContactDraft): Partial<Communication> {
  const attempt = draft.attemptReason !== undefined;
  const extension: Extension[] = draft.goalIds.map((id) => ({
    url: Extensions.pertainsToGoal,
    valueReference: { reference: `Goal/${id}` },
  }));
  if (!attempt && draft.durationMinutes !== undefined) {
    extension.push({
      url: Extensions.contactDuration,
      valueDuration: {
        value: draft.durationMinutes,
        unit: 'min',
        system: 'http://unitsofmeasure.org',
        code: 'min',
      },
    });
  }
  if (draft.telehealthRequestedByFamily !== undefined && draft.method === 'video') {
    extension.push({ url: Extensions.telehealthRequested, valueBoolean: draft.telehealthRequestedByFamily });
  }
  if (draft.telehealthPlatform && draft.method === 'video')
    extension.push({ url: Extensions.telehealthPlatform, valueString: draft.telehealthPlatform });
  if (!attempt && draft.placeOfService) extension.push(placeOfServiceExtension(draft.placeOfService));
  return {
    status: attempt ? 'not-done' : 'completed',
    statusReason: attempt
      ? { coding: [{ system: CodeSystems.attemptReason, code: draft.attemptReason }] }
      : undefined,
    category: [{ coding: [{ system: CodeSystems.contactCategory, code: `${draft.kind}-contact` }] }],
    medium: [{ coding: [{ system: CodeSystems.participationMode, code: METHOD_TO_MEDIUM[draft.method] }] }],
    subject: { reference: `Patient/${draft.patientId}` },
    sent: draft.sent,
    sender: { reference: draft.senderReference },
    recipient: [{ reference: draft.recipientReference }],
    basedOn: draft.serviceRequestId ? [{ reference: `ServiceRequest/${draft.serviceRequestId}` }] : undefined,
    partOf: draft.referralTaskId ? [{ reference: `Task/${draft.referralTaskId}` }] : undefined,
    reasonCode: draft.purposes.length
      ? draft.purposes.map((code) => ({ coding: [{ system: CodeSystems.contactPurpose, code }] }))
      : undefined,
    extension: extension.length ? extension : undefined,
    payload: draft.note.trim() ? [{ contentString: draft.note }] : undefined,
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A new FST contact, valid against our caregiver / collateral contact profile. */
export function communicationFromDraft(draft: ContactDraft): Communication {
  return withoutUndefined({
    resourceType: 'Communication',
    meta: { profile: [draft.kind === 'caregiver' ? Profiles.caregiverContact : Profiles.collateralContact] },
    identifier: [{ system: IdentifierSystems.clientRequest, value: draft.requestId }],
    ...managedFields(draft),
  } as Communication);
}

/**
 * An amended contact: our fields replaced, every other element (unknown extensions, text, language,
 * other identifiers, meta) carried over untouched. Extensions we do not own are kept.
 */
export function amendCommunication(original: Communication, draft: ContactDraft): Communication {
  const managed = managedFields(draft);
  const ours = new Set<string>([
    Extensions.pertainsToGoal,
    Extensions.contactDuration,
    Extensions.telehealthRequested,
    Extensions.telehealthPlatform,
    Extensions.placeOfService,
  ]);
  // The server's recorded-at stamp is carried over as stored (foreign to the form, never the app's to set).
  const foreignExtensions = (original.extension ?? []).filter((e) => !ours.has(e.url));
  const extension = [...foreignExtensions, ...(managed.extension ?? [])];
  const merged: Communication = {
    ...original,
    ...managed,
    extension: extension.length ? extension : undefined,
  };
  // A managed field the amendment leaves empty is removed (e.g. statusReason once it is no longer an attempt).
  for (const key of Object.keys(managed) as (keyof Communication)[]) {
    if (key !== 'extension' && managed[key] === undefined) delete merged[key];
  }
  return withoutUndefined(merged);
}
