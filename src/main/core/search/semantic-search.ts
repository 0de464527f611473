import type { Database } from 'better-sqlite3';
import { sql } from '../db/sql';
import type { SpaceRow } from '../store/embedding-spaces.repo';
import { loadCentroids } from '../store/ivf-index';
import { nearestLists } from '../store/ivf-kmeans';
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
  /**
   * Quantised spaces with IVF lists: lists probed per query (widening for
   * filters probes more). Default `defaultProbes(lists)`.
   */
  probes?: number;
}

/**
 * Lists probed when the caller does not say: a tenth of the lists (100 at
 * 1000 lists), never fewer than 8, so recall holds as the index grows.
 * Chosen on bench/search-speed.bench.ts (clustered vectors: at 100k, 5% of
 * the lists gave recall@10 0.94, more candidates per list did not help).
 */
export function defaultProbes(lists: number): number {
  return Math.min(lists, Math.max(8, Math.ceil(lists / 10)));
}

export interface SemanticHit extends RankedChunk {
  /** Cosine distance (0 = same direction). */
  distance: number;
}

type Space = Pick<
  SpaceRow,
  | 'vectorTable'
  | 'bitsTable'
  | 'rescoreTable'
  | 'quantized'
  | 'centroidsTable'
  | 'dimensions'
  | 'ivfLists'
  | 'ivfVersion'
>;

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
    // Over-fetching for filters and widening probe proportionally more lists
    // too: the nearest lists alone may not hold the chunks that pass the filters.
    const { candidates, complete } = quantized
      ? quantizedCandidates(db, space, vector, k, {
          oversample: options.oversample ?? 2,
          minCandidates: options.minCandidates ?? 100,
          probes: Math.ceil(((options.probes ?? defaultProbes(space.ivfLists)) * k) / Math.max(1, options.pool)),
        })
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
    const exhausted = complete || k >= MAX_KNN_K;
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

/** A first pass's candidates; `complete` when it saw every vector and still found fewer than asked. */
interface CandidateSet {
  candidates: Candidate[];
  complete: boolean;
}

function exactCandidates(db: Database, space: Space, vector: Float32Array, k: number): CandidateSet {
  const q = sql`SELECT rowid AS chunkId, distance FROM ${sql.ident(space.vectorTable)} WHERE embedding MATCH ${blob(vector)} AND k = ${k}`;
  const candidates = db.prepare(q.text).all(...q.params) as Candidate[];
  return { candidates, complete: candidates.length < k };
}

/**
 * First pass on the bit table (Hamming distance over sign bits), restricted
 * to the IVF lists nearest the query when the index has lists, then the
 * exact cosine distance for those candidates from the float vectors.
 */
function quantizedCandidates(
  db: Database,
  space: Space,
  vector: Float32Array,
  k: number,
  opts: { oversample: number; minCandidates: number; probes: number },
): CandidateSet {
  // sqlite-vec's KNN cost grows with k times the rows scanned, so the first
  // pass asks for no more candidates than recall needs, from as few lists as recall allows.
  const firstK = Math.min(MAX_KNN_K, Math.max(k, opts.minCandidates, Math.ceil(k * opts.oversample)));
  const probeAll = space.ivfLists <= 1 || opts.probes >= space.ivfLists;
  const lists = probeAll
    ? sql.empty
    : sql` AND list IN ${sql.list(
        nearestLists(
          loadCentroids(db, space.centroidsTable, space.dimensions, space.ivfVersion),
          space.dimensions,
          vector,
          opts.probes,
        ),
      )}`;
  // With `list IN (...)` sqlite-vec runs one KNN per list and returns up to
  // k rows from each, so the global Hamming top firstK is cut here.
  const first = sql`SELECT rowid AS chunkId, distance FROM ${sql.ident(space.bitsTable)}
    WHERE embedding MATCH vec_quantize_binary(${blob(vector)}) AND k = ${firstK}${lists}`;
  const hamming = db.prepare(first.text).all(...first.params) as Candidate[];
  if (hamming.length > firstK) hamming.sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId);
  const ids = hamming.slice(0, firstK).map((c) => c.chunkId);
  const complete = probeAll && ids.length < firstK;
  if (ids.length === 0) return { candidates: [], complete };
  // Rescore from the plain copy: vec0 point lookups are ~60x slower than B-tree rows.
  const rescore = sql`SELECT chunk_id AS chunkId, vec_distance_cosine(embedding, ${blob(vector)}) AS distance
    FROM ${sql.ident(space.rescoreTable)} WHERE chunk_id IN ${sql.list(ids)}`;
  const rows = db.prepare(rescore.text).all(...rescore.params) as Candidate[];
  rows.sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId);
  return { candidates: rows.slice(0, k), complete };
}
