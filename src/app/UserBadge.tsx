import { ROLE_LABEL } from '../domain/permissions';
import { useSession } from './SessionContext';
import { useSignedInUser } from './useSignedInUser';

/** Who is signed in, and in which FST role (from fhirUser → Practitioner + PractitionerRole). */
export function UserBadge() {
  const user = useSignedInUser();
  const store = useSession().recordStore;
  if (!user?.name.full) return null;
  const roles = [...user.roles].map((r) => ROLE_LABEL[r]);
  return (
    <span className="user-badge" aria-label="Signed in user">
      <bdi>{user.name.full}</bdi>
      <span className="muted"> · {roles.length ? roles.join(', ') : 'no FST role'}</span>
      {store && <span className="muted"> · FST records in {store.name}</span>}
    </span>
  );
}
