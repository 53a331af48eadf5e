/**
 * Finalise: the PDF in the caregiver's language, the referral's last step, and every resource of the
 * discharge in one transaction (src/fhir/discharge.ts). Loaded lazily with pdfkit: only when the user
 * finalises. `at` is fixed by the caller for the attempt, so a retry writes the very same resources.
 */
import type { EhrConfig } from '../../config/config';
import { dischargeOutcome, dischargeProblems, planContent } from '../../domain/discharge';
import type { DischargeDraft, DischargeProblem } from '../../domain/discharge';
import { planTransition } from '../../domain/referralTransitions';
import type { ServerCapabilities } from '../../fhir/capabilities';
import { readSignedOnHerPhone } from '../../fhir/caregiverRequests';
import { finaliseDischarge } from '../../fhir/discharge';
import type { DischargeGuard, FinalisedDischarge } from '../../fhir/discharge';
import type { FhirTransport } from '../../fhir/http';
import type { SignedInUser, Workspace } from '../../fhir/workspace';
import { LANGUAGE_TAG, loadDischargeMessages } from '../../i18n/catalogues';
import type { Locale } from '../../i18n/catalogues';
import { PLAN_CONTENT_TYPE } from '../../fhir/mappers/dischargePlan';
import type { DischargeSetting } from './dischargeSetting';
import { documentFor, recipientsFor } from './dischargeSetting';
import { dischargePdf } from './pdf/dischargePdf';
import type { PdfFonts } from './pdf/dischargePdf';

export class DischargeIncomplete extends Error {
  override name = 'DischargeIncomplete';
  constructor(readonly problems: DischargeProblem[]) {
    super(problems.map((p) => p.message).join(' '));
  }
}

export interface SubmitDeps {
  transport: FhirTransport;
  caps: ServerCapabilities;
  fonts: () => Promise<PdfFonts>;
}

/** The PDF the caregiver receives (also for "Open the PDF" before finalising). */
export async function buildPlanPdf(
  deps: Pick<SubmitDeps, 'fonts'>,
  s: DischargeSetting,
  ws: Workspace,
  draft: DischargeDraft,
  ehr: EhrConfig,
  /** Another language than the caregiver's (the chart's English copy). */
  locale?: Locale,
): Promise<{ pdf: Uint8Array; title: string; language: string }> {
  const doc = documentFor(s, ws, draft, ehr, locale);
  if (!doc) throw new DischargeIncomplete(dischargeProblems(draft, s.ctx));
  const [messages, fonts] = await Promise.all([loadDischargeMessages(doc.locale), deps.fonts()]);
  return {
    pdf: await dischargePdf(doc, messages, fonts),
    title: messages.title,
    language: LANGUAGE_TAG[doc.locale],
  };
}

export async function submitDischarge(
  deps: SubmitDeps,
  s: DischargeSetting,
  ws: Workspace,
  draft: DischargeDraft,
  ehr: EhrConfig,
  user: SignedInUser,
  at: Date,
  /** The current plan being corrected (its id and the version the user opened). */
  correcting?: { id: string; versionId?: string },
  signal?: AbortSignal,
): Promise<FinalisedDischarge> {
  // Signed on her phone: what the server holds now decides (a revoked or changed request is not a signature).
  if (draft.signature?.kind === 'remote' && draft.signature.request) {
    const now = await readSignedOnHerPhone(deps.transport, draft.signature.request, signal);
    draft = { ...draft, signature: { ...draft.signature, signed: now.signed } };
  }
  const problems = dischargeProblems(draft, s.ctx);
  const reason = draft.reason;
  const signature = draft.signature;
  if (problems.length || !reason || !signature) throw new DischargeIncomplete(problems);
  const authorName = user.name.full;
  // The caregiver's copy in her language; the chart's in English, which the treaters read.
  const own = await buildPlanPdf(deps, s, ws, draft, ehr);
  const chart = own.language === LANGUAGE_TAG.en ? own : await buildPlanPdf(deps, s, ws, draft, ehr, 'en');
  const pdfs = [chart, ...(chart === own ? [] : [own])].map((p) => ({
    data: p.pdf,
    language: p.language,
    title: p.title,
  }));
  const outcome = dischargeOutcome(draft);
  // A correction leaves the referral as it is (already ended) and supersedes the plan it replaces.
  const guard: DischargeGuard = correcting
    ? { kind: 'correction', previous: correcting }
    : {
        kind: 'referral',
        referral: s.referral,
        planned: planTransition(s.referral, outcome.action, user, { at, reason: outcome.reason }),
        reason,
      };
  const recipients = recipientsFor(s, draft);
  const caregiver = recipients.find((r) => r.kind === 'caregiver');
  return finaliseDischarge(
    deps.transport,
    deps.caps,
    guard,
    {
      requestId: draft.requestId,
      patientId: ws.youth.id,
      taskId: s.referral.id,
      serviceRequestId: s.referral.serviceRequestId,
      author: user.references[0],
      authorName,
      caregiver: {
        // A caregiver known only from Patient.contact has no resource to reference.
        reference: caregiver?.reference.startsWith('RelatedPerson/') ? caregiver.reference : undefined,
        name: caregiver?.name ?? '',
      },
      custodian: s.custodian,
      pdfs,
      structuredCopy: ehr.chartAttachments.includes(PLAN_CONTENT_TYPE),
      episodeStart: s.serviceStart,
      lastServiceDate: draft.lastServiceDate,
      signature,
      content: planContent(draft),
      shareWith: recipients
        .filter((r) => r.kind !== 'caregiver')
        .map((r) => ({ reference: r.reference, name: r.personName })),
      // Signed on her phone, her consent is already hers on the server (performer: her).
      recordConsent: draft.consent === 'given-now' && signature.kind !== 'remote',
      at: at.toISOString(),
    },
    signal,
  );
}
