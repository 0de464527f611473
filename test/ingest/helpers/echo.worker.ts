import { parentPort } from 'node:worker_threads';
import { describeRuntime } from './echo-runtime';

// A TypeScript worker that imports another TypeScript module without an
// extension: it only loads if spawnWorker registered tsx for the thread.
parentPort?.on('message', (value: string) => {
  parentPort?.postMessage(`${describeRuntime()}:${value}`);
});
