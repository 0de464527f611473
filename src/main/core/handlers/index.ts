/**
 * Registers every job type with its handler: the seams of the data flow
 * (connector -> sync_connector -> documents -> process_imported_doc ->
 * chunks, FTS, vectors) meet here. Each handler's own dependencies are the
 * `...Deps` interface beside it; this file only says where each comes from.
 */
import type { Database } from 'better-sqlite3';
import type { Connector } from '../connectors/types';
import { CHUNKER_VERSION, DEFAULT_PARSE_LIMITS, type ParserPool } from '../ingest';
import { TextBudget } from '../ingest/text-budget';
import { JOB_PAYLOAD_SCHEMAS, jobPayload, type JobPayloads } from '../jobs';
import { timeStage, timeStageAsync, type StageTimer } from '../metrics/stage-timer';
import type { OcrRecovery } from '../ocr/ocr-recovery';
import type { OcrSettings } from '../ocr/ocr-settings';
import type { OcrSourceStore } from '../ocr/ocr-sources';
import { readOcrState } from '../ocr/ocr-state';
import type { Clock } from '../clock';
import { createJobQueue, type JobQueue, type JobQueueOptions } from '../queue';
import { JOB_EVENT_NAMES, type CoreEvents, type CoreEventMap } from '../services/core-events';
import { chunkStoredDocument, embeddingText } from '../services/chunking';
import type { DocumentDeletion } from '../services/document-deletion';
import { processingJobKey } from '../services/document-recovery';
import type { EmbeddingService } from '../services/embedding.service';
import type { RunTracker } from '../services/run-tracker';
import type { SyncRequests } from '../services/sync-requests';
import type { ChunksRepo } from '../store/chunks.repo';
import type { ConnectorsRepo, StoredConnector } from '../store/connectors.repo';
import type { DocumentsRepo } from '../store/documents.repo';
import type { EventsRepo } from '../store/events.repo';
import { GroupCommit } from '../store/group-commit';
import { probeDatabaseWrite } from '../db/storage-probe';
import type { OcrPagesRepo } from '../store/ocr-pages.repo';
import type { SyncLogsRepo } from '../store/sync-logs.repo';
import type { VectorsRepo } from '../store/vectors.repo';
import type { WebhookEventsRepo } from '../store/webhook-events.repo';
import { createEmbedBacklogHandler } from './embed-backlog.handler';
import { createMaintainSearchIndexHandler } from './maintain-search-index.handler';
import type { QuantizedIndexPolicy } from '../search/quantized-index';
import { createSketchBacklogHandler } from './sketch-backlog.handler';
import { createOcrDocumentHandler } from './ocr-document.handler';
import type { EnqueueProcessing, ExtractText } from './ports';
import { createProcessImportedDocHandler } from './process-imported-doc.handler';
import { createProcessWebhookHandler } from './process-webhook.handler';
import { createSyncConnectorHandler } from './sync-connector.handler';
import { writeTransaction } from '../db/write-transaction';

/** The queue of this app: typed by the job map, so enqueue and register check payloads. */
export type Queue = JobQueue<JobPayloads>;

/** The app's queue over `db`; each of its events is re-announced on `events` with its name as the discriminant. */
export function createQueue(db: Database, options: Omit<JobQueueOptions, 'store'>, events: CoreEvents): Queue {
  const queue = createJobQueue<JobPayloads>(db, options);
  for (const name of JOB_EVENT_NAMES) {
    queue.on(name, (payload) => events.emit('job', { event: name, ...payload } as CoreEventMap['job']));
  }
  return queue;
}

/** Queues process_imported_doc for documents, keyed so a document has at most one live job. */
export function processingEnqueuer(queue: Queue): EnqueueProcessing {
  return (documentIds, options = {}) =>
    void queue.enqueueMany(
      documentIds.map((documentId) => ({
        type: 'process_imported_doc' as const,
        payload: { documentId },
        options: { key: processingJobKey(documentId), ...options },
      })),
    );
}

export interface JobDeps {
  db: Database;
  clock: Clock;
  repos: {
    connectors: ConnectorsRepo;
    documents: DocumentsRepo;
    chunks: ChunksRepo;
    syncLogs: SyncLogsRepo;
    events: EventsRepo;
    vectors: VectorsRepo;
    webhookEvents: WebhookEventsRepo;
    ocrPages: OcrPagesRepo;
  };
  buildConnector(config: StoredConnector): Connector;
  extractText: ExtractText;
  enqueueProcessing: EnqueueProcessing;
  /** Documents nothing is going to index, for a sync to queue (services/document-recovery.ts). */
  leftUnindexed(connectorId: string): string[];
  deletion: DocumentDeletion;
  syncs: SyncRequests;
  runs: RunTracker;
  embeddings: EmbeddingService;
  parserPool: ParserPool;
  ocr: {
    /** The OCR worker (a parser pool of one thread). */
    pool: ParserPool;
    sources: OcrSourceStore;
    settings: OcrSettings;
    recovery: OcrRecovery;
    enqueue(documentId: string, contentHash: string): void;
  };
  /** How long a "something changed" webhook's sync waits for the rest of a burst. */
  webhookSyncDelayMs: number;
  /** When the fast-search index is built. Default: from 100,000 vectors. */
  searchIndexPolicy?: QuantizedIndexPolicy;
  metrics?: StageTimer;
}

/** Registers every job type; returns what must be flushed on close (writes of documents being indexed). */
export function registerJobs(queue: Queue, deps: JobDeps): { flush(): void } {
  const { db, repos, metrics } = deps;
  // Text of the documents being indexed at once, at most 16 MB: each holds
  // its chunks and embedding texts too, several times its size.
  const indexingBudget = new TextBudget(16 * 1024 * 1024);
  // Documents being indexed at once share commits (see GroupCommit).
  const indexWrites = new GroupCommit(db, {
    around: (fn) => timeStage(metrics, 'write', fn),
    probeWrite: () => probeDatabaseWrite(db),
  });
  const purgeDeletedVectors = (): void => deps.deletion.purgeDeletedVectors();

  queue.register('sync_connector', {
    schema: JOB_PAYLOAD_SCHEMAS.sync_connector,
    concurrency: 2,
    serialKey: (p) => `connector:${p.connectorId}`,
    handler: createSyncConnectorHandler({
      db,
      connectors: repos.connectors,
      documents: repos.documents,
      syncLogs: repos.syncLogs,
      events: repos.events,
      buildConnector: deps.buildConnector,
      extractText: (content, signal) => timeStageAsync(metrics, 'parse', () => deps.extractText(content, signal)),
      enqueueProcessing: deps.enqueueProcessing,
      purgeDeletedVectors,
      runs: deps.runs,
      leftUnindexed: deps.leftUnindexed,
    }),
  });
  queue.register('process_imported_doc', {
    schema: JOB_PAYLOAD_SCHEMAS.process_imported_doc,
    // Each document passes through three queues (chunking in the parser
    // pool, the embedding worker, the group commit) and spends most of its
    // time waiting in them; on the 10,000-file benchmark 32 in flight was
    // ~6% faster than 16, and 16 ~8% faster than 12. Large documents are
    // held back by the text budget instead.
    concurrency: 32,
    handler: createProcessImportedDocHandler({
      db,
      documents: repos.documents,
      chunks: repos.chunks,
      chunkDocument: (doc, signal) =>
        timeStageAsync(metrics, 'chunk', () => chunkStoredDocument(doc, (job) => deps.parserPool.chunk(job, signal))),
      chunkerVersion: CHUNKER_VERSION,
      embeddingTarget: () => {
        const active = deps.embeddings.current();
        if (!active) return null;
        return {
          embedder: active.embedder,
          textFor: embeddingText,
          missing: (ids) => repos.vectors.missingChunkIds(active.space, ids),
          write: (items) => repos.vectors.upsert(active.space, items),
        };
      },
      purgeDeletedVectors,
      commit: (fn, rows) => indexWrites.write(fn, rows),
      admit: (textBytes, signal) => indexingBudget.acquire(textBytes, signal),
      afterIndexed: (doc) => {
        if (readOcrState(doc.metadata)?.state === 'pending' && doc.contentHash)
          deps.ocr.enqueue(doc.id, doc.contentHash);
      },
      metrics,
    }),
  });
  queue.register('process_webhook', {
    schema: JOB_PAYLOAD_SCHEMAS.process_webhook,
    handler: createProcessWebhookHandler({
      webhookEvents: repos.webhookEvents,
      getConnector: (id) => repos.connectors.get(id),
      buildConnector: deps.buildConnector,
      enqueueSync: (connectorId, request) =>
        void deps.syncs.request(connectorId, {
          mode: request.mode,
          syncType: 'webhook',
          onlyExternalIds: request.onlyExternalIds,
          key: request.key,
          // "Something changed" (every Drive notification) waits a moment, so a
          // burst lands in the one queued sync; a named page syncs at once.
          delayMs: request.onlyExternalIds ? 0 : deps.webhookSyncDelayMs,
        }),
      deleteDocuments: (connectorId, externalIds) => deps.deletion.deleteBySource(connectorId, externalIds),
      recordEvent: (input) => repos.events.record(input),
      atomically: (fn) => writeTransaction(db, fn)(),
    }),
  });
  queue.register('ocr_document', {
    schema: JOB_PAYLOAD_SCHEMAS.ocr_document,
    // One page at a time in the OCR pool's one thread anyway; one job keeps the order of documents.
    concurrency: 1,
    handler: createOcrDocumentHandler({
      db,
      documents: repos.documents,
      ocrPages: repos.ocrPages,
      events: repos.events,
      sources: deps.ocr.sources,
      readPage: (request, signal) => deps.ocr.pool.ocrPage(request, signal),
      preferences: () => deps.ocr.settings.get(),
      limits: DEFAULT_PARSE_LIMITS.image,
      enqueueProcessing: deps.enqueueProcessing,
      isProcessing: (documentId) =>
        queue
          .list({ type: 'process_imported_doc', status: 'running', limit: 1000 })
          .some((job) => jobPayload(job, 'process_imported_doc')?.documentId === documentId),
      sourceStillNeeded: (sourceKey) => deps.ocr.recovery.neededSources().has(sourceKey),
    }),
  });
  queue.register('embed_backlog', {
    schema: JOB_PAYLOAD_SCHEMAS.embed_backlog,
    concurrency: 1,
    handler: createEmbedBacklogHandler({
      db,
      chunks: repos.chunks,
      vectors: repos.vectors,
      current: () => deps.embeddings.current(),
      textFor: embeddingText,
    }),
  });
  queue.register('sketch_backlog', {
    schema: JOB_PAYLOAD_SCHEMAS.sketch_backlog,
    concurrency: 1,
    handler: createSketchBacklogHandler({ db, sketch: (text, signal) => deps.parserPool.sketch(text, signal) }),
  });
  queue.register('maintain_search_index', {
    schema: JOB_PAYLOAD_SCHEMAS.maintain_search_index,
    concurrency: 1,
    handler: createMaintainSearchIndexHandler({
      db,
      clock: deps.clock,
      events: repos.events,
      policy: deps.searchIndexPolicy,
    }),
  });
  return { flush: () => indexWrites.flush() };
}
