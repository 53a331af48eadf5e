import type { ReactNode } from 'react';

/** A labelled form control with its error above it (the error's id is the control's aria-describedby). */
export function Field({
  label,
  id,
  error,
  children,
}: {
  label: string;
  id: string;
  error: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {error}
      {children}
    </div>
  );
}
