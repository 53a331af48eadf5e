/**
 * A request to the caregiver (issue 39): a Task for her (owner = her RelatedPerson, for = her youth) that asks
 * her to sign the discharge plan or to answer the survey. The Task is the request's state the staff see (sent,
 * opened, done, revoked, expired: src/domain/caregiver.ts `requestState`); a "sign the plan" request carries
 * the plan draft she reads (the same document model as the PDF, and the PDF itself); what she writes is listed
 * in its output when she is done.
 */
import type { Consent, Provenance, Reference, Signature, Task } from 'fhir/r4';
import type { CaregiverPurpose, RequestFacts } from '../../domain/caregiver';
import { CodeSystems, IdentifierSystems } from '../codes';
import { disclosureConsent } from './consent';
import { purposeOf, REQUEST_CODE } from './caregiverRequestKind';

// The classification lives apart so the record kinds (read on every screen) do not bring this mapper.
export { isCaregiverRequest, purposeOf, REQUEST_CODE } from './caregiverRequestKind';

/** Task.input / output types (by text: they are ours, read only by us). */
export const RequestParts = {
  planDocument: 'plan-document',
  planPdf: 'plan-pdf',
  questionnaire: 'questionnaire',
  shareWith: 'share-with',
  written: 'written',
} as const;

export interface CaregiverRequest extends RequestFacts {
  id: string;
  versionId?: string;
  purpose: CaregiverPurpose;
  youth: string;
  caregiver: string;
  requester?: string;
  sentAt?: string;
  openedAt?: string;
  doneAt?: string;
  lastModified?: string;
  /** The plan draft (a DischargeDocument as JSON), for "sign the plan". */
  planDocument?: string;
  /** The plan's PDF (base64), for download. */
  planPdf?: { data: string; language?: string };
  questionnaires: string[];
  /** Who the Family Partner proposes to share the plan with: she chooses among them. */
  shareWith: { reference: string; display: string }[];
  /** What she wrote, as the Task lists it once done. */
  written: string[];
}

const refOf = (v: unknown) => (v as Reference | undefined)?.reference;
type Loose = { resourceType: string; [key: string]: unknown };
const inputs = (t: Loose, key: 'input' | 'output', type: string) =>
  ((t[key] as { type?: { text?: string }; [k: string]: unknown }[] | undefined) ?? []).filter(
    (i) => i.type?.text === type,
  );

export function parseCaregiverRequest(r: { resourceType: string }): CaregiverRequest | undefined {
  const purpose = purposeOf(r);
  const t = r as Loose;
  const youth = refOf(t.for);
  const caregiver = refOf(t.owner);
  if (!purpose || typeof t.id !== 'string' || !youth || !caregiver) return undefined;
  const period = (v: unknown) => v as { start?: string; end?: string } | undefined;
  const pdf = inputs(t, 'input', RequestParts.planPdf)[0]?.valueAttachment as
    { data?: string; language?: string } | undefined;
  return {
    id: t.id,
    versionId: (t.meta as { versionId?: string } | undefined)?.versionId,
    purpose,
    status: String(t.status),
    expiresAt: period((t.restriction as { period?: unknown } | undefined)?.period)?.end,
    youth,
    caregiver,
    requester: refOf(t.requester),
    sentAt: t.authoredOn as string | undefined,
    openedAt: period(t.executionPeriod)?.start,
    doneAt: period(t.executionPeriod)?.end,
    lastModified: t.lastModified as string | undefined,
    planDocument: inputs(t, 'input', RequestParts.planDocument)[0]?.valueString as string | undefined,
    planPdf: pdf?.data ? { data: pdf.data, language: pdf.language } : undefined,
    questionnaires: inputs(t, 'input', RequestParts.questionnaire)
      .map((i) => i.valueCanonical)
      .filter((q): q is string => typeof q === 'string'),
    shareWith: inputs(t, 'input', RequestParts.shareWith)
      .map((i) => i.valueReference as Reference | undefined)
      .filter((r): r is Reference & { reference: string } => typeof r?.reference === 'string')
      .map((r) => ({ reference: r.reference, display: r.display ?? r.reference })),
    written: inputs(t, 'output', RequestParts.written)
      .map((o) => refOf(o.valueReference))
      .filter((q): q is string => q !== undefined),
  };
}

export interface RequestWrite {
  requestId: string;
  purpose: CaregiverPurpose;
  patientId: string;
  /** `RelatedPerson/<id>`. */
  caregiver: string;
  /** The Family Partner who sends it. */
  requester: string;
  at: string;
  planDocument?: string;
  planPdf?: { data: string; language: string };
  questionnaires?: string[];
  shareWith?: { reference: string; display: string }[];
}

/** The new request, as the Family Partner sends it (the link server sets when it expires). */
export function caregiverRequestTask(w: RequestWrite): Task {
  return {
    resourceType: 'Task',
    identifier: [{ system: IdentifierSystems.clientRequest, value: w.requestId }],
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: CodeSystems.fstTaskCode, code: REQUEST_CODE[w.purpose] }] },
    for: { reference: `Patient/${w.patientId}` },
    owner: { reference: w.caregiver },
    requester: { reference: w.requester },
    authoredOn: w.at,
    lastModified: w.at,
    input: [
      ...(w.planDocument ? [{ type: { text: RequestParts.planDocument }, valueString: w.planDocument }] : []),
      ...(w.planPdf
        ? [
            {
              type: { text: RequestParts.planPdf },
              valueAttachment: {
                contentType: 'application/pdf',
                language: w.planPdf.language,
                data: w.planPdf.data,
              },
            },
          ]
        : []),
      ...(w.shareWith ?? []).map((r) => ({
        type: { text: RequestParts.shareWith },
        valueReference: { reference: r.reference, display: r.display },
      })),
      ...(w.questionnaires ?? []).map((q) => ({
        type: { text: RequestParts.questionnaire },
        valueCanonical: q,
      })),
    ],
  };
}

/** Her request, done: its status, when, and what she wrote (nothing else of it changes). */
export function completedRequest(task: Task, written: readonly string[], at: string): Task {
  return {
    ...task,
    status: 'completed',
    lastModified: at,
    executionPeriod: { ...task.executionPeriod, end: at },
    output: written.map((reference) => ({
      type: { text: RequestParts.written },
      valueReference: { reference },
    })),
  };
}

const SIGNATURE_TYPE = 'urn:iso-astm:E1762-95:2013';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

export type HerSignature = { kind: 'drawn'; png: string } | { kind: 'typed'; typedName: string };

/** Her signature on the plan of her request, in her own name. */
export function caregiverSignature(
  taskId: string,
  caregiver: string,
  sig: HerSignature,
  at: string,
  statement: string,
): Provenance {
  const who = { reference: caregiver };
  return {
    resourceType: 'Provenance',
    target: [{ reference: `Task/${taskId}` }],
    recorded: at,
    agent: [{ type: { coding: [{ system: PARTICIPANT_TYPE, code: 'attester' }] }, who }],
    signature: [
      {
        type: [{ system: SIGNATURE_TYPE, code: '1.2.840.10065.1.12.1.7', display: 'Consent Signature' }],
        when: at,
        who,
        ...(sig.kind === 'drawn'
          ? { sigFormat: 'image/png', data: sig.png }
          : {
              sigFormat: 'text/plain',
              data: btoa(
                String.fromCharCode(...new TextEncoder().encode(`${sig.typedName.trim()} — ${statement}`)),
              ),
            }),
      },
    ],
  };
}

/**
 * Her signature read back: a drawn one is its PNG; a typed one is her name, before the statement she agreed to
 * (`caregiverSignature` writes "name — statement"). Undefined for anything else.
 */
export function herMark(
  sig: Pick<Signature, 'sigFormat' | 'data'>,
): { kind: 'drawn'; png: string } | { kind: 'typed'; typedName: string } | undefined {
  if (!sig.data) return undefined;
  if (sig.sigFormat === 'image/png') return { kind: 'drawn', png: sig.data };
  if (sig.sigFormat !== 'text/plain') return undefined;
  let text: string;
  try {
    text = new TextDecoder().decode(Uint8Array.from(atob(sig.data), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const typedName = text.split(' — ')[0].trim();
  return typedName ? { kind: 'typed', typedName } : undefined;
}

/** Her consent to share the plan with those she chose, for her request. */
export function caregiverConsent(
  requestId: string,
  taskId: string,
  patientId: string,
  caregiver: string,
  recipients: Reference[],
  at: string,
): Consent {
  return disclosureConsent({
    identifier: `${requestId}-consent`,
    patientId,
    performer: { reference: caregiver },
    recipients,
    data: `Task/${taskId}`,
    at,
  });
}
