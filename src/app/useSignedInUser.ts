import { useQuery } from '@tanstack/react-query';
import type { AppUser, UserKind } from '../domain/permissions';
import { fhirKeys, USER_PART_TYPE } from '../fhir/queryKeys';
import type { PartResult, SignedInUser } from '../fhir/workspace';
import { useSession } from './SessionContext';
import { useCapabilities } from './useCapabilities';

/**
 * The signed-in user with their FST roles. Shares its cache key with the workspace's user part: a
 * youth's first load fills it, and the caseload reads it itself.
 */
export function useSignedInUser(): SignedInUser | undefined {
  return useSignedInUserState().user;
}

/** The signed-in user, and whether reading them has finished (a user record may be unreadable). */
export function useSignedInUserState(): { user?: SignedInUser; settled: boolean } {
  const session = useSession();
  const caps = useCapabilities();
  const query = useQuery<PartResult<SignedInUser | null>>({
    queryKey: fhirKeys.sessionPart(session.serverUrl, USER_PART_TYPE, 'user'),
    // Imported here, not above: the header must not pull the workspace's readers into the first paint.
    queryFn: async ({ signal }) => {
      const [{ loadPart }, { ASSUMED_CAPABILITIES }] = await Promise.all([
        import('../fhir/workspace'),
        import('../fhir/capabilities'),
      ]);
      return loadPart(
        session.transport,
        'user',
        {
          patientId: '',
          user: session.user,
          roleMapping: session.ehr.roles,
          caps: caps.data ?? ASSUMED_CAPABILITIES,
        },
        signal,
      );
    },
    // On a youth's screens the workspace's first load brings the user; elsewhere it is read here.
    enabled: caps.isSuccess && !session.patientId,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return { user: query.data?.value ?? undefined, settled: !query.isPending || query.fetchStatus === 'idle' };
}

/** The user the permission rules judge; without a readable user record, a user with no FST role. */
export function appUserOf(session: { user?: { resourceType: string; id: string } }, user?: AppUser): AppUser {
  if (user) return user;
  const kind = (session.user?.resourceType ?? 'unknown') as UserKind;
  return {
    kind,
    references: session.user ? [`${session.user.resourceType}/${session.user.id}`] : [],
    roles: new Set(),
  };
}
