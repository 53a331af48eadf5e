/**
 * The measures job, one run: sign in (SMART Backend Services), find what changed since the last run (Bulk Data
 * `$export` with `_since`, streamed), read those families a chunk at a time with the app's own caseload reader,
 * compute with the screens' own domain code (evaluateCaseload → clocks, next steps, quality report, units), and
 * write standard resources back — a MeasureReport per episode, summaries per Family Partner, team and agency per
 * month, the months' H2014 Claims — each under the job's identifier, only where something changed.
 *
 * Stateless: what the last run saw (the export's `transactionTime`) is kept on the FHIR server, in the job's own
 * data-collection MeasureReport (one per shard). Memory holds one chunk of families and the counts per month.
 */
import type { Bundle, BundleEntry, Claim, MeasureReport, PractitionerRole, Resource, Task } from 'fhir/r4';
import type { JWK } from 'jose';
import type { EhrConfig } from '../../src/config/config';
import { calendarFor } from '../../src/config/config';
import type { CalendarConfig } from '../../src/domain/calendar';
import { civilDateOf, civilToIso } from '../../src/domain/calendar';
import { caseloadEntry } from '../../src/domain/caseload';
import { episodeEnd } from '../../src/domain/referral';
import type { Proportion } from '../../src/domain/quality';
import { buildClaimLines } from '../../src/domain/claims';
import { lapsedCredentialOn } from '../../src/domain/staff';
import type { StaffMember } from '../../src/domain/staff';
import { staffRoster } from '../../src/fhir/mappers/staff';
import { MEASURES_RUN_QUERY } from '../../src/fhir/mappers/measuresRun';
import type { ClaimContact, PayerProfile } from '../../src/domain/claims';
import { loadCapabilities } from '../../src/fhir/capabilities';
import { loadCaseload } from '../../src/fhir/caseload';
import { IdentifierSystems } from '../../src/fhir/codes';
import { collectPages, fhirRequest } from '../../src/fhir/http';
import type { FhirTransport } from '../../src/fhir/http';
import { claimContactsOf, toClaim } from '../../src/fhir/mappers/claim';
import {
  EPISODE_MEASURE,
  jobIdentifier,
  monthsOfEpisodeReport,
  StoredReportExtensions,
  toEpisodeReport,
  toSummaryReport,
} from '../../src/fhir/mappers/storedReports';
import type { MonthCounts, ReportScope } from '../../src/fhir/mappers/storedReports';
import { caseloadQualityReport, evaluateCaseload } from '../../src/features/quality/caseloadReport';
import type { EvaluatedFamily } from '../../src/features/quality/caseloadReport';
import { kickOff, readNdjson, removeExport, waitForManifest } from './bulk';
import { MEASURES_SCOPES } from './scopes';
import { signIn } from './signIn';

export { MEASURES_RUN_MEASURE as STATE_MEASURE } from '../../src/fhir/storedCaseload';
import { MEASURES_RUN_MEASURE as STATE_MEASURE } from '../../src/fhir/storedCaseload';

export interface MeasuresOptions {
  fhirBase: string;
  tokenEndpoint: string;
  clientId: string;
  privateJwk: JWK;
  ehr: EhrConfig;
  payers: readonly PayerProfile[];
  /** 1-based: `--shard 2/4` is { index: 2, count: 4 }. */
  shard?: { index: number; count: number };
  /** Recompute every family (clocks move with time: run it nightly), not only those that changed. */
  full?: boolean;
  /** Write the summaries from every stored episode report (after the shards ran); nothing else. */
  summariesOnly?: boolean;
  now?: Date;
  /** Families read and computed at once. */
  chunkSize?: number;
  /** Run only when a supervisor asked for a fresh run (a requested `measures-run` Task); else return at once. */
  whenAsked?: boolean;
  log?: (line: string) => void;
}

export interface MeasuresRun {
  /** False when `whenAsked` found no request: nothing was read or written. */
  ran: boolean;
  /** The fresh-run requests this run completed. */
  requestsCompleted: number;
  since?: string;
  transactionTime: string;
  families: number;
  written: number;
  unchanged: number;
  claims: number;
  summaries: number;
}

/** The types whose change can change a family's figures (the export `_type`). */
const FAMILY_TYPES = [
  'Task',
  'ServiceRequest',
  'Patient',
  'Communication',
  'CarePlan',
  'Goal',
  'DocumentReference',
  'QuestionnaireResponse',
  'Encounter',
  'Coverage',
] as const;
/** A change of staff (who is FST staff, names, teams) changes every family's figures: a full run. */
const STAFF_TYPES = ['Practitioner', 'PractitionerRole'] as const;
/** Months back the per-month counts and summaries reach. */
const MONTHS_KEPT = 24;
const PAGE = 1000;

/** The shard a family belongs to: a stable hash of its Patient id. */
export function shardOf(patientId: string, count: number): number {
  let h = 2166136261;
  for (let i = 0; i < patientId.length; i++) h = Math.imul(h ^ patientId.charCodeAt(i), 16777619);
  return ((h >>> 0) % count) + 1;
}

const patientOfResource = (r: Record<string, unknown>): string | undefined => {
  if (r.resourceType === 'Patient') return r.id as string;
  for (const key of ['subject', 'for', 'patient', 'beneficiary']) {
    const ref = (r[key] as { reference?: string } | undefined)?.reference;
    const m = ref ? /(?:^|\/)Patient\/([^/]+)$/.exec(ref) : null;
    if (m) return m[1];
  }
  return undefined;
};

const monthOf = (day: string) => day.slice(0, 7);
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** What a stored resource says, without what the server or the run's clock add: unchanged means equal here. */
function essence(r: Resource): string {
  const copy = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
  delete copy.id;
  // What the server adds to meta goes; the tags the job writes stay (a Claim's month).
  const tags = (copy.meta as { tag?: unknown[] } | undefined)?.tag;
  delete copy.meta;
  if (tags?.length) copy.meta = { tag: tags };
  delete copy.date;
  delete copy.created;
  if (Array.isArray(copy.extension))
    copy.extension = (copy.extension as { url?: string }[]).filter(
      (e) => e.url !== StoredReportExtensions.dataAsOf,
    );
  // Sorted keys, JSON held in strings parsed too, and no empty arrays (a FHIR server drops them).
  const sort = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith('{')) {
      try {
        return sort(JSON.parse(v));
      } catch {
        return v;
      }
    }
    if (Array.isArray(v)) return v.map(sort);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .filter(
          (k) =>
            !(
              Array.isArray((v as Record<string, unknown>)[k]) &&
              (v as Record<string, unknown[]>)[k].length === 0
            ),
        )
        .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
    );
  };
  return JSON.stringify(sort(copy));
}

const keyOf = (r: Resource) =>
  ((r as { identifier?: { system?: string; value?: string }[] }).identifier ?? []).find(
    (i) => i.system === IdentifierSystems.measuresJob,
  )?.value ?? '';

export async function runMeasures(options: MeasuresOptions): Promise<MeasuresRun> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const cal = calendarFor(options.ehr);
  const today = civilToIso(civilDateOf(now, cal.timeZone));
  const shard = options.shard ?? { index: 1, count: 1 };
  const shardKey = `state:shard-${shard.index}-of-${shard.count}`;

  let token = await signIn({ ...options, scope: MEASURES_SCOPES.join(' ') });
  const transport: FhirTransport = {
    baseUrl: options.fhirBase,
    timeoutMs: 120_000,
    authorization: async () => {
      // A backend token lives minutes: sign in again shortly before it ends.
      if (token.expiresAt - Date.now() < 30_000)
        token = await signIn({ ...options, scope: MEASURES_SCOPES.join(' ') });
      return `Bearer ${token.accessToken}`;
    },
  };
  const bearer = async () => (await transport.authorization())?.slice('Bearer '.length) ?? '';
  const caps = await loadCapabilities(transport);
  const reporter = options.ehr.providerOrganization;

  // A supervisor's requests for a fresh run, completed once this run stood.
  const asked =
    (
      await fhirRequest<Bundle>(transport, `Task?${MEASURES_RUN_QUERY}&status=requested&_count=100`)
    ).body.entry
      ?.map((e) => e.resource as Task)
      .filter((t) => t?.resourceType === 'Task') ?? [];
  if (options.whenAsked && !asked.length) {
    log('nobody asked for a fresh run: nothing to do');
    return {
      ran: false,
      requestsCompleted: 0,
      transactionTime: '',
      families: 0,
      written: 0,
      unchanged: 0,
      claims: 0,
      summaries: 0,
    };
  }
  const stats = { written: 0, unchanged: 0 };

  /** Writes what differs from what is stored (found by the job's identifier), in batches; returns the stored. */
  async function writeChanged<T extends Resource>(
    type: 'MeasureReport' | 'Claim',
    wanted: T[],
  ): Promise<void> {
    for (let i = 0; i < wanted.length; i += 50) {
      const part = wanted.slice(i, i + 50);
      const keys = part.map(keyOf);
      const found = await fhirRequest<Bundle>(
        transport,
        `${type}?identifier=${keys.map((k) => encodeURIComponent(`${IdentifierSystems.measuresJob}|${k}`)).join(',')}&_count=100`,
      );
      const stored = new Map(
        (found.body.entry ?? [])
          .map((e) => e.resource as T)
          .filter(Boolean)
          .map((r) => [keyOf(r), r] as const),
      );
      const entries: BundleEntry[] = [];
      for (const r of part) {
        const old = stored.get(keyOf(r));
        if (old && essence(old) === essence(r)) {
          stats.unchanged++;
          continue;
        }
        if (old && process.env.MEASURES_DEBUG) log(`changed ${keyOf(r)}\n${essence(old)}\n${essence(r)}`);
        entries.push(
          old
            ? {
                resource: { ...r, id: old.id },
                request: {
                  method: 'PUT',
                  url: `${type}/${old.id}`,
                  ifMatch: `W/"${old.meta?.versionId ?? ''}"`,
                },
              }
            : {
                resource: r,
                request: {
                  method: 'POST',
                  url: type,
                  ifNoneExist: `identifier=${encodeURIComponent(`${IdentifierSystems.measuresJob}|${keyOf(r)}`)}`,
                },
              },
        );
      }
      if (!entries.length) continue;
      const answer = await fhirRequest<Bundle>(transport, '', {
        method: 'POST',
        body: { resourceType: 'Bundle', type: 'batch', entry: entries },
      });
      const failed = (answer.body.entry ?? []).filter((e) => !/^2\d\d/.test(e.response?.status ?? ''));
      if (failed.length)
        throw new Error(
          `${options.fhirBase} refused ${failed.length} of ${entries.length} ${type} writes: ${failed[0].response?.status} ${JSON.stringify(
            (failed[0].response?.outcome as { issue?: { details?: { text?: string } }[] } | undefined)
              ?.issue?.[0]?.details?.text ?? '',
          )}`,
        );
      stats.written += entries.length;
    }
  }

  async function searchAll<T extends Resource>(url: string): Promise<T[]> {
    const first = await fhirRequest<Bundle>(transport, url);
    const pages = await collectPages(transport, first.body);
    return pages.entries.map((e) => e.resource as T).filter((r) => r !== undefined);
  }

  // What the last run of this shard saw.
  const stateSearch = await fhirRequest<Bundle>(
    transport,
    `MeasureReport?identifier=${encodeURIComponent(`${IdentifierSystems.measuresJob}|${shardKey}`)}`,
  );
  const state = stateSearch.body.entry?.[0]?.resource as MeasureReport | undefined;
  const lastSeen = state?.extension?.find((e) => e.url === StoredReportExtensions.dataAsOf)?.valueInstant;
  const since = options.full || options.summariesOnly ? undefined : lastSeen;

  // Which families to compute: on a first (or full) run every FST family, else those whose records changed.
  const inShard = (id: string) => shardOf(id, shard.count) === shard.index;
  const families = new Set<string>();
  let full = since === undefined;
  const token0 = await bearer();
  const status = await kickOff({
    fhirBase: options.fhirBase,
    token: token0,
    types: since ? [...FAMILY_TYPES, ...STAFF_TYPES] : ['Task'],
    since,
  });
  const manifest = await waitForManifest(status, token0);
  for (const file of manifest.output) {
    if ((STAFF_TYPES as readonly string[]).includes(file.type) && since) {
      full = true;
      continue;
    }
    for await (const r of readNdjson<Record<string, unknown>>(
      file.url,
      await bearer(),
      manifest.requiresAccessToken,
    )) {
      const id = patientOfResource(r);
      if (id && inShard(id)) families.add(id);
    }
  }
  await removeExport(status, await bearer());
  if (full && since) {
    // Staff changed: every family of the shard, from the referral Tasks.
    log('staff records changed since the last run: every family is recomputed');
    for (const t of await searchAll<Resource>(`Task?code=fulfill&_elements=for&_count=${PAGE}`)) {
      const id = patientOfResource(t as unknown as Record<string, unknown>);
      if (id && inShard(id)) families.add(id);
    }
  }
  log(
    `${since ? `changes since ${since}` : 'a full run'}: ${families.size} famil${families.size === 1 ? 'y' : 'ies'} to compute (shard ${shard.index}/${shard.count})`,
  );

  const roleResources = await searchAll<Resource>(
    `PractitionerRole?_include=PractitionerRole:practitioner&_count=${PAGE}`,
  );
  const roles = roleResources.filter((r): r is PractitionerRole => r.resourceType === 'PractitionerRole');
  const teamOf = new Map(
    roles.map((r) => [`PractitionerRole/${r.id}`, r.organization?.reference ?? reporter] as const),
  );
  // Whose credentials a claim line is checked against: the rendering Family Partner, by either reference.
  const members = new Map<string, StaffMember>();
  for (const m of staffRoster(roleResources, options.ehr.roles).members) members.set(m.reference, m);
  for (const r of roles) {
    const m = r.practitioner?.reference ? members.get(r.practitioner.reference) : undefined;
    if (m) members.set(`PractitionerRole/${r.id}`, m);
  }
  const credentials = (rendering: string, day: string) => {
    const m = members.get(rendering);
    return m ? lapsedCredentialOn(m, day) : undefined;
  };
  let claims = 0;
  if (!options.summariesOnly) {
    const ids = [...families].sort();
    const chunk = options.chunkSize ?? 100;
    for (let i = 0; i < ids.length; i += chunk) {
      const caseload = await loadCaseload(transport, undefined, caps, options.ehr.roles, {
        patients: ids.slice(i, i + chunk),
      });
      if (caseload.truncated)
        throw new Error('The server held more pages than one read follows: use a smaller chunk');
      const evaluated = evaluateCaseload(caseload, now, cal, options.ehr.continuingStayReviewDays);
      await writeChanged(
        'MeasureReport',
        evaluated.flatMap((e) =>
          episodeReports(e, now, cal, today, manifest.transactionTime, reporter, teamOf),
        ),
      );
      const lines = claimResources(
        evaluated,
        caseload.staff?.references,
        options.payers,
        now,
        cal,
        reporter,
        credentials,
      );
      claims += lines.length;
      await writeChanged('Claim', lines);
    }
  }

  // The summaries, from every stored episode report (this run's included): shards add up, nothing is counted twice.
  let summaries = 0;
  if (shard.count === 1 || options.summariesOnly) {
    const reports = await searchAll<MeasureReport>(
      `MeasureReport?measure=${encodeURIComponent(EPISODE_MEASURE)}&_count=${PAGE}`,
    );
    const wanted = summaryReports(
      reports,
      today,
      now.toISOString(),
      manifest.transactionTime,
      reporter,
      teamOf,
    );
    summaries = wanted.length;
    await writeChanged('MeasureReport', wanted);
  }

  // Last, once everything above stood: what this run saw, for the next one.
  const nextState: MeasureReport = {
    resourceType: 'MeasureReport',
    identifier: [jobIdentifier(shardKey)],
    status: 'complete',
    type: 'data-collection',
    measure: STATE_MEASURE,
    date: now.toISOString(),
    period: { start: since ?? manifest.transactionTime, end: manifest.transactionTime },
    extension: [{ url: StoredReportExtensions.dataAsOf, valueInstant: manifest.transactionTime }],
  };
  if (state?.id)
    await fhirRequest(transport, `MeasureReport/${state.id}`, {
      method: 'PUT',
      body: { ...nextState, id: state.id },
      headers: { 'if-match': `W/"${state.meta?.versionId ?? ''}"` },
    });
  else
    await fhirRequest(transport, 'MeasureReport', {
      method: 'POST',
      body: nextState,
      headers: {
        'if-none-exist': `identifier=${encodeURIComponent(`${IdentifierSystems.measuresJob}|${shardKey}`)}`,
      },
    });

  // The requests are answered only by a run that wrote the summaries the screens read (an unsharded run, or
  // the summaries step after the shards).
  let requestsCompleted = 0;
  if (shard.count === 1 || options.summariesOnly)
    for (const t of asked) {
      await fhirRequest(transport, `Task/${t.id}`, {
        method: 'PUT',
        body: {
          ...t,
          status: 'completed',
          lastModified: now.toISOString(),
          executionPeriod: { start: t.authoredOn ?? now.toISOString(), end: now.toISOString() },
        },
        headers: { 'if-match': `W/"${t.meta?.versionId ?? ''}"` },
      });
      requestsCompleted++;
    }

  return {
    ran: true,
    requestsCompleted,
    since,
    transactionTime: manifest.transactionTime,
    families: families.size,
    written: stats.written,
    unchanged: stats.unchanged,
    claims,
    summaries,
  };
}

/** One report per episode (the current one and the youth's earlier ones), with its counts per month. */
function episodeReports(
  e: EvaluatedFamily,
  now: Date,
  cal: CalendarConfig,
  today: string,
  dataAsOf: string,
  reporter: string | undefined,
  teamOf: ReadonlyMap<string, string | undefined>,
): MeasureReport[] {
  const oldest = monthOf(
    civilToIso(civilDateOf(new Date(now.getTime() - MONTHS_KEPT * 31 * 86_400_000), cal.timeZone)),
  );
  const episodes: EvaluatedFamily[] = [
    { ...e, earlier: [] },
    ...e.earlier.map((x) => ({
      family: { ...e.family, referral: x.referral, meetings: [], outcomes: [] },
      compliance: x.compliance,
      entry: caseloadEntry(e.family.youth, x.referral, x.compliance, today),
      earlier: [],
    })),
  ];
  return episodes.map((episode, i) => {
    const referral = episode.family.referral;
    const start = civilToIso(civilDateOf(referral.authoredOn, cal.timeZone));
    const ended = episodeEnd(referral);
    const end = ended ? civilToIso(civilDateOf(ended.at, cal.timeZone)) : today;
    const months: MonthCounts[] = monthsBetween(
      monthOf(start) < oldest ? oldest : monthOf(start),
      monthOf(end < start ? start : end),
    ).map((month) => ({
      month,
      measures: caseloadQualityReport(
        [episode],
        { from: `${month}-01`, to: monthEnd(month) },
        now,
        cal,
      ).measures.map((m: Proportion) => ({ id: m.id, numerator: m.numerator, denominator: m.denominator })),
    }));
    const report = toEpisodeReport({
      entry: episode.entry,
      months,
      period: { start, end: end < start ? start : end },
      date: now.toISOString(),
      dataAsOf,
      reporter,
      team: referral.ownerReference ? teamOf.get(referral.ownerReference) : undefined,
    });
    // Only the youth's current episode is a caseload row.
    report.extension?.push({ url: `${StoredReportExtensions.scope}-current`, valueBoolean: i === 0 });
    return report;
  });
}

/** Per month: the agency, each team and each Family Partner, summed from the episode reports. */
function summaryReports(
  reports: readonly MeasureReport[],
  today: string,
  date: string,
  dataAsOf: string,
  reporter: string | undefined,
  teamOf: ReadonlyMap<string, string | undefined>,
): MeasureReport[] {
  type Acc = {
    scope: ReportScope;
    month: string;
    families: Set<string>;
    counts: Map<string, { n: number; d: number }>;
  };
  const acc = new Map<string, Acc>();
  for (const r of reports) {
    if (!keyOf(r).startsWith('episode:')) continue;
    const owner = (
      JSON.parse(
        r.extension?.find((x) => x.url === StoredReportExtensions.caseloadEntry)?.valueString ?? '{}',
      ) as {
        referral?: { ownerReference?: string };
      }
    ).referral?.ownerReference;
    const team = owner ? teamOf.get(owner) : undefined;
    const scopes: ReportScope[] = [
      { kind: 'agency' },
      ...(team ? [{ kind: 'team' as const, reference: team }] : []),
      ...(owner?.startsWith('PractitionerRole/')
        ? [{ kind: 'family-partner' as const, reference: owner }]
        : []),
    ];
    for (const m of monthsOfEpisodeReport(r)) {
      if (m.month > today.slice(0, 7)) continue;
      for (const scope of scopes) {
        const key = `${scope.kind}|${'reference' in scope ? scope.reference : ''}|${m.month}`;
        const a = acc.get(key) ?? { scope, month: m.month, families: new Set(), counts: new Map() };
        a.families.add(r.subject?.reference ?? '');
        for (const x of m.measures) {
          const c = a.counts.get(x.id) ?? { n: 0, d: 0 };
          c.n += x.numerator;
          c.d += x.denominator;
          a.counts.set(x.id, c);
        }
        acc.set(key, a);
      }
    }
  }
  return [...acc.values()]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((a) =>
      toSummaryReport({
        scope: a.scope,
        month: a.month,
        families: a.families.size,
        measures: [...a.counts].map(([id, c]) => ({
          id: id as Proportion['id'],
          numerator: c.n,
          denominator: c.d,
        })),
        date,
        dataAsOf,
        reporter,
      }),
    );
}

/** The H2014 claim lines of the last complete month and the current one, per payer and member. */
function claimResources(
  evaluated: readonly EvaluatedFamily[],
  fstStaff: ReadonlySet<string> | undefined,
  payers: readonly PayerProfile[],
  now: Date,
  cal: CalendarConfig,
  reporter: string | undefined,
  credentials: (rendering: string, day: string) => string | undefined,
): Claim[] {
  const names = new Map(evaluated.map((e) => [e.family.youth.id, e.family.youth.name.full] as const));
  if (!payers.length) return [];
  const thisMonth = civilToIso(civilDateOf(now, cal.timeZone)).slice(0, 7);
  const [y, m] = thisMonth.split('-').map(Number);
  const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const out: Claim[] = [];
  for (const month of [lastMonth, thisMonth]) {
    const contacts: ClaimContact[] = evaluated.flatMap((e) => claimContactsOf(e.family, fstStaff, cal));
    const built = buildClaimLines({ contacts, payers, month, credentials });
    for (const claim of built)
      out.push(
        toClaim(claim, {
          created: now.toISOString(),
          provider: reporter ?? 'Organization/unknown',
          patientName: names.get(claim.patientId),
        }),
      );
  }
  return out;
}
