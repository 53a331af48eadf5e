/**
 * The caregiver's side of the write guard and the read rule (issue 39): a caregiver signed in for one request
 * (the one-time link, sandbox/caregiver/links.ts) writes only her own signature, consent and answers, for her
 * own youth, only while that request is open, and reads only what is meant for her. The decisions are the
 * domain's (src/domain/caregiver.ts, CAREGIVER_POLICY); this file finds the facts in the records.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { CaregiverGrant } from '../../src/domain/caregiver';
import { decideCaregiverWrite, requestOpen } from '../../src/domain/caregiver';
import { parseCaregiverRequest } from '../../src/fhir/mappers/caregiverRequest';
import { authorsOf, recordKindOf } from '../../src/fhir/recordKind';
import type { RecordKind } from '../../src/domain/policy';
import type { JournalEntry } from './repository';
import type { Refusal } from './guard';
import { patientOf, referencesIn } from './guard';

type Read = (reference: string) => Resource | undefined;
type Loose = Record<string, unknown>;
const refOf = (v: unknown): string | undefined => (v as { reference?: string } | undefined)?.reference;
const forbidden = (text: string): Refusal => ({ status: 403, text });
const refOfResource = (r: Resource) => `${r.resourceType}/${r.id}`;

/** Who a record of hers names as its writer: authors, signers, agents, a consent's performers. */
function writersOf(kind: RecordKind, r: Resource): string[] {
  if (kind === 'consent')
    return (((r as unknown as Loose).performer as unknown[] | undefined) ?? [])
      .map(refOf)
      .filter((x): x is string => x !== undefined);
  const refs = authorsOf(kind, r);
  if (kind === 'outcome-measure') {
    const source = refOf((r as unknown as Loose).source);
    if (source) refs.push(source);
  }
  return refs;
}

/** The request as it stood when this request began (a transaction may complete it along the way). */
export function requestAtStart(
  grant: CaregiverGrant,
  journal: readonly JournalEntry[],
  read: Read,
): Resource | undefined {
  const first = journal.find(
    (e) => (e.before ?? e.after) && refOfResource((e.before ?? e.after)!) === grant.task,
  );
  return first ? first.before : read(grant.task);
}

/** Whether a record is about her youth and names no other youth's record. */
function ownYouth(r: Resource, grant: CaregiverGrant, read: Read): boolean {
  if (patientOf(r, read) !== grant.youth) return false;
  return referencesIn(r).every((ref) => {
    if (ref.startsWith('Patient/')) return ref === grant.youth;
    const other = patientOf(read(ref), read);
    return other === undefined || other === grant.youth;
  });
}

/** Judges one write of a caregiver's request; undefined when it may stand. */
export function caregiverWriteRefusal(
  entry: JournalEntry,
  grant: CaregiverGrant,
  journal: readonly JournalEntry[],
  read: Read,
  now: Date,
): Refusal | undefined {
  const after = entry.after;
  const before = entry.before;
  const kind = recordKindOf(after ?? before, read);
  const interaction = !after
    ? 'delete'
    : before
      ? (after as unknown as Loose).status === 'entered-in-error'
        ? 'withdraw'
        : 'change'
      : 'create';
  const stored = requestAtStart(grant, journal, read);
  const request = stored && parseCaregiverRequest(stored);
  const open =
    stored !== undefined &&
    request !== undefined &&
    refOfResource(stored) === grant.task &&
    request.caregiver === grant.relatedPerson &&
    request.youth === grant.youth &&
    request.purpose === grant.purpose &&
    requestOpen(request, now);
  const record = after ?? before;
  if (!record) return forbidden('Nothing to write.');
  const writers = kind ? writersOf(kind, record) : [];
  let inHerName = writers.length > 0 && writers.every((w) => w === grant.relatedPerson);
  let forHerRequest = false;
  const o = record as unknown as Loose;
  switch (kind) {
    case 'audit': {
      const targets = ((o.target as unknown[] | undefined) ?? []).map(refOf);
      const signatures = (o.signature as unknown[] | undefined) ?? [];
      forHerRequest = targets.length === 1 && targets[0] === grant.task && signatures.length > 0;
      break;
    }
    case 'consent': {
      const data = ((o.provision as { data?: { reference?: unknown }[] } | undefined)?.data ?? []).map((d) =>
        refOf(d.reference),
      );
      forHerRequest = data.includes(grant.task);
      break;
    }
    case 'outcome-measure':
      forHerRequest = request !== undefined && request.questionnaires.includes(String(o.questionnaire ?? ''));
      break;
    case 'caregiver-request': {
      const done = after ? parseCaregiverRequest(after) : undefined;
      forHerRequest = refOfResource(record) === grant.task && done?.status === 'completed';
      // Her part of it is its status, when, and what she wrote: who asked whom for what stays as sent.
      inHerName = done !== undefined && sameExceptHerPart(before, after) && done.written.length > 0;
      const wanted: RecordKind = grant.purpose === 'sign-plan' ? 'audit' : 'outcome-measure';
      forHerRequest &&=
        done !== undefined &&
        done.written.every((ref) => {
          const r = read(ref);
          const k = r && recordKindOf(r, read);
          return (
            r !== undefined &&
            k !== undefined &&
            ownYouth(r, grant, read) &&
            writersOf(k, r).every((w) => w === grant.relatedPerson)
          );
        }) &&
        done.written.some((ref) => recordKindOf(read(ref), read) === wanted);
      break;
    }
    default:
      break;
  }
  const decision = decideCaregiverWrite(grant, kind, interaction, {
    requestOpen: open,
    ownYouth: ownYouth(record, grant, read),
    inHerName,
    forHerRequest,
  });
  return decision.allowed ? undefined : forbidden(decision.reason);
}

const HER_PART = ['status', 'lastModified', 'executionPeriod', 'output', 'meta'];

function sameExceptHerPart(before: Resource | undefined, after: Resource | undefined): boolean {
  if (!before || !after) return false;
  const strip = (r: Resource) =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(r as unknown as Loose)
          .filter(([k]) => !HER_PART.includes(k))
          .sort(([a], [b]) => a.localeCompare(b)),
      ),
    );
  const start = (r: Resource) =>
    ((r as unknown as Loose).executionPeriod as { start?: string } | undefined)?.start;
  return strip(before) === strip(after) && start(before) === start(after);
}

/**
 * What she may read: her request, herself, the Family Partner who sent it (name and how to reach her), the
 * questionnaires, her family's planned meetings, and what she wrote herself. Nothing else: no notes, no other
 * family, not the youth's chart.
 */
export function caregiverReadRule(grant: CaregiverGrant, read: Read): (r: Resource) => boolean {
  const request = (() => {
    const t = read(grant.task);
    return t ? parseCaregiverRequest(t) : undefined;
  })();
  return (r) => {
    const ref = refOfResource(r);
    switch (r.resourceType) {
      case 'Task':
        return ref === grant.task;
      case 'RelatedPerson':
        return ref === grant.relatedPerson;
      case 'Practitioner':
        return request?.requester === ref;
      case 'Questionnaire':
        return true;
      default: {
        const kind = recordKindOf(r, read);
        if (!kind || patientOf(r, read) !== grant.youth) return false;
        if (kind === 'team-meeting') return (r as unknown as Loose).status === 'planned';
        if (kind === 'audit' || kind === 'consent' || kind === 'outcome-measure') {
          const writers = writersOf(kind, r);
          return writers.length > 0 && writers.every((w) => w === grant.relatedPerson);
        }
        return false;
      }
    }
  };
}
