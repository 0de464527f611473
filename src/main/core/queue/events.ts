import type { ErrorInfo } from '../../../shared/errors';

/** Fields every job event carries. */
interface JobEventBase {
  jobId: string;
  type: string;
}

/**
 * The queue's lifecycle events. Subscribe with `queue.on(name, listener)`;
 * listeners run synchronously and must not throw (errors are logged).
 */
export interface QueueEvents {
  /** A job row was added (or re-queued by `retry`) and committed. */
  queued: JobEventBase & { priority: number; runAt: number };
  /** An attempt started. */
  started: JobEventBase & { attempt: number; maxAttempts: number };
  /** Throttled progress, as stored on the row. */
  progress: JobEventBase & { attempt: number; progress: number; message: string | null };
  /** An attempt failed (or its worker died) and the job will run again at `runAt`. */
  retrying: JobEventBase & { attempt: number; maxAttempts: number; error: ErrorInfo; runAt: number; delayMs: number };
  succeeded: JobEventBase & { attempt: number; durationMs: number };
  /** The job stays failed: attempts exhausted, or the error was not retryable. */
  failed: JobEventBase & { attempt: number; maxAttempts: number; error: ErrorInfo };
  /** The job ended cancelled (`attempt` is 0 if it never started). */
  cancelled: JobEventBase & { attempt: number };
}

export type QueueEventName = keyof QueueEvents;
