/**
 * `node --import tsx scripts/generate-agency.mts <folder> [families]`: writes a synthetic agency (default 300
 * families over two years) as transaction Bundles for SANDBOX_DATA, to try the caseload at scale by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAgency } from '../sandbox/data/agency';
import { putTransactions } from '../sandbox/data/bundles';

const [out = 'agency', families = '300'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const bundles = putTransactions(buildAgency(new Date(), { families: Number(families) }));
bundles.forEach((b, i) => writeFileSync(join(out, `${String(i).padStart(4, '0')}.json`), JSON.stringify(b)));
process.stdout.write(`Wrote ${bundles.length} bundles to ${out}/ (load with SANDBOX_DATA=${out})\n`);
