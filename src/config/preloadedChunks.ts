/**
 * Modules whose chunks index.html announces as modulepreload (vite.config.ts preloadAppChunks), so they download
 * and compile beside the app's script: the launch machinery (fhirclient, zod, the config: the code exchange
 * starts as soon as the script has run, while the first paint waits for none of it) and the workspace screen
 * (its code is ready before the token is, so the youth's first read leaves without waiting for it). Preloaded is
 * not evaluated: none of it runs before the app imports it. `npm run bench` sizes the workspace screen from the
 * same list (issue 25).
 */
export const PRELOADED_MODULES: readonly string[] = [
  'src/fhir/session.ts',
  'src/features/workspace/WorkspacePage.tsx',
];
