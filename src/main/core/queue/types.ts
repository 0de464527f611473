import { JobStatus as JobStatusSchema, type JobStatus } from '../../../shared/contract/common';
import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/errors';
import type { Logger } from '../logger';

/** Every state a job row can be in (the `jobs.status` column). */
/** Defined once, in the contract (which the renderer shares). */
export const JOB_STATUSES = JobStatusSchema.options;
export type { JobStatus };

/** One failed attempt, as kept in `jobs.error_history` (oldest first). */
export interface JobErrorEntry {
  /** 1-based attempt number that failed. */
  attempt: number;
  code: ErrorCode;
  message: string;
  /** Epoch ms. */
  at: number;
}

/** A job row as the read API returns it. Timestamps are epoch ms. */
export interface JobRecord {
  id: string;
  type: string;
  /** The payload as it was enqueued (before schema transforms). */
  payload: unknown;
  status: JobStatus;
  priority: number;
  runAt: number;
  /** Attempts started so far (the current one included while running). */
  attempts: number;
  maxAttempts: number;
  key: string | null;
  serialKey: string | null;
  lockedBy: string | null;
  lockedUntil: number | null;
  cancelRequested: boolean;
  /** 0..1, or null before the handler reported any. */
  progress: number | null;
  progressMessage: string | null;
  /** Message of the most recent failed attempt; cleared when the job succeeds or is retried by hand. */
  lastError: string | null;
  errorHistory: JobErrorEntry[];
  /** What the handler returned (JSON), once succeeded. */
  result: unknown;
  createdAt: number;
  updatedAt: number;
  /** When the current (or last) attempt started. */
  startedAt: number | null;
  finishedAt: number | null;
}

/** What a handler sees about the job it is running. */
export interface JobInfo {
  id: string;
  type: string;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
  createdAt: number;
}

/** The second argument of every handler. */
export interface JobContext {
  job: JobInfo;
  /**
   * Aborted when the job is cancelled, when the queue shuts down past its
   * deadline, or when this worker lost the job's lease. Pass it to fetch and
   * check it between steps; throwing after it fires ends the job as
   * cancelled (or returns it to the queue on shutdown).
   */
  signal: AbortSignal;
  /**
   * Reports progress as a fraction 0..1 (clamped) with an optional message.
   * Cheap to call often: writes and events are throttled per job, and the last
   * value is always written before the job finishes.
   */
  progress(fraction: number, message?: string): void;
  /** Scoped to the job (`queue:job:<id>`). Never log tokens or document text. */
  logger: Logger;
}

/**
 * A job type: how to validate its payload and how to run it.
 * Handlers must be idempotent: execution is at-least-once.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  /** Validates the payload at enqueue and again when the job is claimed. */
  schema: S;
  /** Resolves with a JSON-serialisable result (stored on the row) or throws to fail the attempt. */
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<unknown>;
  /** Most jobs of this type running at once in this process. Default: only the global limit applies. */
  concurrency?: number;
  /**
   * Jobs with the same serial key never run at the same time (across every
   * process sharing the database); a job whose key is busy is skipped, and
   * other jobs run meanwhile. Computed once, at enqueue. Default: none.
   */
  serialKey?: (payload: z.output<S>) => string | undefined;
  /** Default `maxAttempts` for jobs of this type when enqueue does not say. Default 3. */
  maxAttempts?: number;
}

export interface EnqueueOptions {
  /** Higher runs first among due jobs. Default 0. */
  priority?: number;
  /** Epoch ms before which the job is not started. Default: now. */
  runAt?: number;
  /** Attempts before the job stays `failed`. Default: the type's `maxAttempts`, else 3. */
  maxAttempts?: number;
  /**
   * Deduplication key: while a job with this key is queued or running, enqueue
   * returns that job's id instead of adding another. Default: none.
   */
  key?: string;
}

export interface EnqueueResult {
  id: string;
  /** True when an existing queued or running job with the same key was returned. */
  deduplicated: boolean;
}

/** One item of `enqueueMany`. */
export interface EnqueueRequest<Type extends string = string, Payload = unknown> {
  type: Type;
  payload: Payload;
  options?: EnqueueOptions;
}

/** What `cancel(id)` did. */
export type CancelOutcome =
  /** The job was queued and is now cancelled. */
  | 'cancelled'
  /** The job is running: its signal is (or, in another process, will be at its next heartbeat) aborted. */
  | 'cancelling'
  /** The job had already finished; nothing changed. */
  | 'finished';

export interface ListJobsQuery {
  status?: JobStatus | readonly JobStatus[];
  type?: string;
  /** Default 50, at most 1000. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

export type StatusCounts = Record<JobStatus, number>;

export interface JobCounts {
  byStatus: StatusCounts;
  /** Only types that have at least one row. */
  byType: Record<string, StatusCounts>;
}

export interface PruneOptions {
  /** Delete succeeded and cancelled jobs that finished more than this long ago. */
  olderThanMs: number;
  /** Delete failed jobs that finished more than this long ago. Default: `olderThanMs`. */
  failedOlderThanMs?: number;
}
