import { KEYWORD_INDEX_DEFERRED_FUNCTION } from '../keyword-index-deferral';
import { INSERT_INDEX_ROW, RETITLE_INDEX_ROWS, UPDATE_INDEX_ROW } from './012-identifier-terms';

/**
 * Migration 18: the keyword index written once per write transaction
 * (db/keyword-index-deferral.ts explains why).
 *
 * Each of the four triggers that keep chunks_fts in step gets a twin. When
 * the connection is in a deferring write transaction, the twin lists the
 * chunk in chunks_fts_pending (`indexed` = 1 when the index may already hold
 * a row for it that must go first) and the original stays quiet; otherwise
 * the original writes the index row as migrations 5 and 12 defined it.
 */
const deferred = `${KEYWORD_INDEX_DEFERRED_FUNCTION}()`;
const titleChanged = 'old.title IS NOT new.title OR old.content_title IS NOT new.content_title';

export const migration018 = {
  version: 18,
  name: 'keyword-index-per-transaction',
  sql: /* sql */ `
CREATE TABLE chunks_fts_pending (
  chunk_id INTEGER PRIMARY KEY,
  indexed INTEGER NOT NULL CHECK (indexed IN (0, 1))
) STRICT;

DROP TRIGGER trg_chunks_fts_insert;
DROP TRIGGER trg_chunks_fts_delete;
DROP TRIGGER trg_chunks_fts_update;
DROP TRIGGER trg_chunks_fts_title;

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks WHEN NOT ${deferred} BEGIN
  ${INSERT_INDEX_ROW}
END;

CREATE TRIGGER trg_chunks_fts_delete AFTER DELETE ON imported_doc_chunks WHEN NOT ${deferred} BEGIN
  DELETE FROM chunks_fts WHERE rowid = old.id;
END;

CREATE TRIGGER trg_chunks_fts_update AFTER UPDATE OF chunk_text, heading_path, structure_type ON imported_doc_chunks
WHEN NOT ${deferred} BEGIN
  ${UPDATE_INDEX_ROW}
END;

CREATE TRIGGER trg_chunks_fts_title AFTER UPDATE OF title, content_title ON imported_documents
WHEN (${titleChanged}) AND NOT ${deferred} BEGIN
  ${RETITLE_INDEX_ROWS}
END;

-- A chunk listed first as new (0) stays so whatever follows in the same transaction: the index never held it.
CREATE TRIGGER trg_chunks_fts_insert_listed AFTER INSERT ON imported_doc_chunks WHEN ${deferred} BEGIN
  INSERT OR IGNORE INTO chunks_fts_pending(chunk_id, indexed) VALUES (new.id, 0);
END;

CREATE TRIGGER trg_chunks_fts_delete_listed AFTER DELETE ON imported_doc_chunks WHEN ${deferred} BEGIN
  INSERT OR IGNORE INTO chunks_fts_pending(chunk_id, indexed) VALUES (old.id, 1);
END;

CREATE TRIGGER trg_chunks_fts_update_listed AFTER UPDATE OF chunk_text, heading_path, structure_type ON imported_doc_chunks
WHEN ${deferred} BEGIN
  INSERT OR IGNORE INTO chunks_fts_pending(chunk_id, indexed) VALUES (new.id, 1);
END;

CREATE TRIGGER trg_chunks_fts_title_listed AFTER UPDATE OF title, content_title ON imported_documents
WHEN (${titleChanged}) AND ${deferred} BEGIN
  INSERT OR IGNORE INTO chunks_fts_pending(chunk_id, indexed)
  SELECT id, 1 FROM imported_doc_chunks WHERE imported_document_id = new.id;
END;
`,
};
