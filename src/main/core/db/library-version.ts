import type { Database, Statement } from 'better-sqlite3';

/**
 * A stamp of what a read transaction sees: read it inside two transactions
 * on the same connection, and equal stamps mean both saw the same library.
 * `data_version` changes when another connection (the fast-search index
 * build, another process) commits; `total_changes()` counts every row this
 * connection wrote, committed or not, temporary tables included, so a stamp
 * may differ while the library did not (never the other way round). A
 * search writes no rows here: its private tables are on a scratch connection
 * (scratch-connection.ts), so searching leaves the stamp as it was.
 *
 * Its first statement opens the transaction's snapshot (a header read), so
 * read it before anything else in the transaction it stands for.
 */
export function libraryVersion(db: Database): string {
  const { dataVersion, totalChanges } = statementsFor(db);
  return `${dataVersion.get() as number}:${totalChanges.get() as number}`;
}

/** Prepared once per connection: a search reads the stamp at each remembered lookup (search/library-memo.ts). */
const prepared = new WeakMap<Database, { dataVersion: Statement; totalChanges: Statement }>();

function statementsFor(db: Database): { dataVersion: Statement; totalChanges: Statement } {
  let statements = prepared.get(db);
  if (!statements) {
    statements = {
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      totalChanges: db.prepare('SELECT total_changes()').pluck(),
    };
    prepared.set(db, statements);
  }
  return statements;
}
