import type { Database, Statement } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { sql } from '../db/sql';
import {
  bitsTableName,
  centroidsTableName,
  rescoreTableName,
  vectorTableName,
  type SpaceRow,
} from './embedding-spaces.repo';
import { listFor, loadCentroids } from './ivf-index';
import { writeTransaction } from '../db/write-transaction';

/** What the repository needs to know about a space: its id and size (the quantised flag is read from the store). */
export type VectorSpaceRef = Pick<SpaceRow, 'id' | 'dimensions'> & { quantized?: boolean };

export interface ChunkVector {
  chunkId: number;
  vector: Float32Array;
  /**
   * The chunk row was inserted in the current transaction, so it cannot have
   * a vector yet and the delete before the insert is skipped (a vec0 delete
   * is a lookup in several shadow tables: a tenth of an ingest's vector writes).
   */
  fresh?: boolean;
}

/** A space's quantised index as stored (see SpaceRow). */
interface IndexState {
  quantized: boolean;
  lists: number;
  version: number;
  generation: number;
  /** The generation being built beside it, or null. */
  building: number | null;
}

/** How many ids one tombstone purge step handles: bounded, so a big purge never builds a huge IN list. */
const PURGE_BATCH = 500;

/**
 * Vectors in the per-space vec0 tables, keyed by chunk id. Every method is
 * synchronous; writes join the caller's transaction (as a savepoint), so
 * callers can write chunks, FTS rows and vectors in one transaction.
 */
export class VectorsRepo {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  /**
   * Writes (or replaces) the vectors of the given chunks in the space, plus
   * the bit and rescoring copies when the space is quantised; the bit copy
   * goes into the IVF list of the vector's nearest centroid (~0.4 ms per
   * vector at 1000 lists). Each vector must have exactly `space.dimensions`
   * components.
   */
  upsert(space: VectorSpaceRef, items: readonly ChunkVector[]): void {
    // Under the write lock from the index state read on (a savepoint inside
    // the caller's transaction): a build in another thread or process may
    // switch the space to a new generation of its tables and drop the old.
    writeTransaction(this.db, () => this.upsertLocked(space, items))();
  }

  private upsertLocked(space: VectorSpaceRef, items: readonly ChunkVector[]): void {
    const index = this.indexState(space.id);
    const quantized = index.quantized;
    const centroids =
      quantized && index.lists > 1
        ? loadCentroids(this.db, centroidsTableName(space.id, index.generation), space.dimensions, index.version)
        : new Float32Array(0);
    const table = vectorTableName(space.id);
    const bits = bitsTableName(space.id, index.generation);
    // vec0 has no UPSERT: delete, then insert. Rowids are bound as BigInt
    // because vec0 rejects a primary key that arrives as a REAL.
    const delFloat = this.stmt(sql`DELETE FROM ${sql.ident(table)} WHERE rowid = ?`.text);
    const insFloat = this.stmt(sql`INSERT INTO ${sql.ident(table)}(rowid, embedding) VALUES (?, ?)`.text);
    const delBits = quantized ? this.stmt(sql`DELETE FROM ${sql.ident(bits)} WHERE rowid = ?`.text) : undefined;
    const insBits = quantized
      ? this.stmt(
          sql`INSERT INTO ${sql.ident(bits)}(rowid, list, embedding) VALUES (?, ?, vec_quantize_binary(?))`.text,
        )
      : undefined;
    const putRescore = quantized
      ? this.stmt(
          sql`INSERT OR REPLACE INTO ${sql.ident(rescoreTableName(space.id, index.generation))}(chunk_id, embedding)
            VALUES (?, ?)`.text,
        )
      : undefined;
    const noteChange = this.changeNoter(space.id, index);
    for (const { chunkId, vector, fresh } of items) {
      if (vector.length !== space.dimensions) {
        throw new AppError(
          'VALIDATION',
          `A vector for chunk ${chunkId} has ${vector.length} dimensions but its embedding space has ${space.dimensions}.`,
        );
      }
      const rowid = BigInt(chunkId);
      const blob = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
      if (!fresh) delFloat.run(rowid);
      insFloat.run(rowid, blob);
      if (!fresh) delBits?.run(rowid);
      insBits?.run(rowid, BigInt(listFor(centroids, space.dimensions, vector)), blob);
      putRescore?.run(chunkId, blob);
      noteChange?.(chunkId);
    }
  }

  /** Removes the vectors of these chunks from the space (float, bit and rescoring tables). */
  deleteChunks(space: VectorSpaceRef, chunkIds: readonly number[]): void {
    writeTransaction(this.db, () => {
      const index = this.indexState(space.id);
      for (let i = 0; i < chunkIds.length; i += PURGE_BATCH) {
        this.deleteFromSpace(space.id, index, chunkIds.slice(i, i + PURGE_BATCH));
      }
    })();
  }

  /**
   * Applies the tombstones in vector_gc (written by a trigger whenever a
   * chunk row is deleted) to every space's tables, then clears them.
   * Runs in its own transaction (or joins the caller's). Returns the number
   * of tombstones processed.
   */
  purgeGarbage(): number {
    const next = this.db.prepare(`SELECT chunk_id FROM vector_gc ORDER BY chunk_id LIMIT ?`).pluck();
    let total = 0;
    const purge = writeTransaction(this.db, () => {
      // Read under the lock: another process may have switched an index generation.
      const spaces = (this.db.prepare(`SELECT id FROM embedding_spaces`).pluck().all() as number[]).map((id) => ({
        id,
        index: this.indexState(id),
      }));
      for (;;) {
        const ids = next.all(PURGE_BATCH) as number[];
        if (ids.length === 0) return;
        for (const s of spaces) this.deleteFromSpace(s.id, s.index, ids);
        const q = sql`DELETE FROM vector_gc WHERE chunk_id IN ${sql.list(ids)}`;
        this.db.prepare(q.text).run(...q.params);
        total += ids.length;
      }
    });
    purge();
    return total;
  }

  /**
   * Every chunk id that has no vector in this space yet, chunks of the most
   * recently changed documents first: the work list for background
   * re-embedding after a model arrives or the space changes, so new work
   * becomes searchable by meaning first. One read of the space's rowids and
   * a set difference: probing vec0 per chunk costs ~15 us, a second and a
   * half of blocked main thread per pass at 100,000 chunks.
   */
  chunkIdsWithoutVectors(space: VectorSpaceRef): number[] {
    const stored = new Set(
      this.db
        .prepare(sql`SELECT rowid FROM ${sql.ident(vectorTableName(space.id))}`.text)
        .pluck()
        .all() as number[],
    );
    const all = this.db
      .prepare(
        `SELECT c.id FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id
         ORDER BY COALESCE(d.source_modified_at, d.updated_at) DESC, c.id`,
      )
      .pluck()
      .all() as number[];
    return all.filter((id) => !stored.has(id));
  }

  /** Which of `chunkIds` have no vector in this space (so an edited document re-embeds only those). */
  missingChunkIds(space: VectorSpaceRef, chunkIds: readonly number[]): Set<number> {
    const has = this.stmt(sql`SELECT 1 FROM ${sql.ident(vectorTableName(space.id))} WHERE rowid = ?`.text).pluck();
    return new Set(chunkIds.filter((id) => has.get(BigInt(id)) === undefined));
  }

  /** Number of vectors stored in the space. */
  count(space: VectorSpaceRef): number {
    const q = sql`SELECT count(*) FROM ${sql.ident(vectorTableName(space.id))}`;
    return this.db.prepare(q.text).pluck().get() as number;
  }

  private deleteFromSpace(spaceId: number, index: IndexState, ids: readonly number[]): void {
    if (ids.length === 0) return;
    const rowids = ids.map((id) => BigInt(id));
    const floats = sql`DELETE FROM ${sql.ident(vectorTableName(spaceId))} WHERE rowid = ?`.text;
    const del = this.stmt(floats);
    for (const r of rowids) del.run(r);
    if (index.quantized) {
      const bits = bitsTableName(spaceId, index.generation);
      const delBits = this.stmt(sql`DELETE FROM ${sql.ident(bits)} WHERE rowid = ?`.text);
      for (const r of rowids) delBits.run(r);
      const rescore = rescoreTableName(spaceId, index.generation);
      const q = sql`DELETE FROM ${sql.ident(rescore)} WHERE chunk_id IN ${sql.list([...ids])}`;
      this.db.prepare(q.text).run(...q.params);
    }
    const noteChange = this.changeNoter(spaceId, index);
    if (noteChange) for (const id of ids) noteChange(id);
  }

  /**
   * While the space's next index generation is being built from a snapshot
   * of its vectors (store/ivf-rebuild.ts), lists each vector written or
   * deleted, so the build brings the new tables up to date before search
   * uses them. Undefined (nothing to list) otherwise.
   */
  private changeNoter(spaceId: number, index: IndexState): ((chunkId: number) => void) | undefined {
    if (index.building === null) return undefined;
    const note = this.stmt(`INSERT OR IGNORE INTO ivf_build_changes (space_id, chunk_id) VALUES (?, ?)`);
    return (chunkId) => note.run(spaceId, chunkId);
  }

  /** The stored index state, not the caller's copy: a SpaceRow read before a (re)build would be stale. */
  private indexState(spaceId: number): IndexState {
    const row = this.stmt(
      `SELECT quantized, ivf_lists, ivf_version, ivf_generation, ivf_building FROM embedding_spaces WHERE id = ?`,
    ).get(spaceId) as
      | {
          quantized: number;
          ivf_lists: number;
          ivf_version: number;
          ivf_generation: number;
          ivf_building: number | null;
        }
      | undefined;
    if (!row) throw new AppError('NOT_FOUND', `Embedding space ${spaceId} does not exist.`);
    return {
      quantized: row.quantized === 1,
      lists: row.ivf_lists,
      version: row.ivf_version,
      generation: row.ivf_generation,
      building: row.ivf_building,
    };
  }

  private stmt(text: string): Statement {
    let s = this.statements.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }
}
