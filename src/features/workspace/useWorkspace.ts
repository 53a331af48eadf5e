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
import { useCapabilities } from '../../app/useCapabilities';
import type { SmartSession } from '../../fhir/session';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { partKey } from '../../fhir/invalidation';
import { fhirKeys } from '../../fhir/queryKeys';
import type { PartName, PartResult, Workspace, WorkspaceContext, WorkspaceParts } from '../../fhir/workspace';
import {
  composeWorkspace,
  loadPart,
  loadParts,
  PART_NAMES,
  PARTS,
  SESSION_PARTS,
} from '../../fhir/workspace';

export function keyOfPart(session: SmartSession, patientId: string, name: PartName) {
  return SESSION_PARTS.includes(name)
    ? fhirKeys.sessionPart(session.serverUrl, PARTS[name].type, name)
    : partKey(session.serverUrl, patientId, name);
}

function useWorkspaceContext(patientId: string): { ctx: WorkspaceContext; ready: boolean } {
  const session = useSession();
  const caps = useCapabilities();
  const ctx = useMemo(
    () => ({
      patientId,
      user: session.user,
      roleMapping: session.ehr.roles,
      caps: caps.data ?? ASSUMED_CAPABILITIES,
    }),
    [patientId, session.user, session.ehr.roles, caps.data],
  );
  return { ctx, ready: caps.isSuccess };
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
  const load = useQuery({
    queryKey: fhirKeys.workspaceLoad(session.serverUrl, patientId),
    queryFn: ({ signal }) => firstLoad(client, session, ctx, signal),
    enabled: ready,
    staleTime: Number.POSITIVE_INFINITY,
  });
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
    () => (parts ? { ...composeWorkspace(parts as WorkspaceParts), launchedReferralId } : undefined),
    [parts, launchedReferralId],
  );
  return {
    data,
    isPending: !data && !load.isError,
    isError: load.isError,
    error: load.error,
    refetch: () => void load.refetch(),
  };
}
