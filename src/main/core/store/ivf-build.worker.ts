import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { systemClock } from '../clock';
import { openDatabase } from '../db/open';
import { lowerThreadPriority } from '../workers/thread-priority';
import { rebuildInSteps } from './ivf-rebuild';
import { errorToWire } from '../workers/wire-error';
import type { IvfBuildOutcome, IvfBuildReply, IvfBuildRequest } from './ivf-build-protocol';
import type { IvfBuildProgress } from './ivf-index';

/**
 * Worker thread entry: builds a space's next fast-search index generation
 * (store/ivf-rebuild.ts) on connections of its own, below the main
 * thread's CPU priority, tells how far it is a few times a second, and
 * replies once with the outcome. Built as its own entry
 * (`ivf-build.worker.js`), see workers/spawn-worker.ts.
 */
const port = parentPort;
if (!port) throw new AppError('INTERNAL', 'ivf-build.worker must run as a worker thread.');
lowerThreadPriority();

/** At most one progress message every PROGRESS_EVERY_MS within a stage, and the first of each at once. */
const PROGRESS_EVERY_MS = 250;

let reply: IvfBuildOutcome;
try {
  reply = build(workerData as IvfBuildRequest, (progress) =>
    port.postMessage({ type: 'progress', progress } satisfies IvfBuildReply),
  );
} catch (error) {
  // Opening the library can fail too (a disk gone, an I/O error): the reply says so, with its code.
  reply = { type: 'failed', error: errorToWire(error) };
}
port.postMessage(reply);

function throttled(report: (progress: IvfBuildProgress) => void): (progress: IvfBuildProgress) => void {
  let last = { stage: '', at: 0 };
  return (progress) => {
    const now = performance.now();
    if (progress.stage === last.stage && now - last.at < PROGRESS_EVERY_MS) return;
    last = { stage: progress.stage, at: now };
    report(progress);
  };
}

function build(request: IvfBuildRequest, tell: (progress: IvfBuildProgress) => void): IvfBuildOutcome {
  const writer = openDatabase(request.file, { migrate: false, busyTimeoutMs: request.busyTimeoutMs });
  try {
    // The reader's one long scan sorts the vectors in SQLite's sorter, not its page cache.
    const reader = openDatabase(request.file, { migrate: false, readonly: true, cacheKib: 2048 });
    try {
      const report = rebuildInSteps(writer, reader, systemClock, request.spaceId, {
        lists: request.lists,
        expectedVectors: request.expectedVectors,
        progress: throttled(tell),
      });
      return report ? { type: 'built', report } : { type: 'superseded' };
    } finally {
      reader.close();
    }
  } finally {
    writer.close();
  }
}
