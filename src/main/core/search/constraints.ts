import type { Database } from 'better-sqlite3';
import { indexedPhrase } from '../db/cjk-terms';
import { inTitle, phrase } from './fts-query';
import type { QuerySyntax } from './query-syntax';
import type { RankedChunk } from './types';

/**
 * What a query demands of every result, whichever list found it: its
 * phrases and `title:` words must be in the chunk, and no document may hold
 * a word or phrase it excludes. The keyword list meets them through its
 * MATCH expression; vector hits know nothing of words, so they are checked
 * here, and exclusion is checked per document (a document that says
 * "draft" anywhere is left out of `-draft`, not just the chunk that says it).
 */
export interface QueryConstraints {
  /** FTS5 expression every chunk must match, or null. */
  required: string | null;
  /** FTS5 expression no chunk of a shown document may match, or null. */
  excluded: string | null;
}

export function constraintsOf(syntax: QuerySyntax): QueryConstraints {
  const required = [
    ...syntax.phrases.map((p) => phrase(indexedPhrase(p))),
    ...syntax.titles.map((t) => inTitle(indexedPhrase(t))),
  ];
  const excluded = [
    ...syntax.excluded.map((p) => phrase(indexedPhrase(p))),
    ...syntax.excludedTitles.map((t) => inTitle(indexedPhrase(t))),
  ];
  return {
    required: required.length > 0 ? required.join(' AND ') : null,
    excluded: excluded.length > 0 ? excluded.join(' OR ') : null,
  };
}

/** The hits whose chunk matches `required`, ranked again 1..n. */
export function meetingRequired<T extends RankedChunk>(db: Database, hits: readonly T[], required: string | null): T[] {
  if (required === null || hits.length === 0) return [...hits];
  // `+rowid`: walk the expression's postings once and keep the listed rows,
  // rather than a seek per row (each would rerun the whole expression).
  const ok = new Set(
    db
      .prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(required, JSON.stringify(hits.map((h) => h.chunkId))) as number[],
  );
  return hits.filter((h) => ok.has(h.chunkId)).map((h, i) => ({ ...h, rank: i + 1 }));
}

/** Of these documents, the ones with a chunk matching `excluded`. */
export function documentsExcluded(db: Database, documentIds: readonly string[], excluded: string | null): Set<string> {
  if (excluded === null || documentIds.length === 0) return new Set();
  const rows = db
    .prepare(
      `SELECT DISTINCT c.imported_document_id FROM imported_doc_chunks c
       WHERE c.imported_document_id IN (SELECT value FROM json_each(?))
         AND c.id IN (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? AND +rowid IN (
           SELECT id FROM imported_doc_chunks WHERE imported_document_id IN (SELECT value FROM json_each(?))))`,
    )
    .pluck()
    .all(JSON.stringify(documentIds), excluded, JSON.stringify(documentIds)) as string[];
  return new Set(rows);
}
