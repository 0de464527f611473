/**
 * The generic durable job queue (see README.md here). It knows nothing about
 * connectors: callers register job types with a zod schema and a handler.
 *
 *   const queue = createJobQueue(db, { clock, logger });
 *   queue.register('sync_connector', { schema, handler, serialKey: (p) => p.connectorId });
 *   queue.start();
 *   queue.enqueue('sync_connector', { connectorId }, { key: `sync:${connectorId}` });
 *   await queue.stop({ deadlineMs: 5000 });
 */
import type { Database } from 'better-sqlite3';
import { JobQueue, type PayloadMap } from './job-queue';
import type { JobQueueOptions } from './queue-options';
import { SqliteJobStore } from './sqlite-job-store';

export { JobQueue, type PayloadMap } from './job-queue';
export { SqliteJobStore } from './sqlite-job-store';
export { waitUntilIdle, type WaitUntilIdleOptions } from './wait-until-idle';
export type { JobQueueOptions, RetentionOptions } from './queue-options';
export type { QueueEvents, QueueEventName } from './events';
export type { Listener, Unsubscribe } from './typed-emitter';
export { TypedEmitter } from './typed-emitter';
export type { BackoffOptions } from './backoff';
export { backoffDelayMs, DEFAULT_BACKOFF } from './backoff';
export { nonRetryable, isNonRetryable, DEFAULT_NON_RETRYABLE_CODES } from './retryability';
export type * from './job-store';
export * from './types';

/**
 * A queue over the `jobs` table of `db`. Pass the connection the rest of the
 * app writes with, so `enqueue` can join a caller's transaction.
 */
export function createJobQueue<Payloads extends PayloadMap = PayloadMap>(
  db: Database,
  options: Omit<JobQueueOptions, 'store'> = {},
): JobQueue<Payloads> {
  return new JobQueue<Payloads>({ ...options, store: new SqliteJobStore(db) });
}
