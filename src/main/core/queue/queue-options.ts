import { AppError, type ErrorCode } from '../../../shared/errors';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { JobStore } from './job-store';
import { NEVER_PAUSED, type PauseGate } from './pause-gate';
import { DEFAULT_NON_RETRYABLE_CODES } from './retryability';
import { isWorkerGone, newWorkerId } from './worker-identity';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long finished jobs are kept before the periodic prune deletes them. */
export interface RetentionOptions {
  /** Succeeded and cancelled jobs. Default 7 days. */
  finishedMs?: number;
  /** Failed jobs, kept longer so people can read their errors. Default 30 days. */
  failedMs?: number;
}

export interface JobQueueOptions {
  /** Where jobs live. Use a `SqliteJobStore` on the same connection the app writes with. */
  store: JobStore;
  /** Default `systemClock`. */
  clock?: Clock;
  /** Default `silentLogger`. The queue logs under the `queue` scope. */
  logger?: Logger;
  /** Most jobs running at once in this process. Default 10. */
  concurrency?: number;
  /** How long a claim stays valid without a heartbeat; a crashed worker's jobs return after this. Default 30000 ms. */
  leaseMs?: number;
  /** How often running jobs renew their lease (and notice cancels from other processes). Default `leaseMs / 3`. */
  heartbeatMs?: number;
  /**
   * Longest an idle worker waits before looking for work it was not told
   * about: jobs inserted by another process. Jobs enqueued in this process
   * start at once, and jobs due later wake the worker at their `runAt`. Default 1000 ms.
   */
  pollIntervalMs?: number;
  /** How often expired leases are returned to the queue (also done at `start()`). Default `leaseMs / 2`. */
  recoveryIntervalMs?: number;
  /** Least time between two progress writes (and events) of one job. Default 250 ms. */
  progressIntervalMs?: number;
  /** Retry delays. Defaults: base 2000 ms, max 300000 ms, jitter 0.5. */
  backoff?: Partial<BackoffOptions>;
  /** Source of jitter, [0, 1). Default `Math.random`. */
  random?: () => number;
  /** AppError codes that fail a job without retry. Default `['VALIDATION']`. */
  nonRetryableCodes?: readonly ErrorCode[];
  /** Retention for the periodic prune. Defaults: 7 days finished, 30 days failed. */
  retention?: RetentionOptions;
  /** How often finished jobs are pruned while started; 0 turns it off. Default 3600000 ms (hourly). */
  pruneIntervalMs?: number;
  /** Identifies this worker in `locked_by`. Default: `<host>:<pid>:<uuid>` (see worker-identity.ts). */
  workerId?: string;
  /**
   * Whether the worker that holds a lease is known to be dead, so its jobs
   * can be taken back before the lease runs out. Default: `isWorkerGone`
   * (a process on this machine that no longer exists).
   */
  isWorkerGone?: (workerId: string) => boolean;
  /**
   * Pauses the queue while the store cannot take writes (a full or failing
   * disk) and resumes it when it can; see PauseGate. Default: never pauses.
   */
  pauseGate?: PauseGate;
}

export type ResolvedQueueOptions = Required<Omit<JobQueueOptions, 'backoff' | 'retention'>> & {
  backoff: BackoffOptions;
  retention: Required<RetentionOptions>;
};

function positive(name: string, value: number, integer: boolean): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new AppError(
      'VALIDATION',
      `Queue option ${name} must be a positive ${integer ? 'integer' : 'number'}; got ${value}.`,
    );
  }
  return value;
}

/** Fills in defaults and rejects nonsense (zero concurrency, a heartbeat slower than the lease). */
export function resolveQueueOptions(options: JobQueueOptions): ResolvedQueueOptions {
  const leaseMs = positive('leaseMs', options.leaseMs ?? 30_000, false);
  const heartbeatMs = positive('heartbeatMs', options.heartbeatMs ?? leaseMs / 3, false);
  if (heartbeatMs >= leaseMs) {
    throw new AppError(
      'VALIDATION',
      `Queue option heartbeatMs (${heartbeatMs}) must be shorter than leaseMs (${leaseMs}).`,
    );
  }
  const pruneIntervalMs = options.pruneIntervalMs ?? 3_600_000;
  if (pruneIntervalMs !== 0) positive('pruneIntervalMs', pruneIntervalMs, false);
  return {
    store: options.store,
    clock: options.clock ?? systemClock,
    logger: (options.logger ?? silentLogger).child('queue'),
    concurrency: positive('concurrency', options.concurrency ?? 10, true),
    leaseMs,
    heartbeatMs,
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs ?? 1_000, false),
    recoveryIntervalMs: positive('recoveryIntervalMs', options.recoveryIntervalMs ?? leaseMs / 2, false),
    progressIntervalMs: Math.max(0, options.progressIntervalMs ?? 250),
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    random: options.random ?? Math.random,
    nonRetryableCodes: options.nonRetryableCodes ?? DEFAULT_NON_RETRYABLE_CODES,
    retention: { finishedMs: 7 * DAY_MS, failedMs: 30 * DAY_MS, ...options.retention },
    pruneIntervalMs,
    workerId: options.workerId ?? newWorkerId(),
    isWorkerGone: options.isWorkerGone ?? isWorkerGone,
    pauseGate: options.pauseGate ?? NEVER_PAUSED,
  };
}
