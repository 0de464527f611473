import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { systemClock } from '../clock';
import { openDatabase } from '../db/open';
import { errorToWire } from '../workers/wire-error';
import { EmbeddingSpacesRepo } from '../store/embedding-spaces.repo';
import { libraryVersion } from '../db/library-version';
import { FlatVectorCache } from './flat-vector-cache';
import { nearestCandidates, scansExactly } from './semantic-search';
import {
  indexKey,
  type VectorScanPass,
  type VectorScanReply,
  type VectorScanRequest,
  type VectorScanStart,
} from './vector-scan-protocol';

/**
 * Worker thread entry: a hybrid search's first pass by meaning (the
 * nearest chunks, unfiltered) on a read-only connection of its own, so it
 * runs while the main thread searches by keyword (vector-scan-thread.ts);
 * an exact scan reads the thread's copy of the vectors in memory while the
 * library is as it was copied (flat-vector-cache.ts).
 * At the main thread's priority: it is the search someone waits for. Built
 * as its own entry (`vector-scan.worker.js`), see workers/spawn-worker.ts.
 */
/**
 * Longest wait for a query's vector: it may queue behind a run of indexing
 * work on the model's thread. The search itself stops waiting long before
 * (PASS_TIMEOUT_MS) and scans on its own connection; this only frees the thread.
 */
const VECTOR_WAIT_MS = 30_000;

const port = parentPort;
if (!port) throw new AppError('INTERNAL', 'vector-scan.worker must run as a worker thread.');
const channel = port;

try {
  // The default page cache (32 MiB): it holds the vectors of ~20,000 chunks of 384 dimensions, and a scan
  // reading them from the OS instead (a 2 MiB cache) took 10.0 ms instead of 7.7 at 11,604 chunks.
  const db = openDatabase((workerData as VectorScanStart).file, { migrate: false, readonly: true });
  const spaces = new EmbeddingSpacesRepo(db, systemClock);
  const copies = new FlatVectorCache(db, () =>
    channel.postMessage({ type: 'refresh-wanted' } satisfies VectorScanReply),
  );
  // eslint-disable-next-line no-restricted-syntax -- reads only: the space row and its tables in one snapshot
  const scan = db.transaction((request: VectorScanPass & { vector: Float32Array }): VectorScanReply => {
    const stamp = libraryVersion(db);
    const space = spaces.get(request.spaceId);
    // Answered as any failed pass is, below.
    if (!space) throw new Error(`No embedding space ${request.spaceId}.`);
    const copy = scansExactly(space, request.options)
      ? copies.lookup(space.vectorTable, space.dimensions, stamp)
      : undefined;
    const found = copy
      ? copy.nearest(request.vector, request.k)
      : nearestCandidates(db, space, request.vector, request.k, request.options);
    return { type: 'found', id: request.id, found, index: indexKey(space), fromCopy: copy !== undefined };
  });
  channel.on('message', (request: VectorScanRequest) => {
    if (request.type === 'refresh') {
      copies.refresh();
      channel.postMessage({ type: 'refreshed' } satisfies VectorScanReply);
      return;
    }
    const answer = (vector: Float32Array | Error): void => {
      let reply: VectorScanReply;
      try {
        if (vector instanceof Error) throw vector;
        reply = scan({ ...request, vector });
      } catch (error) {
        reply = { type: 'failed', id: request.id, error: errorToWire(error) };
      }
      channel.postMessage(reply);
    };
    if (request.vector instanceof MessagePort) whenVector(request.vector, answer);
    else answer(request.vector);
  });
  channel.postMessage({ type: 'ready' } satisfies VectorScanReply);
} catch (error) {
  channel.postMessage({ type: 'unavailable', error: errorToWire(error) } satisfies VectorScanReply);
  channel.close();
}

/**
 * Calls `then` once with the vector posted on `port`, or with an error when
 * the port closes without one (the query could not be embedded) or none
 * comes within VECTOR_WAIT_MS: the thread must not stay on a pass forever.
 */
function whenVector(port: MessagePort, then: (vector: Float32Array | Error) => void): void {
  let done = false;
  const settle = (vector: Float32Array | Error) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    port.close();
    then(vector);
  };
  const timer = setTimeout(
    () => settle(new Error(`No query vector came within ${VECTOR_WAIT_MS} ms.`)),
    VECTOR_WAIT_MS,
  );
  port.once('message', (vector: Float32Array) => settle(vector));
  port.once('close', () => settle(new Error('The query was not embedded.')));
}
