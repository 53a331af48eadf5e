import type { ReactNode } from 'react';

/** A labelled form control with its error above it (the error's id is the control's aria-describedby). */
export function Field({
  label,
  id,
  error,
  wide = false,
  children,
}: {
  label: string;
  id: string;
  error: ReactNode;
  /** Spans the form's width (a note). */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? 'field block' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {error}
      {children}
    </div>
  );
}
