/**
 * The forms' error summary and per-field errors, one pattern everywhere: the summary lists each problem as a
 * link to its field and takes the focus; each field shows its message above it, tied by aria-describedby.
 */
import type { Ref } from 'react';
import type { FieldProblem } from '../domain/model';

export type { FieldProblem };

export function ErrorSummary<F extends string>({
  problems,
  labels,
  fieldId,
  focusRef,
  when = 'before saving',
}: {
  problems: readonly FieldProblem<F>[];
  labels: Record<F, string>;
  fieldId: (field: F) => string;
  /** Where the form puts the focus after a failed submit (not `ref`: a plain prop on every runtime). */
  focusRef?: Ref<HTMLDivElement>;
  /** "before saving", or nothing for a step of a wizard. */
  when?: string;
}) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="alert alert-error error-summary" tabIndex={-1} ref={focusRef}>
      <strong>
        Check {problems.length} {problems.length === 1 ? 'item' : 'items'}
        {when ? ` ${when}` : ''}:
      </strong>
      <ul>
        {problems.map((p) => (
          <li key={p.field}>
            <a href={`#${fieldId(p.field)}`}>
              {labels[p.field]}: {p.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * `error(field)`: the message element; `described(field)`: its id for aria-describedby, when there is one;
 * `invalid(field)`: the control's aria-invalid (true, or absent).
 */
export function fieldErrors<F extends string>(
  problems: readonly FieldProblem<F>[],
  fieldId: (field: F) => string,
) {
  const messageOf = (f: F) => problems.find((p) => p.field === f)?.message;
  return {
    error: (f: F) => {
      const message = messageOf(f);
      return message ? (
        <p className="field-error" id={`${fieldId(f)}-error`}>
          {message}
        </p>
      ) : null;
    },
    described: (f: F) => (messageOf(f) ? `${fieldId(f)}-error` : undefined),
    invalid: (f: F) => (messageOf(f) ? true : undefined),
  };
}
