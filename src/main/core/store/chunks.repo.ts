import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import type { ChunkDraft } from '../ingest/types';
import { toJson } from './json';

/** A chunk as the chunker produced it (ingest's ChunkDraft), plus optional metadata, ready to store. */
export type ChunkInput = ChunkDraft & { metadata?: Record<string, unknown> };

/** imported_doc_chunks. FTS rows follow by trigger; deleted chunks leave vector tombstones (vector_gc). */
export class ChunksRepo {
  private readonly stmts;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      forDocument: db.prepare(
        `SELECT id, content_hash, chunk_index FROM imported_doc_chunks WHERE imported_document_id = ? ORDER BY chunk_index`,
      ),
      any: db.prepare(`SELECT 1 FROM imported_doc_chunks WHERE imported_document_id = ? LIMIT 1`).pluck(),
      park: db.prepare(`UPDATE imported_doc_chunks SET chunk_index = -id WHERE imported_document_id = ?`),
      keep: db.prepare(
        `UPDATE imported_doc_chunks SET chunk_index = @index, heading_path = @headingPath, char_start = @charStart,
           char_end = @charEnd, page = @page, structure_type = @structureType, boundary_type = @boundaryType,
           chunking_strategy = @strategy, semantic_score = @semanticScore, metadata = @metadata,
           chunker_version = @chunkerVersion
         WHERE id = @id`,
      ),
      insert: db.prepare(
        `INSERT INTO imported_doc_chunks (imported_document_id, connector_id, chunk_index, chunk_text, chunking_strategy,
           semantic_score, structure_type, boundary_type, metadata, content_hash, heading_path, char_start, char_end,
           page, chunker_version, created_at)
         VALUES (@documentId, @connectorId, @index, @text, @strategy, @semanticScore, @structureType, @boundaryType,
           @metadata, @contentHash, @headingPath, @charStart, @charEnd, @page, @chunkerVersion, @now)`,
      ),
      remove: db.prepare(`DELETE FROM imported_doc_chunks WHERE id = ?`),
      forEmbedding: db.prepare(
        `SELECT c.id, c.chunk_text AS text, c.heading_path AS headingPath, d.title
         FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id WHERE c.id = ?`,
      ),
    };
  }

  hasChunks(documentId: string): boolean {
    return this.stmts.any.get(documentId) !== undefined;
  }

  /**
   * Starts rewriting a document's chunks: moves every existing chunk to a
   * parked index (-id, unique by construction, so a crash mid-rewrite and a
   * second attempt never collide) and returns the parked ids by content hash,
   * so unchanged chunks can be kept with their vectors and FTS rows.
   * Synchronous: run it inside the caller's transaction.
   */
  park(documentId: string): Map<string, number[]> {
    const existing = this.stmts.forDocument.all(documentId) as Array<{ id: number; content_hash: string }>;
    const byHash = new Map<string, number[]>();
    for (const row of existing) {
      const list = byHash.get(row.content_hash) ?? [];
      list.push(row.id);
      byHash.set(row.content_hash, list);
    }
    this.stmts.park.run(documentId);
    return byHash;
  }

  /** Keeps an existing chunk row (same text) at its new position with fresh structure metadata. */
  keep(id: number, chunk: ChunkInput, chunkerVersion: number): void {
    this.stmts.keep.run({ ...this.params(chunk, chunkerVersion), id });
  }

  insert(documentId: string, connectorId: string, chunk: ChunkInput, chunkerVersion: number): number {
    const info = this.stmts.insert.run({
      ...this.params(chunk, chunkerVersion),
      documentId,
      connectorId,
      text: chunk.text,
      contentHash: chunk.contentHash,
      now: this.clock.now(),
    });
    return Number(info.lastInsertRowid);
  }

  /** Deletes chunks; their FTS rows go by trigger and their vectors are tombstoned in vector_gc. */
  remove(ids: Iterable<number>): number {
    let n = 0;
    for (const id of ids) n += this.stmts.remove.run(id).changes;
    return n;
  }

  private params(chunk: ChunkInput, chunkerVersion: number) {
    return {
      index: chunk.index,
      headingPath: toJson(chunk.headingPath),
      charStart: chunk.charStart,
      charEnd: chunk.charEnd,
      page: chunk.page,
      structureType: chunk.structureType,
      boundaryType: chunk.boundaryType,
      strategy: chunk.strategy,
      semanticScore: chunk.semanticScore,
      metadata: toJson(chunk.metadata ?? {}),
      chunkerVersion,
    };
  }

  /** Text, heading path and document title of chunks, for (re-)embedding. Missing ids are left out. */
  forEmbedding(ids: readonly number[]): Array<{ id: number; text: string; headingPath: string[]; title: string }> {
    const out: Array<{ id: number; text: string; headingPath: string[]; title: string }> = [];
    for (const id of ids) {
      const row = this.stmts.forEmbedding.get(id) as
        { id: number; text: string; headingPath: string; title: string } | undefined;
      if (row) out.push({ ...row, headingPath: JSON.parse(row.headingPath) as string[] });
    }
    return out;
  }

  chunkIdsForDocument(documentId: string): number[] {
    return (this.stmts.forDocument.all(documentId) as Array<{ id: number }>).map((r) => r.id);
  }
}
