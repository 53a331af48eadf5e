import { Link } from 'wouter';

/**
 * A form's footer: the submit button (disabled and saying so while the save is on its way, so a second
 * press never sends twice) and Cancel, a link that looks secondary to it. One pattern for every form.
 */
export function FormActions({
  label,
  pending,
  pendingLabel = 'Saving…',
  cancelHref,
  onCancel,
}: {
  label: string;
  pending: boolean;
  pendingLabel?: string;
  /** Where Cancel goes (a wouter href); without it, no Cancel. */
  cancelHref?: string;
  /** The form keeps a draft (src/ui/drafts.ts): Cancel discards it, and the footer says so. */
  onCancel?: () => void;
}) {
  return (
    <>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? pendingLabel : label}
        </button>
        {cancelHref !== undefined && (
          <Link href={cancelHref} className="button-link secondary" onClick={onCancel}>
            Cancel
          </Link>
        )}
      </div>
      {onCancel && <p className="muted">What you type is kept in this tab until it is saved or cancelled.</p>}
    </>
  );
}
