import type { Database } from 'better-sqlite3';
import type { EmbedBacklogPayload } from '../jobs';
import type { ActiveEmbedding } from '../services/embedding.service';
import type { ChunksRepo } from '../store/chunks.repo';
import type { VectorsRepo } from '../store/vectors.repo';
import type { HandlerContext } from './ports';
import { crashPoint } from '../crash-points';
import { plural } from '../../../shared/counted';
import { writeTransaction } from '../db/write-transaction';

/**
 * embed_backlog: fills the active embedding space with vectors for chunks
 * that have none there, after a model finished downloading or the person
 * switched provider. Chunks stay keyword-searchable meanwhile.
 */

/** Chunks embedded per round; each round is one transaction. */
const ROUND = 256;

/** A round's place among the embedder's indexing work: after documents being indexed now. */
const BACKLOG_PRIORITY = Number.MIN_SAFE_INTEGER;

export function createEmbedBacklogHandler(deps: {
  db: Database;
  chunks: ChunksRepo;
  vectors: VectorsRepo;
  current(): ActiveEmbedding | null;
  textFor(title: string, chunk: { text: string; headingPath: string[] }): string;
}) {
  return async (payload: EmbedBacklogPayload, ctx: HandlerContext): Promise<{ embedded: number; stopped?: string }> => {
    let embedded = 0;
    // Passes over the work list (most recently changed documents first) until
    // a pass finds nothing: chunks written meanwhile without a vector join the next.
    for (;;) {
      const first = deps.current();
      if (!first || first.space.id !== payload.spaceId) return { embedded, stopped: 'space no longer active' };
      const work = deps.vectors.chunkIdsWithoutVectors(first.space);
      if (work.length === 0) return { embedded };
      for (let start = 0; start < work.length; start += ROUND) {
        ctx.signal.throwIfAborted();
        const active = deps.current();
        // The person switched again meanwhile: the newer space has its own backlog job.
        if (!active || active.space.id !== payload.spaceId) return { embedded, stopped: 'space no longer active' };
        // Chunks removed since the list was made are skipped; ones embedded since are embedded again (harmless).
        const rows = deps.chunks.forEmbedding(work.slice(start, start + ROUND));
        const vectors = await active.embedder.embedDocuments(
          rows.map((r) => deps.textFor(r.title, r)),
          { signal: ctx.signal, priority: BACKLOG_PRIORITY },
        );
        crashPoint('backlog.embedded');
        writeTransaction(deps.db, () =>
          deps.vectors.upsert(
            active.space,
            rows.map((r, i) => ({ chunkId: r.id, vector: vectors[i]! })),
          ),
        )();
        crashPoint('backlog.written');
        embedded += rows.length;
        ctx.progress(Math.min(1, (start + rows.length) / work.length), `${plural(embedded, 'chunk')} embedded`);
      }
    }
  };
}
