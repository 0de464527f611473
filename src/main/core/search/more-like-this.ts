import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { sql } from '../db/sql';
import type { SpaceRow } from '../store/embedding-spaces.repo';
import { isStopword, quote, textTokens } from './fts-query';
import { Vocabulary } from './vocabulary';

/**
 * "More like this": what a document is about, as a query.
 *
 * - With vectors (the active space's model is ready and the document is
 *   embedded): the mean of its chunks' vectors, searched like a query vector.
 * - Without: its distinctive words, as Lucene's MoreLikeThis picks them:
 *   words that are frequent in the document (tf) and rare in the library
 *   (idf), at most `MAX_TERMS`, OR-ed into a keyword query.
 */

/** Chunks whose vectors make up the document's mean vector (its first ones: a long document's start says most). */
const MAX_VECTOR_CHUNKS = 64;
/** Characters of the document read for its distinctive words. */
const MAX_TEXT_CHARS = 60_000;
/** Distinctive words in the keyword query. */
export const MAX_TERMS = 20;
/** Words (by frequency in the document) whose library frequency is looked up. */
const MAX_CANDIDATES = 60;

export interface SimilarSource {
  documentId: string;
  title: string;
}

/** The document to find others like, or a NOT_FOUND error that says what to do. */
export function similarSource(db: Database, documentId: string): SimilarSource {
  const row = db
    .prepare(`SELECT id AS documentId, title, sync_status AS status FROM imported_documents WHERE id = ?`)
    .get(documentId) as (SimilarSource & { status: string }) | undefined;
  if (!row || row.status === 'deleted') {
    throw new AppError('NOT_FOUND', `No document has the id "${documentId}". Search for it again to get its id.`);
  }
  if (row.status !== 'completed') {
    throw new AppError(
      'NOT_FOUND',
      `"${row.title}" is not indexed yet (it is ${row.status}). Try again once it has finished indexing.`,
    );
  }
  return { documentId: row.documentId, title: row.title };
}

/** The mean of the document's chunk vectors in `space`, unit length, or null when it has none there. */
export function documentVector(
  db: Database,
  space: Pick<SpaceRow, 'vectorTable' | 'dimensions'>,
  documentId: string,
): Float32Array | null {
  const ids = db
    .prepare(`SELECT id FROM imported_doc_chunks WHERE imported_document_id = ? ORDER BY chunk_index LIMIT ?`)
    .pluck()
    .all(documentId, MAX_VECTOR_CHUNKS) as number[];
  if (ids.length === 0) return null;
  const q = sql`SELECT embedding FROM ${sql.ident(space.vectorTable)} WHERE rowid IN ${sql.list(ids)}`;
  const blobs = db
    .prepare(q.text)
    .pluck()
    .all(...q.params) as Buffer[];
  if (blobs.length === 0) return null;
  const mean = new Float32Array(space.dimensions);
  for (const blob of blobs) {
    const v = new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
    for (let i = 0; i < mean.length && i < v.length; i++) mean[i]! += v[i]!;
  }
  let norm = 0;
  for (const x of mean) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm === 0) return null;
  for (let i = 0; i < mean.length; i++) mean[i]! /= norm;
  return mean;
}

export interface DistinctiveTerm {
  /** The word as the document most often writes it. */
  word: string;
  /** tf x idf (higher is more distinctive). */
  weight: number;
}

/** The document's most distinctive words, best first (see the module comment). */
export function distinctiveTerms(db: Database, documentId: string, max = MAX_TERMS): DistinctiveTerm[] {
  const texts = db
    .prepare(`SELECT chunk_text FROM imported_doc_chunks WHERE imported_document_id = ? ORDER BY chunk_index`)
    .pluck()
    .iterate(documentId) as IterableIterator<string>;
  const counts = new Map<string, number>();
  let read = 0;
  for (const text of texts) {
    for (const token of textTokens(text.slice(0, MAX_TEXT_CHARS - read))) {
      if (token.length < 3 || token.length > 30 || isStopword(token) || /^\p{N}+$/u.test(token)) continue;
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    read += text.length;
    if (read >= MAX_TEXT_CHARS) break;
  }
  if (counts.size === 0) return [];

  // Words that stem alike are one term; it is written as the document's commonest spelling.
  const vocabulary = new Vocabulary(db);
  const words = [...counts.keys()];
  const stems = vocabulary.stems(words);
  const byStem = new Map<string, { word: string; tf: number; best: number }>();
  words.forEach((word, i) => {
    const stem = stems[i];
    if (!stem) return;
    const n = counts.get(word)!;
    const entry = byStem.get(stem);
    if (!entry) byStem.set(stem, { word, tf: n, best: n });
    else {
      entry.tf += n;
      if (n > entry.best) Object.assign(entry, { word, best: n });
    }
  });

  const rows = Math.max(1, vocabulary.maxRowid());
  // A word in more than 2% of the library says little; counting stops there, which bounds the cost.
  const cap = Math.max(100, Math.ceil(rows * 0.02));
  const candidates = [...byStem.values()].sort((a, b) => b.tf - a.tf || a.word.localeCompare(b.word));
  return candidates
    .slice(0, MAX_CANDIDATES)
    .map(({ word, tf }) => {
      const df = vocabulary.rowsUpTo(quote(word), cap);
      const idf = Math.log((rows - df + 0.5) / (df + 0.5));
      return { word, weight: (1 + Math.log(tf)) * Math.max(0, idf) };
    })
    .filter((t) => t.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word))
    .slice(0, max);
}
