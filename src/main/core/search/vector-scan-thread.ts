import { MessagePort, type Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import { spawnWorker } from '../workers/spawn-worker';
import { errorFromWire } from '../workers/wire-error';
import type { CandidateSet, SemanticSearchOptions } from './semantic-search';
import type { VectorScanReply, VectorScanRequest } from './vector-scan-protocol';

/** A first pass the thread did: what it found, and which of the space's tables it read (`indexKey`). */
export interface ThreadScan {
  found: CandidateSet;
  index: string;
}

/** Times the thread may end unasked before the app stops starting it again. */
const MAX_RESTARTS = 3;

/**
 * How long a search waits for the thread's pass before scanning on its own
 * connection: a guard, far above a pass's ~8 ms at 12,000 chunks and ~25 ms
 * at a million (plus the query's embedding, ~4 ms with a small model, when
 * the vector comes from the model's thread), against a thread that stopped
 * answering.
 */
export const PASS_TIMEOUT_MS = 2_000;

/**
 * A hybrid search's first pass by meaning, on a thread of its own, so the
 * exact scan (~8 ms at 12,000 chunks of 384 dimensions, the size of the
 * keyword search beside it) overlaps the keyword search on the main thread
 * instead of following it. Once the library is still, the thread scans a
 * copy of the vectors in memory instead (flat-vector-cache.ts, ~1.5 ms).
 * The query's vector may come to it straight from the model's thread (a
 * port instead of a vector). The thread reads the library on a read-only
 * connection, in a snapshot taken a moment before the main thread's: the
 * caller filters what it found in its own snapshot (semanticSearch), so a
 * chunk deleted meanwhile drops out, and one embedded meanwhile is missed
 * by this search only.
 *
 * `tryScan` never makes a search wait for the thread to start or for
 * another search's pass: it answers undefined, and the caller scans on its
 * own connection as before. Started on the first ask; a thread that ends is
 * started again on the next one, up to MAX_RESTARTS times. It never keeps
 * the process alive.
 */
export class VectorScanThread {
  private worker: Worker | undefined;
  private ready = false;
  private restarts = 0;
  private closed = false;
  private nextId = 1;
  /** The pass the thread is doing; it stays busy until the thread answers, even once its search gave up waiting. */
  private pending:
    { id: number; resolve(scan: ThreadScan): void; reject(error: Error): void; timer: NodeJS.Timeout } | undefined;
  private readiness: Array<(ready: boolean) => void> = [];
  /** The thread asked to copy the vectors (flat-vector-cache.ts) and waits for a moment no search needs it. */
  private refreshWanted = false;
  /** It is copying them: passes are scanned on the caller's connection until it is done. */
  private refreshing = false;
  private fromCopy = false;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
    private readonly passTimeoutMs = PASS_TIMEOUT_MS,
  ) {}

  /**
   * The `k` nearest chunks of space `spaceId` to `vector`, found on the
   * thread; undefined when it cannot take the pass at once (starting, busy,
   * given up on, closed). `vector` may be a port the vector will be posted
   * on (by the thread that computes it), handed to the thread: it scans as
   * soon as the vector comes. Rejects when the pass fails (the space's
   * tables dropped by an index switch, no vector came, the thread ending).
   */
  tryScan(
    spaceId: number,
    vector: Float32Array | MessagePort,
    k: number,
    options: SemanticSearchOptions,
  ): Promise<ThreadScan> | undefined {
    if (this.closed) return undefined;
    if (!this.worker) {
      this.spawn();
      return undefined;
    }
    if (!this.ready || this.pending || this.refreshing) return undefined;
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise<ThreadScan>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The search thread took over ${this.passTimeoutMs} ms.`)),
        this.passTimeoutMs,
      );
      timer.unref();
      this.pending = { id, resolve, reject, timer };
      // Held while someone waits for it: a one-off search (the CLI) must not end with its pass unanswered.
      worker.ref();
      worker.postMessage(
        { type: 'scan', id, spaceId, vector, k, options } satisfies VectorScanRequest,
        vector instanceof MessagePort ? [vector] : [],
      );
    });
  }

  /**
   * Whether the last pass read the thread's copy of the vectors in memory
   * rather than the table: how one tells, from outside the thread, that the
   * copy is made and used (searches no longer choose their order by it).
   */
  get lastPassFromCopy(): boolean {
    return this.fromCopy;
  }

  /** Starts the thread if it is not running; resolves true once it takes passes, false if it cannot. */
  start(): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (!this.worker) this.spawn();
    if (!this.worker) return Promise.resolve(false);
    return new Promise((resolve) => this.readiness.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.settle(new Error('The search thread was closed.'));
    this.tellReadiness(false);
    if (worker) await worker.terminate();
  }

  private spawn(): void {
    if (this.closed || this.restarts > MAX_RESTARTS) return;
    const worker = spawnWorker('vector-scan.worker', import.meta.url, { workerData: { file: this.file } });
    this.worker = worker;
    this.ready = false;
    worker.unref();
    worker.on('message', (reply: VectorScanReply) => this.onReply(reply));
    worker.on('error', (error) => this.logger.warn('search thread failed', { error: error.message }));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.ready = false;
      this.refreshing = this.refreshWanted = false;
      this.settle(new Error('The search thread ended.'));
      this.tellReadiness(false);
      if (!this.closed) this.restarts++;
    });
  }

  private onReply(reply: VectorScanReply): void {
    switch (reply.type) {
      case 'ready':
        this.ready = true;
        this.tellReadiness(true);
        return;
      case 'unavailable':
        // It cannot open the library (gone, unreadable): searching on the main connection still works.
        this.logger.warn('search thread could not open the library', {
          error: reply.error.message,
          code: reply.error.code,
        });
        this.restarts = MAX_RESTARTS + 1;
        return;
      case 'found':
        this.fromCopy = reply.fromCopy;
        if (this.pending?.id === reply.id) this.settle(undefined, { found: reply.found, index: reply.index });
        return;
      case 'failed':
        if (this.pending?.id === reply.id) this.settle(errorFromWire(reply.error));
        return;
      case 'refresh-wanted':
        this.refreshWanted = true;
        this.grantRefresh();
        return;
      case 'refreshed':
        this.refreshing = false;
        return;
    }
  }

  /**
   * Lets the thread copy the vectors when it has no pass to answer: a pass
   * asked for meanwhile is scanned by its caller instead of waiting the
   * ~0.2 s a copy of 10,000 vectors takes.
   */
  private grantRefresh(): void {
    if (!this.refreshWanted || this.pending || this.refreshing || !this.worker) return;
    this.refreshWanted = false;
    this.refreshing = true;
    this.worker.postMessage({ type: 'refresh' } satisfies VectorScanRequest);
  }

  private tellReadiness(ready: boolean): void {
    for (const tell of this.readiness.splice(0)) tell(ready);
  }

  private settle(error: Error | undefined, scan?: ThreadScan): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.worker?.unref();
    if (error) pending.reject(error);
    else pending.resolve(scan!);
    this.grantRefresh();
  }
}
