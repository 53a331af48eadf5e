/**
 * A supervisor's request for a fresh run of the measures job (issue 40): a FHIR Task any server can hold, which
 * the job picks up (`npm run measures -- --when-asked`, from cron every few minutes: it exits at once when nobody
 * asked) and completes when its run stood. The screen shows the request and, once done, the new "as of".
 */
import type { Task } from 'fhir/r4';
import { CodeSystems } from '../codes';

export const MEASURES_RUN_CODE = { system: CodeSystems.jobRequest, code: 'measures-run' } as const;
export const MEASURES_RUN_QUERY = `code=${encodeURIComponent(`${MEASURES_RUN_CODE.system}|${MEASURES_RUN_CODE.code}`)}`;

export function runRequestTask(requester: string, authoredOn: string): Task {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ ...MEASURES_RUN_CODE, display: 'Run the measures job' }] },
    description: "Recompute the agency's caseload, quality report and claim lines now",
    requester: { reference: requester },
    authoredOn,
  };
}

export interface RunRequest {
  id: string;
  status: Task['status'];
  requester?: string;
  authoredOn?: string;
  /** When the job completed it. */
  completedAt?: string;
}

export function parseRunRequest(t: Task): RunRequest | undefined {
  if (
    !t.id ||
    !t.code?.coding?.some((c) => c.system === MEASURES_RUN_CODE.system && c.code === MEASURES_RUN_CODE.code)
  )
    return undefined;
  return {
    id: t.id,
    status: t.status,
    requester: t.requester?.reference,
    authoredOn: t.authoredOn,
    completedAt: t.status === 'completed' ? (t.executionPeriod?.end ?? t.lastModified) : undefined,
  };
}
