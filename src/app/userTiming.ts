/**
 * User Timing marks (the browser's performance timeline), read by `npm run bench:ui` and by any
 * real-user monitoring an EHR runs. Names only: no patient data ever goes into a mark.
 */
export const MARKS = {
  /** The workspace is on screen with the family's record and its controls work. */
  workspaceInteractive: 'fst:workspace-interactive',
  /** The caseload table is on screen with the families read and its controls work. */
  caseloadInteractive: 'fst:caseload-interactive',
} as const;

/** Marks the first time only: later renders of the same page are not the moment it became usable. */
export function markOnce(name: string): void {
  if (typeof performance === 'undefined' || performance.getEntriesByName(name, 'mark').length) return;
  performance.mark(name);
}
