import type { Database } from 'better-sqlite3';
import { sql } from '../db/sql';
import type { CursorPosition } from './cursor';
import { documentConditions } from './filters';
import type { FusedGroup } from './fusion';
import type { SearchFilters } from './types';

/**
 * The documents a query without words asks for (`type:pdf after:2025-01`,
 * `in:Notes -draft`): every document passing the filters, most recently
 * modified first, each shown by its first chunk. A group's score is its
 * modification time, so the search cursor pages them like ranked results.
 */
export function recentDocuments(
  db: Database,
  filters: SearchFilters | undefined,
  options: { limit: number; after?: CursorPosition; isExcluded: (documentIds: string[]) => Set<string> },
): { groups: FusedGroup[]; hasMore: boolean } {
  const groups: FusedGroup[] = [];
  let position = options.after;
  // Over-fetch, since excluded documents are dropped after the query; stop when a batch comes back short.
  const batch = Math.max(50, options.limit * 2 + 1);
  for (;;) {
    const keyset = position
      ? sql` AND (r.modifiedAt < ${position.score} OR (r.modifiedAt = ${position.score} AND r.documentId > ${position.documentId}))`
      : sql.empty;
    const q = sql`SELECT * FROM (
        SELECT d.id AS documentId, COALESCE(d.source_modified_at, d.updated_at) AS modifiedAt,
          (SELECT c.id FROM imported_doc_chunks c WHERE c.imported_document_id = d.id ORDER BY c.chunk_index LIMIT 1) AS chunkId
        FROM imported_documents d JOIN connector_configs cc ON cc.id = d.connector_id
        WHERE ${documentConditions(filters)}) r
      WHERE r.chunkId IS NOT NULL${keyset}
      ORDER BY r.modifiedAt DESC, r.documentId ASC LIMIT ${batch}`;
    const rows = db.prepare(q.text).all(...q.params) as Array<{
      documentId: string;
      modifiedAt: number;
      chunkId: number;
    }>;
    const excluded = options.isExcluded(rows.map((r) => r.documentId));
    for (const r of rows) {
      if (excluded.has(r.documentId)) continue;
      groups.push({
        documentId: r.documentId,
        score: r.modifiedAt,
        chunks: [{ chunkId: r.chunkId, documentId: r.documentId, score: r.modifiedAt }],
      });
    }
    const last = rows[rows.length - 1];
    if (groups.length > options.limit || rows.length < batch || !last) break;
    position = { score: last.modifiedAt, documentId: last.documentId };
  }
  return { groups: groups.slice(0, options.limit), hasMore: groups.length > options.limit };
}
