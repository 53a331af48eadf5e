/**
 * The built app served by `vite preview` for the browser benches (bench:ui, profile:ui), accepting one sandbox
 * as its EHR (vite.config.ts localConfig), answered before this resolves.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export async function startAppPreview(options: {
  port: number;
  /** The sandbox's FHIR base, accepted as an EHR. */
  fhirBase: string;
  /** The build to serve (dist/ when absent). */
  outDir?: string;
}): Promise<ChildProcess> {
  const preview = spawn(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'preview',
      '--port',
      String(options.port),
      '--strictPort',
      ...(options.outDir ? ['--outDir', options.outDir] : []),
    ],
    {
      stdio: 'ignore',
      env: { ...process.env, APP_PORT: String(options.port), LOCAL_SANDBOXES: options.fhirBase },
    },
  );
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`http://localhost:${options.port}/launch.html`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return preview;
}
