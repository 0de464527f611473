import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { crashPoint } from '../crash-points';
import { SKETCH_VERSION } from '../ingest/sketch-version';
import { sketchToBytes } from '../ingest/text-sketch';
import type { HandlerContext } from './ports';
import { plural } from '../../../shared/counted';
import { writeTransaction } from '../db/write-transaction';

/**
 * sketch_backlog: gives the documents indexed before text sketches existed
 * (migration 9), or sketched by an earlier SKETCH_VERSION (migration 16:
 * their text as written, not as shown), the sketch of their stored text, so
 * search can fold their copies and renditions. Documents stay searchable
 * throughout, and an old sketch folds until its replacement is written:
 * only the sketch table is written. Queued at start-up while any listed
 * document remains.
 */

/** Documents sketched per transaction. */
const ROUND = 50;

/**
 * A listed document still to sketch: indexed, its text stored, no sketch of
 * this version yet (a reindex may have written one).
 */
const STILL_UNSKETCHED = `sync_status = 'completed' AND content IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM document_sketches s
    WHERE s.document_id = imported_documents.id AND s.version >= ${SKETCH_VERSION})`;

/** Whether documents indexed before sketches existed are still listed (one indexed look at start-up). */
export function hasSketchBacklog(db: Database): boolean {
  return db.prepare(`SELECT 1 FROM sketch_backlog LIMIT 1`).get() !== undefined;
}

export function createSketchBacklogHandler(deps: {
  db: Database;
  /** The sketch of a text, made off the main thread (the parser pool). */
  sketch(text: string, signal: AbortSignal): Promise<Uint32Array>;
}) {
  const backlog = deps.db.prepare(`SELECT document_id FROM sketch_backlog`).pluck();
  const read = deps.db.prepare(
    `SELECT content, content_hash AS contentHash FROM imported_documents WHERE id = ? AND ${STILL_UNSKETCHED}`,
  );
  // Only if the document is still the text that was sketched: a sync or a
  // reindex may have replaced it meanwhile, and that one writes its own.
  const write = deps.db.prepare(
    `INSERT INTO document_sketches (document_id, sketch, version)
     SELECT id, ?, ${SKETCH_VERSION} FROM imported_documents WHERE id = ? AND content_hash IS ? AND ${STILL_UNSKETCHED}
     ON CONFLICT (document_id) DO UPDATE SET sketch = excluded.sketch, version = excluded.version`,
  );
  const done = deps.db.prepare(`DELETE FROM sketch_backlog WHERE document_id = ?`);
  /**
   * A text the worker cannot sketch (out of its time or memory) gets an
   * empty sketch: never folded, and not tried again at every start. Only
   * cancellation (the app closing) stops the job.
   */
  const sketchOf = async (text: string, signal: AbortSignal): Promise<Uint32Array> => {
    try {
      return await deps.sketch(text, signal);
    } catch (error) {
      if (signal.aborted || (AppError.is(error) && error.code === 'CANCELLED')) throw error;
      return new Uint32Array(0);
    }
  };
  return async (_payload: unknown, ctx: HandlerContext): Promise<{ sketched: number }> => {
    const ids = backlog.all() as string[];
    let sketched = 0;
    for (let start = 0; start < ids.length; start += ROUND) {
      const round = ids.slice(start, start + ROUND);
      const made: Array<{ id: string; contentHash: string | null; sketch: Uint32Array }> = [];
      for (const id of round) {
        ctx.signal.throwIfAborted();
        const row = read.get(id) as { content: string; contentHash: string | null } | undefined;
        if (row) made.push({ id, contentHash: row.contentHash, sketch: await sketchOf(row.content, ctx.signal) });
      }
      crashPoint('sketch.sketched');
      // The round leaves the list with its sketches, also the documents that needed none any more.
      writeTransaction(deps.db, () => {
        for (const m of made) sketched += write.run(sketchToBytes(m.sketch), m.id, m.contentHash).changes;
        for (const id of round) done.run(id);
      })();
      crashPoint('sketch.written');
      ctx.progress(Math.min(1, (start + ROUND) / ids.length), `${plural(sketched, 'document')} sketched`);
    }
    return { sketched };
  };
}
