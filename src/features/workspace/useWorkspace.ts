/**
 * The workspace through the per-part cache: the first load reads every part in one batch round trip and
 * fills each part's key; afterwards a part is read again only when a write invalidates it
 * (src/fhir/invalidation.ts). The screens read one composed `Workspace`.
 */
import { useMemo } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient, UseQueryResult } from '@tanstack/react-query';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { capabilitiesQuery, useCapabilities } from '../../app/useCapabilities';
import type { SmartSession } from '../../fhir/session';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import type { ServerCapabilities } from '../../fhir/capabilities';
import { contactHistoryKey, partKey } from '../../fhir/invalidation';
import { fhirKeys } from '../../fhir/queryKeys';
import type { PartResult, Workspace, WorkspaceParts } from '../../fhir/workspace';
import { composeWorkspace, loadContactHistory, loadPart, loadParts, UNBOUNDED } from '../../fhir/workspace';
import type { PartName, WorkspaceContext } from '../../fhir/workspaceReads';
import { PART_NAMES, PART_READS, SESSION_PARTS } from '../../fhir/workspaceReads';
import { distinctProblems } from '../../fhir/mappers/parse';

export function keyOfPart(session: SmartSession, patientId: string, name: PartName) {
  return SESSION_PARTS.includes(name)
    ? fhirKeys.sessionPart(session.serverUrl, PART_READS[name].type, name)
    : partKey(session.serverUrl, patientId, name);
}

function contextOf(session: SmartSession, patientId: string, caps?: ServerCapabilities): WorkspaceContext {
  return {
    patientId,
    user: session.user,
    roleMapping: session.ehr.roles,
    caps: caps ?? ASSUMED_CAPABILITIES,
    instruments: session.ehr.instruments,
  };
}

function useWorkspaceContext(patientId: string): { ctx: WorkspaceContext; ready: boolean } {
  const session = useSession();
  const caps = useCapabilities();
  const ctx = useMemo(() => contextOf(session, patientId, caps.data), [session, patientId, caps.data]);
  return { ctx, ready: caps.isSuccess };
}

function firstLoadQuery(client: QueryClient, session: SmartSession, ctx: WorkspaceContext) {
  return {
    queryKey: fhirKeys.workspaceLoad(session.serverUrl, ctx.patientId),
    queryFn: ({ signal }: { signal: AbortSignal }) => firstLoad(client, session, ctx, signal),
    staleTime: Number.POSITIVE_INFINITY,
  };
}

/**
 * Starts the youth's first load as soon as the session exists, before the workspace has rendered: the
 * batch is then on the wire while React and the screen's code start up (`npm run bench:ui` measures
 * token → interactive). The workspace's own query finds it in flight and waits for it.
 */
export async function prefetchWorkspace(client: QueryClient, session: SmartSession, patientId: string) {
  const caps = await client.fetchQuery(capabilitiesQuery(session));
  await client.prefetchQuery(firstLoadQuery(client, session, contextOf(session, patientId, caps)));
}

async function firstLoad(
  client: QueryClient,
  session: SmartSession,
  ctx: WorkspaceContext,
  signal: AbortSignal,
): Promise<{ requests: number }> {
  // The user and staff parts are the session's: already cached when another youth was opened first.
  const names = PART_NAMES.filter(
    (n) =>
      !SESSION_PARTS.includes(n) || client.getQueryData(keyOfPart(session, ctx.patientId, n)) === undefined,
  );
  const { parts, requests } = await loadParts(session.transport, ctx, signal, names);
  for (const name of names) client.setQueryData(keyOfPart(session, ctx.patientId, name), parts[name]);
  return { requests };
}

function combine(results: UseQueryResult<PartResult<unknown>>[]): Partial<WorkspaceParts> | undefined {
  if (results.some((r) => r.data === undefined)) return undefined;
  return Object.fromEntries(PART_NAMES.map((n, i) => [n, results[i].data])) as WorkspaceParts;
}

export interface WorkspaceQuery {
  data?: Workspace;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => void;
}

export function useWorkspace(): WorkspaceQuery {
  const session = useSession();
  const patientId = usePatientId();
  const client = useQueryClient();
  const { ctx, ready } = useWorkspaceContext(patientId);
  const load = useQuery({ ...firstLoadQuery(client, session, ctx), enabled: ready });
  const parts = useQueries({
    queries: PART_NAMES.map((name) => ({
      queryKey: keyOfPart(session, patientId, name),
      queryFn: ({ signal }: { signal: AbortSignal }) => loadPart(session.transport, name, ctx, signal),
      enabled: load.isSuccess,
      staleTime: Number.POSITIVE_INFINITY,
    })),
    combine,
  });
  // An EHR may open the app on a referral (fhirContext Task/…): that one is shown as current.
  const launchedReferralId = session.fhirContext
    .map((ref) => /^Task\/([^/]+)$/.exec(ref)?.[1])
    .find((id): id is string => id !== undefined);
  const data = useMemo(
    () =>
      parts
        ? {
            ...composeWorkspace(parts as WorkspaceParts, new Date(), session.ehr.timeZone),
            launchedReferralId,
          }
        : undefined,
    [parts, launchedReferralId, session.ehr.timeZone],
  );
  return {
    data,
    isPending: !data && !load.isError,
    isError: load.isError,
    error: load.error,
    refetch: () => void load.refetch(),
  };
}

export interface ContactHistory {
  /** The workspace with every contact once they are read (until then, the ones the workspace holds). */
  ws: Workspace;
  /** The contacts the workspace did not read are on their way. */
  loading: boolean;
  /** While loading: the contacts on their way were sent before this instant (when known). */
  loadingBefore?: string;
  error?: unknown;
  retry: () => void;
}

/**
 * The history screen's contacts: the workspace's when it holds them all (no request), otherwise every
 * contact, read once on opening the history and kept in the cache beside the contacts part.
 */
export function useContactHistory(ws: Workspace): ContactHistory {
  const session = useSession();
  const patientId = usePatientId();
  const { ctx, ready } = useWorkspaceContext(patientId);
  const gap = ws.contactsGap;
  const query = useQuery({
    queryKey: contactHistoryKey(session.serverUrl, patientId),
    queryFn: ({ signal }) => loadContactHistory(session.transport, ctx, signal),
    enabled: gap !== undefined && ready,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const all = gap ? query.data : undefined;
  const full = useMemo(() => {
    if (!all) return ws;
    // The history's read repeats what the windows reported about the contacts they share: listed once.
    const problems = distinctProblems([...ws.problems, ...all.problems]);
    const truncated = all.truncated ? [...new Set([...ws.truncated, 'contacts'])] : ws.truncated;
    return { ...ws, contacts: all.value.list, contactsGap: undefined, problems, truncated };
  }, [ws, all]);
  const missing = gap !== undefined && !all;
  const loading = missing && !query.isError;
  return {
    ws: full,
    loading,
    loadingBefore: loading && gap.before !== UNBOUNDED ? gap.before : undefined,
    error: missing ? (query.error ?? undefined) : undefined,
    retry: () => void query.refetch(),
  };
}
