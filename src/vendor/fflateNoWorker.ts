/**
 * fflate without Web Workers. png-js (pdfkit's PNG reader) inflates with fflate's asynchronous `unzlib`,
 * which starts a Worker from a blob: URL — refused by our Content Security Policy (no `worker-src blob:`),
 * and the PDF would never finish. A signature PNG is a few KB: inflating it synchronously costs nothing.
 * vite.config.ts points `fflate` here; everything else is fflate's own.
 */
import { unzlibSync } from 'fflate/browser';
import type { AsyncUnzlibOptions, FlateCallback } from 'fflate/browser';

export * from 'fflate/browser';

export function unzlib(
  data: Uint8Array,
  opts: AsyncUnzlibOptions | FlateCallback,
  cb?: FlateCallback,
): () => void {
  const done = (typeof opts === 'function' ? opts : cb) as FlateCallback;
  const options = typeof opts === 'function' ? {} : opts;
  let result: ReturnType<typeof unzlibSync>;
  try {
    result = unzlibSync(data, options);
  } catch (err) {
    // fflate reports errors to the callback, never by throwing.
    queueMicrotask(() => done(err as Parameters<FlateCallback>[0], new Uint8Array(0)));
    return () => undefined;
  }
  queueMicrotask(() => done(null, result as Parameters<FlateCallback>[1]));
  return () => undefined;
}
