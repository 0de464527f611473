import type { SyncConnectorPayload } from '../jobs';
import { AppError, toAppError } from '../../../shared/errors';
import type { Connector, SourceDocument, SyncBatch, SyncResult, SyncStats } from '../connectors/types';
import type { ConnectorsRepo, StoredConnector } from '../store/connectors.repo';
import type { DocumentsRepo, DocumentUpsert, SourceContent } from '../store/documents.repo';
import type { EventsRepo } from '../store/events.repo';
import { emptySyncCounts, type DocumentCounts, type SyncCounts, type SyncLogsRepo } from '../store/sync-logs.repo';
import type { Database } from 'better-sqlite3';
import { ExtractionFailure } from '../ingest/extracted-text';
import { FORMATS_VERSION } from '../ingest/extraction-version';
import { mapWithConcurrency } from '../map-with-concurrency';
import { nonRetryable } from '../queue/retryability';
import { crashPoint } from '../crash-points';
import type { EnqueueProcessing, ExtractText, HandlerContext, PurgeDeletedVectors } from './ports';
import { isLibraryBusy, isStorageFault } from '../../../shared/storage-errors';
import { plural } from '../../../shared/counted';
import { writeTransaction } from '../db/write-transaction';

export interface SyncConnectorDeps {
  db: Database;
  connectors: ConnectorsRepo;
  documents: DocumentsRepo;
  syncLogs: SyncLogsRepo;
  events: EventsRepo;
  buildConnector(config: StoredConnector): Connector;
  extractText: ExtractText;
  enqueueProcessing: EnqueueProcessing;
  /**
   * The run tracker (services/run-tracker.ts): told how far the connector got
   * (kept in memory, aggregated into one progress event per tick) and when
   * the sync phase ended, so a run with nothing left to index closes at once.
   */
  runs?: {
    syncProgress(runId: string, examined: number, total: number | null): void;
    syncPhaseEnded(runId: string): void;
  };
  purgeDeletedVectors: PurgeDeletedVectors;
  /**
   * The connector's documents that nothing is going to index (text stored,
   * no processing job: services/document-recovery.ts `leftUnindexed`); the
   * sync queues them after its listing, as part of its run.
   */
  leftUnindexed?(connectorId: string): string[];
  /** Parallel loads/parses per batch. Default 4. */
  loadConcurrency?: number;
}

/** Documents are handed to process_imported_doc in batches of this size (one enqueueMany each). */
export const PROCESS_ENQUEUE_BATCH = 50;

export interface SyncSummary extends SyncCounts {
  status: 'success' | 'partial' | 'skipped';
  logId: string | null;
}

/**
 * sync_connector: load the config, require it active,
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
    const counts = emptySyncCounts();
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

    // An earlier attempt of this job left its run open (it met a library busy
    // in another process, or its process died): this attempt carries it on.
    const resumed = deps.syncLogs.openSyncOfJob(config.id, ctx.job.id);
    deps.syncLogs.closeOrphans(config.id, resumed);
    const logId =
      resumed ??
      deps.syncLogs.start({
        connectorId: config.id,
        jobId: ctx.job.id,
        syncType: payload.syncType,
        fullSync: payload.mode === 'full',
        metadata: runMetadata(payload),
      });
    crashPoint('sync.started');
    const stats: SyncStats = { apiCalls: 0, bytesTransferred: 0 };
    const failures: Array<{ externalId: string; title: string; path?: string; reason: string }> = [];
    try {
      const connector = deps.buildConnector(config);
      await connector.testConnection(ctx.signal);
      const known = deps.documents.knownForConnector(config.id);
      // Documents to read again are "unknown", so the connector does not skip them as unchanged.
      for (const id of payload.reread ?? []) known.delete(id);
      let examined = 0;
      const generator = connector.sync({
        mode: payload.mode,
        cursor: payload.mode === 'full' ? null : config.syncCursor,
        signal: ctx.signal,
        limit: payload.limit,
        onlyExternalIds: payload.onlyExternalIds,
        roots: payload.roots,
        known: { get: (id) => known.get(id), ids: () => known.keys() },
        progress: (p) => {
          examined = p.processed;
          deps.runs?.syncProgress(logId, p.processed, p.total ?? null);
          ctx.progress(p.total ? Math.min(0.99, p.processed / p.total) : 0, p.message ?? `${p.processed} examined`);
        },
        stats,
      });
      let result: IteratorResult<SyncBatch, SyncResult>;
      while (!(result = await generator.next()).done) {
        ctx.signal.throwIfAborted();
        await saveBatch(deps, config, result.value, counts, failures, ctx, logId);
      }
      resumeLeftUnindexed(deps, config.id, logId);
      deps.connectors.completeSync(config.id, result.value.cursor);
      crashPoint('sync.cursor.saved');

      counts.apiCallsMade = stats.apiCalls;
      counts.bytesTransferred = stats.bytesTransferred;
      const status = counts.documentsFailed > 0 ? 'partial' : 'success';
      // The run stays open until the documents it queued are indexed; the run
      // tracker closes it, with the final counts and the notification.
      deps.syncLogs.syncDone(logId, 'running', counts, {
        examined,
        error: failures.length
          ? { message: `${plural(failures.length, 'document')} failed`, details: failures.slice(0, 200) }
          : undefined,
      });
      crashPoint('sync.finished');
      deps.runs?.syncPhaseEnded(logId);
      ctx.progress(1, 'Listing complete; indexing');
      return { ...counts, status, logId };
    } catch (error) {
      // Stopped from outside (Trove closing, the person cancelling): the reason says why and what happens next,
      // where the error of the step cut short does not ("Parsing was cancelled.").
      const err = toAppError(ctx.signal.aborted ? (ctx.signal.reason ?? error) : error);
      // Another process held the library past the busy timeout: the queue hands
      // the job back, and its next attempt carries this run on, still listing.
      if (isLibraryBusy(err)) throw err;
      counts.apiCallsMade = stats.apiCalls;
      counts.bytesTransferred = stats.bytesTransferred;
      deps.syncLogs.syncDone(logId, 'failed', counts, {
        error: { message: err.message, details: { code: err.code, failures } },
      });
      deps.runs?.syncPhaseEnded(logId);
      // A full or failing disk is not the connector's fault: the app pauses and the sync runs again.
      if (err.code === 'CANCELLED' || isStorageFault(err)) throw err;
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

/**
 * Queues, as part of this run, the connector's documents that a cancelled run
 * left unindexed: their files are unchanged, so the listing passed over them,
 * and the cancelled run said the next sync would index them. After the
 * listing, so that documents it queued itself are not counted twice.
 */
function resumeLeftUnindexed(deps: SyncConnectorDeps, connectorId: string, runId: string): void {
  const left = deps.leftUnindexed?.(connectorId) ?? [];
  if (left.length === 0) return;
  writeTransaction(deps.db, () => {
    enqueueInBatches(deps, left);
    deps.syncLogs.addToIndex(runId, deps.documents.attachToRun(left, runId).size);
    crashPoint('sync.left.in-transaction');
  })();
  crashPoint('sync.left.queued');
}

/** Queues processing of `ids`, PROCESS_ENQUEUE_BATCH at a time (inside the caller's transaction). */
function enqueueInBatches(deps: SyncConnectorDeps, ids: readonly string[]): void {
  for (let i = 0; i < ids.length; i += PROCESS_ENQUEUE_BATCH) {
    deps.enqueueProcessing(ids.slice(i, i + PROCESS_ENQUEUE_BATCH));
  }
}

async function saveBatch(
  deps: SyncConnectorDeps,
  config: StoredConnector,
  batch: SyncBatch,
  counts: SyncCounts,
  failures: Array<{ externalId: string; title: string; path?: string; reason: string }>,
  ctx: HandlerContext,
  runId: string,
): Promise<void> {
  crashPoint('sync.batch.listed');
  // Nothing is written until a document's text is in hand: its row, text and
  // processing job are committed together, so a crash anywhere leaves either
  // the old state (met again by the next sync) or the complete new one, never
  // a row that claims content it does not have. No transaction is held
  // across an await: decide (read-only), load concurrently, then one commit.
  const needsLoad = batch.upserts.map(
    (doc) => !doc.skipReason && deps.documents.needsContent(sourceRecord(config, doc)),
  );
  const loaded: Array<SourceContent | undefined> = new Array(batch.upserts.length);
  await mapWithConcurrency(batch.upserts, deps.loadConcurrency ?? 4, async (doc, i) => {
    if (needsLoad[i]) loaded[i] = await loadText(deps, doc, ctx.signal);
  });
  crashPoint('sync.batch.loaded');
  const outcomes = writeTransaction(deps.db, () => {
    const stored = batch.upserts.map((doc, i) => storeSource(deps, config, doc, loaded[i]));
    const toProcess = stored.flatMap((o) =>
      o.kind === 'created' || o.kind === 'updated' || o.kind === 'resume' ? [o.id] : [],
    );
    // Read again by newer parsers to the same text: processed again as background work of no run.
    const refreshed = stored.flatMap((o) => (o.kind === 'refreshed' ? [o.id] : []));
    enqueueInBatches(deps, toProcess);
    enqueueInBatches(deps, refreshed);
    // The run owns what it queued and what it newly failed or skipped, so its
    // progress and its list of failures are counts over its documents. What
    // an earlier attempt of this run queued is queued again, not counted again.
    const newToRun = deps.documents.attachToRun(
      stored.flatMap((o) => ('id' in o && o.id && o.kind !== 'refreshed' ? [o.id] : [])),
      runId,
    );
    deps.syncLogs.addToIndex(runId, toProcess.filter((id) => newToRun.has(id)).length);
    deps.syncLogs.addCounts(runId, countOutcomes(stored));
    crashPoint('sync.batch.in-transaction');
    return stored;
  })();
  crashPoint('sync.batch.stored');
  addTo(counts, countOutcomes(outcomes));
  outcomes.forEach((outcome, i) => {
    if (outcome.kind !== 'failed') return;
    const doc = batch.upserts[i]!;
    const path = typeof doc.metadata.path === 'string' ? doc.metadata.path : undefined;
    failures.push({ externalId: doc.externalId, title: doc.title, path, reason: outcome.reason });
  });
  if (batch.deletions.length) {
    const deleted = writeTransaction(deps.db, () => {
      const ids = deps.documents.markDeleted(config.id, batch.deletions);
      deps.syncLogs.addCounts(runId, { documentsDeleted: ids.length });
      return ids;
    })();
    counts.documentsDeleted += deleted.length;
    crashPoint('sync.deletions.stored');
    deps.purgeDeletedVectors();
  }
}

/** A batch's outcomes as counts: new, changed, skipped and failed documents. */
function countOutcomes(outcomes: readonly SaveOutcome[]): Partial<DocumentCounts> {
  const count = (kind: SaveOutcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  return {
    documentsSynced: count('created'),
    documentsUpdated: count('updated'),
    documentsSkipped: count('skipped'),
    documentsFailed: count('failed'),
  };
}

function addTo(counts: SyncCounts, delta: Partial<DocumentCounts>): void {
  for (const [key, n] of Object.entries(delta) as Array<[keyof DocumentCounts, number]>) counts[key] += n;
}

type SaveOutcome =
  | { kind: 'created' | 'updated'; id: string }
  | { kind: 'unchanged' }
  /** Stored earlier but not processed yet (e.g. a crash came first): its job is queued again, nothing counted. */
  | { kind: 'resume'; id: string }
  | { kind: 'refreshed'; id: string }
  /** `id` is set when this sync recorded the skip or failure (not when it was already so). */
  | { kind: 'skipped'; reason: string; id?: string }
  | { kind: 'failed'; reason: string; id?: string };

function sourceRecord(config: StoredConnector, doc: SourceDocument): DocumentUpsert {
  return {
    connectorId: config.id,
    externalId: doc.externalId,
    title: doc.title,
    mimeType: doc.mimeType,
    sourceUrl: doc.sourceUrl ?? null,
    contentHash: doc.contentHash,
    sizeBytes: doc.sizeBytes ?? null,
    sourceModifiedAt: doc.modifiedAt ?? null,
    metadata: doc.metadata,
  };
}

/** Loads and extracts a document's text; a failure of this one document is a result, not a throw. */
async function loadText(deps: SyncConnectorDeps, doc: SourceDocument, signal: AbortSignal): Promise<SourceContent> {
  try {
    const content = await doc.load(signal);
    const extracted = await deps.extractText(content, signal);
    return { kind: 'text', text: extracted.text, metadata: extracted.metadata, mimeType: extracted.mimeType };
  } catch (error) {
    if (error instanceof ExtractionFailure) {
      // A format these parsers do not read: a later version that reads it reads the file again.
      const unsupported = error.details?.reason === 'unsupported_type';
      return {
        kind: 'status',
        status: error.status,
        reason: error.message,
        ...(unsupported ? { metadata: { unsupportedBy: FORMATS_VERSION } } : {}),
      };
    }
    const err = toAppError(error);
    // A source may only learn at download time that a file cannot be indexed (Drive's export size limit).
    if (err.code === 'UNSUPPORTED_FILE' && typeof err.details?.skipReason === 'string') {
      return { kind: 'status', status: 'skipped', reason: err.details.skipReason };
    }
    // Cancellation, lost access and a full disk stop the whole sync; anything else fails this one document only.
    if (err.code === 'CANCELLED' || err.code === 'CONNECTOR_AUTH' || isStorageFault(err)) throw err;
    return { kind: 'status', status: 'error', reason: err.message };
  }
}

/**
 * Records one source document with what loading produced (synchronous,
 * inside the batch transaction). A skip reason from the connector stands in
 * for content. A document that turned out to need content it was not loaded
 * with (it changed under this sync) is left for the next sync.
 */
function storeSource(
  deps: SyncConnectorDeps,
  config: StoredConnector,
  doc: SourceDocument,
  loaded: SourceContent | undefined,
): SaveOutcome {
  const content: SourceContent | null = doc.skipReason
    ? { kind: 'status', status: 'skipped', reason: doc.skipReason }
    : (loaded ?? null);
  const recorded = deps.documents.recordSource(sourceRecord(config, doc), content);
  if (recorded.outcome === 'unchanged') {
    if (doc.skipReason) return { kind: 'skipped', reason: doc.skipReason };
    return recorded.awaitingProcessing ? { kind: 'resume', id: recorded.id! } : { kind: 'unchanged' };
  }
  if (recorded.outcome === 'refreshed') return { kind: 'refreshed', id: recorded.id! };
  if (recorded.outcome === 'deferred' || !content) return { kind: 'unchanged' };
  if (content.kind === 'text') return { kind: recorded.outcome, id: recorded.id! };
  const id = recorded.id ?? undefined;
  return content.status === 'skipped'
    ? { kind: 'skipped', reason: content.reason, id }
    : { kind: 'failed', reason: content.reason, id };
}

/** What the run's log records of why it ran, beyond its sync type (api/views.ts runKindLabel). */
function runMetadata(payload: SyncConnectorPayload): Record<string, boolean> {
  if (payload.reread?.length) return { retry: true };
  if (payload.afterUpdate) return { afterUpdate: true };
  if (payload.atStart) return { atStart: true };
  return {};
}
