import type { Worker, WorkerOptions } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn-worker';

/**
 * Starts a parse worker thread (`parse.worker.ts` from source, or
 * `parse.worker.js` next to the main bundle; see `spawnWorker`).
 *
 * Build requirement: electron-vite's main config must emit
 * `src/main/core/ingest/parse.worker.ts` as a separate entry named
 * `parse.worker`, e.g. `build.rollupOptions.input: { index: 'src/main/index.ts',
 * 'parse.worker': 'src/main/core/ingest/parse.worker.ts' }`.
 */
export function startParseWorker(options: WorkerOptions = {}): Worker {
  return spawnWorker('parse.worker', import.meta.url, options);
}
