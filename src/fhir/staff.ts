/**
 * The staff compliance view's reads and writes. One batch: the FST roles with their practitioners (the
 * qualifications live on Practitioner) and the supervision sessions since the period began; then one more for
 * each member's first FST contact (training before duties, staffing 6). Training and
 * credentials are added to Practitioner.qualification with If-Match (updateIfMatch): a concurrent edit is
 * refused, never overwritten; a supervision session is one conditional create.
 */
import type { Encounter, Practitioner } from 'fhir/r4';
import type { RoleMapping } from '../domain/permissions';
import type { Qualification, SupervisionDraft, SupervisionKind, SupervisionSession } from '../domain/staff';
import type { OnCallHours } from '../domain/onCall';
import type { LivedExperienceArea } from '../domain/matching';
import { SUPERVISION_KIND_LABEL } from '../domain/staff';
import { onePage, readBatch } from './batch';
import type { ServerCapabilities } from './capabilities';
import { clientRequestQuery, CodeSystems } from './codes';
import { FhirError, VERSION_CONFLICT } from './http';
import type { FhirTransport } from './http';
import {
  parseSupervision,
  staffRoster,
  supervisionEncounter,
  withOnCallHours,
  withQualification,
} from './mappers/staff';
import type { StaffRoster } from './mappers/staff';
import { transaction, updateIfMatch } from './write';
import { PARTS } from './workspace';

export interface StaffCompliance extends StaffRoster {
  sessions: SupervisionSession[];
  /** Each member's first FST contact (its instant): staffing 6, training before duties. */
  firstServedOn: ReadonlyMap<string, string>;
  requests: number;
}

const FST_CONTACTS = encodeURIComponent(
  `${CodeSystems.contactCategory}|caregiver-contact,${CodeSystems.contactCategory}|collateral-contact`,
);

const SUPERVISION_TYPES = encodeURIComponent(
  (Object.keys(SUPERVISION_KIND_LABEL) as SupervisionKind[])
    .map((k) => `${CodeSystems.supervisionKind}|${k}`)
    .join(','),
);

export async function loadStaffCompliance(
  transport: FhirTransport,
  caps: ServerCapabilities,
  roleMapping: RoleMapping,
  from: string,
  signal?: AbortSignal,
): Promise<StaffCompliance> {
  const staffUrls = PARTS.staff.urls({ patientId: '', roleMapping, caps });
  const read = await readBatch(
    transport,
    caps,
    [...staffUrls, `Encounter?type=${SUPERVISION_TYPES}&date=ge${from}&_count=1000`],
    signal,
  );
  const failed = read.outcomes.find((o) => !o.ok);
  if (failed && !failed.ok) throw failed.error;
  const entries = read.outcomes.flatMap((o) => (o.ok ? o.entries : []));
  const resources = entries.map((e) => e.resource).filter((r) => r !== undefined);
  const roster = staffRoster(resources, roleMapping);
  const sessions = resources
    .filter((r) => r.resourceType === 'Encounter')
    .map(parseSupervision)
    .filter((s): s is SupervisionSession => s !== undefined);
  // Each member's first FST contact, one search each in a second batch (first page of one entry): whether
  // they served families before their initial training was complete.
  const firsts = roster.members.length
    ? await readBatch(
        transport,
        caps,
        roster.members.map((m) =>
          onePage(
            `Communication?sender=${encodeURIComponent(m.reference)}&category=${FST_CONTACTS}&_sort=sent&_count=1`,
          ),
        ),
        signal,
      )
    : { outcomes: [], requests: 0 };
  const firstServedOn = new Map<string, string>();
  firsts.outcomes.forEach((o, i) => {
    const sent = o.ok ? (o.entries[0]?.resource as { sent?: string } | undefined)?.sent : undefined;
    if (sent) firstServedOn.set(roster.members[i].reference, sent);
  });
  return { ...roster, sessions, firstServedOn, requests: read.requests + firsts.requests };
}

export async function recordQualification(
  transport: FhirTransport,
  member: { reference: string; versionId?: string },
  qualification: Omit<Qualification, 'code'> & { code: Qualification['code'] | LivedExperienceArea },
  signal?: AbortSignal,
): Promise<void> {
  const result = await updateIfMatch<Practitioner>(
    transport,
    member.reference,
    member.versionId ?? '',
    (p) => withQualification(p, qualification),
    signal,
  );
  if (!result.ok) throw new FhirError(412, VERSION_CONFLICT);
}

/**
 * A licensed clinician's on-call hours (seed 000 staffing 9), replaced as a whole on their Practitioner with
 * If-Match: someone else's change since the roster was read is a conflict, never overwritten.
 */
export async function saveOnCallHours(
  transport: FhirTransport,
  clinician: { reference: string; versionId?: string },
  hours: readonly OnCallHours[],
  signal?: AbortSignal,
): Promise<void> {
  const result = await updateIfMatch<Practitioner>(
    transport,
    clinician.reference,
    clinician.versionId ?? '',
    (p) => withOnCallHours(p, hours),
    signal,
  );
  if (!result.ok) throw new FhirError(412, VERSION_CONFLICT);
}

export async function logSupervision(
  transport: FhirTransport,
  caps: ServerCapabilities,
  draft: SupervisionDraft & { kind: SupervisionKind; minutes: number },
  signal?: AbortSignal,
): Promise<SupervisionSession | undefined> {
  const written = await transaction(
    transport,
    caps,
    [
      {
        method: 'POST',
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        resource: supervisionEncounter(draft),
        ifNoneExist: clientRequestQuery(draft.requestId),
      },
    ],
    signal,
  );
  return parseSupervision(written.resources[0] as Encounter);
}
