import { IDENTIFIER_TERMS_FUNCTION } from '../identifier-terms';
import { headingWords, searchTitle } from './008-content-titles';
import { indexedText } from './010-cjk-terms';
import { indexedTitle } from './011-cjk-titles';

/**
 * Migration 12: the words of camelCase names in source code
 * (db/identifier-terms.ts). For chunks of code, each column of chunks_fts
 * gets, after what it held, the words of the names in it: the chunk's text
 * (`foldNearDuplicates`), its document's title (a Java or React file named
 * `JobQueue.java`, `ResultList.tsx`) and its heading path (the declarations
 * around it, `class JobQueue › enqueue()`). Every other chunk is indexed
 * exactly as before, and only chunks of code are rewritten.
 */

/** `text`'s names' words when `chunk` is a chunk of code, else nothing. */
const namesInCode = (chunk: string, text: string): string =>
  `CASE WHEN ${chunk}.structure_type = 'code' THEN ${IDENTIFIER_TERMS_FUNCTION}(${text}) ELSE '' END`;

/** What the keyword index stores for a chunk row `chunk` of document row `d`, column by column. */
export const indexedChunkText = (chunk: string): string =>
  `${indexedText(`${chunk}.chunk_text`)} || ${namesInCode(chunk, `${chunk}.chunk_text`)}`;
export const indexedChunkTitle = (chunk: string, d: string): string =>
  `${indexedTitle(d)} || ${namesInCode(chunk, searchTitle(d))}`;
/** The heading column may be NULL (no heading): it stays so for any chunk but code. */
export const indexedChunkHeading = (chunk: string, d: string): string => {
  const words = headingWords(`${chunk}.heading_path`, d);
  return `CASE WHEN ${chunk}.structure_type = 'code'
    THEN coalesce(${words}, '') || ${IDENTIFIER_TERMS_FUNCTION}(${chunk}.heading_path) ELSE ${words} END`;
};

/*
 * The trigger statements that keep chunks_fts in step, as this migration
 * defined them; migration 18 puts the same statements behind a WHEN.
 */

/** Writes a new chunk's index row (`new`). */
export const INSERT_INDEX_ROW = `INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
  SELECT new.id, ${indexedChunkText('new')}, ${indexedChunkTitle('new', 'd')}, ${indexedChunkHeading('new', 'd')}
  FROM imported_documents d WHERE d.id = new.imported_document_id;`;

/** Rewrites an edited chunk's index row (`new`). */
export const UPDATE_INDEX_ROW = `UPDATE chunks_fts SET chunk_text = ${indexedChunkText('new')},
    title = (SELECT ${indexedChunkTitle('new', 'd')} FROM imported_documents d WHERE d.id = new.imported_document_id),
    heading = (SELECT ${indexedChunkHeading('new', 'd')} FROM imported_documents d WHERE d.id = new.imported_document_id)
  WHERE rowid = new.id;`;

/** Rewrites the title and heading columns of a renamed document's chunks' rows (`new`). */
export const RETITLE_INDEX_ROWS = `UPDATE chunks_fts SET title = (SELECT ${indexedChunkTitle('c', 'new')} FROM imported_doc_chunks c WHERE c.id = chunks_fts.rowid),
    heading = (SELECT ${indexedChunkHeading('c', 'new')} FROM imported_doc_chunks c WHERE c.id = chunks_fts.rowid)
  WHERE rowid IN (SELECT id FROM imported_doc_chunks WHERE imported_document_id = new.id);`;

export const migration012 = {
  version: 12,
  name: 'identifier-terms',
  sql: /* sql */ `
DROP TRIGGER trg_chunks_fts_insert;
DROP TRIGGER trg_chunks_fts_update;
DROP TRIGGER trg_chunks_fts_title;

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks BEGIN
  ${INSERT_INDEX_ROW}
END;

CREATE TRIGGER trg_chunks_fts_update AFTER UPDATE OF chunk_text, heading_path, structure_type ON imported_doc_chunks BEGIN
  ${UPDATE_INDEX_ROW}
END;

CREATE TRIGGER trg_chunks_fts_title AFTER UPDATE OF title, content_title ON imported_documents
WHEN old.title IS NOT new.title OR old.content_title IS NOT new.content_title BEGIN
  ${RETITLE_INDEX_ROWS}
END;

UPDATE chunks_fts SET chunk_text = ${indexedChunkText('c')}, title = ${indexedChunkTitle('c', 'd')}, heading = ${indexedChunkHeading('c', 'd')}
FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id
WHERE c.id = chunks_fts.rowid AND c.structure_type = 'code';
`,
};
