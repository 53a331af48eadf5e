/** Writes the scope tables of docs/ehr-registration.md from src/config/config.ts; scopeDoc.test.ts keeps them equal. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withScopeTables } from '../src/config/scopeDoc';

const file = new URL('../docs/ehr-registration.md', import.meta.url);
writeFileSync(file, withScopeTables(readFileSync(file, 'utf8')));
process.stdout.write('docs/ehr-registration.md scope tables written\n');
