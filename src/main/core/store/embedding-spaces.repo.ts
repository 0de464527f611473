import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { sql, type SqlQuery } from '../db/sql';
import { spaceKey, type EmbeddingProvider, type EmbeddingSpace } from '../embeddings/types';
import { buildIvfTables, type IvfBuildReport, type IvfTables } from './ivf-index';
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
  ivf_generation: number;
  ivf_building: number | null;
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
  /** `vec_chunks_<id>_bits[_g<n>]`: bit vectors (exists only while `quantized`). */
  bitsTable: string;
  /**
   * `vec_chunks_<id>_rescore[_g<n>]`: a plain copy of the float vectors keyed by
   * chunk id (exists only while `quantized`). Rescoring reads ~100 vectors by
   * id; vec0 point lookups cost ~0.3 ms each (a vector sits inside a 1.5 MB
   * chunk blob), a B-tree row ~5 µs. Costs 1.5 KB per chunk at 384 dims.
   */
  rescoreTable: string;
  /** `vec_chunks_<id>_centroids[_g<n>]`: list id -> unit centroid (exists only while `quantized`; empty with one list). */
  centroidsTable: string;
  /** IVF lists of the bit table: 1 = unpartitioned (every vector in list 0). */
  ivfLists: number;
  /** Vectors in the space when the lists were trained (0 before any build). */
  ivfTrainedFor: number;
  /** Bumped by every build, so cached centroids of an older build are never used. */
  ivfVersion: number;
  /** The generation of the index tables search uses (their names end `_g<n>`; 0: no suffix). */
  ivfGeneration: number;
  /** The generation a build is writing beside it (store/ivf-rebuild.ts), or null. */
  ivfBuilding: number | null;
  createdAt: number;
  updatedAt: number;
}

export function vectorTableName(id: number): string {
  return `vec_chunks_${Math.trunc(id)}`;
}

/** The name suffix of an index generation: none for 0, so indexes built before generations keep their tables. */
function generationSuffix(generation: number): string {
  return generation > 0 ? `_g${Math.trunc(generation)}` : '';
}

export function bitsTableName(id: number, generation = 0): string {
  return `${vectorTableName(id)}_bits${generationSuffix(generation)}`;
}

export function rescoreTableName(id: number, generation = 0): string {
  return `${vectorTableName(id)}_rescore${generationSuffix(generation)}`;
}

export function centroidsTableName(id: number, generation = 0): string {
  return `${vectorTableName(id)}_centroids${generationSuffix(generation)}`;
}

/** The tables of one generation of a space's quantised index. */
export function ivfTablesOf(space: Pick<SpaceRow, 'id' | 'dimensions'>, generation: number): IvfTables {
  return {
    dimensions: space.dimensions,
    vectorTable: vectorTableName(space.id),
    bitsTable: bitsTableName(space.id, generation),
    rescoreTable: rescoreTableName(space.id, generation),
    centroidsTable: centroidsTableName(space.id, generation),
  };
}

function toSpace(row: EmbeddingSpaceDbRow): SpaceRow {
  return {
    ...ivfTablesOf(row, row.ivf_generation),
    id: row.id,
    spaceKey: row.space_key,
    provider: row.provider,
    model: row.model,
    dimensions: row.dimensions,
    quantized: row.quantized === 1,
    isActive: row.is_active === 1,
    ivfLists: row.ivf_lists,
    ivfTrainedFor: row.ivf_trained_for,
    ivfVersion: row.ivf_version,
    ivfGeneration: row.ivf_generation,
    ivfBuilding: row.ivf_building,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function run(db: Database, query: SqlQuery): void {
  db.prepare(query.text).run(...query.params);
}

function dropTable(name: string): SqlQuery {
  return sql`DROP TABLE IF EXISTS ${sql.ident(name)}`;
}

/** A build of a space's next index generation (see `EmbeddingSpacesRepo.beginBuild`). */
export interface IvfBuildTarget {
  spaceId: number;
  generation: number;
  tables: IvfTables;
}

/** The generations whose tables must stay: the one search uses (while quantised) and the one being built. */
function generationsInUse(space: SpaceRow): Set<number> {
  const keep = new Set(space.quantized ? [space.ivfGeneration] : []);
  if (space.ivfBuilding !== null) keep.add(space.ivfBuilding);
  return keep;
}

/**
 * The generation an index table of space `id` belongs to, from its name
 * (`vec_chunks_3_bits` 0, `vec_chunks_3_rescore_g2` 2), or null for any
 * other table: the float table, and the shadow tables sqlite-vec keeps
 * for each vec0 table (`vec_chunks_3_bits_g2_rowids`), which go with it.
 */
function indexTableGeneration(id: number, name: string): number | null {
  const match = /^_(?:bits|rescore|centroids)(?:_g(\d+))?$/.exec(name.slice(vectorTableName(id).length));
  if (!name.startsWith(vectorTableName(id)) || !match) return null;
  return match[1] === undefined ? 0 : Number(match[1]);
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
   * already stored, see `rebuildQuantized`) or off (drops its tables, and
   * stops a build under way: store/ivf-rebuild.ts sees it and gives up).
   * Needs a dimension count divisible by 8, because sqlite-vec packs 8 bits
   * per byte. Turning it on when it is already on rebuilds it.
   */
  setQuantized(id: number, on: boolean): SpaceRow {
    if (on) return this.rebuildQuantized(id).space;
    const tx = writeTransaction(this.db, () => {
      const space = this.require(id);
      this.db
        .prepare(
          `UPDATE embedding_spaces SET quantized = 0, ivf_lists = 1, ivf_trained_for = 0, updated_at = ? WHERE id = ?`,
        )
        .run(this.clock.now(), id);
      this.endBuildMark(id);
      // A build under way drops its own tables at its next step, when it sees it is no longer wanted.
      this.dropIndexTables(space.id, new Set(space.ivfBuilding === null ? [] : [space.ivfBuilding]));
    });
    tx();
    return this.get(id)!;
  }

  /**
   * Builds the quantised index from scratch in one transaction: the bit
   * table partitioned into IVF lists (k-means centroids trained on a sample
   * of the vectors, ~sqrt(N) lists, one list below `IVF_MIN_VECTORS`), the
   * rescoring copy and the centroid table, as the space's next generation,
   * which then replaces the current one. Use it to turn quantisation on and
   * to retrain once the library has outgrown its lists (`ivfOutgrown`).
   * Synchronous and heavy (~100 s at a million 384-dim vectors), holding
   * the write lock throughout: the app builds in steps from a worker thread
   * instead (store/ivf-rebuild.ts). `opts.lists` overrides the list count.
   */
  rebuildQuantized(id: number, opts: { lists?: number } = {}): { space: SpaceRow; report: IvfBuildReport } {
    const tx = writeTransaction(this.db, () => {
      const target = this.beginBuild(id);
      const report = buildIvfTables(this.db, target.tables, opts);
      this.switchTo(target, report);
      this.dropUnusedIndexTables(id);
      return report;
    });
    const report = tx();
    return { space: this.get(id)!, report };
  }

  /**
   * Starts building the space's next index generation: marks it as being
   * built (from here on VectorsRepo lists the vectors that change in
   * ivf_build_changes) and drops what an interrupted build left. Run it in
   * its own transaction, or inside `rebuildQuantized`'s.
   */
  beginBuild(id: number): IvfBuildTarget {
    const space = this.require(id);
    if (space.dimensions % 8 !== 0) {
      throw new AppError(
        'VALIDATION',
        `Quantised search needs a dimension count divisible by 8; this space has ${space.dimensions}. Keep exact search for it.`,
      );
    }
    const generation = Math.max(space.ivfGeneration, space.ivfBuilding ?? 0) + 1;
    this.db.prepare(`UPDATE embedding_spaces SET ivf_building = ? WHERE id = ?`).run(generation, id);
    this.db.prepare(`DELETE FROM ivf_build_changes WHERE space_id = ?`).run(id);
    this.dropIndexTables(id, new Set(space.quantized ? [space.ivfGeneration] : []));
    return { spaceId: id, generation, tables: ivfTablesOf(space, generation) };
  }

  /**
   * Whether `target` is still the build the space waits for: false once
   * quantisation was turned off or another build began meanwhile.
   */
  isBuilding(target: IvfBuildTarget): boolean {
    return this.get(target.spaceId)?.ivfBuilding === target.generation;
  }

  /**
   * Makes a built generation the one search uses. The caller has applied
   * ivf_build_changes to it (store/ivf-rebuild.ts) or built it in the same
   * transaction as its beginning; the tables of the generation it replaces
   * are left to `dropUnusedIndexTables`, which takes a moment at a million
   * chunks.
   */
  switchTo(target: IvfBuildTarget, report: IvfBuildReport): void {
    this.db
      .prepare(
        `UPDATE embedding_spaces SET quantized = 1, ivf_lists = ?, ivf_trained_for = ?, ivf_version = ivf_version + 1,
           ivf_generation = ?, updated_at = ? WHERE id = ?`,
      )
      .run(report.lists, report.vectors, target.generation, this.clock.now(), target.spaceId);
    this.endBuildMark(target.spaceId);
  }

  /** Stops a build that failed: its tables go, and the space stops listing changes, unless another build took over. */
  abandonBuild(target: IvfBuildTarget): void {
    const space = this.require(target.spaceId);
    if (space.ivfBuilding === target.generation) this.endBuildMark(target.spaceId);
    const { bitsTable, rescoreTable, centroidsTable } = target.tables;
    for (const table of [bitsTable, rescoreTable, centroidsTable]) run(this.db, dropTable(table));
  }

  /** Drops the index tables of generations neither in use nor being built. */
  dropUnusedIndexTables(id: number): void {
    this.dropIndexTables(id, generationsInUse(this.require(id)));
  }

  /**
   * Clears what a build that cannot be running any more left (the process
   * died during it, or between its switch and its clean-up): the mark, the
   * changes listed for it, and its tables. For the one place builds run
   * from, before it decides whether to build (maintain_search_index).
   */
  clearInterruptedBuild(id: number): void {
    const space = this.require(id);
    // Most runs find nothing to clear, and need not take the write lock to see it.
    if (space.ivfBuilding === null && this.indexTablesOutside(id, generationsInUse(space)).length === 0) return;
    const tx = writeTransaction(this.db, () => {
      this.endBuildMark(id);
      this.dropUnusedIndexTables(id);
    });
    tx();
  }

  /** No build is under way any more: the space stops listing the vectors that change. */
  private endBuildMark(id: number): void {
    this.db.prepare(`UPDATE embedding_spaces SET ivf_building = NULL WHERE id = ?`).run(id);
    this.db.prepare(`DELETE FROM ivf_build_changes WHERE space_id = ?`).run(id);
  }

  /** Drops the space's index tables of every generation not in `keep`. */
  private dropIndexTables(spaceId: number, keep: ReadonlySet<number>): void {
    for (const name of this.indexTablesOutside(spaceId, keep)) run(this.db, dropTable(name));
  }

  /** The space's index tables of generations not in `keep`. */
  private indexTablesOutside(spaceId: number, keep: ReadonlySet<number>): string[] {
    const names = this.db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'`)
      .pluck()
      .all(`${vectorTableName(spaceId).replace(/_/g, '\\_')}\\_%`) as string[];
    return names.filter((name) => {
      const generation = indexTableGeneration(spaceId, name);
      return generation !== null && !keep.has(generation);
    });
  }

  private require(id: number): SpaceRow {
    const space = this.get(id);
    if (!space) throw new AppError('NOT_FOUND', `Embedding space ${id} does not exist.`);
    return space;
  }
}
