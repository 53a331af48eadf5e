/**
 * The supervisor's caseload from what the measures job stored (issue 40): one search of the episode reports and
 * the job's run records (`_elements` keeps only the rows), so the screen downloads rows, not the agency's contacts.
 * Stale or missing reports are the caller's to judge (`asOf`): the caseload then computes live.
 */
import type { Bundle, Claim, MeasureReport, Task } from 'fhir/r4';
import type { CaseloadEntry } from '../domain/caseload';
import type { ClaimDraft } from '../domain/claims';
import type { MeasureId } from '../domain/quality';
import { collectPages, fhirRequest } from './http';
import type { FhirTransport } from './http';
import {
  EPISODE_MEASURE,
  monthsOfSummary,
  parseEpisodeReport,
  StoredReportExtensions,
  summaryKey,
} from './mappers/storedReports';
import { fromClaim } from './mappers/claim';
import { MEASURES_RUN_QUERY, parseRunRequest, runRequestTask } from './mappers/measuresRun';
import type { RunRequest } from './mappers/measuresRun';
import { CodeSystems, FST_CANONICAL, IdentifierSystems } from './codes';

/** The measures job's record of each run (jobs/measures/run.ts). */
export const MEASURES_RUN_MEASURE = `${FST_CANONICAL}/Measure/fst-measures-job`;

export interface StoredCaseload {
  entries: CaseloadEntry[];
  /** The oldest data any shard's last run saw: the rows are as of then. Undefined when the job never ran. */
  asOf?: string;
  /** Reports that could not be read back. */
  unreadable: number;
}

export async function loadStoredCaseload(
  transport: FhirTransport,
  signal?: AbortSignal,
): Promise<StoredCaseload> {
  const measures = encodeURIComponent(`${EPISODE_MEASURE},${MEASURES_RUN_MEASURE}`);
  const first = await fhirRequest<Bundle>(
    transport,
    `MeasureReport?measure=${measures}&_elements=identifier,measure,subject,extension,date&_count=1000`,
    { signal },
  );
  const all = await collectPages(transport, first.body, signal);
  const reports = all.entries
    .map((e) => e.resource as MeasureReport)
    .filter((r) => r?.resourceType === 'MeasureReport');
  const runs = reports.filter((r) => r.measure === MEASURES_RUN_MEASURE);
  const seen = runs
    .map((r) => r.extension?.find((e) => e.url === StoredReportExtensions.dataAsOf)?.valueInstant)
    .filter((t): t is string => !!t)
    .sort();
  let unreadable = 0;
  const entries: CaseloadEntry[] = [];
  for (const r of reports) {
    if (r.measure !== EPISODE_MEASURE) continue;
    // Only the youth's current episode is a row (earlier episodes are kept for the measures).
    const current = r.extension?.find(
      (e) => e.url === `${StoredReportExtensions.scope}-current`,
    )?.valueBoolean;
    if (current === false) continue;
    const parsed = parseEpisodeReport(r);
    if (parsed) entries.push(parsed.entry);
    else unreadable++;
  }
  return { entries, asOf: seen[0], unreadable };
}

export interface StoredQuality {
  /** The measures' counts, month by month, of the months found. */
  counts: { id: MeasureId; numerator: number; denominator: number }[];
  /** The months asked for that the job has a summary of. */
  months: string[];
  /** The oldest data a summary was computed from. */
  asOf?: string;
}

/** The agency's quality measures for whole months, from the job's summaries: one search, whatever the period. */
export async function loadStoredQuality(
  transport: FhirTransport,
  months: readonly string[],
  signal?: AbortSignal,
): Promise<StoredQuality> {
  const ids = months
    .map((m) => encodeURIComponent(`${IdentifierSystems.measuresJob}|${summaryKey({ kind: 'agency' }, m)}`))
    .join(',');
  const answer = await fhirRequest<Bundle>(
    transport,
    `MeasureReport?identifier=${ids}&_count=${months.length + 1}`,
    {
      signal,
    },
  );
  const reports = (answer.body.entry ?? [])
    .map((e) => e.resource as MeasureReport)
    .filter((r) => r?.resourceType === 'MeasureReport');
  const found = reports.flatMap((r) => monthsOfSummary(r));
  const asOf = reports
    .map((r) => r.extension?.find((e) => e.url === StoredReportExtensions.dataAsOf)?.valueInstant)
    .filter((t): t is string => !!t)
    .sort()[0];
  return {
    counts: found.flatMap((f) => f.measures),
    months: found.map((f) => f.month).sort(),
    asOf,
  };
}

/** The month's stored H2014 claims (every payer and member), as the job built them: one search by its month tag. */
export async function loadStoredClaims(
  transport: FhirTransport,
  month: string,
  signal?: AbortSignal,
): Promise<{ drafts: (ClaimDraft & { patientName?: string })[]; unreadable: number }> {
  const first = await fhirRequest<Bundle>(
    transport,
    `Claim?_tag=${encodeURIComponent(`${CodeSystems.claimMonth}|${month}`)}&_count=1000`,
    { signal },
  );
  const all = await collectPages(transport, first.body, signal);
  let unreadable = 0;
  const drafts: (ClaimDraft & { patientName?: string })[] = [];
  for (const e of all.entries) {
    const claim = e.resource as Claim | undefined;
    if (claim?.resourceType !== 'Claim') continue;
    const draft = fromClaim(claim);
    if (draft) drafts.push(draft);
    else unreadable++;
  }
  return { drafts, unreadable };
}

/** The latest request for a fresh run, if any. */
export async function latestRunRequest(
  transport: FhirTransport,
  signal?: AbortSignal,
): Promise<RunRequest | undefined> {
  const answer = await fhirRequest<Bundle>(
    transport,
    `Task?${MEASURES_RUN_QUERY}&_sort=-authored-on&_count=1`,
    {
      signal,
    },
  );
  const task = answer.body.entry?.[0]?.resource as Task | undefined;
  return task ? parseRunRequest(task) : undefined;
}

/** Asks the measures job for a fresh run; an open request already there is the answer (a retry adds none). */
export async function requestMeasuresRun(
  transport: FhirTransport,
  requester: string,
  now: Date,
): Promise<RunRequest> {
  // Conditional create: while one request waits, another press (or a retry) is answered with it.
  const written = await fhirRequest<Task>(transport, 'Task', {
    method: 'POST',
    body: runRequestTask(requester, now.toISOString()),
    headers: { 'if-none-exist': `${MEASURES_RUN_QUERY}&status=requested` },
  });
  const parsed = parseRunRequest(written.body);
  if (!parsed) throw new Error('The server answered the request with a record that is not one');
  return parsed;
}
