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
  /** Per connection: the stamp what it holds was read under, and per id its value (null: read, no such row). */
  private readonly connections = new WeakMap<Database, { stamp: string; known: Map<K, V | null> }>();

  /** `capacity`: ids remembered per connection at most. */
  constructor(private readonly capacity: number) {}

  /**
   * The values of `ids`, read with `read` for those not remembered; ids it
   * leaves out are absent from the result. Call inside the caller's read
   * transaction, as `read` would be.
   */
  lookup(db: Database, ids: readonly K[], read: (missing: K[]) => ReadonlyMap<K, V>): Map<K, V> {
    const stamp = libraryVersion(db);
    let memo = this.connections.get(db);
    if (memo?.stamp !== stamp) {
      memo = { stamp, known: new Map() };
      this.connections.set(db, memo);
    }
    const { known } = memo;
    const values = new Map<K, V>();
    const missing = new Set<K>();
    for (const id of ids) {
      const value = known.get(id);
      if (value === undefined) missing.add(id);
      else if (value !== null) values.set(id, value);
    }
    if (missing.size === 0) return values;
    const found = read([...missing]);
    // A bound on memory, not an eviction order: a library searched this widely is rare.
    if (known.size + missing.size > this.capacity) known.clear();
    for (const id of missing) {
      const value = found.get(id);
      known.set(id, value ?? null);
      if (value !== undefined) values.set(id, value);
    }
    return values;
  }
}
