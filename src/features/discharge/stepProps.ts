import type { ReactNode } from 'react';
import type { DischargeDraft, DischargeField } from '../../domain/discharge';
import type { DischargeSetting } from './dischargeSetting';

/** What each step of the discharge wizard is given: the draft and its setter, and the shown errors. */
export interface StepProps {
  draft: DischargeDraft;
  set: (patch: Partial<DischargeDraft>) => void;
  setting: DischargeSetting;
  fieldId: (field: DischargeField) => string;
  /** The field's error element, when it has one shown. */
  error: (field: DischargeField) => ReactNode;
  /** The id of the field's error, for aria-describedby. */
  described: (field: DischargeField) => string | undefined;
}
