/**
 * The agency's crisis lines, built into the caregiver's pages from config.json (the first EHR's `crisis`,
 * vite.config.ts `__FST_CRISIS__`): they are there even when the connection is gone.
 */
export interface CrisisNumber {
  label: string;
  tel: string;
  when?: string;
  es?: { label?: string; when?: string };
}

declare const __FST_CRISIS__: readonly CrisisNumber[];

export const CRISIS_NUMBERS: readonly CrisisNumber[] =
  typeof __FST_CRISIS__ === 'undefined'
    ? [{ label: '988 Suicide & Crisis Lifeline', tel: '988' }]
    : __FST_CRISIS__;
