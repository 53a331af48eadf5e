// Entry of the bench:ui sandbox worker: Node 20 loads a worker's entry before `--import` hooks apply, so
// the worker registers tsx itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./benchSandboxWorker.mts');
