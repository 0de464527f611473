/**
 * Migration 6: pages read by OCR, kept one row per page until the OCR job
 * merges them into the document's text. Each page is committed as soon as
 * it is read, so an OCR job that is stopped (a crash, a quit) goes on from
 * the next page instead of reading the document again. `content_hash` is the
 * source version the page was read from: rows of an older version are stale.
 */
export const migration006 = {
  version: 6,
  name: 'ocr-pages',
  sql: /* sql */ `
CREATE TABLE ocr_pages (
  document_id  TEXT NOT NULL REFERENCES imported_documents(id) ON DELETE CASCADE,
  content_hash TEXT NOT NULL,
  page         INTEGER NOT NULL CHECK (page >= 1),
  text         TEXT NOT NULL DEFAULT '',
  confidence   INTEGER CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 100),
  rotation     INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
  error        TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (document_id, page),
  CHECK ((error IS NULL) = (confidence IS NOT NULL))
) WITHOUT ROWID;
`,
};
