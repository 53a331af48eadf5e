/**
 * What FST record a resource is, decided by its codes — the same tests the app's readers use (a contact by
 * its category, a meeting by its kind, a service plan by its plan type, a discharge plan by its LOINC type, a
 * referral by its order's H2014 code, our identifier or profile) — never by `meta.profile` alone. The sandbox's
 * write guard classifies with it, so a record the app would show meets the rules whatever it claims to be.
 */
import type { RecordKind } from '../domain/policy';
import {
  CodeSystems,
  FST_CANONICAL,
  H2014,
  IdentifierSystems,
  Profiles,
  Questionnaires,
  Tags,
} from './codes';
import { codeFrom } from './mappers/datatypes';
import { isCaregiverRequest } from './mappers/caregiverRequestKind';
import { isIncidentReport, isIncidentReview } from './mappers/incident';
import { isTeamMeeting } from './mappers/meeting';
import { parseReferralTask } from './mappers/referral';
import { isServicePlan } from './mappers/servicePlan';

const DISCHARGE_SUMMARY = { system: CodeSystems.loinc, code: '18842-5' } as const;
const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';

interface Coded {
  coding?: { system?: string; code?: string }[];
}
type AnyResource = { resourceType: string; [key: string]: unknown };
/** Any resource: these functions read it as plain data. */
type ResourceLike = { resourceType: string };

const codings = (concept: unknown): { system?: string; code?: string }[] =>
  (Array.isArray(concept) ? concept : concept ? [concept] : []).flatMap((c) => (c as Coded).coding ?? []);
const has = (concept: unknown, system: string, code?: string) =>
  codings(concept).some((c) => c.system === system && (code === undefined || c.code === code));
const ourIdentifier = (r: AnyResource) =>
  Array.isArray(r.identifier) &&
  (r.identifier as { system?: string }[]).some((i) => i.system === IdentifierSystems.clientRequest);
const jobIdentifier = (r: AnyResource) =>
  Array.isArray(r.identifier) &&
  (r.identifier as { system?: string }[]).some((i) => i.system === IdentifierSystems.measuresJob);
const hasTag = (r: AnyResource, tag: { system: string; code: string }) =>
  ((r.meta as { tag?: { system?: string; code?: string }[] } | undefined)?.tag ?? []).some(
    (t) => t.system === tag.system && t.code === tag.code,
  );
const hasProfile = (r: AnyResource, profile: string) =>
  ((r.meta as { profile?: string[] } | undefined)?.profile ?? []).includes(profile);

const CONTACT_CATEGORIES = ['caregiver-contact', 'collateral-contact'];

/**
 * The record kind, or undefined for a record that is not FST's (a clinic's visit, a lab order). `read` finds a
 * stored record by reference: a Task is an FST referral when its order is an H2014 order.
 */
export function recordKindOf(
  resource: ResourceLike | undefined,
  read: (reference: string) => ResourceLike | undefined = () => undefined,
): RecordKind | undefined {
  if (!resource) return undefined;
  const r = resource as AnyResource;
  switch (r.resourceType) {
    case 'Communication': {
      const category = codeFrom(r.category as never, CodeSystems.contactCategory);
      if (category && CONTACT_CATEGORIES.includes(category)) return 'fst-contact';
      if (category === 'discharge-plan-delivery') return 'discharge-delivery';
      return hasProfile(r, Profiles.caregiverContact) || hasProfile(r, Profiles.collateralContact)
        ? 'fst-contact'
        : undefined;
    }
    case 'Encounter':
      if (has(r.type, CodeSystems.supervisionKind) || hasProfile(r, Profiles.supervisionSession))
        return 'supervision-session';
      return isTeamMeeting(r) || hasProfile(r, Profiles.teamMeeting) ? 'team-meeting' : undefined;
    case 'Practitioner':
      return 'staff-record';
    case 'AdverseEvent':
      return isIncidentReport(r) || hasProfile(r, Profiles.incidentReport) ? 'incident-report' : undefined;
    case 'Task': {
      if (isIncidentReview(r) || hasProfile(r, Profiles.incidentReview)) return 'incident-review';
      if (isCaregiverRequest(r)) return 'caregiver-request';
      if (has(r.code, CodeSystems.jobRequest)) return 'measures-run-request';
      const focus = (r.focus as { reference?: string } | undefined)?.reference;
      const order = focus?.startsWith('ServiceRequest/')
        ? (read(focus) as AnyResource | undefined)
        : undefined;
      const fstOrders = new Set(order && isH2014(order) ? [focus?.split('/')[1] ?? ''] : []);
      const parsed = parseReferralTask(r, fstOrders);
      if (parsed.ok && parsed.value.fstMarks.length > 0) return 'referral-task';
      return has(r.businessStatus, CodeSystems.referralStatus) || hasProfile(r, Profiles.referralTask)
        ? 'referral-task'
        : undefined;
    }
    case 'ServiceRequest':
      return isH2014(r) || hasProfile(r, Profiles.referralServiceRequest) || ourIdentifier(r)
        ? 'referral-order'
        : undefined;
    case 'QuestionnaireResponse':
      if (r.questionnaire === Questionnaires.admissionCriteria) return 'admission-checklist';
      if (r.questionnaire === Questionnaires.continuingStay) return 'continuing-stay-review';
      if (
        r.questionnaire === Questionnaires.caregiverSatisfaction ||
        r.questionnaire === Questionnaires.goalAttainment ||
        // An agency's own instrument (src/fhir/mappers/instrument.ts).
        hasTag(r, Tags.outcomeMeasure)
      )
        return 'outcome-measure';
      return undefined;
    case 'CarePlan':
      return isServicePlan(r) || hasProfile(r, Profiles.servicePlan) ? 'service-plan' : undefined;
    case 'DocumentReference':
      return has(r.type, DISCHARGE_SUMMARY.system, DISCHARGE_SUMMARY.code) ||
        hasProfile(r, Profiles.dischargePlan)
        ? 'discharge-plan'
        : undefined;
    case 'Consent':
      // Every consent the app reads as "consent to share on file" (hasActiveConsent), ours or the EHR's.
      return ourIdentifier(r) || has(r.scope, CONSENT_SCOPE, 'patient-privacy') ? 'consent' : undefined;
    case 'Provenance':
      return 'audit';
    case 'MeasureReport':
      return String(r.measure ?? '').startsWith(`${FST_CANONICAL}/`) || jobIdentifier(r)
        ? 'measure-report'
        : undefined;
    case 'Claim':
      return jobIdentifier(r) ||
        ((r.item as { productOrService?: unknown }[] | undefined) ?? []).some((i) =>
          has(i.productOrService, H2014.system, H2014.code),
        )
        ? 'claim-line'
        : undefined;
    default:
      return undefined;
  }
}

const refOf = (v: unknown): string | undefined => (v as { reference?: string } | undefined)?.reference;

/** Who the record says wrote it: the fields the history, CSV and print show as its author. */
export function authorsOf(kind: RecordKind, r: ResourceLike): string[] {
  const o = r as AnyResource;
  const list = (v: unknown) => (Array.isArray(v) ? v : v ? [v] : []).map(refOf);
  let refs: (string | undefined)[];
  switch (kind) {
    case 'fst-contact':
    case 'discharge-delivery':
      refs = [refOf(o.sender)];
      break;
    case 'team-meeting':
      // The Family Partner who records a meeting is its first participant (src/fhir/mappers/meeting.ts).
      refs = [refOf((o.participant as { individual?: unknown }[] | undefined)?.[0]?.individual)];
      break;
    case 'incident-report':
      refs = [refOf(o.recorder)];
      break;
    case 'incident-review':
    case 'caregiver-request':
    case 'measures-run-request':
    case 'referral-task':
    case 'referral-order':
      refs = [refOf(o.requester)];
      break;
    case 'admission-checklist':
    case 'continuing-stay-review':
    case 'outcome-measure':
      refs = [refOf(o.author)];
      break;
    case 'service-plan':
    case 'discharge-plan':
      refs = list(o.author);
      break;
    case 'audit':
      refs = [
        ...((o.agent as { who?: unknown }[] | undefined) ?? []).map((a) => refOf(a.who)),
        ...((o.signature as { who?: unknown }[] | undefined) ?? []).map((s) => refOf(s.who)),
      ];
      break;
    default:
      refs = [];
  }
  return refs.filter((x): x is string => x !== undefined);
}

export function requesterOf(kind: RecordKind, r: ResourceLike): string | undefined {
  const o = r as AnyResource;
  if (kind === 'admission-checklist') return refOf(o.author);
  return refOf(o.requester);
}

function isH2014(r: AnyResource): boolean {
  return r.resourceType === 'ServiceRequest' && has(r.code, H2014.system, H2014.code);
}
