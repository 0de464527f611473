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

/**
 * Starts a parse worker for OCR: the same entry, at the lowest CPU priority
 * its platform lets a thread lower itself to, so that reading scans never
 * slows the indexing of text documents or searches (see thread-priority.ts).
 */
export function startOcrWorker(options: WorkerOptions = {}): Worker {
  return startParseWorker({ ...options, workerData: { lowPriority: true } });
}
