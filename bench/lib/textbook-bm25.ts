import Database from 'better-sqlite3';
import { isStopword, quote, textTokens } from '../../src/main/core/search/fts-query';
import { ScoreSheet, type JudgedQuery, type QualityScores } from './quality';

/**
 * The baseline keyword ranking is measured against: textbook Okapi BM25
 * (k1 1.2, b 0.75, FTS5's own bm25()) over each document as one field (title
 * and text together), Porter-stemmed, the query's words OR-ed with an English
 * stopword list removed. Trove's keyword mode should be at or above it on
 * every collection, not only where its knobs were chosen.
 */
export function evaluateTextbookBm25(
  documents: ReadonlyArray<{ key: string; text: string }>,
  queries: readonly JudgedQuery[],
): QualityScores {
  const db = new Database(':memory:');
  try {
    db.exec(
      `CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
    );
    const insert = db.prepare('INSERT INTO docs(key, body) VALUES (?, ?)');
    db.transaction(() => documents.forEach((d) => insert.run(d.key, d.text)))();
    const top = db.prepare('SELECT key FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 100').pluck();
    const sheet = new ScoreSheet();
    for (const q of queries) {
      const words = [...new Set(textTokens(q.text).filter((w) => !isStopword(w)))];
      sheet.add(words.length > 0 ? (top.all(words.map(quote).join(' OR ')) as string[]) : [], q.gains);
    }
    return sheet.scores('keyword');
  } finally {
    db.close();
  }
}
