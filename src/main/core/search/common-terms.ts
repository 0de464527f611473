import type { Database } from 'better-sqlite3';
import type { ColumnWeights } from './keyword-search';
import { byChunkScore } from './fusion';
import { bm25OfRows } from './rows-bm25';

/**
 * A "common terms" plan for FTS5 OR queries on large libraries.
 *
 * `ORDER BY rank` makes FTS5 compute BM25 for every row that matches any OR
 * term, so one frequent word (matched by a tenth of a million-chunk library)
 * costs hundreds of milliseconds however rare the other words are. FTS5's
 * bm25() is a sum over the query's phrases, each with its own IDF taken over
 * the whole table, so the score splits exactly:
 *
 *   score(row) = bm25(rare terms)(row) + bm25(frequent terms)(row)
 *
 * The plan ranks every row matching the rare terms (few rows: cheap), then
 * adds the frequent terms' share for those rows only, in one pass over the
 * frequent terms' postings that scores just those rows (bm25 walks the
 * postings once more to count them for the IDF). A row outside that set
 * matches only frequent terms, and its score is below a bound computed from
 * their document frequencies (IDF x (k1 + 1)); every candidate scoring above
 * it is in its exact BM25 place. The caller checks that bound on the rows it
 * shows and runs the exact query when it cannot be met.
 */

/** FTS5's bm25 k1 (fts5_aux.c): a phrase's term-frequency factor stays below k1 + 1. */
const BM25_K1 = 1.2;

export interface SplitPlanOptions {
  /**
   * Matching rows (summed over the OR terms) up to which the exact query is
   * cheap enough; above it the terms are split into rare and frequent ones.
   */
  rowBudget: number;
  /**
   * Share of the library's rows above which a term counts as frequent (and
   * below which it is always rare, whatever the budget).
   */
  frequentShare: number;
  /** bm25's column weights, rounded as the exact query rounds them. */
  weights: ColumnWeights;
}

export interface ScoredCandidate {
  chunkId: number;
  /** Full BM25 score of the query (higher is better; FTS5's rank is its negation). */
  score: number;
}

export interface SplitPlanResult {
  /** Every row matching a rare term, best full score first (ties by chunk id). */
  ranked: ScoredCandidate[];
  /** No row outside `ranked` scores above this: candidates above it are in their exact place. */
  bound: number;
  /**
   * A tighter bound, from exact document frequencies of the frequent terms
   * (their postings are walked once more): call it only when `bound` leaves
   * too few candidates certain.
   */
  tightenBound: () => number;
}

// A MATCH expression of loose words as toMatchExpression writes it: quoted
// strings (a doubled quote is a literal one), each maybe a prefix, OR-ed.
const QUOTED = String.raw`"(?:[^"]|"")*"\*?`;
const OR_OF_QUOTED = new RegExp(String.raw`^${QUOTED}(?: OR ${QUOTED})*$`, 'u');
const QUOTED_GLOBAL = new RegExp(QUOTED, 'gu');

/** The OR-ed terms of `match`, or null when it is anything else (phrases AND-ed, one term). */
export function orTerms(match: string): string[] | null {
  if (!OR_OF_QUOTED.test(match)) return null;
  const terms = match.match(QUOTED_GLOBAL) ?? [];
  return terms.length >= 2 ? terms : null;
}

/**
 * Runs the split plan for `match`, or returns null when the exact query is
 * the better (or only) choice: the match is not a plain OR of terms, the
 * library or the terms' postings are within the budget, or no term is rare.
 */
export function splitPlanSearch(db: Database, match: string, options: SplitPlanOptions): SplitPlanResult | null {
  const terms = orTerms(match);
  if (!terms) return null;
  // Rowids are chunk ids (positive, AUTOINCREMENT), so the largest one bounds
  // the row count from above; that is the side a safe IDF bound needs.
  const maxRowid = db.prepare(`SELECT rowid FROM chunks_fts ORDER BY rowid DESC LIMIT 1`).pluck().get() as
    number | undefined;
  if (maxRowid === undefined || maxRowid <= options.rowBudget) return null;

  // A frequent term can be left out of the candidate search only because its
  // IDF (and so the most it adds to a score) is small; a term in more than
  // this many rows adds at most ln(1 / share) x (k1 + 1).
  const frequentRows = Math.max(options.rowBudget, Math.ceil(options.frequentShare * maxRowid));
  // Postings per term, counted only up to just past that: enough to tell
  // rare from frequent without walking a frequent term to its end.
  const cap = frequentRows + 1;
  const countUpTo = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)`)
    .pluck();
  const rowsUpToCap = (term: string): number => {
    // A prefix term makes FTS5 merge the postings of every word it starts
    // before the first row comes out, however small the limit. The whole
    // word alone matches no more rows, so when it already reaches the cap
    // the prefix is frequent too, and the merge is left to the scoring pass.
    if (term.endsWith('*')) {
      const whole = countUpTo.get(term.slice(0, -1), cap) as number;
      if (whole >= cap) return whole;
    }
    return countUpTo.get(term, cap) as number;
  };
  const counted = terms.map((term) => ({ term, rows: rowsUpToCap(term) })).sort((a, b) => a.rows - b.rows);
  if (counted.reduce((sum, t) => sum + t.rows, 0) <= options.rowBudget) return null;

  const rare = counted.filter((t) => t.rows < frequentRows);
  const rareRows = rare.reduce((sum, t) => sum + t.rows, 0);
  const frequent = counted.slice(rare.length);
  if (rare.length === 0 || frequent.length === 0) return null;

  // Every rare-term row, ranked by the rare terms' share of the score. The
  // limit is never reached (those terms' rows were counted exactly), so no
  // row left out has a rare share and the bound stays tight: a shorter list
  // would raise it by the last row's share, and more queries fell back.
  const rareRanked = db
    .prepare(`SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH ? AND rank MATCH ? ORDER BY rank LIMIT ?`)
    .raw()
    .all(rare.map((t) => t.term).join(' OR '), options.weights.rankFunction, rareRows) as Array<[number, number]>;
  const scores = new Map<number, number>();
  for (const [chunkId, rank] of rareRanked) scores.set(chunkId, -rank);

  // The frequent terms' share, for those rows only.
  if (scores.size > 0) {
    const shares = bm25OfRows(db, frequent.map((t) => t.term).join(' OR '), scores.keys(), options.weights);
    for (const [chunkId, rank] of shares) scores.set(chunkId, scores.get(chunkId)! - rank);
  }
  const ranked = [...scores].map(([chunkId, score]) => ({ chunkId, score }));
  ranked.sort(byChunkScore);

  // A hair above the sum, so that rounding cannot make a tie look certain.
  const boundFrom = (rowsPerTerm: readonly number[]): number =>
    rowsPerTerm.reduce((sum, rows) => sum + maxIdf(maxRowid, rows) * (BM25_K1 + 1), 0) * (1 + 1e-9);
  return {
    ranked,
    bound: boundFrom(frequent.map((t) => t.rows)),
    tightenBound: () => {
      const count = db.prepare(`SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?`).pluck();
      return boundFrom(frequent.map((t) => count.get(t.term) as number));
    },
  };
}

/**
 * The largest IDF FTS5 could give a phrase in at least `rows` of at most
 * `maxRows` rows (its formula, clamped to 1e-6 like fts5_aux.c does).
 */
function maxIdf(maxRows: number, rows: number): number {
  return Math.max(1e-6, Math.log((maxRows - rows + 0.5) / (rows + 0.5)));
}
