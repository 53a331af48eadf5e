// npm run model -- --runs N [--seed S]: the episode's model-based test (sandbox/episode.model.test.ts), longer and
// with a random seed. fast-check shrinks a failure and prints the shortest failing sequence of steps it found.
import { spawnSync } from 'node:child_process';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = arg('runs') ?? '1000';
const seed = arg('seed') ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`model: ${runs} sequences, seed ${seed} (repeat with --seed ${seed})`);
const result = spawnSync('npx', ['vitest', 'run', 'sandbox/episode.model.test.ts', '--testTimeout=0'], {
  stdio: 'inherit',
  env: { ...process.env, MODEL_RUNS: runs, MODEL_SEED: seed },
});
process.exit(result.status ?? 1);
