/** Writes docs/permissions.md from the policy table (src/domain/policy.ts); policy.test.ts keeps them equal. */
import { writeFileSync } from 'node:fs';
import { renderPolicyDoc } from '../src/domain/policy';

writeFileSync(new URL('../docs/permissions.md', import.meta.url), renderPolicyDoc());
process.stdout.write('docs/permissions.md written\n');
