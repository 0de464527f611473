import BetterSqlite3, { type Database } from 'better-sqlite3';

/**
 * An in-memory connection of its own beside a library connection, for the
 * private FTS5 tables a search fills as it goes (the typed words, to stem
 * them; a page of results, to highlight it). As temporary tables of the
 * library's connection, every search's rows moved its `total_changes()`
 * (FTS5 writes them out at the commit of the search's read transaction),
 * so the library's stamp (library-version.ts) could not tell a search from
 * a change to the library, and nothing read about the library could be
 * kept from one search to the next (search/library-memo.ts).
 *
 * One per library connection, opened on first use; it holds no library
 * data and goes with the library connection.
 */
export function scratchBeside(library: Database): Database {
  let scratch = scratches.get(library);
  if (!scratch) {
    scratch = new BetterSqlite3(':memory:');
    scratches.set(library, scratch);
  }
  return scratch;
}

const scratches = new WeakMap<Database, Database>();
