import BetterSqlite3, { type Database } from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { createPrivateFileSync } from '../private-files';
import { cjkIndexTerms, CJK_TERMS_FUNCTION } from './cjk-terms';
import { identifierIndexTerms, IDENTIFIER_TERMS_FUNCTION } from './identifier-terms';
import { registerKeywordIndexDeferral } from './keyword-index-deferral';
import { migrate } from './migrate';

export type { Database };

export interface OpenDatabaseOptions {
  /** Apply pending migrations. Default true. */
  migrate?: boolean;
  readonly?: boolean;
  /** Milliseconds a writer waits for a lock before SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * SQLite's own page cache, KiB. Default 32 MiB (SQLite's is 2 MiB): the
   * B-tree interior pages of a large library stay in memory, so FTS, vector
   * and chunk lookups stop re-reading them from the OS. (No memory map:
   * mapped pages count as resident as they are touched, which added ~250 MB
   * to a 10,000-file ingest, 766 vs 512 MB peak RSS.)
   */
  cacheKib?: number;
}

const DEFAULT_CACHE_KIB = 32 * 1024;

/**
 * Opens (or creates) the store: sqlite-vec loaded, the keyword index's
 * function registered, WAL, synchronous=NORMAL,
 * foreign keys on, a busy timeout, a larger page cache, and migrations
 * applied. A new database file is created owner-only (0600), and SQLite
 * gives its -wal and -shm files the same mode.
 * `filename` may be ':memory:' for tests.
 */
export function openDatabase(filename: string, options: OpenDatabaseOptions = {}): Database {
  if (filename !== ':memory:' && filename !== '' && !options.readonly) createPrivateFileSync(filename);
  const db = new BetterSqlite3(filename, { readonly: options.readonly ?? false });
  try {
    loadVectorExtension(db);
    // The keyword index's triggers call it for every chunk written (cjk-terms.ts).
    db.function(CJK_TERMS_FUNCTION, { deterministic: true }, (text: unknown) =>
      typeof text === 'string' ? cjkIndexTerms(text) : '',
    );
    // And for every chunk of code, the words of its camelCase names (identifier-terms.ts).
    db.function(IDENTIFIER_TERMS_FUNCTION, { deterministic: true }, (text: unknown) =>
      typeof text === 'string' ? identifierIndexTerms(text) : '',
    );
    // And tells them whether to list chunks for indexing at commit or index them now (keyword-index-deferral.ts).
    registerKeywordIndexDeferral(db);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    db.pragma(`cache_size = -${Math.trunc(options.cacheKib ?? DEFAULT_CACHE_KIB)}`);
    if (!options.readonly) {
      // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: an ingest
      // rewrites the same FTS and B-tree pages in commit after commit, and a
      // checkpoint copies each page once however often it changed (a tenth
      // less CPU for a 10,000-file ingest's writes). The file is cut back to
      // 64 MiB after a checkpoint if a long reader let it grow further.
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    }
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
