import type { Database } from 'better-sqlite3';
import { orTerms } from './common-terms';
import { isStopword } from './fts-query';
import { LibraryMemo } from './library-memo';
import { Vocabulary } from './vocabulary';

/** Per connection, whether at least half the library holds a quoted word, while the library stays as it was. */
const inHalfMemo = new LibraryMemo<string, boolean>(1_000);

/**
 * The function words of a keyword query that rank nothing: those at least
 * half the library's chunks hold.
 *
 * FTS5's bm25() gives a phrase in n of N rows the IDF log((N - n + 0.5) /
 * (n + 0.5)), and where that is not above zero, 1e-6 (fts5_aux.c). So a word
 * in half the chunks or more ("the", "of", "and" in English prose) adds at
 * most 2.2e-6 to a chunk's score: it orders only chunks whose scores are
 * otherwise exactly equal, and adds to the pool, below every chunk holding
 * another word of the query, chunks holding nothing else. Yet bm25() is
 * computed for each of its rows, and those are the most of all: on
 * /usr/share/doc indexed (339,472 chunks, "the" in 215,579 of them) "how
 * long has the machine been up" took 555 ms with "the" and 114 ms without,
 * and "configure the proxy" 222 and 31 ms, their top 300 the same chunks.
 *
 * Such a function word is left out of a query of loose words (OR-ed), unless
 * every word of the query is one: "the" alone is still searched. A chunk
 * holding only "the" of "configure the proxy" was never an answer. Other
 * words stay, however common: "guide" or "archive" may be in half of a
 * small library, and a document holding only them is still one the person
 * may want (the chunk's score is as small, and it ranks last). Phrases keep
 * their words, and the word pairs (keyword-proximity.ts) theirs.
 */
export function withoutWordsOfHalfTheLibrary(db: Database, match: string): string {
  const terms = orTerms(match);
  if (!terms) return match;
  // A prefix (a word being typed) is left as it is: counting it merges every word it starts.
  const words = terms.filter((t) => !t.endsWith('*') && isStopword(t.slice(1, -1)));
  if (words.length === 0) return match;
  const vocabulary = new Vocabulary(db);
  const maxRowid = vocabulary.maxRowid();
  if (maxRowid === 0) return match;
  // Rowids are chunk ids, so the largest bounds the row count from above: a word in at least half of it is in
  // at least half the rows.
  const half = maxRowid / 2;
  const inHalf = inHalfMemo.lookup(
    db,
    words,
    (missing) => new Map(missing.map((term) => [term, vocabulary.rowsUpTo(term, Math.ceil(half)) >= half])),
  );
  const kept = terms.filter((t) => !inHalf.get(t));
  return kept.length === 0 || kept.length === terms.length ? match : kept.join(' OR ');
}
