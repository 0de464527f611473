import type { Database } from 'better-sqlite3';
import type { DocumentStatus } from '../../../shared/contract/common';
import { sql } from '../db/sql';
import { toDocument, type DocumentRow, type StoredDocument } from './document-rows';

/** Every column but the content text, which lists never need. */
const LIST_COLUMNS = sql.raw(`d.id, d.connector_id, d.external_id, d.title, d.mime_type, d.source_url, d.content_hash,
  NULL AS content, d.metadata, d.size_bytes, d.source_modified_at, d.sync_status, d.sync_error, d.processed_hash,
  d.processed_at, d.created_at, d.updated_at`);

/**
 * A document indexed in part: its text says what a damaged file lost
 * (services/extraction.ts). `instr` first, so the metadata of every other
 * document (page offsets, headings) is not parsed as JSON to find out.
 */
const READ_IN_PART_SQL = `(instr(d.metadata, '"damage":"') > 0 AND json_type(d.metadata, '$.damage') = 'text')`;
const READ_IN_PART = sql.raw(READ_IN_PART_SQL);

/** List orders; problems first when sorting by status, then documents indexed in part. */
const LIST_ORDER = {
  updated: sql.raw('d.updated_at DESC'),
  title: sql.raw('d.title COLLATE NOCASE'),
  size: sql.raw('d.size_bytes DESC'),
  status: sql.raw(
    `CASE WHEN d.sync_status = 'error' THEN 0 WHEN d.sync_status = 'skipped' THEN 1
       WHEN ${READ_IN_PART_SQL} THEN 2 WHEN d.sync_status = 'processing' THEN 3
       WHEN d.sync_status = 'pending' THEN 4 ELSE 5 END, d.title COLLATE NOCASE`,
  ),
};

/**
 * Documents for lists and the failures view, newest change first, with the
 * total matching count for paging. Content text is never loaded here.
 */
export function listDocuments(
  db: Database,
  filter: DocumentListFilter = {},
): { items: Array<StoredDocument & { chunkCount: number }>; total: number } {
  const conditions = [sql`1 = 1`];
  if (filter.connectorId) conditions.push(sql`d.connector_id = ${filter.connectorId}`);
  if (filter.statuses?.length) conditions.push(sql`d.sync_status IN ${sql.list(filter.statuses)}`);
  if (filter.titleContains) conditions.push(sql`instr(lower(d.title), lower(${filter.titleContains})) > 0`);
  if (filter.updatedSince !== undefined) conditions.push(sql`d.updated_at >= ${filter.updatedSince}`);
  if (filter.indexedSince !== undefined) conditions.push(sql`d.processed_at >= ${filter.indexedSince}`);
  if (filter.syncLogId) conditions.push(sql`d.sync_log_id = ${filter.syncLogId}`);
  if (filter.ids) conditions.push(sql`d.id IN ${sql.list(filter.ids)}`);
  if (filter.problems) conditions.push(sql`(d.sync_status IN ('error', 'skipped') OR ${READ_IN_PART})`);
  const where = sql.join(conditions, ' AND ');
  const page = sql`SELECT ${LIST_COLUMNS},
        (SELECT COUNT(*) FROM imported_doc_chunks c WHERE c.imported_document_id = d.id) AS chunk_count
      FROM imported_documents d WHERE ${where}
      ORDER BY ${LIST_ORDER[filter.sort ?? 'updated']}, d.id LIMIT ${filter.limit ?? 100} OFFSET ${filter.offset ?? 0}`;
  const rows = db.prepare(page.text).all(...page.params) as Array<DocumentRow & { chunk_count: number }>;
  const count = sql`SELECT COUNT(*) AS n FROM imported_documents d WHERE ${where}`;
  const total = (db.prepare(count.text).get(...count.params) as { n: number }).n;
  return { items: rows.map((r) => ({ ...toDocument(r), chunkCount: r.chunk_count })), total };
}

export interface DocumentListFilter {
  connectorId?: string;
  statuses?: DocumentStatus[];
  /** Case-insensitive substring of the title. */
  titleContains?: string;
  /** Only documents changed at or after this epoch ms. */
  updatedSince?: number;
  /** Only documents indexed at or after this epoch ms (a later change to their metadata does not count). */
  indexedSince?: number;
  /** Only documents of this run. */
  syncLogId?: string;
  /** Only these documents. */
  ids?: readonly string[];
  /** Only failed or skipped documents, and those indexed in part. */
  problems?: boolean;
  /** Default `updated` (newest change first). */
  sort?: keyof typeof LIST_ORDER;
  limit?: number;
  offset?: number;
}
