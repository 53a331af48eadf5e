/**
 * Which server the launch is waiting for, so the waiting screen names it (issue 36): the EHR first (the code
 * exchange, its CapabilityStatement), then — where config.json has a `recordStore` — the agency's store (the
 * token exchange). One value per page load; React reads it with useSyncExternalStore.
 */
export interface LaunchStep {
  /** The server being waited for, as the user knows it; undefined: the EHR. */
  waitingFor?: string;
}

let current: LaunchStep = {};
const listeners = new Set<() => void>();

export function reportLaunchStep(step: LaunchStep): void {
  current = step;
  for (const listener of listeners) listener();
}

export function launchStep(): LaunchStep {
  return current;
}

export function subscribeLaunchStep(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
