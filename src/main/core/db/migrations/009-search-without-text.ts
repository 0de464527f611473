/**
 * Migration 9, what search reads of a document without its text.
 *
 * Each indexed document keeps a sketch of its text
 * (ingest/text-sketch.ts: the 64 smallest hashes of its five-word
 * shingles, as little-endian uint32s), written with its completion. Search
 * reads the sketches of every document it found to fold a result whose
 * text is the same as, or nearly the same as, a better-ranked one's into
 * that result ("also in").
 *
 * A table of their own, not a column of imported_documents: a column added
 * there comes after `content` in every row, and reading it walks the
 * overflow pages of the document's text (75 ms for 300 documents of 1 MB
 * each, against 1 ms here). A document gone takes its sketch with it.
 * Documents indexed before this version are listed in `sketch_backlog`,
 * which the job of that name drains (every later document gets its sketch
 * when it is indexed): start-up only asks whether that list is empty,
 * where finding documents without a sketch would scan the library at every
 * start (120 ms for 100,000 documents).
 *
 * For the same reason, the columns every search filters candidates by
 * (search/filters.ts: status, source, type, dates) get a covering index:
 * `sync_status` comes after `content`, so checking it for each candidate
 * chunk's document read the whole text of each one; 400 documents of 1 MB
 * took a keyword search from 15 ms to 140 ms.
 */
/** Lists every indexed document for sketch_backlog (tests use it to make a library as this migration found it). */
export const LIST_INDEXED_DOCUMENTS = `INSERT OR IGNORE INTO sketch_backlog (document_id)
  SELECT id FROM imported_documents WHERE sync_status = 'completed';`;

export const migration009 = {
  version: 9,
  name: 'search-without-text',
  sql: /* sql */ `
CREATE TABLE document_sketches (
  document_id TEXT PRIMARY KEY REFERENCES imported_documents(id) ON DELETE CASCADE,
  sketch      BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE sketch_backlog (
  document_id TEXT PRIMARY KEY REFERENCES imported_documents(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
${LIST_INDEXED_DOCUMENTS}
CREATE INDEX idx_imported_documents_searchable
  ON imported_documents(id, sync_status, connector_id, mime_type, source_modified_at, updated_at);
`,
};
