import type { Database } from 'better-sqlite3';
import { phrase } from './fts-query';
import { byChunkScore } from './fusion';
import type { ColumnWeights } from './keyword-search';
import { bm25OfRows } from './rows-bm25';

/**
 * Words of a question that stand next to each other in a chunk ("last
 * lines", "log file", "boundary layer") say more than the same words
 * scattered through it. BM25 scores each word alone, so the pool of keyword
 * hits is re-ordered by
 *
 *   score(chunk) = bm25(query words) + weight x bm25(adjacent word pairs as phrases)
 *
 * which is the ordered-window part of Metzler and Croft's sequential
 * dependence model, written with BM25 instead of query likelihood. Only the
 * pool is re-scored (the chunks BM25 already found), so the cost is one walk
 * of the pair phrases' postings, limited to the pool's rows.
 */

/** A keyword hit with its BM25 score (higher is better). */
export interface ScoredChunk {
  chunkId: number;
  documentId: string;
  score: number;
}

/** Adjacent pairs scored per query: a pasted paragraph should not turn into dozens of phrase walks. */
export const MAX_PAIRS = 16;

/**
 * `hits` re-ordered with the pairs' phrase scores added at `weight`.
 * Without pairs, or at weight 0, the order is BM25's.
 */
export function withProximity(
  db: Database,
  hits: readonly ScoredChunk[],
  pairs: ReadonlyArray<readonly [string, string]>,
  weights: ColumnWeights,
  weight: number,
): ScoredChunk[] {
  if (weight <= 0 || pairs.length === 0 || hits.length < 2) return [...hits];
  const rows = bm25OfRows(
    db,
    pairs
      .slice(0, MAX_PAIRS)
      .map((pair) => phrase(pair))
      .join(' OR '),
    hits.map((h) => h.chunkId),
    weights,
  );
  if (rows.length === 0) return [...hits];
  const bonus = new Map(rows.map(([chunkId, rank]) => [chunkId, -rank * weight]));
  return hits.map((h) => ({ ...h, score: h.score + (bonus.get(h.chunkId) ?? 0) })).sort(byChunkScore);
}

/**
 * Adjacent pairs of the words a query searches for, in the order typed,
 * each pair once, those `wanted` only. Words cut out of the question are
 * not there, so "the last lines of a log file" without its function words
 * pairs "last lines", "lines log" and "log file".
 */
export function adjacentPairs(
  words: readonly string[],
  wanted: (pair: readonly [string, string]) => boolean = () => true,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (let i = 0; i + 1 < words.length && pairs.length < MAX_PAIRS; i++) {
    const pair: [string, string] = [words[i]!, words[i + 1]!];
    const key = pair.join(' ');
    if (seen.has(key) || !wanted(pair)) continue;
    seen.add(key);
    pairs.push(pair);
  }
  return pairs;
}
