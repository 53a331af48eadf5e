/**
 * A link as a QR code, for the Family Partner to show her on the spot (the sandbox's link sender only shows the
 * link). Drawn as one SVG path from the code's modules, never as markup from a string; `uqr` loads with this
 * chunk only, when a link is shown.
 */
import { encode } from 'uqr';

export default function LinkQr({ text, label }: { text: string; label: string }) {
  const { data } = encode(text, { ecc: 'M', border: 2 });
  const size = data.length;
  let d = '';
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    }),
  );
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${size} ${size}`}
      width={Math.min(240, size * 5)}
      height={Math.min(240, size * 5)}
      shapeRendering="crispEdges"
      className="link-qr"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
