import { afterEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { draftKey, hasAnyDraft, useFormDraft } from './drafts';

const KEY = draftKey('meeting', 'https://ehr.test/fhir', 'Practitioner/fp', 'p1');

function Form({ onSaved }: { onSaved?: () => void }) {
  const saved = useFormDraft(KEY);
  const [requestId] = saved.useField('requestId', () => crypto.randomUUID(), { keep: true });
  const [notes, setNotes] = saved.useField('notes', '');
  const [present, setPresent] = saved.useField<Set<string>>('present', new Set());
  return (
    <form aria-label="Meeting">
      <label>
        Notes
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <label>
        Mother present
        <input
          type="checkbox"
          checked={present.has('RelatedPerson/m')}
          onChange={(e) => setPresent(new Set(e.target.checked ? ['RelatedPerson/m'] : []))}
        />
      </label>
      <output>{requestId}</output>
      <button
        type="button"
        onClick={() => {
          saved.clear();
          onSaved?.();
        }}
      >
        Save
      </button>
    </form>
  );
}

afterEach(() => sessionStorage.clear());

describe('form drafts', () => {
  it('bring back what was typed after a remount (reload, Back), with the same idempotency key', async () => {
    const user = userEvent.setup();
    const first = render(<Form />);
    expect(hasAnyDraft()).toBe(false);
    await user.type(screen.getByLabelText('Notes'), 'CPT agreed a new school plan');
    await user.click(screen.getByLabelText('Mother present'));
    const id = screen.getByRole('status').textContent;
    first.unmount();
    expect(hasAnyDraft()).toBe(true);
    render(<Form />);
    expect(screen.getByLabelText<HTMLInputElement>('Notes').value).toBe('CPT agreed a new school plan');
    expect(screen.getByLabelText<HTMLInputElement>('Mother present').checked).toBe(true);
    expect(screen.getByRole('status').textContent).toBe(id);
  });

  it('are gone after the save, and leaving then asks nothing', async () => {
    const user = userEvent.setup();
    const view = render(<Form />);
    await user.type(screen.getByLabelText('Notes'), 'x');
    const ask = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(ask);
    expect(ask.defaultPrevented).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(hasAnyDraft()).toBe(false);
    const after = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
    view.unmount();
    render(<Form />);
    expect(screen.getByLabelText<HTMLInputElement>('Notes').value).toBe('');
  });

  it('ignore a stored value that does not fit the field', () => {
    sessionStorage.setItem(KEY, JSON.stringify({ notes: 42, present: 'not a list' }));
    render(<Form />);
    expect(screen.getByLabelText<HTMLInputElement>('Notes').value).toBe('');
    expect(screen.getByLabelText<HTMLInputElement>('Mother present').checked).toBe(false);
  });

  it('are never another user’s', async () => {
    const user = userEvent.setup();
    const view = render(<Form />);
    await user.type(screen.getByLabelText('Notes'), 'mine');
    view.unmount();
    expect(draftKey('meeting', 'https://ehr.test/fhir', 'Practitioner/other', 'p1')).not.toBe(KEY);
    expect(
      sessionStorage.getItem(draftKey('meeting', 'https://ehr.test/fhir', 'Practitioner/other', 'p1')),
    ).toBeNull();
  });
});
