import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { sql, type SqlQuery } from '../db/sql';
import { GZIP_MIME_TYPE } from '../connectors/fs/mime';
import { LibraryMemo } from './library-memo';
import { compressedNameEndings } from './type-names';
import type { SearchFilters } from './types';

const CONNECTOR_TYPES = new Set(['local_folder', 'local_import', 'google_drive', 'notion']);

/** True when the filters narrow anything (searches then over-fetch vector candidates). */
export function hasFilters(filters: SearchFilters | undefined): boolean {
  if (!filters) return false;
  return (
    (filters.connectorIds?.length ?? 0) > 0 ||
    (filters.sourceTypes?.length ?? 0) > 0 ||
    (filters.mimeTypes?.length ?? 0) > 0 ||
    filters.modifiedFrom !== undefined ||
    filters.modifiedTo !== undefined
  );
}

export function validateFilters(filters: SearchFilters | undefined): void {
  if (!filters) return;
  for (const [name, list] of [
    ['connectorIds', filters.connectorIds],
    ['sourceTypes', filters.sourceTypes],
    ['mimeTypes', filters.mimeTypes],
  ] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.some((v) => typeof v !== 'string'))) {
      throw new AppError('VALIDATION', `The search filter ${name} must be a list of text values.`);
    }
  }
  for (const t of filters.sourceTypes ?? []) {
    if (!CONNECTOR_TYPES.has(t))
      throw new AppError('VALIDATION', `Unknown source type "${String(t)}" in the search filters.`);
  }
  for (const [name, value] of [
    ['modifiedFrom', filters.modifiedFrom],
    ['modifiedTo', filters.modifiedTo],
  ] as const) {
    if (value !== undefined && !Number.isFinite(value)) {
      throw new AppError('VALIDATION', `The search filter ${name} must be a date (epoch milliseconds).`);
    }
  }
}

/**
 * The WHERE conditions that decide whether a document (and so its chunks)
 * may appear, over the aliases `d` (imported_documents) and `cc`
 * (connector_configs). Only completed documents are searchable, which also
 * keeps deleted ones out.
 */
export function documentConditions(filters: SearchFilters | undefined): SqlQuery {
  const parts: SqlQuery[] = [sql`d.sync_status = 'completed'`];
  if (filters?.connectorIds?.length) parts.push(sql`d.connector_id IN ${sql.list(filters.connectorIds)}`);
  if (filters?.sourceTypes?.length) parts.push(sql`cc.type IN ${sql.list(filters.sourceTypes)}`);
  if (filters?.mimeTypes?.length) parts.push(typeCondition(filters.mimeTypes));
  if (filters?.modifiedFrom !== undefined)
    parts.push(sql`COALESCE(d.source_modified_at, d.updated_at) >= ${filters.modifiedFrom}`);
  if (filters?.modifiedTo !== undefined)
    parts.push(sql`COALESCE(d.source_modified_at, d.updated_at) <= ${filters.modifiedTo}`);
  return sql.join(parts, ' AND ');
}

/**
 * A document of one of `mimeTypes`, or a compressed file named as holding one
 * (type-names.ts). The title is in the covering index (migration 14).
 */
function typeCondition(mimeTypes: readonly string[]): SqlQuery {
  const byType = sql`d.mime_type IN ${sql.list(mimeTypes)}`;
  const endings = compressedNameEndings(mimeTypes);
  if (endings.length === 0) return byType;
  // LIKE compares ASCII letters in any case (`Manual.PDF.GZ`); the endings hold no `%` or `_`.
  const byName = sql.join(
    endings.map((ending) => sql`d.title LIKE ${`%${ending}`}`),
    ' OR ',
  );
  return sql`(${byType} OR (d.mime_type = ${GZIP_MIME_TYPE} AND (${byName})))`;
}

/**
 * The joins `documentConditions` relies on, from a chunk alias `c`. CROSS
 * JOIN pins the loop order (chunk -> document -> connector): left to itself,
 * SQLite drives the join from the sync_status index and visits every
 * completed document (40 ms for 100 candidate chunks in a 100k library).
 * The document side is answered from idx_imported_documents_searchable
 * (migrations 9 and 14), which holds every column documentConditions reads:
 * most sit after the document's text in its row, and reading them there
 * walks the whole text.
 */
export const DOCUMENT_JOINS = sql.raw(
  `CROSS JOIN imported_documents d ON d.id = c.imported_document_id CROSS JOIN connector_configs cc ON cc.id = d.connector_id`,
);

/**
 * chunk id -> document id for the candidates that pass the filters. Without
 * filters (whether the document is searchable at all), the answers are
 * remembered while the library stays as it was (library-memo.ts).
 */
export function allowedChunks(
  db: Database,
  chunkIds: readonly number[],
  filters: SearchFilters | undefined,
): Map<number, string> {
  if (chunkIds.length === 0) return new Map();
  if (hasFilters(filters)) return readAllowedChunks(db, chunkIds, filters);
  return searchableMemo.lookup(db, chunkIds, (missing) => readAllowedChunks(db, missing, undefined));
}

/** chunk id -> document id of searchable chunks, remembered per connection: ~95 bytes each, so at most ~5 MB. */
const searchableMemo = new LibraryMemo<number, string>(50_000);

function readAllowedChunks(
  db: Database,
  chunkIds: readonly number[],
  filters: SearchFilters | undefined,
): Map<number, string> {
  const out = new Map<number, string>();
  const q = sql`SELECT c.id AS chunkId, c.imported_document_id AS documentId
    FROM imported_doc_chunks c ${DOCUMENT_JOINS}
    WHERE c.id IN ${sql.list([...chunkIds])} AND ${documentConditions(filters)}`;
  for (const row of db.prepare(q.text).all(...q.params) as Array<{ chunkId: number; documentId: string }>) {
    out.set(row.chunkId, row.documentId);
  }
  return out;
}

/**
 * Checks a search's candidates against its filters, as allowedChunks does,
 * with one shortcut for a narrow filter (`type:pdf` on a library of text
 * files). Such a filter has the search check thousands of candidates to
 * find a few hundred that pass, each joined to its document and connector
 * (about 4.5 microseconds apiece). Once fewer than 2% of at least 1,000
 * candidates have passed, the chunks of the documents the filter allows are
 * read from the index of each document's chunks (about 1 microsecond
 * apiece), if there are few enough, and later candidates are checked
 * against them in memory. Both ways give the same answer.
 */
export class CandidateFilter {
  private checked = 0;
  private passed = 0;
  /** The allowed chunks, once read; null when there were too many (or too many documents) to be worth it. */
  private allowedInMemory: Map<number, string> | null | undefined;

  constructor(
    private readonly db: Database,
    private readonly filters: SearchFilters | undefined,
    /** How many documents and chunks the filter may allow for its chunks to be read. */
    private readonly caps: { documents: number; chunks: number },
  ) {}

  /** Whether the filters may turn candidates away at all. */
  get narrows(): boolean {
    return hasFilters(this.filters);
  }

  /** chunk id -> document id for the candidates that pass. */
  allowed(chunkIds: readonly number[]): Map<number, string> {
    if (this.allowedInMemory) {
      const out = new Map<number, string>();
      for (const id of chunkIds) {
        const documentId = this.allowedInMemory.get(id);
        if (documentId !== undefined) out.set(id, documentId);
      }
      return out;
    }
    const out = allowedChunks(this.db, chunkIds, this.filters);
    this.checked += chunkIds.length;
    this.passed += out.size;
    if (this.allowedInMemory === undefined && this.checked >= 1000 && this.passed < this.checked * 0.02) {
      this.allowedInMemory = chunksOfDocumentsAllowed(this.db, this.filters, this.caps);
    }
    return out;
  }
}

/** Document ids bound per statement when listing their chunks. */
const DOCUMENTS_PER_STATEMENT = 500;

/**
 * chunk id -> document id for every chunk of the documents the filters
 * allow, or null as soon as there are more documents or chunks than `cap`
 * says. The documents come from the covering index of filter columns
 * (migration 14), their chunks from the index of each document's chunks.
 */
function chunksOfDocumentsAllowed(
  db: Database,
  filters: SearchFilters | undefined,
  cap: { documents: number; chunks: number },
): Map<number, string> | null {
  const q = sql`SELECT d.id FROM imported_documents d INDEXED BY idx_imported_documents_searchable
    CROSS JOIN connector_configs cc ON cc.id = d.connector_id
    WHERE ${documentConditions(filters)} LIMIT ${cap.documents + 1}`;
  const documents = db
    .prepare(q.text)
    .pluck()
    .all(...q.params) as string[];
  if (documents.length > cap.documents) return null;
  const chunks = new Map<number, string>();
  for (let i = 0; i < documents.length; i += DOCUMENTS_PER_STATEMENT) {
    const part = documents.slice(i, i + DOCUMENTS_PER_STATEMENT);
    const c = sql`SELECT id, imported_document_id FROM imported_doc_chunks WHERE imported_document_id IN ${sql.list(part)}`;
    for (const [id, documentId] of db
      .prepare(c.text)
      .raw()
      .iterate(...c.params) as Iterable<[number, string]>) {
      chunks.set(id, documentId);
      if (chunks.size > cap.chunks) return null;
    }
  }
  return chunks;
}
