import { describe, expect, it } from 'vitest';
import { sql } from '../../src/main/core/db/sql';
import { DOCUMENT_JOINS, documentConditions } from '../../src/main/core/search/filters';
import type { SearchFilters } from '../../src/main/core/search/types';
import { createLibrary } from './library';

/**
 * A document's text sits in its row, before the columns added later
 * (sync_status among them), and may be megabytes: a search that read a
 * column after it for every candidate chunk walked each candidate's whole
 * text (400 documents of 1 MB: 140 ms instead of 15). The candidate filter
 * must be answered from the covering index alone, whatever the filters.
 */
describe('what search reads of the documents it finds', () => {
  const lib = createLibrary();
  lib.addConnector('folder', 'local_folder');
  const { chunkIds } = lib.addDocument({ connectorId: 'folder', title: 'a.md', chunks: ['one', 'two'] });

  const plan = (filters: SearchFilters | undefined): string => {
    const q = sql`SELECT c.id AS chunkId, c.imported_document_id AS documentId
      FROM imported_doc_chunks c ${DOCUMENT_JOINS}
      WHERE c.id IN ${sql.list(chunkIds)} AND ${documentConditions(filters)}`;
    const rows = lib.db.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.params) as Array<{ detail: string }>;
    return rows.map((r) => r.detail).join(' | ');
  };

  it('checks status, source, type and dates from an index, never from the document row', () => {
    for (const filters of [
      undefined,
      { connectorIds: ['folder'], mimeTypes: ['text/plain'], modifiedFrom: 0, modifiedTo: Date.now() },
      { sourceTypes: ['local_folder' as const] },
    ]) {
      expect(plan(filters)).toMatch(/SEARCH d USING COVERING INDEX idx_imported_documents_searchable/);
    }
  });
});
