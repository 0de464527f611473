import { AppError, errorInfo, type ErrorCode } from '../../../shared/errors';
import { isLibraryBusy } from '../../../shared/storage-errors';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { backoffDelayMs, type BackoffOptions } from './backoff';
import type { QueueEvents } from './events';
import type { AttemptOutcome, ClaimedJob, JobStore, Lease } from './job-store';
import type { PauseGate } from './pause-gate';
import { ProgressThrottle, type ProgressValue } from './progress-throttle';
import { isNonRetryable } from './retryability';
import type { TypedEmitter } from './typed-emitter';
import type { JobContext, JobErrorEntry, JobInfo, JobStatus } from './types';
import { crashPoint } from '../crash-points';

/** What one attempt needs from the queue; resolved options, no defaults here. */
export interface JobRunDeps {
  store: JobStore;
  clock: Clock;
  events: TypedEmitter<QueueEvents>;
  logger: Logger;
  workerId: string;
  leaseMs: number;
  heartbeatMs: number;
  progressIntervalMs: number;
  backoff: BackoffOptions;
  random: () => number;
  nonRetryableCodes: readonly ErrorCode[];
  /** Told about storage faults; while paused, lease renewals are skipped. */
  pauseGate: PauseGate;
  /**
   * Writes an attempt's outcome under its lease and resolves with the job's
   * new status (`undefined` if the lease was lost). The queue batches these
   * with its next claim into one transaction.
   */
  commit(lease: Lease, type: string, outcome: AttemptOutcome): Promise<JobStatus | undefined>;
}

/** Why the signal was aborted; the first reason wins. */
type AbortCause = 'cancel' | 'shutdown' | 'lease_lost';

/**
 * One attempt of one claimed job: keeps its lease alive with a heartbeat,
 * gives the handler its context, and writes the outcome under the lease.
 */
export class JobRun {
  readonly lease: Lease;
  readonly info: JobInfo;
  private readonly controller = new AbortController();
  private readonly logger: Logger;
  private abortCause: AbortCause | undefined;
  private heartbeat: unknown;
  private ended = false;
  private committing = false;

  constructor(
    job: ClaimedJob,
    private readonly deps: JobRunDeps,
  ) {
    this.lease = { id: job.id, workerId: deps.workerId, attempt: job.attempt };
    this.info = {
      id: job.id,
      type: job.type,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
      createdAt: job.createdAt,
    };
    this.logger = deps.logger.child(`job:${job.id}`);
  }

  /** Runs the handler to the end and records the outcome. Never rejects for a handler error. */
  async run(execute: (ctx: JobContext) => Promise<unknown>): Promise<void> {
    const { clock, events } = this.deps;
    const startedAt = clock.now();
    const progress = new ProgressThrottle(this.deps.progressIntervalMs, clock, (value) => this.writeProgress(value));
    const ctx: JobContext = {
      job: this.info,
      signal: this.controller.signal,
      progress: (fraction, message) => {
        if (!this.ended) progress.report(fraction, message);
      },
      logger: this.logger,
    };
    events.emit('started', {
      jobId: this.info.id,
      type: this.info.type,
      attempt: this.info.attempt,
      maxAttempts: this.info.maxAttempts,
    });
    this.scheduleHeartbeat();

    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await execute(ctx) };
    } catch (error) {
      outcome = { ok: false, error };
    }

    this.stopHeartbeat();
    if (this.ended) {
      // Released at shutdown or taken over elsewhere: the row is no longer ours.
      progress.dispose();
      return;
    }
    progress.flush();
    this.ended = true;
    this.committing = true;
    crashPoint('queue.finishing');
    if (outcome.ok) await this.succeed(outcome.result, clock.now() - startedAt);
    else if (this.abortCause === 'cancel') await this.cancelled();
    else await this.failAttempt(outcome.error);
  }

  /**
   * Fails a claimed job without running it (unknown type, payload that no
   * longer matches its schema): retrying could not help.
   */
  reject(error: AppError): void {
    this.ended = true;
    const now = this.deps.clock.now();
    const entry: JobErrorEntry = { attempt: this.info.attempt, code: error.code, message: error.message, at: now };
    if (this.deps.store.finish(this.lease, { status: 'failed', error: entry }, now) !== 'failed') return this.logLost();
    const info = { code: error.code, message: error.message };
    this.logger.warn('job rejected at claim', { jobId: this.info.id, type: this.info.type, error: info });
    this.deps.events.emit('failed', { ...this.eventBase(), maxAttempts: this.info.maxAttempts, error: info });
  }

  /** Aborts the handler's signal because the person cancelled the job. */
  cancel(): void {
    this.abort('cancel', new AppError('CANCELLED', 'The job was cancelled.'));
  }

  /**
   * Graceful shutdown past its deadline: aborts the handler; the queue then
   * hands the job back without counting the attempt (`store.release`, for
   * every abandoned run in one transaction) and reports with `released`, so
   * the next start runs it again. Whatever the handler does afterwards is
   * ignored. Returns false, doing nothing, if the attempt already ended (see
   * `isCommitting`).
   */
  abandon(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.stopHeartbeat();
    this.abort(
      'shutdown',
      new AppError('CANCELLED', 'Trove was closed before this finished; it runs again at the next start.'),
    );
    return true;
  }

  /** What releasing an abandoned attempt wrote: `undefined` when nothing could be written (lease lost, or a full disk). */
  released(status: JobStatus | undefined): void {
    if (status === 'cancelled') this.emitCancelled();
    this.logger.info('released at shutdown', { jobId: this.info.id, status: status ?? 'not written' });
  }

  /** True once the handler has returned and its outcome is being written (moments away). */
  get isCommitting(): boolean {
    return this.committing;
  }

  private abort(cause: AbortCause, reason: AppError): void {
    if (this.abortCause !== undefined) return;
    this.abortCause = cause;
    this.controller.abort(reason);
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = this.deps.clock.setTimeout(() => this.beat(), this.deps.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat === undefined) return;
    this.deps.clock.clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
  }

  private beat(): void {
    this.heartbeat = undefined;
    if (this.ended) return;
    // Writes cannot succeed while the disk is full: the lease only has to
    // outlive the pause in this process, which never recovers its own live jobs.
    if (this.deps.pauseGate.paused) return this.scheduleHeartbeat();
    const now = this.deps.clock.now();
    try {
      const state = this.deps.store.renewLease(this.lease, now + this.deps.leaseMs, now);
      if (state === 'lost') {
        // Our lease expired and the job was recovered: someone else owns it now.
        this.ended = true;
        this.logger.warn('lease lost; abandoning the attempt', { jobId: this.info.id });
        this.abort('lease_lost', new AppError('CANCELLED', 'This worker lost the job, which will run elsewhere.'));
        return;
      }
      if (state === 'cancel_requested') this.cancel();
    } catch (error) {
      // A busy database must not kill the job; the lease has slack for a missed beat.
      if (!this.deps.pauseGate.report(error)) {
        this.logger.warn('lease renewal failed', { jobId: this.info.id, error: errorInfo(error) });
      }
    }
    this.scheduleHeartbeat();
  }

  private writeProgress(value: ProgressValue): void {
    if (this.deps.pauseGate.paused) return;
    let written: boolean;
    try {
      written = this.deps.store.setProgress(this.lease, value.fraction, value.message, this.deps.clock.now());
    } catch (error) {
      // Progress is a hint: failing to store it must neither fail the job nor (from the throttle's timer) crash the process.
      if (!this.deps.pauseGate.report(error)) {
        this.logger.warn('progress write failed', { jobId: this.info.id, error: errorInfo(error) });
      }
      return;
    }
    if (!written) return;
    this.deps.events.emit('progress', {
      jobId: this.info.id,
      type: this.info.type,
      attempt: this.info.attempt,
      progress: value.fraction,
      message: value.message,
    });
  }

  private async succeed(result: unknown, durationMs: number): Promise<void> {
    const status = await this.deps.commit(this.lease, this.info.type, {
      status: 'succeeded',
      result: this.serialiseResult(result),
    });
    if (status !== 'succeeded') return this.logLost();
    this.deps.events.emit('succeeded', {
      jobId: this.info.id,
      type: this.info.type,
      attempt: this.info.attempt,
      durationMs,
    });
  }

  private async cancelled(): Promise<void> {
    const status = await this.deps.commit(this.lease, this.info.type, { status: 'cancelled' });
    if (status !== 'cancelled') return this.logLost();
    this.emitCancelled();
  }

  private async failAttempt(thrown: unknown): Promise<void> {
    const { clock, events, commit } = this.deps;
    const now = clock.now();
    const error = errorInfo(thrown);
    const entry: JobErrorEntry = { attempt: this.info.attempt, code: error.code, message: error.message, at: now };
    const base = {
      jobId: this.info.id,
      type: this.info.type,
      attempt: this.info.attempt,
      maxAttempts: this.info.maxAttempts,
    };

    // A full or failing disk is not the job's fault: it goes back to the
    // queue with its attempt given back, and runs again once writes work.
    // (Written after the pause like any outcome; until then its lease is live here.)
    if (this.deps.pauseGate.report(thrown)) return this.giveBack(now, 'attempt stopped by the storage; given back');
    // Another process on the library held its write lock past the busy
    // timeout (the app building its search index while the CLI imports):
    // not the job's fault either. It waits a moment, its attempt given back.
    if (isLibraryBusy(thrown)) {
      const runAt = now + backoffDelayMs(1, this.deps.backoff, this.deps.random);
      return this.giveBack(runAt, 'the library was busy in another process; given back');
    }

    if (isNonRetryable(thrown, this.deps.nonRetryableCodes) || this.info.attempt >= this.info.maxAttempts) {
      if ((await commit(this.lease, this.info.type, { status: 'failed', error: entry })) !== 'failed')
        return this.logLost();
      this.logger.warn('job failed', { ...base, error });
      events.emit('failed', { ...base, error });
      return;
    }
    const delayMs = backoffDelayMs(this.info.attempt, this.deps.backoff, this.deps.random);
    const runAt = now + delayMs;
    const status = await commit(this.lease, this.info.type, { status: 'retry', runAt, error: entry });
    if (status === 'cancelled') return this.emitCancelled();
    if (status !== 'queued') return this.logLost();
    this.logger.info('attempt failed; will retry', { ...base, error, delayMs });
    events.emit('retrying', { ...base, error, runAt, delayMs });
  }

  /** Back to the queue, due at `runAt`, without using up the attempt. */
  private async giveBack(runAt: number, message: string): Promise<void> {
    const status = await this.deps.commit(this.lease, this.info.type, { status: 'released', runAt });
    if (status === 'cancelled') return this.emitCancelled();
    if (status !== 'queued') return this.logLost();
    this.logger.debug(message, { ...this.eventBase(), runAt });
  }

  private eventBase(): { jobId: string; type: string; attempt: number } {
    return { jobId: this.info.id, type: this.info.type, attempt: this.info.attempt };
  }

  private emitCancelled(): void {
    this.deps.events.emit('cancelled', { jobId: this.info.id, type: this.info.type, attempt: this.info.attempt });
  }

  private serialiseResult(result: unknown): string | null {
    if (result === undefined) return null;
    try {
      return JSON.stringify(result) ?? null;
    } catch (error) {
      this.logger.warn('handler result is not JSON-serialisable; stored as null', {
        jobId: this.info.id,
        error: errorInfo(error),
      });
      return null;
    }
  }

  private logLost(): void {
    this.logger.warn('the job was taken over before its outcome could be written', { jobId: this.info.id });
  }
}
