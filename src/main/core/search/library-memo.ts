import type { Database } from 'better-sqlite3';
import { libraryVersion } from '../db/library-version';

/**
 * What searches read about the documents and chunks they found (sketches,
 * names, whether a chunk is a list of links, which document a chunk is
 * of), remembered for one connection while the library stays as it was.
 * Typing a query searches at every pause, and the searches of "budget",
 * "budget mee" and "budget meeting" find mostly the same few hundred
 * documents; on 11,604 chunks reading their sketches and names again took
 * ~8 ms of a ~32 ms hybrid search.
 *
 * Everything is forgotten as soon as the library's stamp moves
 * (db/library-version.ts): a commit by another connection, any write to the
 * library by this one. The stamp is read at every lookup, so what is handed
 * out was read in a snapshot of the same library as the caller's.
 */
export class LibraryMemo<K extends string | number, V> {
  private stamp: string | undefined;
  /** null: read, and absent (no such row). */
  private readonly known = new Map<K, V | null>();

  constructor(private readonly capacity: number) {}

  /**
   * The values of `ids`, read with `read` for those not remembered; ids it
   * leaves out are absent from the result. Call inside the caller's read
   * transaction, as `read` would be.
   */
  lookup(db: Database, ids: readonly K[], read: (missing: K[]) => ReadonlyMap<K, V>): Map<K, V> {
    const stamp = libraryVersion(db);
    if (stamp !== this.stamp) {
      this.known.clear();
      this.stamp = stamp;
    }
    const values = new Map<K, V>();
    const missing = new Set<K>();
    for (const id of ids) {
      const value = this.known.get(id);
      if (value === undefined) missing.add(id);
      else if (value !== null) values.set(id, value);
    }
    if (missing.size === 0) return values;
    const found = read([...missing]);
    // A bound on memory, not an eviction order: a library searched this widely is rare.
    if (this.known.size + missing.size > this.capacity) this.known.clear();
    for (const id of missing) {
      const value = found.get(id);
      this.known.set(id, value ?? null);
      if (value !== undefined) values.set(id, value);
    }
    return values;
  }
}

/** One memo per connection and kind of fact: `memoFor(memos, db, capacity)`. */
export function memoFor<K extends string | number, V>(
  memos: WeakMap<Database, LibraryMemo<K, V>>,
  db: Database,
  capacity: number,
): LibraryMemo<K, V> {
  let memo = memos.get(db);
  if (!memo) {
    memo = new LibraryMemo<K, V>(capacity);
    memos.set(db, memo);
  }
  return memo;
}
