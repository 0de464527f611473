import { IDENTIFIER_TERMS_FUNCTION } from '../identifier-terms';
import { headingWords } from './008-content-titles';
import { indexedText } from './010-cjk-terms';
import { indexedTitle } from './011-cjk-titles';

/**
 * Migration 12: the words of camelCase names in source code
 * (db/identifier-terms.ts). The chunk text column of chunks_fts gets, after
 * the text and its character pairs, the words of each such name, for chunks
 * of code only; every other chunk is indexed exactly as before. Chunks
 * already indexed are rewritten only where they are code naming something
 * in camelCase. The insert trigger keeps migration 11's title.
 */
const indexedChunk = (chunk: string): string =>
  `${indexedText(`${chunk}.chunk_text`)} || CASE WHEN ${chunk}.structure_type = 'code'
    THEN ${IDENTIFIER_TERMS_FUNCTION}(${chunk}.chunk_text) ELSE '' END`;

export const migration012 = {
  version: 12,
  name: 'identifier-terms',
  sql: /* sql */ `
DROP TRIGGER trg_chunks_fts_insert;
DROP TRIGGER trg_chunks_fts_update;

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks BEGIN
  INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
  SELECT new.id, ${indexedChunk('new')}, ${indexedTitle('d')}, ${headingWords('new.heading_path', 'd')}
  FROM imported_documents d WHERE d.id = new.imported_document_id;
END;

CREATE TRIGGER trg_chunks_fts_update AFTER UPDATE OF chunk_text, heading_path, structure_type ON imported_doc_chunks BEGIN
  UPDATE chunks_fts SET chunk_text = ${indexedChunk('new')},
    heading = (SELECT ${headingWords('new.heading_path', 'd')} FROM imported_documents d WHERE d.id = new.imported_document_id)
  WHERE rowid = new.id;
END;

UPDATE chunks_fts SET chunk_text = ${indexedChunk('c')}
FROM imported_doc_chunks c
WHERE c.id = chunks_fts.rowid AND c.structure_type = 'code' AND ${IDENTIFIER_TERMS_FUNCTION}(c.chunk_text) <> '';
`,
};
