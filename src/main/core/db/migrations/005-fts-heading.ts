/**
 * Migration 5: the keyword index gains a `heading` column, the chunk's
 * heading path as words (["Guide", "Install", "Linux"] -> "Guide Install
 * Linux"), so BM25 can weight the sections a chunk sits in like a title.
 * A first heading equal to the document's title (a Markdown file's `# H1`)
 * is left out: the title column already holds those words, and counting
 * them twice would favour Markdown over sources whose paths start below
 * the title.
 *
 * FTS5 tables cannot gain a column in place, so the table is rebuilt from
 * the chunks and documents, and every trigger that keeps it in step is
 * recreated (a chunk's heading path can change without its text: chunks
 * whose content survives a re-chunk keep their row, see chunks.repo.ts).
 * On a large library the rebuild takes a while (about a minute per million
 * chunks); it runs once, inside the migration's transaction.
 */

/** The heading column's text for a chunk row `c` of a document row `d`. */
function headingWords(path: string, title: string): string {
  return `(SELECT group_concat(h.value, ' ') FROM json_each(${path}) h
      WHERE NOT (h.key = 0 AND lower(trim(h.value)) = lower(trim(${title}))))`;
}

export const migration005 = {
  version: 5,
  name: 'fts-heading',
  sql: /* sql */ `
DROP TRIGGER trg_chunks_fts_insert;
DROP TRIGGER trg_chunks_fts_delete;
DROP TRIGGER trg_chunks_fts_update;
DROP TRIGGER trg_chunks_fts_title;
DROP TABLE chunks_fts;

CREATE VIRTUAL TABLE chunks_fts USING fts5(
  chunk_text,
  title,
  heading,
  tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
SELECT c.id, c.chunk_text, d.title, ${headingWords('c.heading_path', 'd.title')}
FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id;

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks BEGIN
  INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
  SELECT new.id, new.chunk_text, d.title, ${headingWords('new.heading_path', 'd.title')}
  FROM imported_documents d WHERE d.id = new.imported_document_id;
END;

CREATE TRIGGER trg_chunks_fts_delete AFTER DELETE ON imported_doc_chunks BEGIN
  DELETE FROM chunks_fts WHERE rowid = old.id;
END;

CREATE TRIGGER trg_chunks_fts_update AFTER UPDATE OF chunk_text, heading_path ON imported_doc_chunks BEGIN
  UPDATE chunks_fts SET chunk_text = new.chunk_text,
    heading = (SELECT ${headingWords('new.heading_path', 'd.title')} FROM imported_documents d WHERE d.id = new.imported_document_id)
  WHERE rowid = new.id;
END;

CREATE TRIGGER trg_chunks_fts_title AFTER UPDATE OF title ON imported_documents BEGIN
  UPDATE chunks_fts SET title = new.title,
    heading = (SELECT ${headingWords('c.heading_path', 'new.title')} FROM imported_doc_chunks c WHERE c.id = chunks_fts.rowid)
  WHERE rowid IN (SELECT id FROM imported_doc_chunks WHERE imported_document_id = new.id);
END;
`,
};
