/**
 * The moment the pinned sandbox builds its demo data around (SANDBOX_NOW): Wednesday Nov 18, 21:00 in
 * Massachusetts, already Thursday in UTC, the hour at which UTC-anchored days used to be off by one.
 * Specs that set the browser's clock run against it at several times of that day.
 */
export const PINNED_NOW = '2026-11-19T02:00:00Z';
