import { z } from 'zod';
import { AppError, toAppError } from '../../../shared/errors';
import type { Connector, DocumentContent, SourceDocument, SyncBatch, SyncResult, SyncStats } from '../connectors/types';
import type { Logger } from '../logger';
import type { ConnectorsRepo, StoredConnector } from '../store/connectors.repo';
import type { DocumentsRepo } from '../store/documents.repo';
import type { EventsRepo } from '../store/events.repo';
import type { SyncCounts, SyncLogsRepo } from '../store/sync-logs.repo';
import type { Database } from 'better-sqlite3';
import type { ExtractedText } from './content-extractor';
import { ExtractionFailure } from './content-extractor';
import { mapWithConcurrency } from './concurrency';
import { nonRetryable } from '../queue/retryability';

export const syncConnectorPayloadSchema = z.object({
  connectorId: z.string().min(1),
  mode: z.enum(['full', 'incremental']).default('incremental'),
  syncType: z.enum(['manual', 'scheduled', 'webhook', 'watcher', 'import']).default('manual'),
  /** Restrict to these external ids (webhooks). */
  onlyExternalIds: z.array(z.string()).optional(),
  limit: z.number().int().positive().optional(),
});
export type SyncConnectorPayload = z.infer<typeof syncConnectorPayloadSchema>;

/** What the queue hands a handler (see queue/types). */
export interface HandlerContext {
  job: { id: string; attempt: number };
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
  logger: Logger;
}

export interface SyncConnectorDeps {
  db: Database;
  connectors: ConnectorsRepo;
  documents: DocumentsRepo;
  syncLogs: SyncLogsRepo;
  events: EventsRepo;
  buildConnector(config: StoredConnector): Connector;
  extractText(content: DocumentContent, signal: AbortSignal): Promise<ExtractedText>;
  /** Enqueues process_imported_doc for these documents; called inside a transaction. */
  enqueueProcessing(documentIds: readonly string[]): void;
  /** Removes vectors of deleted chunks from every embedding space. */
  purgeDeletedVectors(): void;
  /** Parallel loads/parses per batch. Default 4. */
  loadConcurrency?: number;
}

/** Documents are handed to process_imported_doc in batches of this size (original design). */
export const PROCESS_ENQUEUE_BATCH = 50;

export interface SyncSummary extends SyncCounts {
  status: 'success' | 'partial' | 'skipped';
  logId: string | null;
}

/**
 * sync_connector (original-design.md): load the config, require it active,
 * build the connector, test the connection, sync, save documents, update
 * status, cursor and last_sync_at, write a connector_sync_logs row, enqueue
 * process_imported_doc in batches of 50, record an event. Errors mark the log
 * and rethrow for the queue's retry.
 */
export function createSyncConnectorHandler(deps: SyncConnectorDeps) {
  return async (payload: SyncConnectorPayload, ctx: HandlerContext): Promise<SyncSummary> => {
    const config = deps.connectors.get(payload.connectorId);
    if (!config) {
      throw new AppError('NOT_FOUND', `Connector ${payload.connectorId} no longer exists; nothing to sync.`, {
        details: { nonRetryable: true },
      });
    }
    const counts = emptyCounts();
    if (config.status === 'paused') {
      ctx.logger.info('connector paused; sync skipped', { connectorId: config.id });
      return { ...counts, status: 'skipped', logId: null };
    }
    if (config.status === 'disconnected') {
      throw new AppError(
        'CONNECTOR_AUTH',
        `${config.name} is disconnected. Reconnect it in Connectors, then sync again.`,
        {
          details: { nonRetryable: true },
        },
      );
    }

    deps.syncLogs.closeOrphans(config.id);
    const logId = deps.syncLogs.start({
      connectorId: config.id,
      jobId: ctx.job.id,
      syncType: payload.syncType,
      fullSync: payload.mode === 'full',
    });
    const stats: SyncStats = { apiCalls: 0, bytesTransferred: 0 };
    const failures: Array<{ externalId: string; reason: string }> = [];
    try {
      const connector = deps.buildConnector(config);
      await connector.testConnection(ctx.signal);
      const known = deps.documents.knownForConnector(config.id);
      let examined = 0;
      const generator = connector.sync({
        mode: payload.mode,
        cursor: payload.mode === 'full' ? null : config.syncCursor,
        signal: ctx.signal,
        limit: payload.limit,
        onlyExternalIds: payload.onlyExternalIds,
        known: { get: (id) => known.get(id), ids: () => known.keys() },
        progress: (p) => {
          examined = p.processed;
          ctx.progress(p.total ? Math.min(0.99, p.processed / p.total) : 0, p.message ?? `${p.processed} examined`);
        },
        stats,
      });
      let result: IteratorResult<SyncBatch, SyncResult>;
      const pendingProcessing: string[] = [];
      while (!(result = await generator.next()).done) {
        ctx.signal.throwIfAborted();
        await saveBatch(deps, config, result.value, counts, failures, pendingProcessing, ctx);
        flushProcessing(deps, pendingProcessing, false);
      }
      flushProcessing(deps, pendingProcessing, true);
      deps.connectors.completeSync(config.id, result.value.cursor);

      counts.apiCallsMade = stats.apiCalls;
      counts.bytesTransferred = stats.bytesTransferred;
      const status = counts.documentsFailed > 0 ? 'partial' : 'success';
      deps.syncLogs.finish(
        logId,
        status,
        counts,
        failures.length
          ? { message: `${failures.length} document(s) failed`, details: failures.slice(0, 200) }
          : undefined,
        { examined },
      );
      deps.events.record({
        type: 'sync.finished',
        level: status === 'success' ? 'success' : 'warning',
        title: `${config.name} synced`,
        message: describeCounts(counts),
        connectorId: config.id,
        jobId: ctx.job.id,
        data: { logId, ...counts },
      });
      ctx.progress(1, 'Sync complete');
      return { ...counts, status, logId };
    } catch (error) {
      const err = toAppError(error);
      counts.apiCallsMade = stats.apiCalls;
      counts.bytesTransferred = stats.bytesTransferred;
      deps.syncLogs.finish(logId, 'failed', counts, { message: err.message, details: { code: err.code, failures } });
      if (err.code === 'CANCELLED') throw err;
      deps.connectors.setStatus(config.id, err.code === 'CONNECTOR_AUTH' ? 'disconnected' : 'error', err.message);
      deps.events.record({
        type: 'sync.failed',
        level: 'error',
        title: `${config.name} could not sync`,
        message: err.message,
        connectorId: config.id,
        jobId: ctx.job.id,
        data: { logId, code: err.code },
      });
      // Lost access does not come back on a retry: the connector is disconnected until the person reconnects it.
      if (err.code === 'CONNECTOR_AUTH') throw nonRetryable(err);
      throw err;
    }
  };
}

async function saveBatch(
  deps: SyncConnectorDeps,
  config: StoredConnector,
  batch: SyncBatch,
  counts: SyncCounts,
  failures: Array<{ externalId: string; reason: string }>,
  pendingProcessing: string[],
  ctx: HandlerContext,
): Promise<void> {
  // Three steps so a batch costs two commits, not two per document, and no
  // transaction is held across an await: record every source document, load
  // and extract the new or changed ones concurrently, then store the results.
  const recorded = deps.db.transaction(() => batch.upserts.map((doc) => recordSource(deps, config, doc)))();
  const loaded: Array<LoadResult | undefined> = new Array(recorded.length);
  await mapWithConcurrency(recorded, deps.loadConcurrency ?? 4, async (entry, i) => {
    if (entry.kind === 'load') loaded[i] = await loadText(deps, entry.doc, ctx.signal);
  });
  const outcomes = deps.db.transaction(() =>
    recorded.map((entry, i) => (entry.kind === 'load' ? storeText(deps, entry, loaded[i]!) : entry)),
  )();
  outcomes.forEach((outcome, i) => {
    switch (outcome.kind) {
      case 'created':
        counts.documentsSynced++;
        pendingProcessing.push(outcome.id);
        break;
      case 'updated':
        counts.documentsUpdated++;
        pendingProcessing.push(outcome.id);
        break;
      case 'resume':
        pendingProcessing.push(outcome.id);
        break;
      case 'skipped':
        counts.documentsSkipped++;
        break;
      case 'failed':
        counts.documentsFailed++;
        failures.push({ externalId: batch.upserts[i]!.externalId, reason: outcome.reason });
        break;
      case 'unchanged':
        break;
    }
  });
  if (batch.deletions.length) {
    const deleted = deps.db.transaction(() => deps.documents.markDeleted(config.id, batch.deletions))();
    counts.documentsDeleted += deleted.length;
    deps.purgeDeletedVectors();
  }
}

type SaveOutcome =
  | { kind: 'created' | 'updated'; id: string }
  | { kind: 'unchanged' }
  /** Stored earlier but never processed (the last run stopped in between): enqueue again, count nothing. */
  | { kind: 'resume'; id: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string };

/** A recorded document whose text must be (re)loaded. */
interface NeedsText {
  kind: 'load';
  doc: SourceDocument;
  id: string;
  outcome: 'created' | 'updated';
}

type LoadResult = { ok: true; text: ExtractedText } | { ok: false; status: 'skipped' | 'error'; reason: string };

/** Records one source document (synchronous, inside the batch transaction). */
function recordSource(deps: SyncConnectorDeps, config: StoredConnector, doc: SourceDocument): SaveOutcome | NeedsText {
  const saved = deps.documents.upsertFromSource({
    connectorId: config.id,
    externalId: doc.externalId,
    title: doc.title,
    mimeType: doc.mimeType,
    sourceUrl: doc.sourceUrl ?? null,
    contentHash: doc.contentHash,
    sizeBytes: doc.sizeBytes ?? null,
    sourceModifiedAt: doc.modifiedAt ?? null,
    metadata: doc.metadata,
  });
  if (doc.skipReason) {
    if (saved.needsContent) deps.documents.setStatus(saved.id, 'skipped', doc.skipReason);
    return { kind: 'skipped', reason: doc.skipReason };
  }
  if (!saved.needsContent) return saved.awaitingProcessing ? { kind: 'resume', id: saved.id } : { kind: 'unchanged' };
  return { kind: 'load', doc, id: saved.id, outcome: saved.outcome === 'created' ? 'created' : 'updated' };
}

/** Loads and extracts a document's text; a failure of this one document is a result, not a throw. */
async function loadText(deps: SyncConnectorDeps, doc: SourceDocument, signal: AbortSignal): Promise<LoadResult> {
  try {
    const content = await doc.load(signal);
    return { ok: true, text: await deps.extractText(content, signal) };
  } catch (error) {
    if (error instanceof ExtractionFailure) return { ok: false, status: error.status, reason: error.message };
    const err = toAppError(error);
    // A source may only learn at download time that a file cannot be indexed (Drive's export size limit).
    if (err.code === 'UNSUPPORTED_FILE' && typeof err.details?.skipReason === 'string') {
      return { ok: false, status: 'skipped', reason: err.details.skipReason };
    }
    // Cancellation and lost access stop the whole sync; anything else fails this one document only.
    if (err.code === 'CANCELLED' || err.code === 'CONNECTOR_AUTH') throw err;
    return { ok: false, status: 'error', reason: err.message };
  }
}

/** Stores what loading produced (synchronous, inside the batch transaction). */
function storeText(deps: SyncConnectorDeps, entry: NeedsText, result: LoadResult): SaveOutcome {
  if (result.ok) {
    deps.documents.setContent(entry.id, result.text.text, result.text.metadata);
    return { kind: entry.outcome, id: entry.id };
  }
  deps.documents.setStatus(entry.id, result.status, result.reason);
  return result.status === 'skipped'
    ? { kind: 'skipped', reason: result.reason }
    : { kind: 'failed', reason: result.reason };
}

function flushProcessing(deps: SyncConnectorDeps, pending: string[], all: boolean): void {
  while (pending.length >= PROCESS_ENQUEUE_BATCH || (all && pending.length > 0)) {
    const batch = pending.splice(0, PROCESS_ENQUEUE_BATCH);
    deps.db.transaction(() => deps.enqueueProcessing(batch))();
  }
}

function emptyCounts(): SyncCounts {
  return {
    documentsSynced: 0,
    documentsUpdated: 0,
    documentsFailed: 0,
    documentsDeleted: 0,
    documentsSkipped: 0,
    apiCallsMade: 0,
    bytesTransferred: 0,
  };
}

function describeCounts(c: SyncCounts): string {
  const parts = [`${c.documentsSynced} new`, `${c.documentsUpdated} updated`, `${c.documentsDeleted} removed`];
  if (c.documentsSkipped) parts.push(`${c.documentsSkipped} skipped`);
  if (c.documentsFailed) parts.push(`${c.documentsFailed} failed`);
  return parts.join(', ');
}
