import type { MessagePort, Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../logger';
import { spawnWorker } from '../workers/spawn-worker';
import type { FromWorker, ToWorker } from './local-embedder.protocol';

type Request = ToWorker extends infer M ? (M extends { type: 'cancel' } ? never : Omit<M, 'id'>) : never;

interface Pending {
  resolve: (message: FromWorker) => void;
  reject: (err: AppError) => void;
}

/**
 * The one worker thread that runs every local embedding model in this
 * process, started on first use and kept for the life of the process.
 *
 * Why one, and why never restarted: onnxruntime-node 1.21 (pinned by
 * transformers.js 3.8) aborts the process when sessions run in two worker
 * threads at once (microsoft/onnxruntime#24486), and its native binding
 * cannot be loaded again in a second thread after the first one ends
 * ("Module did not self-register", both checked here). Closing an embedder
 * therefore unloads its model but leaves the idle thread in place; the thread
 * is unref'd whenever no request is in flight, so it never keeps the process
 * alive. If the thread dies, local embedding stays unavailable until restart.
 */
export class EmbeddingHost {
  private worker: Worker | null = null;
  private dead: AppError | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly logger: Logger) {}

  /**
   * Sends one request and resolves with the worker's answer; worker errors
   * reject as INTERNAL. When `signal` aborts first, rejects with CANCELLED at
   * once and tells the worker to drop what is left of the request.
   */
  request(message: Request, signal?: AbortSignal, transfer: readonly MessagePort[] = []): Promise<FromWorker> {
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      return Promise.reject(err);
    }
    if (signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise<FromWorker>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.settle(id)) return;
        worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (m) => (done(), resolve(m)),
        reject: (e) => (done(), reject(e)),
      });
      worker.postMessage({ ...message, id } as ToWorker, transfer);
    });
  }

  /** Forgets a pending request; false if it was not pending. */
  private settle(id: number): boolean {
    if (!this.pending.delete(id)) return false;
    if (this.pending.size === 0) this.worker?.unref();
    return true;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    if (this.dead) {
      throw new AppError(
        'UNAVAILABLE',
        'Local embedding stopped working after an internal error. Restart Trove to use it again.',
        {
          cause: this.dead,
        },
      );
    }
    const worker = spawnWorker('local-embedder.worker', import.meta.url);
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (err) =>
      this.onDeath(worker, new AppError('INTERNAL', 'The local embedding worker crashed.', { cause: err })),
    );
    worker.on('exit', (code) =>
      this.onDeath(
        worker,
        new AppError('INTERNAL', `The local embedding worker stopped unexpectedly (exit code ${code}).`),
      ),
    );
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromWorker): void {
    const entry = this.pending.get(message.id);
    if (!entry || !this.settle(message.id)) return;
    if (message.type === 'error') entry.reject(new AppError('INTERNAL', message.message));
    else entry.resolve(message);
  }

  private onDeath(worker: Worker, err: AppError): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.dead = err;
    this.logger.error('local embedding worker stopped', { error: err.message });
    this.failAll(err);
  }

  private failAll(err: AppError): void {
    for (const entry of this.pending.values()) entry.reject(err);
    this.pending.clear();
  }
}

const cancelled = (): AppError => new AppError('CANCELLED', 'Embedding was cancelled.');

// Process-wide on purpose: the native runtime underneath is process-wide too.
let sharedHost: EmbeddingHost | null = null;

/** The process's embedding host, created on first use. */
export function embeddingHost(logger: Logger): EmbeddingHost {
  sharedHost ??= new EmbeddingHost(logger);
  return sharedHost;
}
