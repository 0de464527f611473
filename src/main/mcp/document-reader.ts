import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import type { ConnectorType } from '../core/connectors/types';
import { fromJson } from '../core/store/json';

/** A document of the index as the MCP tools describe it (never its full text here). */
export interface IndexedDocument {
  id: string;
  title: string;
  mimeType: string | null;
  connectorId: string;
  connectorName: string;
  connectorType: ConnectorType;
  /** Where the file is on this machine (local folders and imports). */
  path: string | null;
  /** An http(s) link to the original (Drive, Notion). */
  url: string | null;
  modifiedAt: number | null;
  chunkCount: number;
}

export interface Passage {
  index: number;
  text: string;
  page: number | null;
  headingPath: string[];
}

interface DocumentRow {
  id: string;
  title: string;
  mime_type: string | null;
  connector_id: string;
  connector_name: string;
  connector_type: ConnectorType;
  source_url: string | null;
  path: string | null;
  modified_at: number | null;
  chunk_count: number;
}

const DOCUMENT_COLUMNS = `d.id, d.title, d.mime_type, d.connector_id, c.name AS connector_name, c.type AS connector_type,
  d.source_url, json_extract(d.metadata, '$.path') AS path, coalesce(d.source_modified_at, d.updated_at) AS modified_at,
  (SELECT count(*) FROM imported_doc_chunks k WHERE k.imported_document_id = d.id) AS chunk_count`;

/** Only what search can find: indexed documents of a connector that still exists. */
const FINDABLE = `d.sync_status = 'completed'`;

const toDocument = (r: DocumentRow): IndexedDocument => ({
  id: r.id,
  title: r.title,
  mimeType: r.mime_type,
  connectorId: r.connector_id,
  connectorName: r.connector_name,
  connectorType: r.connector_type,
  path: typeof r.path === 'string' ? r.path : null,
  url: r.source_url && /^https?:\/\//i.test(r.source_url) ? r.source_url : null,
  modifiedAt: r.modified_at,
  chunkCount: r.chunk_count,
});

/**
 * Read-only queries of the MCP tools and resources: documents and passages
 * by id, straight from SQLite. Everything comes from the index; nothing here
 * touches the file system, so an id that looks like a path is just an id
 * that is not found.
 */
export class DocumentReader {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      document: db.prepare(
        `SELECT ${DOCUMENT_COLUMNS} FROM imported_documents d JOIN connector_configs c ON c.id = d.connector_id
         WHERE d.id = ? AND ${FINDABLE}`,
      ),
      page: db.prepare(
        `SELECT ${DOCUMENT_COLUMNS} FROM imported_documents d JOIN connector_configs c ON c.id = d.connector_id
         WHERE ${FINDABLE} AND d.id > ? ORDER BY d.id LIMIT ?`,
      ),
      passages: db.prepare(
        `SELECT chunk_index AS idx, chunk_text AS text, page, heading_path FROM imported_doc_chunks
         WHERE imported_document_id = ? AND chunk_index BETWEEN ? AND ? ORDER BY chunk_index`,
      ),
      chunkIndex: db.prepare(`SELECT chunk_index FROM imported_doc_chunks WHERE id = ?`).pluck(),
    };
  }

  /** The document, or a NOT_FOUND error that says it is not in the index. */
  document(id: string): IndexedDocument {
    const doc = this.findDocument(id);
    if (!doc) throw new AppError('NOT_FOUND', `"${truncate(id)}" is not a document in the Trove index.`);
    return doc;
  }

  /** The document if it is in the index (indexed, its source still connected), else null. */
  findDocument(id: string): IndexedDocument | null {
    const row = this.stmts.document.get(id) as DocumentRow | undefined;
    return row ? toDocument(row) : null;
  }

  /** Indexed documents ordered by id, after `afterId` (keyset paging). */
  page(afterId: string, limit: number): IndexedDocument[] {
    return (this.stmts.page.all(afterId, limit) as DocumentRow[]).map(toDocument);
  }

  /** Passages `from`..`to` (inclusive), stopping before `maxChars` of text (always at least one). */
  passages(documentId: string, from: number, to: number, maxChars: number): Passage[] {
    const rows = this.stmts.passages.all(documentId, from, to) as Array<{
      idx: number;
      text: string;
      page: number | null;
      heading_path: string;
    }>;
    const out: Passage[] = [];
    let chars = 0;
    for (const r of rows) {
      if (out.length > 0 && chars + r.text.length > maxChars) break;
      chars += r.text.length;
      out.push({ index: r.idx, text: r.text, page: r.page, headingPath: fromJson<string[]>(r.heading_path, []) });
    }
    return out;
  }

  /** A chunk's position in its document (for citation ids), or null if it is gone. */
  chunkIndex(chunkId: number): number | null {
    return (this.stmts.chunkIndex.get(chunkId) as number | undefined) ?? null;
  }
}

const truncate = (text: string, max = 120): string => (text.length > max ? `${text.slice(0, max)}…` : text);
