import type { Database } from 'better-sqlite3';
import type { ColumnWeights } from './keyword-search';

/**
 * FTS5's BM25 of `match` for the listed chunks only, as `[chunkId, rank]`
 * pairs (rank is bm25(), lower is better; chunks the expression does not
 * match are left out). The IDF of each phrase is still taken over the whole
 * index, so the scores add up with those of the full query.
 *
 * `+rowid` keeps SQLite from handing the list to FTS5 as rowid seeks: each
 * seek would recount the phrases' IDF over their whole postings. Walking
 * the postings once and scoring only the listed rows is cheap.
 */
export function bm25OfRows(
  db: Database,
  match: string,
  chunkIds: Iterable<number>,
  weights: ColumnWeights,
): Array<[number, number]> {
  return db
    .prepare(
      `SELECT rowid, bm25(chunks_fts, 1.0, ?, ?) FROM chunks_fts
       WHERE chunks_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
    )
    .raw()
    .all(weights.title, weights.heading, match, JSON.stringify([...chunkIds])) as Array<[number, number]>;
}
