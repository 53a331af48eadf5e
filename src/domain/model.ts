/**
 * The FST domain model: what the app reasons about, independent of FHIR's shapes.
 * Pure types; mappers in src/fhir/mappers build these from resources (and back, for writes).
 */
import type { DischargePlanContent } from './discharge';
import type { MatchPreferences } from './matching';
import type { PlaceOfService } from './placeOfService';

export interface PersonName {
  given: string;
  family: string;
  /** "Given Family", for display. */
  full: string;
}

export interface Youth {
  id: string;
  name: PersonName;
  birthDate?: string;
  gender?: string;
  /** BCP-47 codes, preferred first. */
  languages: string[];
  /** The payer's member id (Medicaid), for claim lines. */
  memberId?: string;
}

export interface Caregiver {
  /** `RelatedPerson/…`, or `Patient/<id>#contact-<n>` when taken from Patient.contact. */
  reference: string;
  name: PersonName;
  relationship: string;
  /** Recorded gender (RelatedPerson.gender), else what the relationship says (mother, father…); for wording. */
  gender?: string;
  phone?: string;
  languages: string[];
  /** RelatedPerson.active as recorded (false: the EHR ended the relationship). */
  active?: boolean;
  /** RelatedPerson.period.end as recorded. */
  periodEnd?: string;
  /** Set by caregiversInOrder (src/domain/caregivers.ts): the relationship has ended. */
  former?: boolean;
}

export type PlanKind = 'icp' | 'outpatient-treatment-plan' | 'iht-treatment-plan' | 'other';

export interface PlanGoal {
  id: string;
  description: string;
  /** The goal in the family's own words, shown to caregivers. */
  caregiverWording?: string;
  lifecycleStatus: string;
  achievementStatus?: string;
  startDate?: string;
  targetDate?: string;
}

export interface CareTeamMember {
  reference: string;
  /** Our role code (family-partner, icc-care-coordinator…), or the role text. */
  role: string;
  roleDisplay: string;
}

export interface CarePlanSummary {
  id: string;
  kind: PlanKind;
  title: string;
  status: string;
  periodStart?: string;
  authorReference?: string;
  goals: PlanGoal[];
  careTeam: CareTeamMember[];
}

export interface EncounterSummary {
  id: string;
  status: string;
  type?: string;
  start?: string;
  end?: string;
}

/** Referral sub-states beyond Task.status (Task.businessStatus, our code system). */
export type ReferralStage =
  'referred' | 'contacted' | 'waitlisted' | 'active' | 'stopped' | 'discharged' | 'declined' | 'cancelled';

/** Why the app takes a Task for an FST referral: `code=fulfill` alone is any order's Task. */
export type FstMark = 'profile' | 'identifier' | 'service-code';

/** One status change of a referral Task as recorded on it (our status-history extension). */
export interface RecordedStatusChange {
  /** Task.status after the change. */
  status: string;
  stage?: ReferralStage;
  /** ISO instant. */
  at: string;
  /** Who made the change (`Practitioner/…`, `PractitionerRole/…`). */
  by?: string;
  reason?: string;
  /**
   * Set when the change is of the Family Partner, not of the status (an assignment, or a transfer when `from` is a
   * person): whose family it was and whose it is now (`PractitionerRole/…`, or the provider organisation).
   */
  transfer?: { from?: string; to: string };
}

export interface Referral {
  /** Task id. */
  id: string;
  status: string;
  stage?: ReferralStage;
  statusReason?: string;
  authoredOn: string;
  lastModified?: string;
  serviceRequestId?: string;
  requesterReference?: string;
  ownerReference?: string;
  versionId?: string;
  /** Empty for a Task that is not an FST referral (e.g. a lab order's Task). */
  fstMarks: FstMark[];
  /** Status changes recorded on the Task, oldest first; empty when the EHR keeps none. */
  recordedHistory?: RecordedStatusChange[];
  /** What the referrer sent with it (the order and its admission checklist), when it could be read. */
  request?: ReferralRequest;
  /** Family Partners chosen over the best match, with the reasons, oldest first. */
  matchOverrides?: MatchOverride[];
}

/** Seed 000 process 1: the reasons for referral and the initial goals, and the admission criteria answered. */
export interface ReferralRequest {
  reason?: string;
  /** Goal ids the referrer chose for FST. */
  goalIds: string[];
  /** Initial goals the referrer named in words, kept in the order itself. */
  newGoals: string[];
  /** The admission checklist's answers (seed 004 §III), when it was read. */
  criteria?: Partial<Record<AdmissionCriterion, boolean>>;
  /** What the caregiver asked for in a Family Partner (seed 000 process 7). */
  matchPreferences?: MatchPreferences;
}

/** A Family Partner chosen over the best match, with the supervisor's reason (seed 000 process 7). */
export interface MatchOverride {
  /** `PractitionerRole/…` the ranking put first. */
  suggested: string;
  /** `PractitionerRole/…` chosen. */
  chosen: string;
  reason: string;
  by?: string;
  at?: string;
}

export type ContactKind = 'caregiver' | 'collateral';
export type ContactMethod = 'phone' | 'face-to-face' | 'video' | 'other';

export interface Contact {
  id: string;
  kind: ContactKind;
  /** completed = contact made; not-done = an attempt (e.g. no answer). */
  status: 'completed' | 'not-done' | 'entered-in-error' | 'in-progress';
  method: ContactMethod;
  /** ISO instant. */
  sent: string;
  durationMinutes?: number;
  goalIds: string[];
  purposes: string[];
  note?: string;
  recipientReference?: string;
  senderReference?: string;
  attemptReason?: string;
  /** A telehealth (video) contact: whether the family asked for telehealth (seed 000 service component 6). */
  telehealthRequestedByFamily?: boolean;
  /** A telehealth (video) contact: the platform it was held on (the agency's, from config). */
  telehealthPlatform?: string;
  /** Where it took place (seed 000 service component 5), with its CMS place-of-service code for H2014 claims. */
  placeOfService?: PlaceOfService;
  referralTaskId?: string;
  versionId?: string;
  /** ISO instant the server first stored the contact (its stamp; undefined when the server keeps none). */
  recordedAt?: string;
  /** Amendments and withdrawals (from Provenance), oldest first. */
  corrections?: Correction[];
}

/**
 * Contacts the app knows exist but has not read: those sent between `after` and `before` (exclusive
 * instants; no `after` = everything before `before`). The workspace reads a youth's latest and first contacts
 * and leaves the middle of a very long history to the history screen, which reads it all.
 */
export interface ContactGap {
  after?: string;
  before: string;
}

/** One recorded change to a record after it was written: who, when, what kind, and why. */
export interface Correction {
  kind: 'amended' | 'withdrawn';
  /** ISO instant. */
  at: string;
  by?: string;
  reason?: string;
}

/** What is wrong with one field of a draft, in words for the user (every form's validation returns these). */
export interface FieldProblem<F extends string> {
  field: F;
  message: string;
}

/** A resource the app could not read: shown to the user, never a crash. */
export interface ParseProblem {
  reference: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: ParseProblem };

/** What a Family Partner records for a new contact (form → domain → FHIR). */
export interface ContactDraft {
  /** Client-generated, stable across retries: the idempotency key of the save. */
  requestId: string;
  kind: ContactKind;
  method: ContactMethod;
  /** ISO instant. */
  sent: string;
  durationMinutes?: number;
  purposes: string[];
  goalIds: string[];
  note: string;
  /** `RelatedPerson/…` for caregiver contacts, `Practitioner/…` / `PractitionerRole/…` for collateral. */
  recipientReference: string;
  senderReference: string;
  patientId: string;
  referralTaskId?: string;
  serviceRequestId?: string;
  telehealthRequestedByFamily?: boolean;
  telehealthPlatform?: string;
  /** Where it took place (seed 000 service component 5); none for an attempt or a written contact. */
  placeOfService?: PlaceOfService;
  /** Set for an attempt (no contact made): the reason code. */
  attemptReason?: string;
}

export interface DischargePlanSummary {
  id: string;
  status: string;
  /** When the plan was written (DocumentReference.date). */
  date: string;
  /** Last date of service (context.period.end), when recorded. */
  lastServiceDate?: string;
  referralTaskIds: string[];
  versionId?: string;
  /** The plan's content in structured form, when written by this app (a correction starts from it). */
  content?: DischargePlanContent;
  /** The DocumentReference this one replaces (a corrected plan). */
  replaces?: string;
  /** The languages of its PDF copies, the chart's first (English; then the caregiver's own, issue 36). */
  copies?: string[];
  /**
   * When the plan had reached every recipient it was planned for (the latest delivery's `sent`); undefined
   * while any delivery is still planned. The 5-business-day clock reads this, never the plan's own date.
   */
  deliveredOn?: string;
  /** References of the recipients it was delivered to. */
  deliveredTo?: string[];
  /** One delivery per recipient: planned at finalising, sent when it happens (date and how). */
  deliveries?: PlanDelivery[];
}

/** How a discharge plan reached someone (seed 000 discharge 5). */
export type DeliveryMethod = 'in-person' | 'mail' | 'secure-message' | 'fax' | 'portal';

export const DELIVERY_METHOD_LABEL: Record<DeliveryMethod, string> = {
  'in-person': 'In person',
  mail: 'By mail',
  'secure-message': 'Secure message',
  fax: 'Fax',
  portal: 'Patient portal',
};

export interface PlanDelivery {
  /** The delivery Communication. */
  id: string;
  versionId?: string;
  /** Who receives it: a reference, or a name when the recipient is not in the chart. */
  recipient: string;
  status: 'planned' | 'sent';
  /** ISO instant, once sent. */
  sent?: string;
  method?: DeliveryMethod;
}

/** The admission criteria a referral confirms (Arkansas CP.BH.AR.1600 §III A–C). */
export type AdmissionCriterion = 'A' | 'B' | 'C';

/** What a clinician (or, for a self-referral, the FST provider) records to refer a youth to FST. */
export interface ReferralDraft {
  /** Client-generated, stable across retries: the idempotency key of the referral's resources. */
  requestId: string;
  patientId: string;
  /** The ICP or treatment plan the referral is based on: the plan in force (planInForce). */
  planId: string;
  /** Goals of that plan the referrer chose for FST. */
  goalIds: string[];
  /** Initial goals the referrer named in words (seed 000 process 1), not yet in the plan. */
  newGoals: string[];
  reason: string;
  /** `Organization/…`: the FST provider. */
  providerReference: string;
  /** The referring user, or the caregiver (`RelatedPerson/…`) for a self-referral. */
  requesterReference: string;
  /** Who recorded it (the signed-in user). */
  recordedBy: string;
  criteria: Record<AdmissionCriterion, boolean>;
  /** What the caregiver asked for in a Family Partner, when anything. */
  matchPreferences?: MatchPreferences;
  /** ISO instant. */
  authoredOn: string;
}
