import { useSyncExternalStore } from 'react';
import type { StoreStatus } from '../fhir/recordRouter';
import { useSession } from './SessionContext';

const REACHABLE: StoreStatus = { reachable: true };
const noSubscription = () => () => undefined;
const alwaysReachable = () => REACHABLE;

/**
 * Whether the agency's FST record store answers, as this session last saw it; undefined where the EHR holds
 * every record (no store configured).
 */
export function useStoreStatus(): (StoreStatus & { name: string }) | undefined {
  const store = useSession().recordStore;
  const router = store?.router;
  const status = useSyncExternalStore(
    router?.subscribeStore ?? noSubscription,
    router?.storeStatus ?? alwaysReachable,
  );
  return store ? { ...status, name: store.name } : undefined;
}
