import { CJK_TERMS_FUNCTION } from '../cjk-terms';
import { headingWords, searchTitle } from './008-content-titles';
import { indexedText } from './010-cjk-terms';

/**
 * Migration 11: `title:` for words in Chinese, Japanese and Korean titles.
 * Migration 10 indexed the character pairs of such text in the chunk text
 * only, so `title:番茄` could never match a title "番茄种植笔记", where the
 * tokenizer sees one token. The title column now gets the pairs too, from
 * the same SQL function, in the two triggers that write it; titles without
 * such letters are indexed exactly as before, and only rows whose title has
 * them are rewritten.
 */
/** A document row's searchable title followed by its character pairs, as the index stores titles. */
export const indexedTitle = (d: string): string => indexedText(`(${searchTitle(d)})`);

export const migration011 = {
  version: 11,
  name: 'cjk-titles',
  sql: /* sql */ `
DROP TRIGGER trg_chunks_fts_insert;
DROP TRIGGER trg_chunks_fts_title;

CREATE TRIGGER trg_chunks_fts_insert AFTER INSERT ON imported_doc_chunks BEGIN
  INSERT INTO chunks_fts(rowid, chunk_text, title, heading)
  SELECT new.id, ${indexedText('new.chunk_text')}, ${indexedTitle('d')}, ${headingWords('new.heading_path', 'd')}
  FROM imported_documents d WHERE d.id = new.imported_document_id;
END;

CREATE TRIGGER trg_chunks_fts_title AFTER UPDATE OF title, content_title ON imported_documents
WHEN old.title IS NOT new.title OR old.content_title IS NOT new.content_title BEGIN
  UPDATE chunks_fts SET title = ${indexedTitle('new')},
    heading = (SELECT ${headingWords('c.heading_path', 'new')} FROM imported_doc_chunks c WHERE c.id = chunks_fts.rowid)
  WHERE rowid IN (SELECT id FROM imported_doc_chunks WHERE imported_document_id = new.id);
END;

UPDATE chunks_fts SET title = ${indexedTitle('d')}
FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id
WHERE c.id = chunks_fts.rowid AND ${CJK_TERMS_FUNCTION}(${searchTitle('d')}) <> '';
`,
};
