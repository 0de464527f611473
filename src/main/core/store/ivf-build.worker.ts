import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { systemClock } from '../clock';
import { openDatabase } from '../db/open';
import { lowerThreadPriority } from '../workers/thread-priority';
import { rebuildInSteps } from './ivf-rebuild';
import { errorToWire, type IvfBuildReply, type IvfBuildRequest } from './ivf-build-protocol';

/**
 * Worker thread entry: builds a space's next fast-search index generation
 * (store/ivf-rebuild.ts) on connections of its own, below the main
 * thread's CPU priority, and replies once. Built as its own entry
 * (`ivf-build.worker.js`), see workers/spawn-worker.ts.
 */
const port = parentPort;
if (!port) throw new AppError('INTERNAL', 'ivf-build.worker must run as a worker thread.');
lowerThreadPriority();

let reply: IvfBuildReply;
try {
  reply = build(workerData as IvfBuildRequest);
} catch (error) {
  // Opening the library can fail too (a disk gone, an I/O error): the reply says so, with its code.
  reply = { type: 'failed', error: errorToWire(error) };
}
port.postMessage(reply);

function build(request: IvfBuildRequest): IvfBuildReply {
  const writer = openDatabase(request.file, { migrate: false, busyTimeoutMs: request.busyTimeoutMs });
  try {
    // The reader's one long scan sorts the vectors in SQLite's sorter, not its page cache.
    const reader = openDatabase(request.file, { migrate: false, readonly: true, cacheKib: 2048 });
    try {
      const report = rebuildInSteps(writer, reader, systemClock, request.spaceId, { lists: request.lists });
      return report ? { type: 'built', report } : { type: 'superseded' };
    } finally {
      reader.close();
    }
  } finally {
    writer.close();
  }
}
