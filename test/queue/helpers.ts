import type { Database } from 'better-sqlite3';
import { ManualClock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import { JobQueue, SqliteJobStore, type JobQueueOptions, type QueueEvents } from '../../src/main/core/queue';

export interface QueueHarness {
  db: Database;
  clock: ManualClock;
  store: SqliteJobStore;
  queue: JobQueue;
  /** Every event the queue emitted, in order. */
  events: { name: keyof QueueEvents; payload: QueueEvents[keyof QueueEvents] }[];
}

const EVENT_NAMES: (keyof QueueEvents)[] = [
  'queued',
  'started',
  'progress',
  'retrying',
  'succeeded',
  'failed',
  'cancelled',
];

/** An in-memory database, a manual clock and a queue with deterministic jitter (random = 0.5). */
export function createHarness(
  options: Partial<JobQueueOptions> & { db?: Database; clock?: ManualClock } = {},
): QueueHarness {
  const db = options.db ?? openDatabase(':memory:');
  const clock = options.clock ?? new ManualClock();
  const store = new SqliteJobStore(db);
  const queue = new JobQueue({ random: () => 0.5, pruneIntervalMs: 0, ...options, store, clock });
  const events: QueueHarness['events'] = [];
  for (const name of EVENT_NAMES) queue.on(name, (payload) => events.push({ name, payload }));
  return { db, clock, store, queue, events };
}

/** Lets pending promises, microtasks and setImmediate callbacks run (the queue never needs real time). */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Resolves with the first event of that name matching `predicate`. */
export function nextEvent<E extends keyof QueueEvents>(
  queue: JobQueue,
  name: E,
  predicate: (payload: QueueEvents[E]) => boolean = () => true,
): Promise<QueueEvents[E]> {
  return new Promise((resolve) => {
    const off = queue.on(name, (payload) => {
      if (!predicate(payload)) return;
      off();
      resolve(payload);
    });
  });
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Reads a column straight from the row, bypassing the store's mapping. */
export function rawJob(db: Database, id: string): Record<string, unknown> {
  return db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as Record<string, unknown>;
}

/**
 * Stops the queue at once and closes the database: the stop deadline runs on
 * the manual clock, so it is advanced past it; unfinished jobs are released.
 */
export async function shutdown(h: QueueHarness): Promise<void> {
  const stopped = h.queue.stop({ deadlineMs: 0 });
  h.clock.advance(0);
  await stopped;
  h.db.close();
}
