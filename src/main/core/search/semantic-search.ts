import type { Database } from 'better-sqlite3';
import { sql, type SqlQuery } from '../db/sql';
import type { SpaceRow } from '../store/embedding-spaces.repo';
import { loadCentroids } from '../store/ivf-index';
import { nearestLists } from './ivf-kmeans';
import { allowedChunks, hasFilters } from './filters';
import type { RankedChunk, SearchFilters } from './types';

/** sqlite-vec refuses larger k in a KNN query. */
export const MAX_KNN_K = 4096;

/**
 * IVF lists rescored whole per query: the nearest one. It holds most of the
 * exact top 10 (93% at 1M on bench/search-speed.bench.ts); a second adds
 * ~0.005 recall@10 for ~5 ms at 1M.
 */
export const DEFAULT_WHOLE_LISTS = 1;

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
  /**
   * Quantised spaces with IVF lists: how many of the probed lists, nearest
   * first, are rescored whole rather than cut by Hamming distance. Default 1
   * (`DEFAULT_WHOLE_LISTS`).
   */
  wholeLists?: number;
  /**
   * Quantised spaces with IVF lists: nearest bit vectors taken from each of
   * the other probed lists; all of them are rescored. Default `defaultPerListK()`.
   */
  perListK?: number;
}

/**
 * Lists probed when the caller does not say: a tenth of the lists, at least
 * 8 and at most 32. On bench/search-speed.bench.ts (clustered vectors) 32
 * probes give recall@10 0.963 at 100k (316 lists, whose neighbours spread
 * widely) and 0.987 at 1M (1000 lists: 93% of the exact top 10 sit in the
 * nearest list, 99.6% in the nearest 30); more lists cost ~0.3 ms each.
 */
export function defaultProbes(lists: number): number {
  return Math.min(lists, Math.max(8, Math.min(32, Math.ceil(lists / 10))));
}

/**
 * Bit vectors taken from each probed list after the whole ones. The true
 * neighbours in those lists are few and on the query's side of their list,
 * so a short Hamming cut keeps them: 16 loses 0.003-0.005 recall@10 against
 * 32 on the benchmark, 64 gains nothing at 100k for 3 ms more.
 */
export function defaultPerListK(): number {
  return 32;
}

export interface SemanticHit extends RankedChunk {
  /** Cosine distance (0 = same direction). */
  distance: number;
}

export type Space = Pick<
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
 * `firstPass`, when its k is the first one asked, stands for the first
 * `nearestCandidates` (done on another connection meanwhile).
 */
export function semanticSearch(
  db: Database,
  space: Space,
  vector: Float32Array,
  filters: SearchFilters | undefined,
  options: SemanticSearchOptions,
  firstPass?: FirstPass,
): SemanticHit[] {
  let k = firstPassK(options.pool, filters);
  for (;;) {
    const { candidates, complete } =
      firstPass && firstPass.k === k ? firstPass.found : nearestCandidates(db, space, vector, k, options);
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

/**
 * The k of the first pass. Without filters only documents in flux (not
 * 'completed') drop out, so ask for the pool itself and widen only if needed.
 */
export function firstPassK(pool: number, filters: SearchFilters | undefined): number {
  return Math.min(MAX_KNN_K, pool * (hasFilters(filters) ? 4 : 1));
}

/** A first pass done elsewhere (vector-scan-thread.ts): the `k` it asked for and what it found. */
export interface FirstPass {
  k: number;
  found: CandidateSet;
}

/**
 * The `k` chunks nearest `vector`, unfiltered: an exact scan, or the bit
 * table's candidates rescored when the space is quantised.
 */
export function nearestCandidates(
  db: Database,
  space: Space,
  vector: Float32Array,
  k: number,
  options: SemanticSearchOptions,
): CandidateSet {
  if (scansExactly(space, options)) return exactCandidates(db, space, vector, k);
  // Over-fetching for filters and widening probe proportionally more lists
  // too: the nearest lists alone may not hold the chunks that pass the filters.
  return quantizedCandidates(db, space, vector, k, {
    oversample: options.oversample ?? 2,
    minCandidates: options.minCandidates ?? 100,
    probes: Math.ceil(((options.probes ?? defaultProbes(space.ivfLists)) * k) / Math.max(1, options.pool)),
    wholeLists: options.wholeLists ?? DEFAULT_WHOLE_LISTS,
    perListK: options.perListK ?? defaultPerListK(),
  });
}

/** Whether a first pass reads every vector (the vec0 table) rather than the fast-search index's candidates. */
export function scansExactly(space: Space, options: Pick<SemanticSearchOptions, 'useQuantized'>): boolean {
  return !space.quantized || options.useQuantized === false;
}

interface Candidate {
  chunkId: number;
  distance: number;
}

/** A first pass's candidates; `complete` when it saw every vector and still found fewer than asked. */
export interface CandidateSet {
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
  opts: { oversample: number; minCandidates: number; probes: number; wholeLists: number; perListK: number },
): CandidateSet {
  const wanted = Math.min(MAX_KNN_K, Math.max(k, opts.minCandidates, Math.ceil(k * opts.oversample)));
  const probeAll = space.ivfLists <= 1 || opts.probes >= space.ivfLists;
  if (probeAll) {
    // One list (or all of them): sqlite-vec's KNN cost grows with k times
    // the rows scanned, so ask for no more candidates than recall needs.
    const ids = hammingNearest(db, space, vector, wanted, sql.empty);
    if (ids.length > wanted) ids.length = wanted;
    return { candidates: rescore(db, space, vector, ids, k), complete: ids.length < wanted };
  }
  // Sign bits order the members of one list (all near one centroid) too
  // roughly for a Hamming cut: at 1M the exact top 10 of the nearest list sit
  // anywhere in its first ~280 of ~1,000 by Hamming distance, and that list
  // holds 93% of them. So the nearest lists are rescored whole (sqlite-vec
  // caps k at the list's size), and only the further lists, which hold few
  // true neighbours and those on the query's side, are cut. With
  // `list IN (...)` sqlite-vec runs one KNN per list and returns up to k rows from each.
  const lists = nearestLists(
    loadCentroids(db, space.centroidsTable, space.dimensions, space.ivfVersion),
    space.dimensions,
    vector,
    opts.probes,
  );
  const whole = Math.min(lists.length, Math.max(0, opts.wholeLists));
  const ids =
    whole > 0 ? hammingNearest(db, space, vector, MAX_KNN_K, sql` AND list IN ${sql.list(lists.slice(0, whole))}`) : [];
  if (whole < lists.length) {
    const rest = lists.slice(whole);
    const perList = Math.min(MAX_KNN_K, Math.max(opts.perListK, Math.ceil(wanted / rest.length)));
    ids.push(...hammingNearest(db, space, vector, perList, sql` AND list IN ${sql.list(rest)}`));
  }
  return { candidates: rescore(db, space, vector, ids, k), complete: false };
}

/** Chunk ids of the `k` bit vectors nearest `vector` (per list when `lists` restricts to several lists). */
function hammingNearest(db: Database, space: Space, vector: Float32Array, k: number, lists: SqlQuery): number[] {
  const q = sql`SELECT rowid FROM ${sql.ident(space.bitsTable)}
    WHERE embedding MATCH vec_quantize_binary(${blob(vector)}) AND k = ${k}${lists}`;
  return db
    .prepare(q.text)
    .pluck()
    .all(...q.params) as number[];
}

/**
 * Exact cosine distances of the candidates, nearest `k` first, from the
 * plain rescoring copy (vec0 point lookups are ~60x slower than B-tree
 * rows). The ids go in as one JSON array, so thousands of them need no bound
 * parameter each, in ascending order so SQLite walks the primary key in
 * order (1,000 random rows at 1M: 3.9 ms instead of 6.6). The distances stay
 * in SQL and only the best `k` rows come back: handing 1,300 blobs to
 * JavaScript to score there costs twice as much as vec_distance_cosine.
 */
function rescore(db: Database, space: Space, vector: Float32Array, ids: number[], k: number): Candidate[] {
  if (ids.length === 0) return [];
  ids.sort((a, b) => a - b);
  const q = sql`SELECT chunk_id AS chunkId, vec_distance_cosine(embedding, ${blob(vector)}) AS distance
    FROM ${sql.ident(space.rescoreTable)} WHERE chunk_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    ORDER BY distance, chunk_id LIMIT ${k}`;
  return db.prepare(q.text).all(...q.params) as Candidate[];
}
