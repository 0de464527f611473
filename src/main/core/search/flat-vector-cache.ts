import type { Database } from 'better-sqlite3';
import { libraryVersion } from '../db/library-version';
import { FlatVectors } from './flat-vectors';

/**
 * Most a copy may take: 64 MiB holds ~43,000 vectors of 384 dimensions. A
 * larger table is scanned by sqlite-vec as before (and from 100,000 vectors
 * the fast-search index takes over).
 */
export const MAX_COPY_BYTES = 64 * 1024 * 1024;

/**
 * How long the library must stay unchanged before its vectors are copied:
 * while a sync writes batch after batch, a copy would be out of date at once.
 */
export const QUIET_MS = 1_000;

/**
 * A copy no pass has read for this long is let go, and no new one is made
 * until the next pass: its memory is the app's again, and a library that
 * keeps changing (a watched folder) is not copied for searches nobody makes.
 */
export const FORGET_MS = 5 * 60_000;

interface Copy {
  table: string;
  stamp: string;
  /** Undefined when the table was too large to copy at that stamp. */
  flat: FlatVectors | undefined;
}

/**
 * The search thread's copy of the active table's vectors (flat-vectors.ts),
 * used only in a snapshot of the library it was read from (its stamp,
 * db/library-version.ts): any commit since, of any kind, and the scan is
 * sqlite-vec's again. From the first pass on, the library's stamp is looked
 * at every `quietMs`; when it has not moved for that long and the copy is
 * not of it, `askToRefresh` tells the owner, who calls `refresh` when no
 * search waits on this thread (reading 11,604 vectors of 384 dimensions takes
 * ~0.2 s). So the copy is ready a moment after a sync ends, before the next
 * search rather than because of it; after `forgetMs` without a pass it is
 * let go and the looking stops.
 */
export class FlatVectorCache {
  private copy: Copy | undefined;
  /** The table passes read last: the one to copy. */
  private wanted: { table: string; dimensions: number } | undefined;
  /** The stamp seen at the last look, to tell whether the library was still since. */
  private seen: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When a pass last asked (performance.now()). */
  private lastPass = 0;

  constructor(
    private readonly db: Database,
    private readonly askToRefresh: () => void,
    private readonly options = { maxBytes: MAX_COPY_BYTES, quietMs: QUIET_MS, forgetMs: FORGET_MS },
  ) {}

  /**
   * In a pass's read transaction, with `stamp` read first in it: the copy of
   * `table` if it is of this very library, else undefined (and one is wanted).
   */
  lookup(table: string, dimensions: number, stamp: string): FlatVectors | undefined {
    this.lastPass = performance.now();
    const copy = this.copy;
    if (copy && copy.table === table && copy.stamp === stamp) return copy.flat;
    // Out of date: let its memory go now rather than at the next copy.
    this.copy = undefined;
    this.wanted = { table, dimensions };
    this.timer ??= setTimeout(() => this.look(), this.options.quietMs).unref();
    return undefined;
  }

  /** Copies the wanted table, in one snapshot; a table gone meanwhile (an index switch) is simply not copied. */
  refresh(): void {
    const wanted = this.wanted;
    if (!wanted) return;
    try {
      // eslint-disable-next-line no-restricted-syntax -- reads only: the stamp and the vectors in one snapshot
      this.copy = this.db.transaction((): Copy => {
        const stamp = libraryVersion(this.db);
        const flat = FlatVectors.read(this.db, wanted.table, wanted.dimensions, this.options.maxBytes);
        return { table: wanted.table, stamp, flat };
      })();
    } catch {
      this.copy = undefined;
      this.wanted = undefined;
    }
  }

  /** Asks for a copy when the library has not changed since the last look and the copy is not of it. */
  private look(): void {
    if (performance.now() - this.lastPass > this.options.forgetMs) {
      this.close();
      return;
    }
    // eslint-disable-next-line no-restricted-syntax -- reads only: the stamp, as a pass's snapshot would see it
    const stamp = this.db.transaction(() => libraryVersion(this.db))();
    const still = stamp === this.seen;
    this.seen = stamp;
    const wanted = this.wanted;
    if (!wanted) {
      this.timer = undefined;
      return;
    }
    this.timer = setTimeout(() => this.look(), this.options.quietMs).unref();
    const current = this.copy?.table === wanted.table && this.copy.stamp === stamp;
    if (still && !current) this.askToRefresh();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.copy = undefined;
    this.wanted = undefined;
  }
}
