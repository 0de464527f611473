import { AppError, errorInfo } from '../../../shared/errors';
import type { QueueEvents } from './events';
import { JobRun, type JobRunDeps } from './job-run';
import type { AttemptOutcome, ClaimedJob, Lease } from './job-store';
import { unknownTypeError, type JobTypeRegistry } from './job-types';
import type { ResolvedQueueOptions } from './queue-options';
import type { TypedEmitter } from './typed-emitter';
import type { JobContext, JobStatus } from './types';
import { crashPoint } from '../crash-points';

/** An attempt outcome waiting for the next tick's transaction. */
interface PendingCommit {
  lease: Lease;
  type: string;
  outcome: AttemptOutcome;
  resolve(status: JobStatus | undefined): void;
  /** The outcome could not be written before the queue stopped (a full disk). */
  reject(error: unknown): void;
}

/**
 * The claiming side of the queue: runs ticks that write finished attempts
 * and claim new jobs in one transaction, starts and tracks job runs, sleeps
 * until the next due job or poll, and drains on stop.
 */
export class JobWorker {
  private readonly store;
  private readonly runDeps: JobRunDeps;
  /** Jobs this process is running, with a promise that settles once each is fully recorded. */
  private readonly runs = new Map<string, { run: JobRun; done: Promise<void> }>();
  private readonly runningByType = new Map<string, number>();
  private pendingCommits: PendingCommit[] = [];
  private state: 'idle' | 'running' | 'stopping' = 'idle';
  private tickScheduled = false;
  private wakeTimer: unknown;

  constructor(
    private readonly options: ResolvedQueueOptions,
    private readonly types: JobTypeRegistry,
    events: TypedEmitter<QueueEvents>,
  ) {
    this.store = options.store;
    this.runDeps = {
      ...options,
      events,
      commit: (lease, type, outcome) =>
        new Promise((resolve, reject) => {
          this.pendingCommits.push({ lease, type, outcome, resolve, reject });
          this.wake();
        }),
    };
    options.pauseGate.onResume(() => this.wake());
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  get isStopping(): boolean {
    return this.state === 'stopping';
  }

  get runningCount(): number {
    return this.runs.size;
  }

  /** Ids of jobs this process is running: their leases are alive even if a heartbeat is late. */
  liveIds(): string[] {
    return [...this.runs.keys()];
  }

  start(): void {
    this.state = 'running';
    this.wake();
  }

  /** Aborts the signal of a job running here, if it is. */
  cancelRunning(id: string): void {
    this.runs.get(id)?.run.cancel();
  }

  /** Runs a tick as soon as the current work yields. */
  wake(): void {
    if (this.tickScheduled) return;
    if (this.state !== 'running' && this.pendingCommits.length === 0) return;
    this.tickScheduled = true;
    // setImmediate, not a clock timer: "as soon as the current work yields",
    // which lets every job that finished meanwhile share one write.
    setImmediate(() => {
      this.tickScheduled = false;
      this.tick();
    });
  }

  /** Stops claiming, waits for running jobs up to the deadline, then releases the rest. */
  async stop(deadlineMs: number): Promise<void> {
    this.state = 'stopping';
    this.clearWakeTimer();
    try {
      await this.drain(deadlineMs);
    } finally {
      this.state = 'idle';
    }
  }

  /**
   * One worker tick, in one transaction: writes the outcomes of attempts that
   * ended since the last tick, then claims as many due jobs as there are free
   * slots, and starts them. Batching is what makes small jobs cheap: one
   * commit per tick instead of one per state change.
   */
  private tick(): void {
    const { clock, concurrency, leaseMs, workerId, pauseGate } = this.options;
    // Nothing can be written: the gate wakes the worker when writes work again.
    if (pauseGate.paused) return;
    const commits = this.pendingCommits;
    this.pendingCommits = [];
    const claiming = this.state === 'running';
    const free = concurrency - this.runs.size + commits.length;
    const now = clock.now();
    let statuses: (JobStatus | undefined)[] = [];
    let claimed: ClaimedJob[] = [];
    const work = (): void => {
      statuses = commits.map((c) => this.store.finish(c.lease, c.outcome, now));
      if (claiming && free > 0) {
        const typeSlots = this.typeSlots(commits);
        claimed = this.store.claim({ workerId, now, lockedUntil: now + leaseMs, limit: free, typeSlots });
      }
    };
    try {
      if (commits.length > 0) this.store.batch(work);
      else work();
    } catch (error) {
      this.pendingCommits.unshift(...commits);
      // A full or failing disk pauses the gate, which logs it once and wakes
      // the worker when writes work again: no retry timer, no line per tick.
      if (pauseGate.report(error)) return;
      // E.g. SQLITE_BUSY past busy_timeout: keep the outcomes and try again shortly.
      this.options.logger.error('queue tick failed', { error: errorInfo(error) });
      this.armWakeTimer(true);
      return;
    }
    if (claimed.length > 0) crashPoint('queue.claimed');
    commits.forEach((c, i) => c.resolve(statuses[i]));
    for (const job of claimed) this.launch(job);
    if (claiming) this.armWakeTimer(false);
  }

  /** Free slots per limited type; attempts being committed in this tick no longer occupy theirs. */
  private typeSlots(committing: readonly PendingCommit[]): Map<string, number> {
    const slots = new Map<string, number>();
    for (const [type, limit] of this.types.limited()) {
      const ending = committing.filter((c) => c.type === type).length;
      slots.set(type, limit - (this.runningByType.get(type) ?? 0) + ending);
    }
    return slots;
  }

  private launch(job: ClaimedJob): void {
    const run = new JobRun(job, this.runDeps);
    let execute: (ctx: JobContext) => Promise<unknown>;
    try {
      const registered = this.types.get(job.type);
      if (!registered) throw unknownTypeError(job.type);
      execute = registered.prepare(JSON.parse(job.payload)).execute;
    } catch (error) {
      // Retrying cannot fix an unknown type or a payload that fails its schema.
      run.reject(
        AppError.is(error)
          ? error
          : new AppError('VALIDATION', `The stored payload of job ${job.id} is not valid JSON.`),
      );
      return;
    }
    this.runningByType.set(job.type, (this.runningByType.get(job.type) ?? 0) + 1);
    const done = run
      .run(execute)
      .catch((error: unknown) => {
        if (this.options.pauseGate.report(error)) return;
        this.options.logger.error('could not record a job outcome', { jobId: job.id, error: errorInfo(error) });
      })
      .finally(() => {
        this.untrack(run);
        this.wake();
      });
    this.runs.set(job.id, { run, done });
  }

  /** Idempotent: a run is untracked when it ends or when it is abandoned at shutdown. */
  private untrack(run: JobRun): void {
    if (this.runs.get(run.info.id)?.run !== run) return;
    this.runs.delete(run.info.id);
    this.runningByType.set(run.info.type, (this.runningByType.get(run.info.type) ?? 1) - 1);
  }

  /**
   * Sleeps until the next job is due, or at most `pollIntervalMs` (jobs from
   * other processes). `retry` re-arms even when every slot is busy, after a
   * failed tick.
   */
  private armWakeTimer(retry: boolean): void {
    this.clearWakeTimer();
    // While every slot is busy, a finishing job wakes the worker.
    if (!retry && this.runs.size >= this.options.concurrency) return;
    const { clock, pollIntervalMs } = this.options;
    const now = clock.now();
    let next: number | undefined;
    if (!retry) {
      try {
        next = this.store.nextRunAfter(now);
      } catch (error) {
        this.options.logger.error('reading the next due time failed', { error: errorInfo(error) });
      }
    }
    const delay = next === undefined ? pollIntervalMs : Math.min(pollIntervalMs, next - now);
    this.wakeTimer = clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.tick();
    }, delay);
  }

  private clearWakeTimer(): void {
    if (this.wakeTimer === undefined) return;
    this.options.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  private async drain(deadlineMs: number): Promise<void> {
    const { clock, pauseGate } = this.options;
    // While the disk is full, running jobs can only fail at their next
    // write: waiting for them would only delay the exit.
    if (this.runs.size > 0 && !pauseGate.paused) {
      let timer: unknown;
      // Kept alive: a job may be waiting on an unref'd timer of its own, and
      // with nothing else left a CLI or test process quit in the middle of
      // the awaited stop (exit code 13, the database left open).
      const deadline = new Promise<void>((resolve) => {
        timer = clock.setTimeout(resolve, deadlineMs, { keepAlive: true });
      });
      await Promise.race([Promise.allSettled([...this.runs.values()].map((entry) => entry.done)), deadline]);
      clock.clearTimeout(timer);
    }
    const committing: Promise<void>[] = [];
    const abandoned: JobRun[] = [];
    const leaving: JobRun[] = [];
    for (const { run, done } of [...this.runs.values()]) {
      // An attempt that already ended is only waiting for its outcome to be written: let it.
      if (run.isCommitting) {
        committing.push(done);
        continue;
      }
      if (run.abandon()) abandoned.push(run);
      leaving.push(run);
    }
    this.writeFinalOutcomes(abandoned);
    for (const run of leaving) this.untrack(run);
    await Promise.allSettled(committing);
  }

  /**
   * At stop, in one transaction: the outcomes still waiting for a tick and
   * the release of every abandoned attempt. Tried even while paused, since
   * a small write may still fit; if it fails, those rows stay `running` and
   * the next start recovers them once their leases expire.
   */
  private writeFinalOutcomes(abandoned: readonly JobRun[]): void {
    const commits = this.pendingCommits;
    this.pendingCommits = [];
    if (commits.length === 0 && abandoned.length === 0) return;
    const now = this.options.clock.now();
    let statuses: (JobStatus | undefined)[] = [];
    let released: (JobStatus | undefined)[] = [];
    try {
      this.store.batch(() => {
        statuses = commits.map((c) => this.store.finish(c.lease, c.outcome, now));
        released = abandoned.map((run) => this.store.release(run.lease, now));
      });
    } catch (error) {
      if (!this.options.pauseGate.report(error)) {
        this.options.logger.error('writing job outcomes at shutdown failed', {
          jobs: commits.length + abandoned.length,
          error: errorInfo(error),
        });
      }
      for (const c of commits) c.reject(error);
      for (const run of abandoned) run.released(undefined);
      return;
    }
    commits.forEach((c, i) => c.resolve(statuses[i]));
    abandoned.forEach((run, i) => run.released(released[i]));
  }
}
