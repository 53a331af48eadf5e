import { useWorkspace } from '../features/workspace/useWorkspace';

/** Who is signed in, and in which role (from fhirUser → Practitioner + PractitionerRole). */
export function UserBadge() {
  const { data } = useWorkspace();
  if (!data?.user) return null;
  return (
    <span className="user-badge" aria-label="Signed in user">
      {data.user.name.full}
      {data.user.roles.length > 0 && <span className="muted"> · {data.user.roles.join(', ')}</span>}
    </span>
  );
}
