import type { z } from 'zod';
import { AppError, errorInfo } from '../../../shared/errors';
import type { Logger } from '../logger';
import type { QueueEvents } from './events';
import type { JobStore } from './job-store';
import { JobTypeRegistry } from './job-types';
import { JobWorker } from './job-worker';
import { QueuedAnnouncer } from './queued-announcer';
import { resolveQueueOptions, type JobQueueOptions, type ResolvedQueueOptions } from './queue-options';
import { RepeatingTimer } from './repeating-timer';
import { TypedEmitter, type Listener, type Unsubscribe } from './typed-emitter';
import type {
  CancelOutcome,
  EnqueueOptions,
  EnqueueRequest,
  EnqueueResult,
  JobCounts,
  JobDefinition,
  JobRecord,
  ListJobsQuery,
  PruneOptions,
} from './types';

/** Maps each job type to the payload its `enqueue` accepts (the schema's input). */
export type PayloadMap = Record<string, unknown>;

/** The error a job gets when its worker died holding it (also what tests recognise). */
export const LEASE_EXPIRED = {
  code: 'TIMEOUT',
  message: 'The worker running this job stopped (crash or forced quit) before it finished, so its lease expired.',
} as const;

/**
 * The durable job queue: every job is a row, execution is at-least-once,
 * so handlers must be idempotent. See README.md here.
 *
 * Lifecycle: construct, `register` every type, `start()`; `stop()` on the way out.
 * `enqueue` works whether or not the queue is started (and inside a caller's
 * transaction); a started queue picks the job up at once.
 *
 * Every process that runs a queue on the same database must register every
 * job type: a started queue fails jobs of types it does not know.
 */
export class JobQueue<Payloads extends PayloadMap = PayloadMap> {
  /** This queue's id in `jobs.locked_by`. */
  readonly workerId: string;
  private readonly options: ResolvedQueueOptions;
  private readonly store: JobStore;
  private readonly logger: Logger;
  private readonly emitter: TypedEmitter<QueueEvents>;
  private readonly types = new JobTypeRegistry();
  private readonly worker: JobWorker;
  private readonly announcer: QueuedAnnouncer;
  private readonly recoveryTimer: RepeatingTimer;
  private readonly pruneTimer: RepeatingTimer | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: JobQueueOptions) {
    this.options = resolveQueueOptions(options);
    const { store, logger, clock } = this.options;
    this.store = store;
    this.logger = logger;
    this.workerId = this.options.workerId;
    this.emitter = new TypedEmitter<QueueEvents>((error, event) =>
      logger.error('queue event listener threw', { event, error: errorInfo(error) }),
    );
    this.worker = new JobWorker(this.options, this.types, this.emitter);
    this.announcer = new QueuedAnnouncer(
      store,
      this.emitter,
      () => this.worker.wake(),
      (error) => logger.error('reading new jobs failed', { error: errorInfo(error) }),
    );
    this.recoveryTimer = new RepeatingTimer(clock, this.options.recoveryIntervalMs, () =>
      this.guard('lease recovery', () => this.recoverExpiredLeases()),
    );
    this.pruneTimer =
      this.options.pruneIntervalMs > 0
        ? new RepeatingTimer(clock, this.options.pruneIntervalMs, () =>
            this.guard('prune', () => this.pruneByRetention()),
          )
        : undefined;
  }

  /** Registers a job type. Register every type before `start()`; a type can be registered once. */
  register<Type extends keyof Payloads & string, S extends z.ZodType<unknown, Payloads[Type]>>(
    type: Type,
    definition: JobDefinition<S>,
  ): this {
    this.types.register(type, definition);
    return this;
  }

  /**
   * Adds a job, synchronously: safe inside a caller's better-sqlite3
   * transaction (the job's `queued` event and its start wait for the commit,
   * and never happen after a rollback). Throws AppError VALIDATION for an
   * unknown type, a payload that fails the schema, or bad options.
   */
  enqueue<Type extends keyof Payloads & string>(
    type: Type,
    payload: Payloads[Type],
    options: EnqueueOptions = {},
  ): EnqueueResult {
    const job = this.types.toNewJob(type, payload, options, this.options.clock.now());
    const [result] = this.reportingStorageFaults(() => this.store.insert([job]));
    if (!result) throw new AppError('INTERNAL', 'The job store returned no result for an insert.');
    this.announcer.noteInserted([job], [result]);
    return result;
  }

  /** Adds many jobs in one transaction (all or none); same rules as `enqueue`. Results are in request order. */
  enqueueMany<Type extends keyof Payloads & string>(
    requests: readonly EnqueueRequest<Type, Payloads[Type]>[],
  ): EnqueueResult[] {
    const now = this.options.clock.now();
    const jobs = requests.map((request) =>
      this.types.toNewJob(request.type, request.payload, request.options ?? {}, now),
    );
    const results = this.reportingStorageFaults(() => this.store.insert(jobs));
    this.announcer.noteInserted(jobs, results);
    return results;
  }

  /** Recovers expired leases and starts claiming. Idempotent. */
  start(): void {
    if (this.worker.isRunning) return;
    if (this.worker.isStopping) {
      throw new AppError('CONFLICT', 'The queue is still stopping; await stop() before starting it again.');
    }
    this.worker.start();
    this.guard('lease recovery', () => this.recoverExpiredLeases());
    this.recoveryTimer.start();
    this.pruneTimer?.start();
  }

  /**
   * Stops claiming, waits for running jobs up to `deadlineMs` (default 10000,
   * on the injected clock), then aborts the rest and hands them back to the
   * queue *without counting the interrupted attempt*: a shutdown is not the
   * job's fault, so it must not push a job towards `failed`. Their handlers'
   * late results are ignored; the next start runs them again from the top.
   */
  stop(options: { deadlineMs?: number } = {}): Promise<void> {
    if (this.stopping) return this.stopping;
    if (!this.worker.isRunning) return Promise.resolve();
    this.recoveryTimer.stop();
    this.pruneTimer?.stop();
    this.stopping = this.worker.stop(options.deadlineMs ?? 10_000).finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  /**
   * Cancels a queued job at once, or aborts a running one's signal (in
   * another process: at its next heartbeat); a running job then ends
   * `cancelled` and is not retried. Throws NOT_FOUND for an unknown id.
   */
  cancel(id: string): CancelOutcome {
    // Announce jobs enqueued just before, so `queued` never follows `cancelled`.
    this.announcer.flush();
    const result = this.store.requestCancel(id, this.options.clock.now());
    if (!result) throw new AppError('NOT_FOUND', `There is no job with id ${id}.`);
    if (result.outcome === 'cancelled') {
      this.emitter.emit('cancelled', { jobId: id, type: result.type, attempt: result.attempt });
    }
    if (result.outcome === 'cancelling') this.worker.cancelRunning(id);
    return result.outcome;
  }

  /**
   * Re-queues a failed or cancelled job with a fresh set of attempts (its
   * error history is kept). Throws NOT_FOUND, or CONFLICT when the job is not
   * failed/cancelled or another live job holds the same key.
   */
  retry(id: string): void {
    const outcome = this.store.requeue(id, this.options.clock.now());
    switch (outcome.status) {
      case 'not_found':
        throw new AppError('NOT_FOUND', `There is no job with id ${id}.`);
      case 'not_retryable':
        throw new AppError('CONFLICT', `Only failed or cancelled jobs can be retried; this job is ${outcome.current}.`);
      case 'key_conflict':
        throw new AppError('CONFLICT', 'The same work is already queued or running, so this job was not retried.');
      case 'requeued':
        this.emitter.emit('queued', {
          jobId: id,
          type: outcome.type,
          priority: outcome.priority,
          runAt: outcome.runAt,
        });
        this.worker.wake();
    }
  }

  /** Deletes finished jobs past the given ages; returns how many rows were deleted. */
  prune(options: PruneOptions): number {
    const now = this.options.clock.now();
    return this.store.prune(now - options.olderThanMs, now - (options.failedOlderThanMs ?? options.olderThanMs));
  }

  /**
   * Returns expired leases, and the leases of workers known to be dead
   * (killed or crashed processes on this machine), to the queue, counting
   * their attempt; a job whose last attempt it was ends `failed`.
   * Runs at `start()` and every `recoveryIntervalMs`; returns how many jobs
   * were recovered.
   */
  recoverExpiredLeases(): number {
    // Leases of workers known to be dead (a killed process on this machine) end at once.
    const gone = this.store
      .runningHolders()
      .filter((holder) => holder !== this.workerId && this.options.isWorkerGone(holder));
    const recovered = this.store.recoverExpired(this.options.clock.now(), this.worker.liveIds(), LEASE_EXPIRED, gone);
    for (const job of recovered) {
      const base = { jobId: job.id, type: job.type, attempt: job.attempt };
      const error = LEASE_EXPIRED;
      this.logger.warn('recovered a job whose lease expired', { ...base, status: job.status });
      if (job.status === 'queued') {
        this.emitter.emit('retrying', { ...base, maxAttempts: job.maxAttempts, error, runAt: job.runAt, delayMs: 0 });
      } else if (job.status === 'failed') {
        this.emitter.emit('failed', { ...base, maxAttempts: job.maxAttempts, error });
      } else {
        this.emitter.emit('cancelled', base);
      }
    }
    if (recovered.length > 0) this.worker.wake();
    return recovered.length;
  }

  /** Whether a live process other than this one holds running jobs: another Trove on the same library. */
  othersAtWork(): boolean {
    return this.store.runningHolders().some((holder) => holder !== this.workerId && !this.options.isWorkerGone(holder));
  }

  get(id: string): JobRecord | undefined {
    return this.store.get(id);
  }

  /** Newest first. */
  list(query: ListJobsQuery = {}): JobRecord[] {
    return this.store.list(query);
  }

  counts(): JobCounts {
    return this.store.counts();
  }

  /** Jobs of `type` queued or running. */
  liveJobCount(type: string): number {
    const counts = this.store.counts().byType[type];
    return counts ? counts.queued + counts.running : 0;
  }

  /** Whether any job (of these types, default all) is queued or running; cheap enough to call on every job event. */
  hasLiveJobs(types?: readonly string[]): boolean {
    return this.store.hasLiveJobs(types);
  }

  /** Number of jobs this process is running right now. */
  get runningCount(): number {
    return this.worker.runningCount;
  }

  /** Subscribes to a lifecycle event; returns the unsubscribe function. */
  on<E extends keyof QueueEvents>(event: E, listener: Listener<QueueEvents[E]>): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  once<E extends keyof QueueEvents>(event: E, listener: Listener<QueueEvents[E]>): Unsubscribe {
    return this.emitter.once(event, listener);
  }

  private pruneByRetention(): number {
    const { retention } = this.options;
    return this.prune({ olderThanMs: retention.finishedMs, failedOlderThanMs: retention.failedMs });
  }

  /**
   * Runs a store operation whose failure must not take the queue down (e.g.
   * SQLITE_BUSY); logs it. Housekeeping waits while the disk is full: it is
   * all writes, and the pause is logged once by the gate.
   */
  private guard<T>(what: string, fn: () => T): T | undefined {
    if (this.options.pauseGate.paused) return undefined;
    try {
      return fn();
    } catch (error) {
      if (!this.options.pauseGate.report(error)) this.logger.error(`${what} failed`, { error: errorInfo(error) });
      return undefined;
    }
  }

  /** An enqueue that fails because the disk is full still throws to its caller, and pauses the queue too. */
  private reportingStorageFaults<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      this.options.pauseGate.report(error);
      throw error;
    }
  }
}
