import type { Database, Statement } from 'better-sqlite3';
import { indexedChunkHeading, indexedChunkText, indexedChunkTitle } from './migrations/012-identifier-terms';

/**
 * The keyword index written once per write transaction instead of once per
 * chunk row.
 *
 * Triggers keep chunks_fts in step with imported_doc_chunks. Written row by
 * row they cost the ingest most of its main-thread time: inside a
 * transaction SQLite opens a statement savepoint for nearly every write
 * (every INSERT that fires a trigger), and FTS5 answers each savepoint by
 * flushing the terms it holds in memory to disk as a new segment. So every
 * chunk became a segment of its own, and FTS5 spent its time merging
 * thousands of one-chunk segments (~145 µs a chunk against ~69 µs written
 * once per transaction, measured on 15,000 chunks written into a
 * 76,000-chunk library in transactions of 65).
 *
 * While `withKeywordIndexDeferred` runs (writeTransaction wraps every write
 * transaction in it), the triggers of migration 18 only list the chunks
 * whose index row must change in chunks_fts_pending; one INSERT ... SELECT
 * indexes them all before the transaction commits, in the same transaction,
 * so a crash keeps or loses both together. Anywhere else (a statement in
 * autocommit, another program's connection with this function registered)
 * the triggers write the index row by row as before, so the index never
 * depends on the caller remembering.
 */
export const KEYWORD_INDEX_DEFERRED_FUNCTION = 'trove_keyword_index_deferred';

interface Deferral {
  /** A trigger asked, so chunks may be listed: the listed ones are indexed at the end. */
  asked: boolean;
}

const deferrals = new WeakMap<Database, Deferral>();
const flushStatements = new WeakMap<Database, Statement[]>();

/** Registers the SQL function migration 18's triggers call to tell the two ways apart. */
export function registerKeywordIndexDeferral(db: Database): void {
  db.function(KEYWORD_INDEX_DEFERRED_FUNCTION, { deterministic: false }, () => {
    const deferral = deferrals.get(db);
    if (!deferral) return 0;
    deferral.asked = true;
    return 1;
  });
}

/**
 * Runs `fn` (inside a transaction) with the keyword index's row writes held
 * back, then indexes every chunk that `fn` listed. Nested calls leave it to
 * the outermost one.
 */
export function withKeywordIndexDeferred<R>(db: Database, fn: () => R): R {
  if (deferrals.has(db)) return fn();
  const deferral: Deferral = { asked: false };
  deferrals.set(db, deferral);
  try {
    const result = fn();
    if (deferral.asked) indexPendingChunks(db);
    return result;
  } finally {
    deferrals.delete(db);
  }
}

/**
 * Brings the index rows of the listed chunks up to date: the old row goes
 * where there may be one, the current row (as migration 12's triggers write
 * it) goes in for every listed chunk that still exists, and the list empties.
 * CROSS JOIN keeps SQLite walking the short list and seeking each chunk: the
 * list is empty whenever statistics are gathered, so left to itself the
 * planner scanned every chunk of the library instead.
 */
const INDEX_PENDING_CHUNKS_SQL = [
  `DELETE FROM chunks_fts WHERE rowid IN (SELECT chunk_id FROM chunks_fts_pending WHERE indexed = 1)`,
  `INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
   SELECT c.id, ${indexedChunkText('c')}, ${indexedChunkTitle('c', 'd')}, ${indexedChunkHeading('c', 'd')}
   FROM chunks_fts_pending p
   CROSS JOIN imported_doc_chunks c ON c.id = p.chunk_id
   JOIN imported_documents d ON d.id = c.imported_document_id`,
  `DELETE FROM chunks_fts_pending`,
];

function indexPendingChunks(db: Database): void {
  let statements = flushStatements.get(db);
  if (!statements) {
    statements = INDEX_PENDING_CHUNKS_SQL.map((sql) => db.prepare(sql));
    flushStatements.set(db, statements);
  }
  for (const statement of statements) statement.run();
}
