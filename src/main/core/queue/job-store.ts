import type { CancelOutcome, JobCounts, JobErrorEntry, JobRecord, JobStatus, ListJobsQuery } from './types';

/**
 * The persistence port of the queue. Every method is synchronous so that
 * `insert` can run inside a caller's better-sqlite3 transaction, and every
 * state change is one atomic statement or transaction, so several processes
 * may share one store.
 *
 * The queue owns policy (limits, backoff, classification of errors); the
 * store only applies state transitions it is told to, guarded by a `Lease`
 * so a worker that lost a job can never overwrite its new owner's state.
 */
export interface JobStore {
  /** Adds jobs in one transaction; a live row with the same key is returned instead of a new one. */
  insert(jobs: readonly NewJob[]): InsertOutcome[];
  /** Atomically moves up to `limit` due jobs to `running` under a lease for `workerId`. */
  claim(request: ClaimRequest): ClaimedJob[];
  /** Extends a lease; tells the worker whether it still owns the job and whether cancel was requested. */
  renewLease(lease: Lease, lockedUntil: number, now: number): LeaseState;
  /** False when the lease is no longer held (nothing written). */
  setProgress(lease: Lease, progress: number, message: string | null, now: number): boolean;
  /**
   * Ends an attempt and returns the job's new status: as asked, except that a
   * cancel requested meanwhile turns a retry into `cancelled`. `undefined`
   * when the lease is no longer held (nothing written).
   */
  finish(lease: Lease, outcome: AttemptOutcome, now: number): JobStatus | undefined;
  /**
   * Returns a job this worker is giving up (graceful shutdown) to the queue
   * without counting the attempt; a job whose cancel was requested ends
   * cancelled instead. Returns the new status, `undefined` when the lease is
   * no longer held.
   */
  release(lease: Lease, now: number): JobStatus | undefined;
  /**
   * Ends every expired lease except those of `liveIds` (jobs this process is
   * running right now, whose heartbeats are merely late): the attempt counts
   * (recorded in error_history with `error`); the job is re-queued, or failed
   * if that was its last attempt, or cancelled if cancel had been requested.
   * Leases held by `goneHolders` (workers known to be dead) end now, expired
   * or not.
   */
  recoverExpired(
    now: number,
    liveIds: readonly string[],
    error: Omit<JobErrorEntry, 'attempt' | 'at'>,
    goneHolders?: readonly string[],
  ): RecoveredJob[];
  /** The workers (`locked_by`) holding running jobs. */
  runningHolders(): string[];
  /** Cancels a queued job, or flags a running one; `undefined` when there is no such job. */
  requestCancel(id: string, now: number): { outcome: CancelOutcome; type: string; attempt: number } | undefined;
  /** Re-queues a failed or cancelled job with a fresh set of attempts. */
  requeue(id: string, now: number): RequeueOutcome;
  /** Deletes finished jobs; returns how many. */
  prune(finishedBefore: number, failedBefore: number): number;
  /** Which of these ids exist (used to emit events only for committed rows). */
  existingIds(ids: readonly string[]): Set<string>;
  /** Earliest `run_at` of a queued job strictly after `now`. */
  nextRunAfter(now: number): number | undefined;
  /** Runs several store calls as one atomic write (one transaction); calls may nest. */
  batch<T>(fn: () => T): T;
  /** True while the connection is inside a transaction (nothing it wrote is visible to others yet). */
  inTransaction(): boolean;
  get(id: string): JobRecord | undefined;
  list(query: ListJobsQuery): JobRecord[];
  counts(): JobCounts;
  /** Whether any job (of these types, default all) is queued or running: a cheap check, unlike counts(). */
  hasLiveJobs(types?: readonly string[]): boolean;
}

/** Proof of ownership of one attempt of a running job. */
export interface Lease {
  id: string;
  workerId: string;
  /** The attempt number the claim produced; a later claim changes it. */
  attempt: number;
}

export type LeaseState = 'held' | 'cancel_requested' | 'lost';

export interface NewJob {
  id: string;
  type: string;
  /** JSON text. */
  payload: string;
  priority: number;
  runAt: number;
  maxAttempts: number;
  key: string | null;
  serialKey: string | null;
  now: number;
}

export interface InsertOutcome {
  id: string;
  deduplicated: boolean;
}

export interface ClaimRequest {
  workerId: string;
  now: number;
  lockedUntil: number;
  /** Most jobs to claim in this call. */
  limit: number;
  /** Remaining free slots per type; a type not listed is limited only by `limit`. */
  typeSlots: ReadonlyMap<string, number>;
}

export interface ClaimedJob {
  id: string;
  type: string;
  /** JSON text as stored. */
  payload: string;
  attempt: number;
  maxAttempts: number;
  createdAt: number;
}

export type AttemptOutcome =
  | { status: 'succeeded'; result: string | null }
  | { status: 'retry'; runAt: number; error: JobErrorEntry }
  | { status: 'failed'; error: JobErrorEntry }
  | { status: 'cancelled' }
  /**
   * The attempt was stopped by something that is not the job's fault (the
   * disk is full, another process held the library's write lock): back to
   * the queue, due at `runAt` (default now), without using up the attempt;
   * like `release`. A cancel requested meanwhile ends it cancelled.
   */
  | { status: 'released'; runAt?: number };

export interface RecoveredJob {
  id: string;
  type: string;
  status: Extract<JobStatus, 'queued' | 'failed' | 'cancelled'>;
  attempt: number;
  maxAttempts: number;
  runAt: number;
}

export type RequeueOutcome =
  | { status: 'requeued'; type: string; priority: number; runAt: number }
  | { status: 'not_found' }
  | { status: 'not_retryable'; current: JobStatus }
  | { status: 'key_conflict' };
