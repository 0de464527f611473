import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { sql, type SqlQuery } from '../db/sql';
import { spaceKey, type EmbeddingProvider, type EmbeddingSpace } from '../embeddings/types';
import { buildIvfTables, type IvfBuildReport } from './ivf-index';
import { writeTransaction } from '../db/write-transaction';

interface EmbeddingSpaceDbRow {
  id: number;
  space_key: string;
  provider: EmbeddingProvider;
  model: string;
  dimensions: number;
  quantized: number;
  ivf_lists: number;
  ivf_trained_for: number;
  ivf_version: number;
  is_active: number;
  created_at: number;
  updated_at: number;
}

/** One registered embedding space and the names of its vec0 tables. */
export interface SpaceRow extends EmbeddingSpace {
  id: number;
  spaceKey: string;
  /** A binary-quantised copy of every vector is kept for a fast first pass. */
  quantized: boolean;
  isActive: boolean;
  /** `vec_chunks_<id>`: float vectors, cosine distance, rowid = chunk id. */
  vectorTable: string;
  /** `vec_chunks_<id>_bits`: bit vectors (exists only while `quantized`). */
  bitsTable: string;
  /**
   * `vec_chunks_<id>_rescore`: a plain copy of the float vectors keyed by
   * chunk id (exists only while `quantized`). Rescoring reads ~100 vectors by
   * id; vec0 point lookups cost ~0.3 ms each (a vector sits inside a 1.5 MB
   * chunk blob), a B-tree row ~5 µs. Costs 1.5 KB per chunk at 384 dims.
   */
  rescoreTable: string;
  /** `vec_chunks_<id>_centroids`: list id -> unit centroid (exists only while `quantized`; empty with one list). */
  centroidsTable: string;
  /** IVF lists of the bit table: 1 = unpartitioned (every vector in list 0). */
  ivfLists: number;
  /** Vectors in the space when the lists were trained (0 before any build). */
  ivfTrainedFor: number;
  /** Bumped by every build, so cached centroids of an older build are never used. */
  ivfVersion: number;
  createdAt: number;
  updatedAt: number;
}

export function vectorTableName(id: number): string {
  return `vec_chunks_${Math.trunc(id)}`;
}

export function bitsTableName(id: number): string {
  return `${vectorTableName(id)}_bits`;
}

export function rescoreTableName(id: number): string {
  return `${vectorTableName(id)}_rescore`;
}

export function centroidsTableName(id: number): string {
  return `${vectorTableName(id)}_centroids`;
}

function toSpace(row: EmbeddingSpaceDbRow): SpaceRow {
  return {
    id: row.id,
    spaceKey: row.space_key,
    provider: row.provider,
    model: row.model,
    dimensions: row.dimensions,
    quantized: row.quantized === 1,
    isActive: row.is_active === 1,
    vectorTable: vectorTableName(row.id),
    bitsTable: bitsTableName(row.id),
    rescoreTable: rescoreTableName(row.id),
    centroidsTable: centroidsTableName(row.id),
    ivfLists: row.ivf_lists,
    ivfTrainedFor: row.ivf_trained_for,
    ivfVersion: row.ivf_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function run(db: Database, query: SqlQuery): void {
  db.prepare(query.text).run(...query.params);
}

/**
 * embedding_spaces: the registry of spaces (provider + model + dimensions)
 * and the lifecycle of their vec0 tables. At most one space is active: the
 * one search queries and new chunks are embedded into.
 */
export class EmbeddingSpacesRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Registers the space if new and makes sure its vec0 table exists. With
   * `opts.quantized` set, also turns the binary copy on or off (see
   * `setQuantized`); left undefined, the stored choice is kept.
   */
  ensure(space: EmbeddingSpace, opts: { quantized?: boolean } = {}): SpaceRow {
    if (!Number.isInteger(space.dimensions) || space.dimensions <= 0) {
      throw new AppError(
        'VALIDATION',
        `An embedding space needs a positive whole number of dimensions, got ${space.dimensions}.`,
      );
    }
    const key = spaceKey(space);
    const ensureTx = writeTransaction(this.db, (): SpaceRow => {
      const now = this.clock.now();
      this.db
        .prepare(
          `INSERT INTO embedding_spaces (space_key, provider, model, dimensions, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(space_key) DO NOTHING`,
        )
        .run(key, space.provider, space.model, space.dimensions, now, now);
      const row = this.byKey(key)!;
      run(
        this.db,
        sql`CREATE VIRTUAL TABLE IF NOT EXISTS ${sql.ident(row.vectorTable)} USING vec0(embedding float[${sql.raw(String(row.dimensions))}] distance_metric=cosine)`,
      );
      if (opts.quantized !== undefined && opts.quantized !== row.quantized) this.setQuantized(row.id, opts.quantized);
      return this.get(row.id)!;
    });
    return ensureTx();
  }

  get(id: number): SpaceRow | undefined {
    const row = this.db.prepare(`SELECT * FROM embedding_spaces WHERE id = ?`).get(id) as
      EmbeddingSpaceDbRow | undefined;
    return row && toSpace(row);
  }

  byKey(key: string): SpaceRow | undefined {
    const row = this.db.prepare(`SELECT * FROM embedding_spaces WHERE space_key = ?`).get(key) as
      EmbeddingSpaceDbRow | undefined;
    return row && toSpace(row);
  }

  list(): SpaceRow[] {
    const rows = this.db.prepare(`SELECT * FROM embedding_spaces ORDER BY id`).all() as EmbeddingSpaceDbRow[];
    return rows.map(toSpace);
  }

  getActive(): SpaceRow | undefined {
    const row = this.db.prepare(`SELECT * FROM embedding_spaces WHERE is_active = 1`).get() as
      EmbeddingSpaceDbRow | undefined;
    return row && toSpace(row);
  }

  /** Makes `id` the only active space. Vectors of other spaces are kept, so switching back is instant. */
  setActive(id: number): SpaceRow {
    const tx = writeTransaction(this.db, () => {
      this.require(id);
      const now = this.clock.now();
      // Clear first: a partial unique index allows only one active row at any moment.
      this.db
        .prepare(`UPDATE embedding_spaces SET is_active = 0, updated_at = ? WHERE is_active = 1 AND id <> ?`)
        .run(now, id);
      this.db.prepare(`UPDATE embedding_spaces SET is_active = 1, updated_at = ? WHERE id = ?`).run(now, id);
    });
    tx();
    return this.get(id)!;
  }

  /**
   * Turns the binary-quantised copy on (builds it from the float vectors
   * already stored, see `rebuildQuantized`) or off (drops its tables). Needs
   * a dimension count divisible by 8, because sqlite-vec packs 8 bits per
   * byte. Turning it on when it is already on rebuilds it.
   */
  setQuantized(id: number, on: boolean): SpaceRow {
    if (on) return this.rebuildQuantized(id).space;
    const tx = writeTransaction(this.db, () => {
      this.dropQuantizedTables(this.require(id));
      this.db
        .prepare(
          `UPDATE embedding_spaces SET quantized = 0, ivf_lists = 1, ivf_trained_for = 0, updated_at = ? WHERE id = ?`,
        )
        .run(this.clock.now(), id);
    });
    tx();
    return this.get(id)!;
  }

  /**
   * Builds the quantised index from scratch in one transaction: the bit
   * table partitioned into IVF lists (k-means centroids trained on a sample
   * of the vectors, ~sqrt(N) lists, one list below `IVF_MIN_VECTORS`), the
   * rescoring copy and the centroid table. Use it to turn quantisation on
   * and to retrain once the library has outgrown its lists (`ivfOutgrown`).
   * Synchronous and heavy: ~100 s at a million 384-dim vectors, so run it
   * from a background job. `opts.lists` overrides the list count.
   */
  rebuildQuantized(id: number, opts: { lists?: number } = {}): { space: SpaceRow; report: IvfBuildReport } {
    const tx = writeTransaction(this.db, () => {
      const space = this.require(id);
      if (space.dimensions % 8 !== 0) {
        throw new AppError(
          'VALIDATION',
          `Quantised search needs a dimension count divisible by 8; this space has ${space.dimensions}. Keep exact search for it.`,
        );
      }
      this.dropQuantizedTables(space);
      const report = buildIvfTables(this.db, space, opts);
      this.db
        .prepare(
          `UPDATE embedding_spaces SET quantized = 1, ivf_lists = ?, ivf_trained_for = ?, ivf_version = ivf_version + 1,
             updated_at = ? WHERE id = ?`,
        )
        .run(report.lists, report.vectors, this.clock.now(), id);
      return report;
    });
    const report = tx();
    return { space: this.get(id)!, report };
  }

  private dropQuantizedTables(space: SpaceRow): void {
    for (const table of [space.bitsTable, space.rescoreTable, space.centroidsTable]) {
      run(this.db, sql`DROP TABLE IF EXISTS ${sql.ident(table)}`);
    }
  }

  private require(id: number): SpaceRow {
    const space = this.get(id);
    if (!space) throw new AppError('NOT_FOUND', `Embedding space ${id} does not exist.`);
    return space;
  }
}
