import { spawnSync } from 'node:child_process';

/** The sandbox validates against our profiles: make sure SUSHI's output exists (skips when up to date). */
export default function setup(): void {
  const result = spawnSync(process.execPath, ['scripts/build-profiles.mjs'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('FHIR profiles failed to build');
}
