/**
 * `npm run bundle:shares`: where the JS the workspace needs before it answers goes (issue 38), by chunk and by
 * package, gzip. Builds the app (into a temporary directory) with one extra plugin that reads Rolldown's own
 * per-module output: no visualiser in the build. "What the workspace needs" is what index.html loads and
 * announces as modulepreload: the entry's static imports and the chunks of PRELOADED_MODULES with theirs.
 * A module's share of a chunk is the chunk's gzip size split by each module's own gzip size (modules compress
 * together a little better than alone, so the split is proportional, and the chunk totals are exact).
 * `--json` prints the figures as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Plugin, Rollup } from 'vite';
import { PRELOADED_MODULES } from '../src/config/preloadedChunks';

const byModule = process.argv.includes('--modules');
const gz = (code: string) => gzipSync(code, { level: 9 }).length;

/** `node_modules/<pkg>` (scoped too) for dependencies, else `app: <src folder>`. */
function ownerOf(id: string): string {
  const path = id.replace(/\\/g, '/').replace(/\?.*$/, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const [first, second] = path.slice(nm + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const src = path.indexOf('/src/');
  if (src >= 0) {
    const parts = path.slice(src + 1).split('/');
    return `app: ${parts.slice(0, parts[1] === 'features' || parts[1] === 'fhir' ? 3 : 2).join('/')}`;
  }
  return path.includes('\0') || !path.startsWith('/') ? 'bundler runtime' : path;
}

interface Shares {
  total: number;
  chunks: { file: string; gzip: number }[];
  packages: { name: string; gzip: number }[];
}

function sharesPlugin(into: { value?: Shares }): Plugin {
  return {
    name: 'fst-bundle-shares',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (file: string, into: Set<string>) => {
        if (into.has(file)) return into;
        into.add(file);
        for (const i of byFile.get(file)?.imports ?? []) closure(i, into);
        return into;
      };
      const needed = new Set<string>();
      const entry = chunks.find((c) => c.isEntry && c.facadeModuleId?.endsWith('/index.html'));
      if (!entry) throw new Error('no index.html entry');
      closure(entry.fileName, needed);
      for (const m of PRELOADED_MODULES) {
        const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(m));
        if (!chunk) throw new Error(`no chunk for ${m}`);
        closure(chunk.fileName, needed);
      }
      const packages = new Map<string, number>();
      const list: Shares['chunks'] = [];
      for (const file of needed) {
        const chunk = byFile.get(file);
        if (!chunk) continue;
        const total = gz(chunk.code);
        list.push({ file, gzip: total });
        const modules = Object.entries(chunk.modules)
          .filter(([, m]) => m.code)
          .map(([id, m]) => ({
            owner: byModule
              ? `${file.replace(/-[\w-]{8}\.js$/, '')} ${id.replace(process.cwd(), '')}`
              : ownerOf(id),
            alone: gz(m.code ?? ''),
          }));
        const sum = modules.reduce((t, m) => t + m.alone, 0);
        // What is not a module's code (imports, exports, the bundler's glue) is the chunk's own.
        const glue = Math.max(0, total - sum);
        const scale = sum > total ? total / sum : 1;
        for (const m of modules) packages.set(m.owner, (packages.get(m.owner) ?? 0) + m.alone * scale);
        if (glue) packages.set('bundler glue', (packages.get('bundler glue') ?? 0) + glue);
      }
      into.value = {
        total: list.reduce((t, c) => t + c.gzip, 0),
        chunks: list.sort((a, b) => b.gzip - a.gzip),
        packages: [...packages].map(([name, gzip]) => ({ name, gzip })).sort((a, b) => b.gzip - a.gzip),
      };
    },
  };
}

const outDir = mkdtempSync(join(tmpdir(), 'fst-shares-'));
const result: { value?: Shares } = {};
try {
  await build({ logLevel: 'error', plugins: [sharesPlugin(result)], build: { outDir, emptyOutDir: true } });
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
const shares = result.value;
if (!shares) throw new Error('the build produced no figures');
const kb = (n: number) => (n / 1000).toFixed(1);
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(shares, null, 2)}\n`);
else {
  process.stdout.write(
    `The workspace before it answers: ${kb(shares.total)} kB gzip in ${shares.chunks.length} files\n\n`,
  );
  for (const c of shares.chunks) process.stdout.write(`${kb(c.gzip).padStart(6)} kB  ${c.file}\n`);
  process.stdout.write('\nby package (share of the above)\n');
  for (const p of shares.packages)
    process.stdout.write(
      `${kb(p.gzip).padStart(6)} kB  ${((100 * p.gzip) / shares.total).toFixed(1).padStart(5)} %  ${p.name}\n`,
    );
}
