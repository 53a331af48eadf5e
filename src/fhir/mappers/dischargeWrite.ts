/**
 * A finalised discharge → the resources written with it: the plan (DocumentReference, US Core shape, the
 * PDF inline), the signatures (Provenance: the caregiver's consent signature, the Family Partner's author
 * signature), the consent to share it when given now (Consent), and one Communication per recipient, planned
 * (`preparation`) until the delivery is recorded with its date and how (`deliveredCommunication`). New resources reference the plan by its
 * urn:uuid; the transaction resolves it.
 */
import type { Communication, Consent, DocumentReference, Provenance, Reference } from 'fhir/r4';
import type { CaregiverSignature, DischargePlanContent } from '../../domain/discharge';
import type { DeliveryMethod } from '../../domain/model';
import { DELIVERY_METHOD_LABEL } from '../../domain/model';
import { DELIVERY_MEDIUM, PLAN_CONTENT_TYPE } from './dischargePlan';
import { clientRequestQuery, CodeSystems, IdentifierSystems, Profiles } from '../codes';
import { disclosureConsent } from './consent';

export const DISCHARGE_PLAN_TITLE = 'Family Support and Training discharge plan';

/** How a plan final without the caregiver's signature says why (DocumentReference.description). */
export const UNSIGNED_PREFIX = 'Not signed by the caregiver: ';

/** The caregiver's signature on a plan (Provenance.signature.type): ASTM consent signature. */
export const CAREGIVER_SIGNATURE_CODE = '1.2.840.10065.1.12.1.7';

const SIGNATURE_TYPE = 'urn:iso-astm:E1762-95:2013';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

export interface DischargeWrite {
  requestId: string;
  patientId: string;
  taskId: string;
  serviceRequestId?: string;
  /** The signed-in Family Partner or supervisor. */
  author: string;
  authorName: string;
  /** `RelatedPerson/…`; a caregiver known only from Patient.contact is named, not referenced. */
  caregiver: { reference?: string; name: string };
  /** `Organization/…`: the FST provider. */
  custodian?: string;
  /**
   * The plan as PDFs, the chart's copy first: in English, which the treaters read, then the caregiver's own
   * when her language is another (issue 36). Each with its BCP-47 language and its title in that language.
   */
  pdfs: { data: Uint8Array; language: string; title: string }[];
  /** Attach the structured copy (only where the EHR accepts its content type: config `chartAttachments`). */
  structuredCopy: boolean;
  episodeStart: string;
  lastServiceDate: string;
  signature: CaregiverSignature;
  /** The plan in structured form, kept beside the PDF (a correction starts from it). */
  content: DischargePlanContent;
  /** The recipients beyond the caregiver (they need consent), each by reference and name. */
  shareWith: { reference: string; name?: string }[];
  /** Record a Consent now (the caregiver gave it in the wizard). */
  recordConsent: boolean;
  /** ISO instant of the finalisation: the same on every retry. */
  at: string;
  /** A corrected plan replaces this DocumentReference id. */
  replaces?: string;
}

export interface DischargeResources {
  document: DocumentReference;
  provenances: Provenance[];
  consent?: Consent;
  deliveries: Communication[];
  /** The search that finds an earlier save of each resource (its client identifier; for a Provenance, which
   * has none, its target, time and agent type). */
  queries: { document: string; provenances: string[]; consent: string; deliveries: string[] };
}

/** Base64 without Buffer (the browser has none); chunked so a large PDF does not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const utf8Base64 = (text: string) => toBase64(new TextEncoder().encode(text));

// A reader of the consent or a delivery in another system sees who, not only an id it may not resolve.
const named = (r: { reference: string; name?: string }): Reference =>
  r.name ? { reference: r.reference, display: r.name } : { reference: r.reference };

function caregiverRef(w: DischargeWrite): Reference {
  return w.caregiver.reference
    ? { reference: w.caregiver.reference, display: w.caregiver.name }
    : { display: w.caregiver.name };
}

export function dischargeResources(w: DischargeWrite, documentUrl: string): DischargeResources {
  const id = (n: string) => [{ system: IdentifierSystems.clientRequest, value: `${w.requestId}-${n}` }];
  const identifierQuery = (n: string) => clientRequestQuery(`${w.requestId}-${n}`);
  const patient = { reference: `Patient/${w.patientId}` };
  const sig = w.signature;
  const document: DocumentReference = {
    resourceType: 'DocumentReference',
    meta: { profile: [Profiles.dischargePlan, Profiles.usCoreDocumentReference] },
    identifier: id('plan'),
    status: 'current',
    docStatus: 'final',
    type: {
      coding: [{ system: CodeSystems.loinc, code: '18842-5', display: 'Discharge summary' }],
      text: DISCHARGE_PLAN_TITLE,
    },
    category: [
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
            code: 'clinical-note',
            display: 'Clinical Note',
          },
        ],
      },
    ],
    subject: patient,
    date: w.at,
    author: [{ reference: w.author, display: w.authorName }],
    ...(w.custodian ? { custodian: { reference: w.custodian } } : {}),
    ...(sig.kind === 'unsigned' ? { description: `${UNSIGNED_PREFIX}${sig.reason.trim()}` } : {}),
    ...(w.replaces
      ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${w.replaces}` } }] }
      : {}),
    content: [
      ...w.pdfs.map((pdf) => ({
        attachment: {
          contentType: 'application/pdf',
          language: pdf.language,
          data: toBase64(pdf.data),
          title: pdf.title,
          creation: w.at,
        },
      })),
      ...(w.structuredCopy
        ? [
            {
              attachment: {
                contentType: PLAN_CONTENT_TYPE,
                data: utf8Base64(JSON.stringify(w.content)),
                title: 'The plan in structured form',
                creation: w.at,
              },
            },
          ]
        : []),
    ],
    context: {
      // The referral may live in the agency's store, which the EHR cannot open: each link says in words what
      // it is, and the PDF itself carries everything a clinician needs.
      related: [
        { reference: `Task/${w.taskId}`, display: 'Family Support and Training referral' },
        ...(w.serviceRequestId
          ? [
              {
                reference: `ServiceRequest/${w.serviceRequestId}`,
                display: 'Family Support and Training order (H2014)',
              },
            ]
          : []),
      ],
      period: { start: w.episodeStart, end: w.lastServiceDate },
    },
  };

  const provenances: Provenance[] = [];
  if (sig.kind === 'remote' && sig.signed) {
    // Signed on her own phone: her signature as the server holds it, on the plan, pointing to the original
    // (her own Provenance on her request). The statement is hers; nothing is re-typed here.
    const her = { reference: sig.signed.by, display: w.caregiver.name };
    provenances.push({
      resourceType: 'Provenance',
      meta: { profile: [Profiles.caregiverSignature] },
      target: [{ reference: documentUrl }],
      recorded: w.at,
      agent: [{ type: { coding: [{ system: PARTICIPANT_TYPE, code: 'attester' }] }, who: her }],
      entity: [{ role: 'source', what: { reference: sig.signed.provenance } }],
      signature: [
        {
          type: [{ system: SIGNATURE_TYPE, code: '1.2.840.10065.1.12.1.7', display: 'Consent Signature' }],
          when: sig.signed.when,
          who: her,
          sigFormat: sig.signed.stored.sigFormat,
          data: sig.signed.stored.data,
        },
      ],
    });
  } else if (sig.kind !== 'unsigned' && sig.kind !== 'remote') {
    const caregiver = caregiverRef(w);
    provenances.push({
      resourceType: 'Provenance',
      meta: { profile: [Profiles.caregiverSignature] },
      target: [{ reference: documentUrl }],
      recorded: w.at,
      agent: [{ type: { coding: [{ system: PARTICIPANT_TYPE, code: 'attester' }] }, who: caregiver }],
      signature: [
        {
          type: [{ system: SIGNATURE_TYPE, code: CAREGIVER_SIGNATURE_CODE, display: 'Consent Signature' }],
          when: w.at,
          who: caregiver,
          ...(sig.kind === 'drawn'
            ? { sigFormat: 'image/png', data: sig.png }
            : {
                sigFormat: 'text/plain',
                data: utf8Base64(`${sig.typedName.trim()} — I confirm this is my signature.`),
              }),
        },
      ],
    });
  }
  provenances.push({
    resourceType: 'Provenance',
    target: [{ reference: documentUrl }],
    recorded: w.at,
    agent: [
      { type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author' }] }, who: { reference: w.author } },
    ],
    signature: [
      {
        type: [{ system: SIGNATURE_TYPE, code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" }],
        when: w.at,
        who: { reference: w.author },
        sigFormat: 'text/plain',
        data: utf8Base64(`Prepared and signed by ${w.authorName}.`),
      },
    ],
  });

  const consent: Consent | undefined = w.recordConsent
    ? disclosureConsent({
        identifier: `${w.requestId}-consent`,
        patientId: w.patientId,
        performer: caregiverRef(w),
        custodian: w.custodian,
        recipients: w.shareWith.map(named),
        data: documentUrl,
        at: w.at,
      })
    : undefined;

  const recipients: Reference[] = [caregiverRef(w), ...w.shareWith.map(named)];
  // Planned, not sent: each delivery is recorded as it happens (deliveredCommunication), and the
  // 5-business-day clock is met by those, never by the moment of finalising.
  const deliveries = recipients.map((recipient, i): Communication => ({
    resourceType: 'Communication',
    identifier: id(`delivery-${i}`),
    status: 'preparation',
    category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'discharge-plan-delivery' }] }],
    subject: patient,
    ...(w.serviceRequestId ? { basedOn: [{ reference: `ServiceRequest/${w.serviceRequestId}` }] } : {}),
    recipient: [recipient],
    sender: { reference: w.author },
    // The caregiver's delivery is her own copy (the last PDF, in her language); the others the chart's.
    payload: [
      {
        contentReference: {
          reference: documentUrl,
          display: (i === 0 ? w.pdfs[w.pdfs.length - 1] : w.pdfs[0])?.title ?? DISCHARGE_PLAN_TITLE,
        },
      },
    ],
  }));
  return {
    document,
    provenances,
    consent,
    deliveries,
    queries: {
      document: identifierQuery('plan'),
      provenances: provenances.map(
        (p) =>
          `target=${encodeURIComponent(documentUrl)}&recorded=${encodeURIComponent(w.at)}&agent-type=${encodeURIComponent(`${PARTICIPANT_TYPE}|${p.agent[0].type?.coding?.[0]?.code ?? ''}`)}`,
      ),
      consent: identifierQuery('consent'),
      deliveries: deliveries.map((_, i) => identifierQuery(`delivery-${i}`)),
    },
  };
}

/** A planned delivery, delivered: when and how the plan reached its recipient. */
export function deliveredCommunication(
  planned: Communication,
  sent: string,
  method: DeliveryMethod,
): Communication {
  return {
    ...planned,
    status: 'completed',
    sent,
    medium: [
      {
        coding: [{ system: CodeSystems.participationMode, code: DELIVERY_MEDIUM[method] }],
        text: DELIVERY_METHOD_LABEL[method],
      },
    ],
  };
}
