import type { Database } from 'better-sqlite3';
import { allowedChunks, hasFilters } from './filters';
import type { RankedChunk, SearchFilters, SnippetSegment } from './types';

export interface KeywordSearchOptions {
  /** How many chunks to return at most. */
  pool: number;
  /** BM25 weight of the title column relative to the chunk text (1). */
  titleWeight: number;
}

/** Past this many FTS candidates, a very narrow filter stops widening the search. */
const MAX_KEYWORD_CANDIDATES = 16_384; // also keeps the IN list under SQLite's 32,766 bound parameters

/**
 * Chunks matching the FTS5 expression, best BM25 first, filtered to
 * searchable documents. `match` must come from `toMatchExpression`, never
 * from user input.
 *
 * FTS5 ranks inside the virtual table (`ORDER BY rank` with the column
 * weights set through `rank MATCH 'bm25(...)'`) and hands back only the top
 * rows; the document filters are then checked for those rows alone. Joining
 * first would look up the document of every match (thousands for a common
 * word) before sorting. Like vector search, this over-fetches and widens
 * until enough chunks pass the filters.
 */
export function keywordSearch(
  db: Database,
  match: string,
  filters: SearchFilters | undefined,
  options: KeywordSearchOptions,
): RankedChunk[] {
  const weights = `bm25(1.0, ${Number(options.titleWeight).toFixed(3)})`;
  const top = db.prepare(
    `SELECT rowid AS chunkId FROM chunks_fts WHERE chunks_fts MATCH ? AND rank MATCH ? ORDER BY rank LIMIT ?`,
  );
  let k = Math.min(MAX_KEYWORD_CANDIDATES, options.pool * (hasFilters(filters) ? 4 : 1) + 16);
  for (;;) {
    const ids = (top.all(match, weights, k) as Array<{ chunkId: number }>).map((r) => r.chunkId);
    const allowed = allowedChunks(db, ids, filters);
    const hits = ids.filter((id) => allowed.has(id));
    if (hits.length >= options.pool || ids.length < k || k >= MAX_KEYWORD_CANDIDATES) {
      return hits
        .slice(0, options.pool)
        .map((chunkId, i) => ({ chunkId, documentId: allowed.get(chunkId)!, rank: i + 1 }));
    }
    k = Math.min(MAX_KEYWORD_CANDIDATES, k * 4);
  }
}

// Private-use characters as highlight markers: they cannot be confused with
// markup, and the output is split into segments rather than rendered as HTML.
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Keyword-highlighted snippets of the chunk text for these chunks, keyed by
 * chunk id. Chunks whose text holds no match (e.g. only the title matched)
 * are left out, so the caller can pick another snippet.
 */
export function keywordSnippets(
  db: Database,
  match: string,
  chunkIds: readonly number[],
  tokens = 40,
): Map<number, SnippetSegment[]> {
  const out = new Map<number, SnippetSegment[]>();
  if (chunkIds.length === 0) return out;
  // One statement per chunk with `rowid = ?`: FTS5 seeks straight to the row,
  // whereas `rowid IN (...)` makes it walk every match of the query.
  const stmt = db
    .prepare(`SELECT snippet(chunks_fts, 0, ?, ?, '…', ?) FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid = ?`)
    .pluck();
  for (const chunkId of chunkIds) {
    // BigInt binds an INTEGER: with a REAL rowid FTS5 returned the first match instead.
    const text = stmt.get(OPEN, CLOSE, tokens, match, BigInt(chunkId)) as string | undefined;
    if (text === undefined) continue;
    const segments = toSegments(text);
    if (segments.some((s) => s.match)) out.set(chunkId, segments);
  }
  return out;
}

function toSegments(marked: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let match = false;
  for (const piece of marked.split(/([\uE000\uE001])/)) {
    if (piece === OPEN) match = true;
    else if (piece === CLOSE) match = false;
    else if (piece.length > 0) {
      const last = segments[segments.length - 1];
      if (last && last.match === match) last.text += piece;
      else segments.push({ text: piece, match });
    }
  }
  return segments;
}
