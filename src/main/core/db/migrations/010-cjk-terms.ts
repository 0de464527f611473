import { CJK_TERMS_FUNCTION } from '../cjk-terms';
import { headingWords, searchTitle } from './008-content-titles';

/**
 * Migration 10: Chinese, Japanese and Korean words in the keyword index
 * (db/cjk-terms.ts). The chunk text column of chunks_fts gets, after the
 * text, the bigrams of its runs of such letters, computed by the SQL
 * function that db/open.ts registers on every connection; text without them
 * is indexed exactly as before. Chunks already indexed are rewritten only
 * where their text holds such letters.
 */
/** An SQL text expression followed by the character pairs it holds, as the index stores text. */
export const indexedText = (text: string): string => `${text} || ${CJK_TERMS_FUNCTION}(${text})`;

export const migration010 = {
  version: 10,
  name: 'cjk-terms',
  sql: /* sql */ `
DROP TRIGGER trg_chunks_fts_insert;
DROP TRIGGER trg_chunks_fts_update;

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks BEGIN
  INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
  SELECT new.id, ${indexedText('new.chunk_text')}, ${searchTitle('d')}, ${headingWords('new.heading_path', 'd')}
  FROM imported_documents d WHERE d.id = new.imported_document_id;
END;

CREATE TRIGGER trg_chunks_fts_update AFTER UPDATE OF chunk_text, heading_path ON imported_doc_chunks BEGIN
  UPDATE chunks_fts SET chunk_text = ${indexedText('new.chunk_text')},
    heading = (SELECT ${headingWords('new.heading_path', 'd')} FROM imported_documents d WHERE d.id = new.imported_document_id)
  WHERE rowid = new.id;
END;

UPDATE chunks_fts SET chunk_text = ${indexedText('c.chunk_text')}
FROM imported_doc_chunks c
WHERE c.id = chunks_fts.rowid AND ${CJK_TERMS_FUNCTION}(c.chunk_text) <> '';
`,
};
