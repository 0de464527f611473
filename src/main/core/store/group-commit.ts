import type { Database } from 'better-sqlite3';
import { isLibraryBusy, isStorageFault } from '../../../shared/storage-errors';
import { writeTransaction } from '../db/write-transaction';

export interface GroupCommitOptions {
  /**
   * How long the first write of a group waits for others, ms. Default 3: a
   * fraction of one document's embedding time, so concurrent jobs meet.
   */
  windowMs?: number;
  /** A group is committed at once when it holds this many writes. Default 16. */
  maxWrites?: number;
  /**
   * A group is committed at once when its writes add up to this many rows
   * (each write says how many it writes). Default 400: a transaction blocks
   * the main thread, searches included, and chunk rows with their FTS5 and
   * vector rows cost about 0.05 ms each on one core, so a full group holds
   * it for ~20 ms rather than the 100+ ms of 16 writes of 100 chunks.
   */
  maxRows?: number;
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
  rows: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for writers that run concurrently on one connection (the
 * process_imported_doc jobs): each `write(fn)` joins the current group, and
 * the group runs in ONE transaction a few milliseconds later, or as soon as
 * it holds `maxWrites` writes or `maxRows` rows; groups commit one per turn
 * of the event loop, so the main thread is never held by a long run of them. Every commit
 * flushes FTS5's pending terms into a new segment and writes each touched
 * page to the WAL again, so a 10,000-document ingest committing per write
 * spent more time committing than inserting.
 *
 * (The keyword index rows of a group's chunks are written once, at its end:
 * db/keyword-index-deferral.ts.) If one write throws, the whole group
 * is rolled back and each write is run again alone in its own transaction,
 * and only the failing one is rejected; unless the disk is full or failing,
 * which no write is to blame for and none alone would get past: then every
 * write of the group is rejected with that error. A write must therefore be a
 * synchronous function of the database alone (no JavaScript side effects
 * that a second run would repeat). A write's promise resolves only after
 * its COMMIT, so a job that awaited its write knows it is durable.
 */
export class GroupCommit {
  /** The open group, which new writes join. */
  private pending: PendingWrite[] = [];
  private pendingRows = 0;
  /** Full groups waiting for their turn: one is committed per turn of the event loop. */
  private readonly sealed: PendingWrite[][] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private readonly windowMs: number;
  private readonly maxWrites: number;
  private readonly maxRows: number;
  private readonly around: <T>(fn: () => T) => T;
  private readonly probeWrite: (() => void) | undefined;

  constructor(
    private readonly db: Database,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 3;
    this.maxWrites = options.maxWrites ?? 16;
    this.maxRows = options.maxRows ?? 400;
    this.around = options.around ?? ((fn) => fn());
    this.probeWrite = options.probeWrite;
  }

  /**
   * Runs `fn` in the current group's transaction and resolves once that is
   * committed. `rows`: about how many rows `fn` writes (default 1), so a
   * group stays a short transaction.
   */
  write<T>(fn: () => T, rows = 1): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, rows, resolve: resolve as (value: unknown) => void, reject });
      this.pendingRows += rows;
      if (this.pending.length >= this.maxWrites || this.pendingRows >= this.maxRows) this.seal();
      else this.timer ??= setTimeout(() => this.seal(), this.windowMs);
    });
  }

  /** Commits every waiting write now, group by group (at shutdown, so no write is left waiting). */
  flush(): void {
    this.closeOpenGroup();
    clearImmediate(this.immediate);
    this.immediate = undefined;
    while (this.sealed.length > 0) this.commit(this.sealed.shift()!);
  }

  /**
   * Closes the open group. Closed groups are committed one per turn of the
   * event loop, so whatever else waits (a search) runs between two of them.
   */
  private seal(): void {
    this.closeOpenGroup();
    if (this.sealed.length > 0) this.immediate ??= setImmediate(() => this.commitOne());
  }

  private closeOpenGroup(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    this.sealed.push(this.pending);
    this.pending = [];
    this.pendingRows = 0;
  }

  private commitOne(): void {
    this.immediate = undefined;
    const group = this.sealed.shift();
    if (group) this.commit(group);
    if (this.sealed.length > 0) this.immediate = setImmediate(() => this.commitOne());
  }

  private commit(group: PendingWrite[]): void {
    if (group.length === 0) return;
    let values: unknown[];
    try {
      values = this.around(writeTransaction(this.db, () => group.map((write) => write.fn())));
    } catch (error) {
      // Not any one write's fault, and each write alone would meet it again
      // (a busy library: one busy timeout per write, on the main thread).
      if (isStorageFault(error) || isLibraryBusy(error)) {
        for (const write of group) write.reject(error);
        return;
      }
      // One write failed (or the COMMIT did): retry each alone so only the culprit fails.
      for (const write of group) {
        try {
          write.resolve(this.around(writeTransaction(this.db, write.fn)));
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
