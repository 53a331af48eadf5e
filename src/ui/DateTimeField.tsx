import type { ReactNode } from 'react';
import { Field } from './Field';
import { zoneLabel } from './format';

/**
 * A date and time typed in the provider's time zone (what the app stores it in), labelled, with its error
 * above it and the zone said below it — one pattern for every form.
 */
export function DateTimeField({
  label,
  id,
  value,
  onChange,
  timeZone,
  error,
  describedBy,
}: {
  label: string;
  id: string;
  value: string;
  onChange: (value: string) => void;
  timeZone: string;
  /** The field's error element (fieldErrors().error), if any. */
  error?: ReactNode;
  /** The error's id (fieldErrors().described), if any. */
  describedBy?: string;
}) {
  const zoneId = `${id}-zone`;
  return (
    <Field label={label} id={id} error={error}>
      <input
        id={id}
        type="datetime-local"
        value={value}
        aria-describedby={[describedBy, zoneId].filter(Boolean).join(' ')}
        aria-invalid={describedBy !== undefined || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <span className="muted" id={zoneId}>
        Provider time ({zoneLabel(timeZone)})
      </span>
    </Field>
  );
}
