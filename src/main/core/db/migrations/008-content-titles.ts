/**
 * Migration 8: a document remembers the title found inside it
 * (`content_title`: a Markdown file's front matter or first heading, an HTML
 * page's <title>, a PDF's or Word file's title property when it is not
 * junk). A trigger sets it whenever text is stored, from what the parse
 * said (`metadata.parsedTitle`, which a new parse without a title removes);
 * text stored without a parse (OCR merging its pages in) keeps it. A sync
 * that only refreshes a document's metadata does not store text, so the
 * title survives it. Results show it instead of the file name
 * (search/display-title.ts).
 *
 * The keyword index's title column now holds both: the title from inside
 * the document and the connector's title (the file name), so a file is
 * still found by its name. The heading column leaves out a first heading
 * equal to either, as migration 5 did for the file name. Only the triggers
 * change: FTS rows are rewritten as titles arrive, and the title trigger
 * fires only when a title really changed (a sync rewrites every unchanged
 * document's title with the same value).
 *
 * Documents indexed before this version get their title from what the
 * parser stored then (`metadata.parsedTitle`) only for text formats
 * (Markdown, HTML, Word), whose titles are headings; a PDF's stored
 * property may be junk and waits until the PDF is read again.
 */

/** The FTS title column's text for a document row `d`: the title inside it, then its name. */
export function searchTitle(d: string): string {
  return `CASE WHEN ${d}.content_title IS NULL OR lower(${d}.content_title) = lower(${d}.title) THEN ${d}.title
    ELSE ${d}.content_title || ' ' || ${d}.title END`;
}

/** The heading column's text for a chunk's heading path, without a first heading that repeats a title of `d`. */
export function headingWords(path: string, d: string): string {
  return `(SELECT group_concat(h.value, ' ') FROM json_each(${path}) h
      WHERE NOT (h.key = 0 AND lower(trim(h.value)) IN (lower(trim(${d}.title)), lower(trim(coalesce(${d}.content_title, ''))))))`;
}

export const migration008 = {
  version: 8,
  name: 'content-titles',
  sql: /* sql */ `
ALTER TABLE imported_documents ADD COLUMN content_title TEXT;

DROP TRIGGER trg_chunks_fts_insert;
DROP TRIGGER trg_chunks_fts_update;
DROP TRIGGER trg_chunks_fts_title;

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks BEGIN
  INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
  SELECT new.id, new.chunk_text, ${searchTitle('d')}, ${headingWords('new.heading_path', 'd')}
  FROM imported_documents d WHERE d.id = new.imported_document_id;
END;

CREATE TRIGGER trg_chunks_fts_update AFTER UPDATE OF chunk_text, heading_path ON imported_doc_chunks BEGIN
  UPDATE chunks_fts SET chunk_text = new.chunk_text,
    heading = (SELECT ${headingWords('new.heading_path', 'd')} FROM imported_documents d WHERE d.id = new.imported_document_id)
  WHERE rowid = new.id;
END;

CREATE TRIGGER trg_chunks_fts_title AFTER UPDATE OF title, content_title ON imported_documents
WHEN old.title IS NOT new.title OR old.content_title IS NOT new.content_title BEGIN
  UPDATE chunks_fts SET title = ${searchTitle('new')},
    heading = (SELECT ${headingWords('c.heading_path', 'new')} FROM imported_doc_chunks c WHERE c.id = chunks_fts.rowid)
  WHERE rowid IN (SELECT id FROM imported_doc_chunks WHERE imported_document_id = new.id);
END;

CREATE TRIGGER trg_documents_content_title AFTER UPDATE OF content ON imported_documents BEGIN
  UPDATE imported_documents SET content_title = CASE json_type(new.metadata, '$.parsedTitle')
      WHEN 'text' THEN json_extract(new.metadata, '$.parsedTitle') END
  WHERE id = new.id AND content_title IS NOT (CASE json_type(new.metadata, '$.parsedTitle')
      WHEN 'text' THEN json_extract(new.metadata, '$.parsedTitle') END);
END;

UPDATE imported_documents SET content_title = trim(json_extract(metadata, '$.parsedTitle'))
WHERE json_type(metadata, '$.parsedTitle') = 'text'
  AND json_extract(metadata, '$.parse.format') = 'markdown'
  AND length(trim(json_extract(metadata, '$.parsedTitle'))) BETWEEN 2 AND 200
  AND lower(trim(json_extract(metadata, '$.parsedTitle'))) NOT IN ('untitled', 'untitled document', 'document', 'title');
`,
};
