import { draftsOutliveTab, hasAnyDraft } from './drafts';

/**
 * What an ended sign-in (the EHR's or the record store's) means for what was typed: one sentence for the banner
 * and for every form's failed save, so the two never disagree (issue 36).
 */
export function sessionEndedAdvice(): string {
  if (!hasAnyDraft()) return 'Nothing more can be saved in this session; the screen stays as it was.';
  return draftsOutliveTab()
    ? 'Nothing more can be saved in this session. What you typed is kept, encrypted on this device for a day: relaunch FST Companion from your EHR on this youth, in this tab or a new one, and the form will be waiting.'
    : 'Nothing more can be saved in this session. What you typed is kept in this tab only: a relaunch that opens a new tab will not find it, so copy what you need before relaunching.';
}
