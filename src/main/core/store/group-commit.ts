import type { Database } from 'better-sqlite3';
import { isStorageFault } from '../../../shared/storage-errors';

export interface GroupCommitOptions {
  /**
   * How long the first write of a group waits for others, ms. Default 3: a
   * fraction of one document's embedding time, so concurrent jobs meet.
   */
  windowMs?: number;
  /** A group is committed at once when it holds this many writes. Default 16. */
  maxWrites?: number;
  /** Wraps each group's transaction, commit included (stage timing in benchmarks). */
  around?<T>(fn: () => T): T;
  /**
   * A small real write that throws a storage fault (SQLITE_FULL) when the
   * database cannot grow; see db/storage-probe.ts. When a write fails with an
   * error that names no cause, this tells whether a full disk is behind it
   * (sqlite-vec, for one, reports a failed page allocation as "Could not
   * insert a new vector chunk"). Default: such errors are taken as they are.
   */
  probeWrite?(): void;
}

interface PendingWrite {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for writers that run concurrently on one connection (the
 * process_imported_doc jobs): each `write(fn)` joins the current group, and
 * the group runs in ONE transaction a few milliseconds later. Every commit
 * flushes FTS5's pending terms into a new segment and writes each touched
 * page to the WAL again, so a 10,000-document ingest committing per write
 * spent more time committing than inserting.
 *
 * No savepoints: FTS5 flushes its pending terms at every SAVEPOINT, which
 * would undo the point of grouping. So if one write throws, the whole group
 * is rolled back and each write is run again alone in its own transaction,
 * and only the failing one is rejected; unless the disk is full or failing,
 * which no write is to blame for and none alone would get past: then every
 * write of the group is rejected with that error. A write must therefore be a
 * synchronous function of the database alone (no JavaScript side effects
 * that a second run would repeat). A write's promise resolves only after
 * its COMMIT, so a job that awaited its write knows it is durable.
 */
export class GroupCommit {
  private pending: PendingWrite[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly windowMs: number;
  private readonly maxWrites: number;
  private readonly around: <T>(fn: () => T) => T;
  private readonly probeWrite: (() => void) | undefined;

  constructor(
    private readonly db: Database,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 3;
    this.maxWrites = options.maxWrites ?? 16;
    this.around = options.around ?? ((fn) => fn());
    this.probeWrite = options.probeWrite;
  }

  write<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= this.maxWrites) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Commits the current group now (also used at shutdown, so no write is left waiting). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    let values: unknown[];
    try {
      values = this.around(this.db.transaction(() => group.map((write) => write.fn())));
    } catch (error) {
      if (isStorageFault(error)) {
        for (const write of group) write.reject(error);
        return;
      }
      // One write failed (or the COMMIT did): retry each alone so only the culprit fails.
      for (const write of group) {
        try {
          write.resolve(this.around(this.db.transaction(write.fn)));
        } catch (error) {
          write.reject(this.unmasked(error));
        }
      }
      return;
    }
    group.forEach((write, i) => write.resolve(values[i]));
  }

  /** The storage fault hiding behind a write's error, if the probe finds one; else the error itself. */
  private unmasked(error: unknown): unknown {
    if (!this.probeWrite || isStorageFault(error)) return error;
    try {
      this.probeWrite();
      return error;
    } catch (probeError) {
      return isStorageFault(probeError) ? probeError : error;
    }
  }
}
