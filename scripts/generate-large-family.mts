/** `node --import tsx scripts/generate-large-family.mts <folder> [contacts]`: writes the benchmark family as Bundles for SANDBOX_DATA. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLargeFamily } from '../sandbox/data/largeFamily';

const [out = 'large-family', count = '10000'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const bundles = buildLargeFamily(new Date(), Number(count));
bundles.forEach((b, i) => writeFileSync(join(out, `${String(i).padStart(4, '0')}.json`), JSON.stringify(b)));
process.stdout.write(`Wrote ${bundles.length} bundles to ${out}/ (load with SANDBOX_DATA=${out})\n`);
