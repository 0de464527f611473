import type { Database } from 'better-sqlite3';
import type { ColumnWeights } from './keyword-search';
import { byChunkScore } from './fusion';
import { bm25OfMatches, bm25OfRows } from './rows-bm25';

/**
 * A "common terms" plan for FTS5 OR queries on large libraries.
 *
 * Ranking by BM25 computes it for every row that matches any OR
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

/**
 * How many times the frequent terms' rows must outnumber the rare terms'
 * for the plan to pay. It still walks the frequent terms' postings (to add
 * their share) and scores every rare row, so what it saves is scoring the
 * rows that match only frequent terms. Measured against the exact query
 * (2026-12-07, 2 cores): on a million synthetic chunks it breaks even near
 * 2.5 (3,971 rare against 11,687 frequent rows: 12.4 against 14.4 ms), on
 * Python's documentation (34,664 chunks, where the frequent terms are "a"
 * and "the", with long position lists) near 5 ("read a file", 10,079 against
 * 24,230: 30.3 against 18.6 ms; "open a socket", 4,016 against 24,230: 15.1
 * against 17.1 ms).
 */
const FREQUENT_TO_RARE = 4;

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
  /**
   * How many times the frequent terms' rows must outnumber the rare terms'
   * for the plan to be tried. Default `FREQUENT_TO_RARE`.
   */
  frequentToRare?: number;
  /**
   * Candidates the caller must find certain; a plan whose rare terms match
   * fewer rows could only fall back to the exact query, so it is not tried.
   */
  minCandidates: number;
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
 * library or the terms' postings are within the budget, no term is rare,
 * the rare terms match too few rows to fill `minCandidates`, or too many
 * against the frequent ones for the plan to pay (`FREQUENT_TO_RARE`).
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
  const rowsUpTo = (term: string, upTo: number): number => {
    // A prefix term makes FTS5 merge the postings of every word it starts
    // before the first row comes out, however small the limit. The whole
    // word alone matches no more rows, so when it already reaches the cap
    // the prefix is frequent too, and the merge is left to the scoring pass.
    if (term.endsWith('*')) {
      const whole = countUpTo.get(term.slice(0, -1), upTo) as number;
      if (whole >= upTo) return whole;
    }
    return countUpTo.get(term, upTo) as number;
  };
  const counted = terms.map((term) => ({ term, rows: rowsUpTo(term, cap) })).sort((a, b) => a.rows - b.rows);
  if (sumOfRows(counted) <= options.rowBudget) return null;

  const rare = counted.filter((t) => t.rows < frequentRows);
  const frequent = counted.slice(rare.length);
  if (rare.length === 0 || frequent.length === 0) return null;
  const rareRows = sumOfRows(rare);
  if (rareRows < options.minCandidates) return null;
  // Counted up to the cap, the frequent terms may match many more rows:
  // counted again up to what the plan needs before it is given up.
  const worthIt = (options.frequentToRare ?? FREQUENT_TO_RARE) * rareRows;
  if (sumOfRows(frequent) < worthIt) {
    for (const t of frequent) t.rows = rowsUpTo(t.term, worthIt + 1);
    if (sumOfRows(frequent) < worthIt) return null;
  }

  // Every rare-term row with the rare terms' share of the score, unsorted:
  // they are sorted once, below, with the frequent share added. All of them,
  // so no row left out has a rare share and the bound stays tight: a shorter
  // list would raise it by the last row's share, and more queries fell back.
  const scores = new Map<number, number>();
  for (const [chunkId, rank] of bm25OfMatches(db, rare.map((t) => t.term).join(' OR '), options.weights)) {
    scores.set(chunkId, -rank);
  }

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

function sumOfRows(terms: ReadonlyArray<{ rows: number }>): number {
  return terms.reduce((sum, t) => sum + t.rows, 0);
}

/**
 * The largest IDF FTS5 could give a phrase in at least `rows` of at most
 * `maxRows` rows (its formula, clamped to 1e-6 like fts5_aux.c does).
 */
function maxIdf(maxRows: number, rows: number): number {
  return Math.max(1e-6, Math.log((maxRows - rows + 0.5) / (rows + 0.5)));
}
