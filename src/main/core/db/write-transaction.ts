import type { Database } from 'better-sqlite3';
import { withKeywordIndexDeferred } from './keyword-index-deferral';

/**
 * A transaction that writes: it takes the write lock at its start (BEGIN
 * IMMEDIATE), waiting up to the busy timeout while another process holds it.
 *
 * A deferred transaction (better-sqlite3's default) reads first and asks for
 * the lock at its first write. When another process (the CLI beside the app,
 * or the other way round) committed in between, SQLite cannot move its
 * snapshot forward and fails that write at once with "database is locked",
 * without waiting: a sync beside an import failed so, all three attempts.
 * Nested in another transaction, it becomes a savepoint of that one.
 */
export function writeTransaction<A extends unknown[], R>(db: Database, fn: (...args: A) => R): (...args: A) => R {
  // The keyword index rows of the chunks it writes go in at its end, together (keyword-index-deferral.ts).
  return db.transaction((...args: A) => withKeywordIndexDeferred(db, () => fn(...args))).immediate;
}

/** Runs `fn` in a write transaction now (see writeTransaction). */
export function inWriteTransaction<R>(db: Database, fn: () => R): R {
  return writeTransaction(db, fn)();
}
