import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { spawnWorker } from '../workers/spawn-worker';
import { EmbeddingSpacesRepo } from './embedding-spaces.repo';
import { errorFromWire } from '../workers/wire-error';
import type { IvfBuildReply, IvfBuildRequest } from './ivf-build-protocol';
import type { IvfBuildProgress, IvfBuildReport } from './ivf-index';

/**
 * How long the build's short writes wait for everyone else's. Long: the
 * build is background work, and a wait costs the app nothing (unlike the
 * app's own 5 s, which its main thread spends blocked).
 */
const BUILD_BUSY_TIMEOUT_MS = 60_000;

export interface RebuildOptions {
  /** Overrides the planned list count (tests). */
  lists?: number;
  /** Stops the build (the queue's job signal): its thread ends, and what it wrote is cleared by the next build. */
  signal?: AbortSignal;
  /** The space's vector count when the build was planned: lets progress say "of N" while it copies. */
  expectedVectors?: number;
  /** Told as the build goes, a few times a second at most (not for an in-memory library, built at once). */
  onProgress?: (progress: IvfBuildProgress) => void;
}

/**
 * Builds a space's next fast-search index generation and switches search to
 * it. On a library file this runs in a worker thread, in steps
 * (store/ivf-rebuild.ts), so the app's main thread never waits for it and
 * its writes at most a few tens of milliseconds; an in-memory library
 * (tests) cannot be opened from another thread and is built in one
 * transaction here. Resolves with null when quantisation was turned off or
 * another build began meanwhile.
 */
export function rebuildQuantizedIndex(
  db: Database,
  clock: Clock,
  spaceId: number,
  options: RebuildOptions = {},
): Promise<IvfBuildReport | null> {
  if (options.signal?.aborted) return Promise.reject(stopped());
  if (db.memory) {
    // Inside a promise, so that an error (a dimension count not divisible by 8) rejects it as the worker's would.
    return new Promise((resolve) =>
      resolve(new EmbeddingSpacesRepo(db, clock).rebuildQuantized(spaceId, options).report),
    );
  }
  const request: IvfBuildRequest = {
    file: db.name,
    spaceId,
    lists: options.lists,
    busyTimeoutMs: BUILD_BUSY_TIMEOUT_MS,
    expectedVectors: options.expectedVectors,
  };
  const worker = spawnWorker('ivf-build.worker', import.meta.url, { workerData: request });
  return new Promise<IvfBuildReport | null>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', stop);
      fn();
    };
    const stop = (): void => {
      settle(() => reject(stopped()));
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (reply: IvfBuildReply) => {
      if (reply.type === 'progress') {
        if (!settled) options.onProgress?.(reply.progress);
        return;
      }
      settle(() => {
        if (reply.type === 'built') resolve(reply.report);
        else if (reply.type === 'superseded') resolve(null);
        else reject(errorFromWire(reply.error));
      });
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) =>
      settle(() =>
        reject(new AppError('INTERNAL', `The fast-search index build stopped before it finished (exit code ${code}).`)),
      ),
    );
  });
}

function stopped(): AppError {
  return new AppError('CANCELLED', 'The fast-search index build was stopped.');
}
