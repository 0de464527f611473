import type { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import { spawnWorker } from '../workers/spawn-worker';

/** What the checkpointer thread starts with. */
export interface CheckpointerData {
  file: string;
  thresholdBytes: number;
  intervalMs: number;
}

/** What it reports. */
export type CheckpointerMessage = { type: 'checkpointed'; frames: number } | { type: 'failed'; message: string };

export interface WalCheckpointerOptions {
  /** The database file (WAL mode). */
  file: string;
  logger: Logger;
  /** Checkpoint once the log holds this many bytes. Default 16 MiB. */
  thresholdBytes?: number;
  /** How often the log's size is looked at, ms. Default 250. */
  intervalMs?: number;
}

/**
 * Keeps WAL checkpoints off the main thread. SQLite's automatic checkpoint
 * runs inside the commit that crosses its limit (10,000 pages here, see
 * db/open.ts), on the main thread: copying ~40 MB of log into the database
 * file and syncing it held the main thread, and every search, for 100 to
 * 300 ms during an ingest. This thread checkpoints from its own connection
 * once the log passes `thresholdBytes`, well before that limit, so the main
 * connection's automatic checkpoint remains only a safety net (if this
 * thread is slow or gone).
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(options: WalCheckpointerOptions) {
    const logger = options.logger.child('checkpoint');
    const workerData: CheckpointerData = {
      file: options.file,
      thresholdBytes: options.thresholdBytes ?? 16 * 1024 * 1024,
      intervalMs: options.intervalMs ?? 250,
    };
    this.worker = spawnWorker('wal-checkpoint.worker', import.meta.url, { workerData });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (message: CheckpointerMessage) => {
      if (message.type === 'failed') logger.warn('background WAL checkpoint failed', { error: message.message });
      else logger.debug('WAL checkpointed', { frames: message.frames });
    });
    this.worker.on('error', (error) =>
      logger.warn('the WAL checkpointer stopped; SQLite checkpoints on its own', { error: String(error) }),
    );
  }

  /** Stops the thread and closes its connection (before the main connection closes). */
  close(): Promise<void> {
    this.worker.postMessage('close');
    return this.exited;
  }
}
