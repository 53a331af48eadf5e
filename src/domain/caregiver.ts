/**
 * The caregiver's own way in (issue 39): what one request asks of her, the state of that request as the
 * server holds it, and what a caregiver signed in for it may do. Pure: the sandbox's guard and read rule
 * (sandbox/fhir/caregiverGuard.ts) and the app's screens read the same decisions.
 *
 * A caregiver never signs in as "a user of the app": she is let in for one request of the Family Partner's
 * (a Task for her), for her own youth, and only while that request is open.
 */
import type { Decision } from './permissions';
import type { RecordKind } from './policy';

/** What the Family Partner asks her to do. */
export type CaregiverPurpose = 'sign-plan' | 'answer-survey';
export const CAREGIVER_PURPOSES: readonly CaregiverPurpose[] = ['sign-plan', 'answer-survey'];

/** What a caregiver's sign-in carries: who she is, her youth, the one request and what it asks. */
export interface CaregiverGrant {
  /** `RelatedPerson/<id>`: her. */
  relatedPerson: string;
  /** `Patient/<id>`: her youth. */
  youth: string;
  /** `Task/<id>`: the request she was let in for. */
  task: string;
  purpose: CaregiverPurpose;
}

/** The request's state as the staff see it, from the Task the server holds. */
export type RequestState = 'sent' | 'opened' | 'done' | 'expired' | 'revoked' | 'locked';

export interface RequestFacts {
  /** Task.status. */
  status: string;
  /** When the link stops working (Task.restriction.period.end). */
  expiresAt?: string;
}

/** The state of a request: the Task's status, and its end once passed (an open request past it expired). */
export function requestState(task: RequestFacts, now: Date): RequestState {
  switch (task.status) {
    case 'completed':
      return 'done';
    case 'cancelled':
      return 'revoked';
    case 'failed':
      return 'locked';
    default: {
      const end = task.expiresAt ? Date.parse(task.expiresAt) : Number.NaN;
      if (!Number.isNaN(end) && end <= now.getTime()) return 'expired';
      return task.status === 'in-progress' ? 'opened' : 'sent';
    }
  }
}

/** Whether the caregiver may still act on it: she opened it (confirmed who she is) and it has not ended. */
export function requestOpen(task: RequestFacts, now: Date): boolean {
  return requestState(task, now) === 'opened';
}

/** The one-time link's default lifetime (a site configures its own: docs/deploy.md). */
export const DEFAULT_LINK_HOURS = 72;
/** Wrong answers to "something only she knows" before the link locks. */
export const LINK_ATTEMPTS = 5;

export type CaregiverInteraction = 'read' | 'create' | 'change';

/** One cell of the caregiver's column of the policy table: what she may do, and for which request. */
export interface CaregiverRule {
  /** The request's purpose this is for; absent: any of her requests. */
  purpose?: CaregiverPurpose;
  /** In plain words, for docs/permissions.md. */
  what: string;
}

/**
 * The caregiver's column of the policy table (src/domain/policy.ts has the staff's): a kind or interaction
 * not listed here is refused. Reading is narrower still than a kind: see `caregiverReads`.
 */
export const CAREGIVER_POLICY: Partial<
  Record<RecordKind, Partial<Record<CaregiverInteraction, CaregiverRule>>>
> = {
  'caregiver-request': {
    read: { what: 'her own request (with the plan draft she is asked to sign)' },
    change: { what: 'marks her own open request done, naming what she wrote' },
  },
  audit: {
    read: { what: 'her own signature' },
    create: { purpose: 'sign-plan', what: 'her own signature on the plan of her open request' },
  },
  consent: {
    read: { what: 'her own consent' },
    create: { purpose: 'sign-plan', what: 'her own consent to share, with her open request' },
  },
  'outcome-measure': {
    read: { what: 'her own answers' },
    create: { purpose: 'answer-survey', what: 'her own answers to the survey of her open request' },
  },
  'team-meeting': {
    read: { what: "her family's next meeting or visit (planned)" },
  },
};

/** What the guard found about one write of hers. */
export interface CaregiverWriteFacts {
  /** The request is hers, open, and the one her sign-in is for. */
  requestOpen: boolean;
  /** The record is about her youth (and no other). */
  ownYouth: boolean;
  /** Everyone it names as its author, signer or performer is her. */
  inHerName: boolean;
  /** It belongs to her request (the plan she signs, the survey she was asked). */
  forHerRequest: boolean;
}

const no = (reason: string): Decision => ({ allowed: false, reason });

/** Whether a caregiver signed in with `grant` may make this write. */
export function decideCaregiverWrite(
  grant: CaregiverGrant,
  kind: RecordKind | undefined,
  interaction: 'create' | 'change' | 'withdraw' | 'delete',
  facts: CaregiverWriteFacts,
): Decision {
  const rule =
    kind && interaction !== 'withdraw' && interaction !== 'delete'
      ? CAREGIVER_POLICY[kind]?.[interaction]
      : undefined;
  if (!rule) return no('A caregiver may write only her own signature, consent and answers.');
  if (rule.purpose && rule.purpose !== grant.purpose)
    return no(
      grant.purpose === 'sign-plan'
        ? 'This link is for signing the plan, not for answering a survey.'
        : 'This link is for answering the survey, not for signing the plan.',
    );
  if (!facts.requestOpen) return no('This request is no longer open: it was finished, revoked or expired.');
  if (!facts.ownYouth) return no('A caregiver writes only about her own youth.');
  if (!facts.inHerName) return no('A caregiver writes only in her own name.');
  if (!facts.forHerRequest) return no('This record does not belong to the request this link is for.');
  return { allowed: true };
}

/** A signature as a Provenance holds it: who signed, the format and the bytes. */
export interface SignatureFacts {
  who?: string;
  sigFormat?: string;
  data?: string;
}

/**
 * A plan finalised with the signature she gave on her phone copies it, naming the original as its source
 * (src/fhir/mappers/dischargeWrite.ts): the copy must be her signature exactly as she gave it, on a request of
 * hers she completed. The app's wizard and the sandbox's guard read this one rule.
 */
export function decideCopiedSignature(
  copy: SignatureFacts,
  original: (SignatureFacts & { requestDone: boolean; requestOwner?: string }) | undefined,
): Decision {
  if (!original) return no('The signature it names as its source is not on record.');
  if (!original.who?.startsWith('RelatedPerson/') || original.requestOwner !== original.who)
    return no('The signature it names as its source is not a caregiver’s own, on her request.');
  if (!original.requestDone) return no('Her request was not completed: she has not signed.');
  if (copy.who !== original.who || copy.sigFormat !== original.sigFormat || copy.data !== original.data)
    return no('A signature from her phone is copied exactly as she gave it, in her name.');
  return { allowed: true };
}
