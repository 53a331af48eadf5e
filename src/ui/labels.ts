/** Words for the codes the app shows, in one place. */
import type { ContactMethod, ReferralStage } from '../domain/model';

export const METHOD_LABEL: Record<ContactMethod, string> = {
  phone: 'Phone',
  'face-to-face': 'Face-to-face',
  video: 'Telehealth video',
  other: 'Other',
};

export const STAGE_LABEL: Record<ReferralStage, string> = {
  referred: 'Referred — awaiting first contact',
  contacted: 'Caregiver contacted',
  waitlisted: 'Waitlisted',
  active: 'Receiving services',
  stopped: 'Stopped without notice',
  discharged: 'Discharged',
  declined: 'Referral declined',
  cancelled: 'Referral cancelled',
};

/** FST contact purposes (fst-contact-purpose). */
export const PURPOSE_LABEL: Record<string, string> = {
  educating: 'Educating',
  supporting: 'Supporting',
  coaching: 'Coaching',
  modeling: 'Modeling',
  guiding: 'Guiding',
  'system-navigation': 'System navigation',
  'peer-support-linkage': 'Linkage to peer support',
  'community-resources': 'Community resources',
  crisis: 'Crisis',
};
