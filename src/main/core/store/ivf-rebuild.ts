import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { crashPoint } from '../crash-points';
import { sql } from '../db/sql';
import { writeTransaction } from '../db/write-transaction';
import { EmbeddingSpacesRepo, type IvfBuildTarget } from './embedding-spaces.repo';
import { applyVectorChanges, buildIvfTables, type IvfBuildOptions, type IvfBuildReport } from './ivf-index';

/**
 * Builds a space's next fast-search index generation beside the one search
 * uses, then switches to it. Every write is a short transaction of its own
 * (a few tens of milliseconds), so the library's write lock is never held
 * for long: `EmbeddingSpacesRepo.rebuildQuantized` held it for the whole
 * build, ~7 s at 100,000 chunks and ~100 s at a million, during which every
 * other write of the app waited (and, on its main thread, everything else).
 *
 * 1. `beginBuild` marks the generation as being built: from then on every
 *    vector written to or deleted from the space is listed (VectorsRepo).
 * 2. The float vectors are copied from `reader`, a second connection whose
 *    one long read keeps the snapshot they had when the copy began, then
 *    trained on, assigned to lists and written as sign bits, step by step.
 * 3. The listed vectors are brought up to date in the new tables, in steps
 *    while many are listed, then one transaction applies the last of them
 *    and makes the new tables the space's index. Every step first checks that the
 *    space still waits for this build: when quantisation was turned off or
 *    another build took over meanwhile, this one's tables go and the result
 *    is null.
 * 4. The replaced generation's tables are dropped in a step of their own.
 *
 * A crash anywhere leaves the current index in use and the mark set; the
 * next maintain_search_index clears what the build left
 * (`clearInterruptedBuild`) before it decides to build. Runs on a worker
 * thread (ivf-build.worker.ts) with `writer` and `reader` its own
 * connections to the library file.
 */
export function rebuildInSteps(
  writer: Database,
  reader: Database,
  clock: Clock,
  spaceId: number,
  options: Pick<IvfBuildOptions, 'lists' | 'progress' | 'expectedVectors'> = {},
): IvfBuildReport | null {
  const spaces = new EmbeddingSpacesRepo(writer, clock);
  const target = writeTransaction(writer, () => spaces.beginBuild(spaceId))();
  crashPoint('index.begun');
  // Each step first checks, under the lock, that the space still waits for this build.
  const step = <T>(fn: () => T): T =>
    writeTransaction(writer, () => {
      if (!spaces.isBuilding(target)) throw new Superseded();
      return fn();
    })();
  try {
    const floats = sql`SELECT rowid, embedding FROM ${sql.ident(target.tables.vectorTable)} ORDER BY rowid`;
    const report = buildIvfTables(writer, target.tables, {
      ...options,
      write: step,
      floats: () => reader.prepare(floats.text).raw().iterate() as IterableIterator<[number, Buffer]>,
    });
    // Vectors written meanwhile (an ingest beside the build may add thousands): caught up in steps, so
    // the switch itself applies only the few that arrive during the last of them.
    options.progress?.({ stage: 'switch', done: 0, total: null });
    let applied: number;
    do applied = step(() => applyListedChanges(writer, target, CATCH_UP_ROWS));
    while (applied === CATCH_UP_ROWS);
    step(() => {
      applyListedChanges(writer, target, Number.MAX_SAFE_INTEGER);
      spaces.switchTo(target, report);
    });
    crashPoint('index.switched');
    writeTransaction(writer, () => spaces.dropUnusedIndexTables(spaceId))();
    return report;
  } catch (error) {
    // Turned off, or taken over, meanwhile: its tables may be gone already
    // (a read between steps then fails), and this build's are dropped now.
    const superseded = error instanceof Superseded || !spaces.isBuilding(target);
    try {
      writeTransaction(writer, () => spaces.abandonBuild(target))();
    } catch {
      // The build's own error says what went wrong; whatever is left is cleared by the next build.
    }
    if (superseded) return null;
    throw error;
  }
}

/** Thrown by a step that finds the space no longer waiting for this build. */
class Superseded extends Error {}

/**
 * Listed vector changes applied to the new generation per catch-up step:
 * each finds its nearest list (~0.4 ms at 1,000 lists of 384 dims), so a
 * step holds the lock ~0.2 s at most.
 */
const CATCH_UP_ROWS = 512;

/** Applies up to `limit` of the changes listed during the build to its tables and unlists them; returns how many. */
function applyListedChanges(db: Database, target: IvfBuildTarget, limit: number): number {
  const changed = db
    .prepare(`SELECT chunk_id FROM ivf_build_changes WHERE space_id = ? ORDER BY chunk_id LIMIT ?`)
    .pluck()
    .all(target.spaceId, limit) as number[];
  if (changed.length === 0) return 0;
  applyVectorChanges(db, target.tables, changed);
  db.prepare(`DELETE FROM ivf_build_changes WHERE space_id = ? AND chunk_id IN (SELECT value FROM json_each(?))`).run(
    target.spaceId,
    JSON.stringify(changed),
  );
  return changed.length;
}
