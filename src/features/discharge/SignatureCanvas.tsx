/**
 * The caregiver's drawn signature: signature_pad (touch, stylus, mouse) wrapped for React. A resize
 * clears a canvas, so the strokes are kept and redrawn; they also survive leaving the step. Loaded lazily
 * (signature_pad is not in the initial bundle). Keyboard users sign with the typed attestation instead.
 */
import { useEffect, useRef } from 'react';
import SignaturePad from 'signature_pad';
import type { PointGroup } from 'signature_pad';

export interface DrawnSignature {
  /** PNG, base64 without the data-URL prefix; undefined when empty. */
  png?: string;
  strokes: PointGroup[];
}

export function SignatureCanvas({
  label,
  initial,
  onChange,
}: {
  label: string;
  initial?: PointGroup[];
  onChange: (value: DrawnSignature) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  });

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const signature = new SignaturePad(el, {
      penColor: '#111',
      // An opaque background: the PNG reads on any page, printed or dark.
      backgroundColor: 'rgb(255, 255, 255)',
    });
    pad.current = signature;
    const report = () =>
      changed.current({
        png: signature.isEmpty() ? undefined : signature.toDataURL('image/png').split(',')[1],
        strokes: signature.toData(),
      });
    const fit = () => {
      const strokes = signature.toData();
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      el.width = el.offsetWidth * ratio;
      el.height = el.offsetHeight * ratio;
      el.getContext('2d')?.scale(ratio, ratio);
      signature.clear();
      signature.fromData(strokes);
    };
    fit();
    if (initial?.length) signature.fromData(initial);
    signature.addEventListener('endStroke', report);
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => {
      observer.disconnect();
      signature.removeEventListener('endStroke', report);
      signature.off();
    };
    // The initial strokes are read once, when the pad is made.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="signature-pad">
      <canvas ref={canvas} role="img" aria-label={label} />
      <button
        type="button"
        className="secondary"
        onClick={() => {
          pad.current?.clear();
          changed.current({ png: undefined, strokes: [] });
        }}
      >
        Clear the signature
      </button>
    </div>
  );
}
