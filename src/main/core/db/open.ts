import BetterSqlite3, { type Database } from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { migrate } from './migrate';

export type { Database };

export interface OpenDatabaseOptions {
  /** Apply pending migrations. Default true. */
  migrate?: boolean;
  readonly?: boolean;
  /** Milliseconds a writer waits for a lock before SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number;
}

/**
 * Opens (or creates) the store: sqlite-vec loaded, WAL, synchronous=NORMAL,
 * foreign keys on, a busy timeout, and migrations applied.
 * `filename` may be ':memory:' for tests.
 */
export function openDatabase(filename: string, options: OpenDatabaseOptions = {}): Database {
  const db = new BetterSqlite3(filename, { readonly: options.readonly ?? false });
  try {
    loadVectorExtension(db);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    if (options.migrate ?? true) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function loadVectorExtension(db: Database): void {
  // Inside a packaged Electron app the extension is unpacked next to the
  // asar archive, because SQLite cannot load a library from inside it.
  const path = sqliteVec.getLoadablePath().replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  db.loadExtension(path);
}
