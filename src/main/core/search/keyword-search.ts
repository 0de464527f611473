import type { Database } from 'better-sqlite3';
import { withoutWordsOfHalfTheLibrary } from './half-the-library';
import { CandidateFilter } from './filters';
import { splitPlanSearch, type SplitPlanResult } from './common-terms';
import { withProximity, type ScoredChunk } from './keyword-proximity';
import { withNavigationDiscount } from './navigation-chunks';
import { bestRowsByBm25 } from './rows-bm25';
import type { RankedChunk, SearchFilters } from './types';

export interface KeywordSearchOptions {
  /** How many chunks to return at most. */
  pool: number;
  /** BM25 weight of the title column relative to the chunk text (1). */
  titleWeight: number;
  /** BM25 weight of the heading-path column relative to the chunk text (1). */
  headingWeight: number;
  /**
   * 'auto' (default) uses the split plan of common-terms.ts when a plain OR
   * query's terms match more rows than `rowBudget`; 'exact' always runs the
   * single FTS5 query.
   */
  plan?: 'auto' | 'exact';
  /**
   * Matching rows (summed over the OR terms) the exact query may score.
   * Default 10,000: about 10 ms of FTS5 BM25 on an idle core, and more
   * than a 10,000-chunk library holds, so such libraries always get the
   * exact plan (on the 100k-chunk benchmark, 10 queries in 200 split).
   */
  rowBudget?: number;
  /**
   * The split plan must prove that its first `exactTop` hits (after
   * filters, capped at `pool`) are in their exact BM25 place, or the exact
   * query runs instead. Default 50 (a first page of 10 documents draws on up
   * to 4 chunks each). Deeper hits come in BM25 order, but rows matching
   * only frequent words are left out.
   */
  exactTop?: number;
  /**
   * In the split plan, a term matching more than this share of the library
   * (and more than `rowBudget` rows) is frequent: it is scored only for the
   * rows found by the rarer terms. Default 0.01: such a term adds at most
   * ln(100) x 2.2 ~ 10 to a BM25 score, low enough for the top hits to be
   * proven (the idea of Elasticsearch's former common-terms query).
   */
  frequentShare?: number;
  /** How many times the frequent terms' rows must outnumber the rare terms' for the split plan (common-terms.ts). */
  frequentToRare?: number;
  /** Adjacent query words whose phrase raises a chunk's score (keyword-proximity.ts). */
  pairs?: ReadonlyArray<readonly [string, string]>;
  /** Weight of the pairs' phrase score against the words' BM25. Default 0 (off). */
  proximityWeight?: number;
  /** Multiplier of a navigation chunk's score (navigation-chunks.ts). Default 1 (off). */
  navigationWeight?: number;
}

/** Which query answered: the exact one, the split plan, or the exact one after the split plan could not prove its top hits. */
export type KeywordPlan = 'exact' | 'split' | 'fallback';

const DEFAULT_ROW_BUDGET = 10_000;
const DEFAULT_EXACT_TOP = 50;
const DEFAULT_FREQUENT_SHARE = 0.01;

/** Past this many FTS candidates, a very narrow filter stops widening the search. */
const MAX_KEYWORD_CANDIDATES = 16_384; // also keeps the IN list under SQLite's 32,766 bound parameters

/**
 * Chunks matching the FTS5 expression, best BM25 first, filtered to
 * searchable documents. `match` must come from `toMatchExpression`, never
 * from user input.
 */
export function keywordSearch(
  db: Database,
  match: string,
  filters: SearchFilters | undefined,
  options: KeywordSearchOptions,
): RankedChunk[] {
  return keywordSearchWithPlan(db, match, filters, options).hits;
}

/** `keywordSearch`, also saying which plan answered (for benchmarks and tests). */
export function keywordSearchWithPlan(
  db: Database,
  match: string,
  filters: SearchFilters | undefined,
  options: KeywordSearchOptions,
): { hits: RankedChunk[]; plan: KeywordPlan } {
  const weights = columnWeights(options.titleWeight, options.headingWeight);
  const { hits, plan } = scoredHits(db, withoutWordsOfHalfTheLibrary(db, match), filters, options, weights);
  const near = withProximity(db, hits, options.pairs ?? [], weights, options.proximityWeight ?? 0);
  const ordered = withNavigationDiscount(db, near, options.navigationWeight ?? 1);
  return { hits: ordered.map((h, i) => ({ chunkId: h.chunkId, documentId: h.documentId, rank: i + 1 })), plan };
}

/** The pool by BM25 alone, from the split plan when it can prove its top hits, else from the exact query. */
function scoredHits(
  db: Database,
  match: string,
  filters: SearchFilters | undefined,
  options: KeywordSearchOptions,
  weights: ColumnWeights,
): { hits: ScoredChunk[]; plan: KeywordPlan } {
  // One check for the search: what it learns of a narrow filter serves the fallback too.
  const check = new CandidateFilter(db, filters, {
    documents: MAX_KEYWORD_CANDIDATES / 8,
    chunks: MAX_KEYWORD_CANDIDATES * 3,
  });
  if ((options.plan ?? 'auto') === 'auto') {
    const mustBeCertain = Math.min(options.exactTop ?? DEFAULT_EXACT_TOP, options.pool);
    const split = splitPlanSearch(db, match, {
      rowBudget: options.rowBudget ?? DEFAULT_ROW_BUDGET,
      frequentShare: options.frequentShare ?? DEFAULT_FREQUENT_SHARE,
      weights,
      frequentToRare: options.frequentToRare,
      minCandidates: mustBeCertain,
    });
    if (split) {
      const hits = certainHits(split, check, options.pool, mustBeCertain);
      if (hits) return { hits, plan: 'split' };
      return { hits: exactSearch(db, match, check, options.pool, weights), plan: 'fallback' };
    }
  }
  return { hits: exactSearch(db, match, check, options.pool, weights), plan: 'exact' };
}

/**
 * bm25()'s column weights (chunk text, title, heading path), rounded to 3
 * decimals: the exact query passes them as text, and the split plan must
 * use the very same numbers.
 */
export interface ColumnWeights {
  title: number;
  heading: number;
  /** `bm25(1.0, title, heading)`, for `rank MATCH`. */
  rankFunction: string;
}

export function columnWeights(title: number, heading: number): ColumnWeights {
  const t = Number(Number(title).toFixed(3));
  const h = Number(Number(heading).toFixed(3));
  return { title: t, heading: h, rankFunction: `bm25(1.0, ${t.toFixed(3)}, ${h.toFixed(3)})` };
}

/**
 * The split plan's candidates that pass the filters, or null when fewer than
 * `mustBeCertain` of them are provably in their exact place: then rows
 * matching only the frequent terms could belong among them.
 */
function certainHits(
  split: SplitPlanResult,
  check: CandidateFilter,
  pool: number,
  mustBeCertain: number,
): ScoredChunk[] | null {
  const { ranked } = split;
  const hits = passingInSlices(check, ranked.slice(0, MAX_KEYWORD_CANDIDATES), pool, firstCandidates(pool, check));
  if (hits.length < mustBeCertain) return null;
  if (mustBeCertain > 0) {
    const weakest = hits[mustBeCertain - 1]!.score;
    if (weakest <= split.bound && weakest <= split.tightenBound()) return null;
  }
  return hits.slice(0, pool);
}

/**
 * The single FTS5 query: it ranks by BM25 (with the column weights set
 * through `rank MATCH 'bm25(...)'`) and hands back only the top rows; the
 * document filters are then checked for those rows alone. Joining first
 * would look up the document of every match (thousands for a common word)
 * before sorting. Like vector search, this over-fetches and widens until
 * enough chunks pass the filters.
 */
function exactSearch(
  db: Database,
  match: string,
  check: CandidateFilter,
  pool: number,
  weights: ColumnWeights,
): ScoredChunk[] {
  const read = (k: number): Array<{ chunkId: number; score: number }> =>
    bestRowsByBm25(db, match, weights, k).map(([chunkId, rank]) => ({ chunkId, score: -rank }));
  const first = firstCandidates(pool, check);
  let k = first;
  let rows = read(k);
  let hits = passingInSlices(check, rows, pool, k);
  while (hits.length < pool && rows.length === k && k < MAX_KEYWORD_CANDIDATES) {
    k = nextRead(k, hits.length, pool);
    rows = read(k);
    hits = passingInSlices(check, rows, pool, first * 4);
  }
  return hits;
}

/**
 * How many candidates to read again when `passed` of the first `k` passed
 * the filters and `pool` are wanted: what the share that passed says is
 * needed, with a margin, and at least twice as many. Every read ranks all
 * of the query's matches again (15 ms for a word in 19,000 chunks), so a
 * filter that passed none reads as far as it may at once.
 */
function nextRead(k: number, passed: number, pool: number): number {
  if (passed === 0) return MAX_KEYWORD_CANDIDATES;
  return Math.min(MAX_KEYWORD_CANDIDATES, Math.max(k * 2, Math.ceil(((pool * k) / passed) * 1.25)));
}

/** The candidates read first: the pool itself, or four times as many when filters may turn some away. */
function firstCandidates(pool: number, check: CandidateFilter): number {
  return Math.min(MAX_KEYWORD_CANDIDATES, pool * (check.narrows ? 4 : 1) + 16);
}

/**
 * The first `pool` of `ranked` (best first) that pass the filters, with
 * their documents. The filters are checked on the first `slice` candidates,
 * then on four times as many at a time, each candidate once, until enough
 * pass or none are left.
 */
function passingInSlices(
  check: CandidateFilter,
  ranked: readonly { chunkId: number; score: number }[],
  pool: number,
  slice: number,
): ScoredChunk[] {
  const hits: ScoredChunk[] = [];
  for (let from = 0, to = Math.min(slice, ranked.length); from < ranked.length && hits.length < pool;) {
    const part = ranked.slice(from, to);
    const allowed = check.allowed(part.map((c) => c.chunkId));
    for (const c of part) {
      const documentId = allowed.get(c.chunkId);
      if (documentId !== undefined) hits.push({ chunkId: c.chunkId, documentId, score: c.score });
    }
    from = to;
    to = Math.min(ranked.length, to * 4);
  }
  return hits.slice(0, pool);
}
