/**
 * Step 2 of the discharge wizard: the caregiver's consent to share the plan, and the caregiver's signature
 * (typed, drawn, or — for a family that stopped without notice — none, with the reason).
 */
import { lazy, Suspense, useId } from 'react';
import type { ReactNode } from 'react';
import type { PointGroup } from 'signature_pad';
import { hasConsent, stoppedWithoutNotice } from '../../domain/discharge';
import type { DrawnSignature } from './SignatureCanvas';
import type { StepProps } from './stepProps';

const SignatureCanvas = lazy(() => import('./SignatureCanvas').then((m) => ({ default: m.SignatureCanvas })));

export type SignMode = 'draw' | 'type' | 'none' | 'remote';

export function SignStep({
  draft,
  set,
  setting,
  error,
  fieldId,
  described,
  consentUnknown,
  recipients,
  caregiverName,
  signMode,
  onSignMode,
  strokes,
  onStrokes,
  remote,
}: StepProps & {
  /** The consents on file could not be read. */
  consentUnknown: boolean;
  recipients: readonly { name: string }[];
  caregiverName?: string;
  /** Kept by the wizard, so that going back a step and returning keeps the drawing. */
  signMode: SignMode;
  onSignMode: (mode: SignMode) => void;
  strokes: PointGroup[];
  onStrokes: (strokes: PointGroup[]) => void;
  /** "Sign on her phone" (issue 39): its panel, when she has a record of her own to send it to. */
  remote?: ReactNode;
}) {
  const id = useId();
  const noNotice = stoppedWithoutNotice(draft);
  return (
    <>
      {signMode === 'remote' ? (
        <fieldset id={fieldId('consent')} aria-describedby={described('consent')}>
          <legend>Consent to share the plan</legend>
          <p>She chooses on her phone with whom the plan is shared, one by one, before she signs.</p>
          <p className="muted">
            {hasConsent(draft, setting.ctx)
              ? `The plan goes to: ${recipients.map((r) => r.name).join(', ')}.`
              : 'Until she agrees to share it, the plan goes to her only.'}
          </p>
        </fieldset>
      ) : (
        <fieldset id={fieldId('consent')} aria-describedby={described('consent')}>
          <legend>Consent to share the plan</legend>
          {error('consent')}
          {consentUnknown && (
            <p className="muted">
              Consents on file could not be checked; record the caregiver's consent now if given.
            </p>
          )}
          {setting.ctx.consentOnFile && (
            <label className="check">
              <input
                type="radio"
                name={`${id}-consent`}
                checked={draft.consent === 'on-file'}
                onChange={() => set({ consent: 'on-file' })}
              />
              Consent on file: share as ticked in step 1
            </label>
          )}
          <label className="check">
            <input
              type="radio"
              name={`${id}-consent`}
              checked={draft.consent === 'given-now'}
              onChange={() => set({ consent: 'given-now' })}
            />
            The caregiver consents now to share the plan with the recipients ticked in step 1
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${id}-consent`}
              checked={draft.consent === 'not-given'}
              onChange={() => set({ consent: 'not-given' })}
            />
            No consent: the caregiver only
          </label>
          <p className="muted">
            {hasConsent(draft, setting.ctx)
              ? `The plan goes to: ${recipients.map((r) => r.name).join(', ')}.`
              : 'Without consent the plan goes to the caregiver only.'}
          </p>
        </fieldset>
      )}
      <fieldset id={fieldId('signature')} aria-describedby={described('signature')}>
        <legend>Caregiver signature{caregiverName ? `: ${caregiverName}` : ''}</legend>
        {error('signature')}
        <div className="checks-inline">
          {(
            [
              ['type', 'Typed signature'],
              ['draw', 'Draw the signature'],
              ...(remote ? ([['remote', 'She signs on her own phone']] as const) : []),
              ...(noNotice ? ([['none', 'No signature']] as const) : []),
            ] as const
          ).map(([mode, label]) => (
            <label key={mode} className="check inline">
              <input
                type="radio"
                name={`${id}-sign`}
                checked={signMode === mode}
                onChange={() => {
                  onSignMode(mode);
                  set({
                    signature:
                      mode === 'type'
                        ? { kind: 'typed', typedName: '', confirmed: false }
                        : mode === 'none'
                          ? { kind: 'unsigned', reason: '' }
                          : mode === 'remote'
                            ? { kind: 'remote', request: '', sentContent: '' }
                            : undefined,
                  });
                  onStrokes([]);
                }}
              />
              {label}
            </label>
          ))}
        </div>
        {signMode === 'type' && (
          <div className="form-grid">
            <label>
              Typed name
              <input
                value={draft.signature?.kind === 'typed' ? draft.signature.typedName : ''}
                autoComplete="off"
                onChange={(e) =>
                  set({
                    signature: {
                      kind: 'typed',
                      typedName: e.target.value,
                      confirmed: draft.signature?.kind === 'typed' && draft.signature.confirmed,
                    },
                  })
                }
              />
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.signature?.kind === 'typed' && draft.signature.confirmed}
                onChange={(e) =>
                  set({
                    signature: {
                      kind: 'typed',
                      typedName: draft.signature?.kind === 'typed' ? draft.signature.typedName : '',
                      confirmed: e.target.checked,
                    },
                  })
                }
              />
              I confirm this is my signature
            </label>
          </div>
        )}
        {signMode === 'draw' && (
          <Suspense fallback={<p role="status">Loading the signature pad…</p>}>
            <SignatureCanvas
              label="Signature area: the caregiver signs here with a finger, stylus or mouse"
              initial={strokes}
              onChange={(s: DrawnSignature) => {
                onStrokes(s.strokes);
                set({ signature: s.png ? { kind: 'drawn', png: s.png } : undefined });
              }}
            />
          </Suspense>
        )}
        {signMode === 'remote' && remote}
        {signMode === 'none' && (
          <label>
            Why the caregiver did not sign
            <textarea
              rows={2}
              value={draft.signature?.kind === 'unsigned' ? draft.signature.reason : ''}
              onChange={(e) => set({ signature: { kind: 'unsigned', reason: e.target.value } })}
            />
          </label>
        )}
      </fieldset>
    </>
  );
}
