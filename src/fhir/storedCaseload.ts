/**
 * The supervisor's caseload from what the measures job stored (issue 40): one search of the episode reports and
 * the job's run records (`_elements` keeps only the rows), so the screen downloads rows, not the agency's contacts.
 * Stale or missing reports are the caller's to judge (`asOf`): the caseload then computes live.
 */
import type { Bundle, MeasureReport } from 'fhir/r4';
import type { CaseloadEntry } from '../domain/caseload';
import { collectPages, fhirRequest } from './http';
import type { FhirTransport } from './http';
import { EPISODE_MEASURE, parseEpisodeReport, StoredReportExtensions } from './mappers/storedReports';
import { FST_CANONICAL } from './codes';

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
