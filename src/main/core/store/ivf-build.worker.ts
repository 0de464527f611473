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

const request = workerData as IvfBuildRequest;
const writer = openDatabase(request.file, { migrate: false, busyTimeoutMs: request.busyTimeoutMs });
// The reader's one long scan sorts the vectors in SQLite's sorter, not its page cache.
const reader = openDatabase(request.file, { migrate: false, readonly: true, cacheKib: 2048 });
let reply: IvfBuildReply;
try {
  const built = rebuildInSteps(writer, reader, systemClock, request.spaceId, { lists: request.lists });
  reply = built ? { type: 'built', report: built.report } : { type: 'superseded' };
} catch (error) {
  reply = { type: 'failed', error: errorToWire(error) };
} finally {
  reader.close();
  writer.close();
}
port.postMessage(reply);
