import type { DocumentStatus } from '../../../shared/contract/common';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import type { KnownDocument } from '../connectors/types';
import { newId } from '../ids';
import { readByEarlierVersion, unsupportedByEarlierVersion } from '../ingest/extraction-version';
import { SKETCH_VERSION } from '../ingest/sketch-version';
import { sketchToBytes } from '../ingest/text-sketch';
import { fromJson, toJson } from './json';
import { toDocument, type DocumentRow, type StoredDocument } from './document-rows';
import { listDocuments, type DocumentListFilter } from './documents-list';

export type { StoredDocument } from './document-rows';
export type { DocumentListFilter } from './documents-list';

/** Defined once, in the contract. */
export type { DocumentStatus };

export interface DocumentUpsert {
  connectorId: string;
  externalId: string;
  title: string;
  mimeType: string;
  sourceUrl: string | null;
  contentHash: string;
  sizeBytes: number | null;
  sourceModifiedAt: number | null;
  metadata: Record<string, unknown>;
}

/** A zero count for every document status, so views never miss one. */
export function emptyStatusCounts(): Record<DocumentStatus, number> {
  return { pending: 0, processing: 0, completed: 0, error: 0, skipped: 0, deleted: 0 };
}

/** What a sync hands `recordSource` for a new or changed document: its text, or why it has none. */
export type SourceContent =
  | {
      kind: 'text';
      text: string;
      metadata?: Record<string, unknown>;
      /** The type the text showed, stored instead of the source's `application/octet-stream` (services/extraction.ts). */
      mimeType?: string;
    }
  | {
      kind: 'status';
      status: 'skipped' | 'error';
      reason: string;
      /** Merged into the metadata: `unsupportedBy` for a format Trove does not read yet. */
      metadata?: Record<string, unknown>;
    };

export interface RecordedSource {
  /** Null only for a `deferred` document that has no row yet. */
  id: string | null;
  /**
   * `deferred`: the document needs content that was not given; nothing was written.
   * `refreshed`: read again by newer parsers to the same text; its facts were replaced and it stays
   * searchable, but it must be processed again (its own work, like OCR's: it belongs to no run).
   */
  outcome: 'created' | 'updated' | 'unchanged' | 'refreshed' | 'deferred';
  /** Content is stored but processing has not finished: its job must be (re)queued. */
  awaitingProcessing: boolean;
}

/**
 * True when a stored row already holds this content: same hash, and its text
 * was stored (or it was settled as skipped). Deleted and failed rows are
 * never up to date, so a sync that meets them again retries them.
 */
function isUpToDate(row: DocumentRow, contentHash: string): boolean {
  return (
    row.content_hash === contentHash &&
    row.sync_status !== 'deleted' &&
    row.sync_status !== 'error' &&
    (row.content !== null || row.sync_status === 'skipped' || row.sync_status === 'completed') &&
    !isStale(row)
  );
}

/** A document the current parsers would read otherwise (`toReadAgain`). */
function isStale(row: DocumentRow): boolean {
  return toReadAgain(row.sync_status, fromJson(row.metadata, {}));
}

/**
 * Whether a document is to be read again though its source has not changed:
 * its text was read by earlier parsers, or its format was one they did not read.
 */
function toReadAgain(status: DocumentStatus, metadata: Record<string, unknown>): boolean {
  if (status === 'completed') return readByEarlierVersion(metadata);
  return status === 'skipped' && unsupportedByEarlierVersion(metadata);
}

/**
 * Metadata written with the stored text (services/extraction.ts, the OCR
 * job): how to read the text again (format, page offsets, headings), the
 * title and facts found in it, what a damaged file lost, the OCR state; for a skipped file, the
 * version of the formats that could not read it. They describe the text, not
 * the source, so a sync that finds the source unchanged (a file touched, a
 * Drive file renamed) refreshes the source's facts and keeps these.
 */
const TEXT_METADATA_KEYS = ['parse', 'parsedTitle', 'documentInfo', 'damage', 'ocr', 'unsupportedBy'] as const;

function withTextFacts(source: Record<string, unknown>, stored: string): Record<string, unknown> {
  const previous = fromJson<Record<string, unknown>>(stored, {});
  const kept = TEXT_METADATA_KEYS.filter((key) => key in previous).map((key) => [key, previous[key]] as const);
  return { ...source, ...Object.fromEntries(kept) };
}

/** imported_documents: one row per source document, its content text and its processing state. */
export class DocumentsRepo {
  private readonly stmts;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      get: db.prepare(`SELECT * FROM imported_documents WHERE id = ?`),
      // octet_length reads the size from the record, not the text itself.
      textBytes: db.prepare(`SELECT octet_length(content) FROM imported_documents WHERE id = ?`).pluck(),
      stateOf: db.prepare(
        `SELECT content_hash AS contentHash, sync_status AS syncStatus FROM imported_documents WHERE id = ?`,
      ),
      byExternal: db.prepare(`SELECT * FROM imported_documents WHERE connector_id = ? AND external_id = ?`),
      known: db.prepare(
        `SELECT external_id, content_hash, size_bytes, source_modified_at, metadata, sync_status
         FROM imported_documents WHERE connector_id = ? AND sync_status != 'deleted'`,
      ),
      insert: db.prepare(
        `INSERT INTO imported_documents (id, connector_id, external_id, title, mime_type, source_url, content_hash,
           metadata, size_bytes, source_modified_at, sync_status, created_at, updated_at)
         VALUES (@id, @connectorId, @externalId, @title, @mimeType, @sourceUrl, @contentHash,
           @metadata, @sizeBytes, @sourceModifiedAt, 'pending', @now, @now)`,
      ),
      updateSource: db.prepare(
        `UPDATE imported_documents SET title = @title, mime_type = @mimeType, source_url = @sourceUrl,
           content_hash = @contentHash, metadata = @metadata, size_bytes = @sizeBytes,
           source_modified_at = @sourceModifiedAt, sync_status = @status, sync_error = NULL, updated_at = @now
         WHERE id = @id`,
      ),
      touchSource: db.prepare(
        `UPDATE imported_documents SET title = @title, source_url = @sourceUrl, metadata = @metadata,
           size_bytes = @sizeBytes, source_modified_at = @sourceModifiedAt, updated_at = @now
         WHERE id = @id`,
      ),
      // Setting content, even to the same text, has the trigger of migration 8 take the new parsedTitle.
      refreshText: db.prepare(
        `UPDATE imported_documents SET title = @title, mime_type = @mimeType, source_url = @sourceUrl, metadata = @metadata,
           size_bytes = @sizeBytes, source_modified_at = @sourceModifiedAt, content = @content,
           processed_hash = NULL, sync_log_id = NULL, updated_at = @now
         WHERE id = @id`,
      ),
      setContent: db.prepare(
        `UPDATE imported_documents SET content = @content, metadata = json_patch(metadata, @metadata),
           sync_status = 'pending', sync_error = NULL, updated_at = @now WHERE id = @id`,
      ),
      patchMetadata: db.prepare(`UPDATE imported_documents SET metadata = json_patch(metadata, @patch) WHERE id = @id`),
      // A deleted document stays deleted: only a sync that finds it again revives it
      // (insert/updateSource), never a job that was still working on it.
      setStatus: db.prepare(
        `UPDATE imported_documents SET sync_status = @status, sync_error = @error, updated_at = @now
         WHERE id = @id AND sync_status != 'deleted'`,
      ),
      markProcessed: db.prepare(
        `UPDATE imported_documents SET sync_status = 'completed', sync_error = NULL, processed_hash = @hash,
           processed_at = @now, updated_at = @now WHERE id = @id`,
      ),
      writeSketch: db.prepare(
        `INSERT INTO document_sketches (document_id, sketch, version) VALUES (?, ?, ${SKETCH_VERSION})
         ON CONFLICT (document_id) DO UPDATE SET sketch = excluded.sketch, version = excluded.version`,
      ),
      deleteSketch: db.prepare(`DELETE FROM document_sketches WHERE document_id = ?`),
      markDeleted: db.prepare(
        `UPDATE imported_documents SET sync_status = 'deleted', content = NULL, processed_hash = NULL,
           sync_error = NULL, updated_at = @now WHERE connector_id = @connectorId AND external_id = @externalId
           AND sync_status != 'deleted' RETURNING id`,
      ),
      deleteChunks: db.prepare(`DELETE FROM imported_doc_chunks WHERE imported_document_id = ?`),
      countsByStatus: db.prepare(
        `SELECT sync_status AS status, COUNT(*) AS n FROM imported_documents GROUP BY sync_status`,
      ),
      countsByConnector: db.prepare(
        `SELECT connector_id, sync_status AS status, COUNT(*) AS n FROM imported_documents GROUP BY connector_id, sync_status`,
      ),
      chunkCount: db.prepare(`SELECT COUNT(*) AS n FROM imported_doc_chunks`),
      // An indexed document counts from when it was indexed, not from a later change to its
      // metadata (OCR's progress); one skipped, failed or removed from when its status was set.
      outcomesSince: db.prepare(
        `SELECT sync_status AS status, COUNT(*) AS n FROM imported_documents
         WHERE updated_at >= @since AND sync_status IN ('completed', 'skipped', 'error', 'deleted')
           AND (sync_status != 'completed' OR processed_at >= @since)
         GROUP BY sync_status`,
      ),
      chunksIndexedSince: db.prepare(
        `SELECT COUNT(*) AS n FROM imported_doc_chunks WHERE imported_document_id IN
           (SELECT id FROM imported_documents WHERE sync_status = 'completed' AND processed_at >= @since)`,
      ),
      chunkCountForConnector: db.prepare(`SELECT COUNT(*) AS n FROM imported_doc_chunks WHERE connector_id = ?`),
      attachToRun: db.prepare(
        `UPDATE imported_documents SET sync_log_id = @runId WHERE id = @id AND sync_log_id IS NOT @runId`,
      ),
      detachFromRun: db.prepare(`UPDATE imported_documents SET sync_log_id = NULL WHERE id = ?`),
      detachUnfinished: db.prepare(
        `UPDATE imported_documents SET sync_log_id = NULL
         WHERE sync_log_id = ? AND sync_status IN ('pending', 'processing') RETURNING id`,
      ),
      unfinishedOfRun: db.prepare(
        `SELECT id FROM imported_documents WHERE sync_log_id = ? AND sync_status IN ('pending', 'processing')`,
      ),
      pendingIds: db.prepare(
        `SELECT id FROM imported_documents WHERE connector_id = ? AND sync_status = 'pending' AND content IS NOT NULL`,
      ),
    };
  }

  get(id: string): StoredDocument | undefined {
    const row = this.stmts.get.get(id) as DocumentRow | undefined;
    return row && toDocument(row);
  }

  /** Size of the stored text in bytes (UTF-8); 0 if there is none. */
  textBytes(id: string): number {
    return (this.stmts.textBytes.get(id) as number | null | undefined) ?? 0;
  }

  /** Just the content hash and status (no text): cheap enough to check inside every write. */
  stateOf(id: string): Pick<StoredDocument, 'contentHash' | 'syncStatus'> | undefined {
    return this.stmts.stateOf.get(id) as Pick<StoredDocument, 'contentHash' | 'syncStatus'> | undefined;
  }

  getByExternalId(connectorId: string, externalId: string): StoredDocument | undefined {
    const row = this.stmts.byExternal.get(connectorId, externalId) as DocumentRow | undefined;
    return row && toDocument(row);
  }

  /**
   * What the connector needs to skip unchanged documents and detect
   * deletions. A document read by an earlier version of the parsers is known
   * (so one gone from the source is still deleted) but without the size,
   * date and hash a connector compares: it is listed to be read again.
   */
  knownForConnector(connectorId: string): Map<string, KnownDocument> {
    const rows = this.stmts.known.all(connectorId) as Array<{
      external_id: string;
      content_hash: string | null;
      size_bytes: number | null;
      source_modified_at: number | null;
      metadata: string;
      sync_status: DocumentStatus;
    }>;
    return new Map(
      rows.map((r) => {
        const metadata = fromJson<Record<string, unknown>>(r.metadata, {});
        const known: KnownDocument = {
          externalId: r.external_id,
          contentHash: r.content_hash,
          sizeBytes: r.size_bytes,
          modifiedAt: r.source_modified_at,
          metadata,
        };
        return [
          r.external_id,
          toReadAgain(r.sync_status, metadata)
            ? { ...known, contentHash: null, sizeBytes: null, modifiedAt: null }
            : known,
        ];
      }),
    );
  }

  /**
   * Read-only: whether recording this source document needs its content
   * (new, changed by content hash, never stored, or failed before). Call it
   * before loading, then pass what loading produced to `recordSource`.
   */
  needsContent(doc: Pick<DocumentUpsert, 'connectorId' | 'externalId' | 'contentHash'>): boolean {
    const existing = this.stmts.byExternal.get(doc.connectorId, doc.externalId) as DocumentRow | undefined;
    return !existing || !isUpToDate(existing, doc.contentHash);
  }

  /**
   * Records a source document. An unchanged one only has its metadata
   * refreshed. A new or changed one is written together with `content` (its
   * text, or why it has none) in the same statement sequence, so the caller's
   * transaction commits both or neither: a row never claims a content hash
   * whose text was not stored. Without `content` such a document is left
   * untouched (`deferred`) and the next sync meets it again.
   */
  recordSource(doc: DocumentUpsert, content: SourceContent | null): RecordedSource {
    const now = this.clock.now();
    const existing = this.stmts.byExternal.get(doc.connectorId, doc.externalId) as DocumentRow | undefined;
    const params = { ...doc, metadata: toJson(doc.metadata), now };
    if (existing && isUpToDate(existing, doc.contentHash)) {
      const metadata = toJson(withTextFacts(doc.metadata, existing.metadata));
      this.stmts.touchSource.run({ ...params, metadata, id: existing.id });
      const awaitingProcessing = existing.sync_status === 'pending' || existing.sync_status === 'processing';
      return { id: existing.id, outcome: 'unchanged', awaitingProcessing };
    }
    if (!content) return { id: existing?.id ?? null, outcome: 'deferred', awaitingProcessing: false };
    const typed = content.kind === 'text' && content.mimeType ? { ...params, mimeType: content.mimeType } : params;
    // Read again by newer parsers, to the same text: new facts (title, headings, a type: a Perl module
    // once read as prose is code), and the document stays searchable until its processing job re-chunks
    // it (processed_hash no longer matches).
    if (
      existing?.content_hash === doc.contentHash &&
      content.kind === 'text' &&
      content.text === existing.content &&
      isStale(existing)
    ) {
      const metadata = toJson({ ...doc.metadata, ...content.metadata });
      this.stmts.refreshText.run({ ...typed, metadata, content: content.text, id: existing.id });
      return { id: existing.id, outcome: 'refreshed', awaitingProcessing: false };
    }
    let id: string;
    if (existing) {
      id = existing.id;
      this.stmts.updateSource.run({ ...typed, id, status: 'pending' });
    } else {
      id = newId();
      this.stmts.insert.run({ ...typed, id });
    }
    if (content.kind === 'text') this.setContent(id, content.text, content.metadata);
    else {
      this.setStatus(id, content.status, content.reason);
      if (content.metadata) this.patchMetadata(id, content.metadata);
    }
    const outcome = !existing || existing.sync_status === 'deleted' ? 'created' : 'updated';
    return { id, outcome, awaitingProcessing: false };
  }

  /** Stores extracted text (and parser metadata such as page offsets); the document is ready for processing. */
  setContent(id: string, content: string, metadata: Record<string, unknown> = {}): void {
    this.stmts.setContent.run({ id, content, metadata: toJson(metadata), now: this.clock.now() });
  }

  /**
   * Merges `patch` into the metadata (JSON merge patch: objects merge, a null
   * removes a key). Leaves `updated_at` alone: progress is not a change of the
   * document.
   */
  patchMetadata(id: string, patch: Record<string, unknown>): void {
    this.stmts.patchMetadata.run({ id, patch: toJson(patch) });
  }

  setStatus(id: string, status: DocumentStatus, error: string | null = null): void {
    this.stmts.setStatus.run({ id, status, error, now: this.clock.now() });
  }

  /** The document is indexed: `hash` says which content and chunker, `sketch` is its text's (ingest/document-sketch.ts). */
  markProcessed(id: string, hash: string, sketch: Uint32Array): void {
    this.stmts.markProcessed.run({ id, hash, now: this.clock.now() });
    this.writeSketch(id, sketch);
  }

  /** Stores a document's text sketch (document_sketches), replacing the one it had. */
  private writeSketch(id: string, sketch: Uint32Array): void {
    this.stmts.writeSketch.run(id, sketchToBytes(sketch));
  }

  /**
   * Marks documents deleted and removes their chunks; FTS rows go with the
   * chunks (trigger) and vectors are tombstoned for purging. Synchronous: run
   * it inside the caller's transaction. Returns the ids marked deleted.
   */
  markDeleted(connectorId: string, externalIds: Iterable<string>): string[] {
    const now = this.clock.now();
    const ids: string[] = [];
    for (const externalId of externalIds) {
      const row = this.stmts.markDeleted.get({ connectorId, externalId, now }) as { id: string } | undefined;
      if (!row) continue;
      this.stmts.deleteChunks.run(row.id);
      this.stmts.deleteSketch.run(row.id);
      ids.push(row.id);
    }
    return ids;
  }

  /** Makes these documents part of a run (the one that last queued, failed or skipped them). */
  /** Makes these documents the run's; returns those that were not already (an attempt it carries on stored them). */
  attachToRun(ids: readonly string[], runId: string): Set<string> {
    return new Set(ids.filter((id) => this.stmts.attachToRun.run({ id, runId }).changes > 0));
  }

  /**
   * Takes a document out of the run that queued it: work done on it later,
   * outside that run (OCR adding its scanned pages), must not reopen or
   * rewrite a run that has ended.
   */
  detachFromRun(id: string): void {
    this.stmts.detachFromRun.run(id);
  }

  /** Ids of a run's documents not indexed yet. */
  unfinishedOfRun(runId: string): string[] {
    return (this.stmts.unfinishedOfRun.all(runId) as Array<{ id: string }>).map((r) => r.id);
  }

  /** Takes a run's unfinished documents out of it (a cancelled run ends with what it did). Returns their ids. */
  detachUnfinished(runId: string): string[] {
    return (this.stmts.detachUnfinished.all(runId) as Array<{ id: string }>).map((r) => r.id);
  }

  /** Ids of documents whose content is loaded but not yet processed (crash recovery re-enqueues these). */
  pendingIds(connectorId: string): string[] {
    return (this.stmts.pendingIds.all(connectorId) as Array<{ id: string }>).map((r) => r.id);
  }

  countsByStatus(): Record<DocumentStatus, number> {
    const counts = emptyStatusCounts();
    for (const r of this.stmts.countsByStatus.all() as Array<{ status: DocumentStatus; n: number }>)
      counts[r.status] = r.n;
    return counts;
  }

  /**
   * What happened to documents from `since` (ms) on: how many were indexed,
   * skipped, failed or removed, and the chunks of those indexed. A document
   * that was unchanged is in none of them.
   */
  outcomesSince(since: number): { counts: Record<DocumentStatus, number>; chunks: number } {
    const counts = emptyStatusCounts();
    for (const r of this.stmts.outcomesSince.all({ since }) as Array<{ status: DocumentStatus; n: number }>)
      counts[r.status] = r.n;
    const { n: chunks } = this.stmts.chunksIndexedSince.get({ since }) as { n: number };
    return { counts, chunks };
  }

  countsByConnector(): Map<string, Record<string, number>> {
    const out = new Map<string, Record<string, number>>();
    for (const r of this.stmts.countsByConnector.all() as Array<{ connector_id: string; status: string; n: number }>) {
      const entry = out.get(r.connector_id) ?? {};
      entry[r.status] = r.n;
      out.set(r.connector_id, entry);
    }
    return out;
  }

  chunkCount(connectorId?: string): number {
    const row = (connectorId ? this.stmts.chunkCountForConnector.get(connectorId) : this.stmts.chunkCount.get()) as {
      n: number;
    };
    return row.n;
  }

  /**
   * Documents for lists and the failures view, newest change first, with the
   * total matching count for paging. Content text is never loaded here.
   */
  list(filter: DocumentListFilter = {}): { items: Array<StoredDocument & { chunkCount: number }>; total: number } {
    return listDocuments(this.db, filter);
  }
}
