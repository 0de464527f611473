import type { Database, Statement } from 'better-sqlite3';
import { scratchBeside } from '../db/scratch-connection';
import { CHUNKS_FTS_TOKENIZER } from './keyword-snippets';

/**
 * What the keyword index knows about words, asked cheaply:
 *
 * - `stems`: the index's own form of words (Porter stems), from a private
 *   in-memory FTS5 table with the same tokenizer, so it cannot drift from
 *   what chunks_fts stores;
 * - `rowsUpTo`: in how many chunks a word occurs, counted only up to a cap
 *   (a seek and a short walk, however frequent the word);
 * - `documentFrequencies`: exact counts for a set of stems through
 *   fts5vocab, for stems already known to be rare (each count walks the
 *   stem's postings).
 */
export class Vocabulary {
  private readonly statements: VocabularyStatements;
  /** The connection beside the library's that holds the stemming table (db/scratch-connection.ts). */
  private readonly scratch: Database;

  constructor(db: Database) {
    this.statements = statementsFor(db);
    this.scratch = scratchBeside(db);
  }

  /** The stem of each word (the same position), as chunks_fts indexes it; '' for a word it would drop. */
  stems(words: readonly string[]): string[] {
    if (words.length === 0) return [];
    const { clear, insert, instances } = this.statements;
    // All words in one row, read back by position (hundreds of one-row
    // inserts cost ~100x more), when each is one token to the tokenizer;
    // otherwise one row per word, so a word it splits cannot shift the others.
    // eslint-disable-next-line no-restricted-syntax -- the scratch connection's table, never the library
    const oneRow = this.scratch.transaction(() => {
      clear.run();
      insert.run(1, words.join(' '));
      const terms = instances.raw().all() as Array<[number, string, number]>;
      return terms.length === words.length ? terms.map(([, term]) => term) : null;
    })();
    if (oneRow) return oneRow;
    // eslint-disable-next-line no-restricted-syntax -- the scratch connection's table, never the library
    this.scratch.transaction(() => {
      clear.run();
      words.forEach((w, i) => insert.run(i + 1, w));
    })();
    const out = words.map(() => '');
    for (const [doc, term, offset] of instances.raw().all() as Array<[number, string, number]>) {
      if (offset === 0) out[doc - 1] = term;
    }
    return out;
  }

  /** Chunks matching `phrase` (an expression from fts-query's `quote`), counted up to `cap`. */
  rowsUpTo(phrase: string, cap: number): number {
    return this.statements.countUpTo.get(phrase, cap) as number;
  }

  /** Stem -> chunks it occurs in, for the stems that occur at all. */
  documentFrequencies(stems: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    if (stems.length === 0) return out;
    const rows = this.statements.frequencies.raw().all(JSON.stringify([...new Set(stems)])) as Array<[string, number]>;
    for (const [term, doc] of rows) out.set(term, doc);
    return out;
  }

  /** Chunks in the index (an upper bound: the largest chunk id). */
  maxRowid(): number {
    return (this.statements.maxRowid.get() as number | undefined) ?? 0;
  }
}

type VocabularyStatements = Record<
  'clear' | 'insert' | 'instances' | 'countUpTo' | 'frequencies' | 'maxRowid',
  Statement
>;
const prepared = new WeakMap<Database, VocabularyStatements>();

function statementsFor(db: Database): VocabularyStatements {
  let statements = prepared.get(db);
  if (statements) return statements;
  // The words typed are stemmed on the scratch connection; the index's own vocabulary is read through this
  // connection's temp schema (a read-only view of chunks_fts, in memory, never the library file).
  const scratch = scratchBeside(db);
  scratch.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS stem_words USING fts5(word, tokenize = '${CHUNKS_FTS_TOKENIZER}');
    CREATE VIRTUAL TABLE IF NOT EXISTS stem_words_instances USING fts5vocab(stem_words, instance);
  `);
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_fts_terms USING fts5vocab(main, chunks_fts, row);`);
  statements = {
    clear: scratch.prepare('DELETE FROM stem_words'),
    insert: scratch.prepare('INSERT INTO stem_words(rowid, word) VALUES (?, ?)'),
    instances: scratch.prepare('SELECT doc, term, offset FROM stem_words_instances ORDER BY doc, offset'),
    countUpTo: db.prepare('SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)').pluck(),
    // One equality lookup per stem (fts5vocab seeks a term; it cannot take a list).
    frequencies: db.prepare(
      'SELECT v.term, v.doc FROM json_each(?) j CROSS JOIN temp.chunks_fts_terms v ON v.term = j.value',
    ),
    maxRowid: db.prepare('SELECT rowid FROM chunks_fts ORDER BY rowid DESC LIMIT 1').pluck(),
  };
  prepared.set(db, statements);
  return statements;
}
