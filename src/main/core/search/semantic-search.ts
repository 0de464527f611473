import type { Database } from 'better-sqlite3';
import { sql } from '../db/sql';
import type { SpaceRow } from '../store/embedding-spaces.repo';
import { allowedChunks, hasFilters } from './filters';
import type { RankedChunk, SearchFilters } from './types';

/** sqlite-vec refuses larger k in a KNN query. */
export const MAX_KNN_K = 4096;

export interface SemanticSearchOptions {
  /** How many chunks to return at most. */
  pool: number;
  /**
   * Quantised spaces: bit-table candidates per wanted hit, rescored with the
   * float vectors. Default 2 (`minCandidates` covers the top 10).
   */
  oversample?: number;
  /** Quantised spaces: never fewer first-pass candidates than this. Default 100. */
  minCandidates?: number;
  /** Use the bit table when it exists. Default true. */
  useQuantized?: boolean;
}

export interface SemanticHit extends RankedChunk {
  /** Cosine distance (0 = same direction). */
  distance: number;
}

type Space = Pick<SpaceRow, 'vectorTable' | 'bitsTable' | 'rescoreTable' | 'quantized'>;

function blob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Nearest chunks to `vector` in the space, filtered to searchable documents.
 *
 * vec0 cannot join during KNN, so filters are applied afterwards: k is
 * over-fetched (more when filters are set) and doubled until enough chunks
 * survive or k reaches sqlite-vec's limit. This keeps the vec0 tables plain
 * (no metadata columns to keep in step with documents whose status, title or
 * connector change) at the price of weaker recall for very narrow filters.
 */
export function semanticSearch(
  db: Database,
  space: Space,
  vector: Float32Array,
  filters: SearchFilters | undefined,
  options: SemanticSearchOptions,
): SemanticHit[] {
  const quantized = space.quantized && (options.useQuantized ?? true);
  // Without filters only documents in flux (not 'completed') drop out, so ask
  // for the pool itself and widen only if needed.
  let k = Math.min(MAX_KNN_K, options.pool * (hasFilters(filters) ? 4 : 1));
  for (;;) {
    const candidates = quantized
      ? quantizedCandidates(db, space, vector, k, options.oversample ?? 2, options.minCandidates ?? 100)
      : exactCandidates(db, space, vector, k);
    const allowed = allowedChunks(
      db,
      candidates.map((c) => c.chunkId),
      filters,
    );
    const hits: SemanticHit[] = [];
    for (const c of candidates) {
      const documentId = allowed.get(c.chunkId);
      if (documentId !== undefined) hits.push({ chunkId: c.chunkId, documentId, distance: c.distance, rank: 0 });
    }
    const exhausted = candidates.length < k || k >= MAX_KNN_K;
    if (hits.length >= options.pool || exhausted) {
      hits.sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId);
      return hits.slice(0, options.pool).map((h, i) => ({ ...h, rank: i + 1 }));
    }
    k = Math.min(MAX_KNN_K, k * 2);
  }
}

interface Candidate {
  chunkId: number;
  distance: number;
}

function exactCandidates(db: Database, space: Space, vector: Float32Array, k: number): Candidate[] {
  const q = sql`SELECT rowid AS chunkId, distance FROM ${sql.ident(space.vectorTable)} WHERE embedding MATCH ${blob(vector)} AND k = ${k}`;
  return db.prepare(q.text).all(...q.params) as Candidate[];
}

/**
 * First pass on the bit table (Hamming distance over sign bits), then the
 * exact cosine distance for those candidates from the float vectors.
 */
function quantizedCandidates(
  db: Database,
  space: Space,
  vector: Float32Array,
  k: number,
  oversample: number,
  minCandidates: number,
): Candidate[] {
  // sqlite-vec's KNN cost grows with k as well as with the table size, so the
  // first pass asks for no more candidates than recall needs.
  const firstK = Math.min(MAX_KNN_K, Math.max(k, minCandidates, Math.ceil(k * oversample)));
  const first = sql`SELECT rowid FROM ${sql.ident(space.bitsTable)} WHERE embedding MATCH vec_quantize_binary(${blob(vector)}) AND k = ${firstK}`;
  const ids = db
    .prepare(first.text)
    .pluck()
    .all(...first.params) as number[];
  if (ids.length === 0) return [];
  // Rescore from the plain copy: vec0 point lookups are ~60x slower than B-tree rows.
  const rescore = sql`SELECT chunk_id AS chunkId, vec_distance_cosine(embedding, ${blob(vector)}) AS distance
    FROM ${sql.ident(space.rescoreTable)} WHERE chunk_id IN ${sql.list(ids)}`;
  const rows = db.prepare(rescore.text).all(...rescore.params) as Candidate[];
  rows.sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId);
  return rows.slice(0, k);
}
