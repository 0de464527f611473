import type { Database } from 'better-sqlite3';
import { systemClock, type Clock } from './clock';
import { createConnectorRegistry, type ConnectorRegistry } from './connectors/registry';
import { googleDriveConnectorFactory } from './connectors/google-drive';
import { localFolderConnectorFactory, FolderWatcher, localFolderSettingsSchema } from './connectors/local-folder';
import { localImportConnectorFactory } from './connectors/local-import';
import { notionConnectorFactory } from './connectors/notion';
import type { ConnectorContext } from './connectors/types';
import { databaseFile, ocrSourcesDir, prepareDataDir } from './data-dir';
import { openDatabase } from './db/open';
import { probeDatabaseWrite, probeStorage } from './db/storage-probe';
import { TINY_TEST_MODEL } from './embeddings/manifests';
import { ModelManager } from './embeddings/model-manager';
import { createEmbedBacklogHandler, embedBacklogPayloadSchema } from './handlers/embed-backlog.handler';
import {
  createProcessImportedDocHandler,
  processImportedDocPayloadSchema,
} from './handlers/process-imported-doc.handler';
import { createProcessWebhookHandler, processWebhookPayloadSchema } from './handlers/process-webhook.handler';
import { createOcrDocumentHandler, ocrDocumentPayloadSchema } from './handlers/ocr-document.handler';
import { createOcrPool } from './ocr/ocr-pool';
import { OcrRecovery, ocrJobKey } from './ocr/ocr-recovery';
import { OcrSettings } from './ocr/ocr-settings';
import { OcrSourceStore } from './ocr/ocr-sources';
import { readOcrState } from './ocr/ocr-state';
import { OcrPagesRepo } from './store/ocr-pages.repo';
import { createSyncConnectorHandler, syncConnectorPayloadSchema } from './handlers/sync-connector.handler';
import { TextBudget } from './handlers/text-budget';
import { createJobQueue, waitUntilIdle, type JobQueue, type WaitUntilIdleOptions } from './queue';
import { createLogger, type Logger } from './logger';
import { createDriveWatchPort } from './relay/drive-watch-port';
import { DriveWatchRenewer } from './relay/drive-watch-renewer';
import { RelayClient } from './relay/relay-client';
import { RelayChannelsRepo } from './store/relay-channels.repo';
import type { SyncType } from './store/sync-logs.repo';
import { SearchService } from './search/search.service';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { ConnectorService } from './services/connector.service';
import { EmbeddingService } from './services/embedding.service';
import { DocumentRecovery, processingJobKey } from './services/document-recovery';
import { pauseNotice, StorageHealth } from './services/storage-health';
import { createExtractor } from './services/extraction';
import { chunkStoredDocument, embeddingText } from './services/chunking';
import { CoreEvents, JOB_EVENT_NAMES, type CoreEventMap } from './services/core-events';
import { RunTracker } from './services/run-tracker';
import { ChunksRepo } from './store/chunks.repo';
import { ConnectorsRepo } from './store/connectors.repo';
import { DocumentsRepo } from './store/documents.repo';
import { EmbeddingSpacesRepo } from './store/embedding-spaces.repo';
import { EventsRepo } from './store/events.repo';
import { SettingsRepo } from './store/settings.repo';
import { SyncLogsRepo } from './store/sync-logs.repo';
import { GroupCommit } from './store/group-commit';
import {
  createMaintainSearchIndexHandler,
  maintainSearchIndexPayloadSchema,
} from './handlers/maintain-search-index.handler';
import { VectorsRepo } from './store/vectors.repo';
import { WebhookEventsRepo } from './store/webhook-events.repo';
import { CHUNKER_VERSION, DEFAULT_PARSE_LIMITS, ParserPool } from './ingest';
import { timeStage, timeStageAsync, type StageTimer } from './metrics/stage-timer';
import { timedConnector } from './metrics/timed-connector';

export interface CoreOptions {
  /** Where trove.db and downloaded models live. Created if missing. */
  dataDir: string;
  /** Default: the OS keychain (keytar). */
  secrets?: SecretStore;
  logger?: Logger;
  fetch?: typeof fetch;
  clock?: Clock;
  /**
   * Run background work in this process: queue workers, folder watchers, the
   * relay poller, embedder loading. Default true. `trove status` passes false.
   */
  background?: boolean;
  /** Most jobs running at once. Default 36 (32 of them indexing documents, see process_imported_doc). */
  concurrency?: number;
  /** Job lease; a crashed process's jobs return to the queue after it. Default 30000 ms (tests shorten it). */
  leaseMs?: number;
  /** Model hub root for downloads (tests point it at a local fake). Default Hugging Face. */
  modelHubUrl?: string;
  /** Gemini API root (tests point it at a local fake). */
  geminiBaseUrl?: string;
  /** Watch local folders for changes. Default: `background`. The CLI's one-shot commands turn it off. */
  watch?: boolean;
  /** Poll the webhook relay. Default: `background`. */
  relay?: boolean;
  /** Debounce of folder watchers, ms. Default 1500. */
  watchDebounceMs?: number;
  /** Accumulates time per ingest stage (benchmarks). Default: nothing is timed. */
  metrics?: StageTimer;
  /**
   * How long a sync asked for by a "something changed" webhook (every Drive
   * notification) waits before it starts, so the rest of a burst joins it
   * instead of queueing a follow-up. Default 2000 ms.
   */
  webhookSyncDelayMs?: number;
}

export type Queue = JobQueue;

/**
 * The one place that constructs objects (DESIGN.md section 2). Everything the
 * shell, the browser mode and the CLI use hangs off the returned Core.
 */
export interface Core {
  readonly dataDir: string;
  readonly db: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly secrets: SecretStore;
  readonly repos: {
    connectors: ConnectorsRepo;
    documents: DocumentsRepo;
    chunks: ChunksRepo;
    syncLogs: SyncLogsRepo;
    events: EventsRepo;
    settings: SettingsRepo;
    spaces: EmbeddingSpacesRepo;
    vectors: VectorsRepo;
    webhookEvents: WebhookEventsRepo;
    ocrPages: OcrPagesRepo;
  };
  readonly queue: Queue;
  readonly registry: ConnectorRegistry;
  readonly connectors: ConnectorService;
  readonly embeddings: EmbeddingService;
  readonly models: ModelManager;
  readonly search: SearchService;
  readonly relay: RelayClient;
  readonly events: CoreEvents;
  /** OCR preferences: the languages scans are read in, the confidence floor. */
  readonly ocr: OcrSettings;
  /** Whether the data disk takes writes; background work pauses while it does not. */
  readonly storage: StorageHealth;
  /** Sync runs from listing to the last indexed document. */
  readonly runs: RunTracker;
  /** Queues process_imported_doc for documents (keyed, so a document has at most one live job); run inside a transaction. */
  enqueueProcessing(documentIds: readonly string[]): void;
  /** Queues a sync of a connector (deduplicated with one already queued). */
  requestSync(
    connectorId: string,
    options: {
      mode: 'full' | 'incremental';
      syncType: SyncType;
      onlyExternalIds?: string[];
      roots?: string[];
      reread?: string[];
    },
  ): { jobId: string };
  /** Resolves when every queued and running job has finished (CLI `sync`, benchmarks, tests). */
  idle(options?: WaitUntilIdleOptions): Promise<void>;
  close(): Promise<void>;
}

/** How long after documents finish indexing the fast-search index is checked. */
const SEARCH_INDEX_CHECK_DELAY_MS = 30_000;

export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const secrets = options.secrets ?? new KeytarSecretStore();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const background = options.background ?? true;
  const webhookSyncDelayMs = options.webhookSyncDelayMs ?? 2000;
  const madePrivate = prepareDataDir(options.dataDir, (path, error) =>
    logger.warn('could not make a data folder entry private', { path, code: error.code }),
  );
  if (madePrivate > 0) logger.info('made the data folder private', { changed: madePrivate });

  const db = openDatabase(databaseFile(options.dataDir));
  const repos = {
    connectors: new ConnectorsRepo(db, clock),
    documents: new DocumentsRepo(db, clock),
    chunks: new ChunksRepo(db, clock),
    syncLogs: new SyncLogsRepo(db, clock),
    events: new EventsRepo(db, clock),
    settings: new SettingsRepo(db, clock),
    spaces: new EmbeddingSpacesRepo(db, clock),
    vectors: new VectorsRepo(db),
    webhookEvents: new WebhookEventsRepo(db, clock),
    ocrPages: new OcrPagesRepo(db, clock),
  };
  const events = new CoreEvents();
  repos.events.onRecord((notification) => events.emit('notification', notification));
  const purgeDeletedVectors = (): void => void repos.vectors.purgeGarbage();

  const storage = new StorageHealth({ probe: () => probeStorage({ db, dataDir: options.dataDir }), clock, logger });
  storage.on('change', (state) => events.emit('storage', state));
  // The pause could not be written while it lasted: it goes into the feed once writes work.
  storage.on('resumed', (ended) => {
    try {
      repos.events.record(pauseNotice(ended, clock.now()));
    } catch (error) {
      storage.report(error);
    }
  });

  const queue = createJobQueue(db, {
    clock,
    logger,
    concurrency: options.concurrency ?? 36,
    leaseMs: options.leaseMs,
    pauseGate: storage,
  });
  for (const name of JOB_EVENT_NAMES) {
    // Each queue event is re-announced with its name as the discriminant.
    queue.on(name, (payload) => events.emit('job', { event: name, ...payload } as CoreEventMap['job']));
  }

  const registry = createConnectorRegistry({
    local_folder: localFolderConnectorFactory,
    local_import: localImportConnectorFactory,
    google_drive: googleDriveConnectorFactory,
    notion: notionConnectorFactory,
  });
  const contextFor = (config: ConnectorContext['config']): ConnectorContext => ({
    config,
    secrets,
    fetch: fetchImpl,
    logger: logger.child(`sync:${config.id}`),
    clock,
    setStatus: (status, error) => repos.connectors.setStatus(config.id, status, error ?? null),
  });
  const metrics = options.metrics;
  // Text of the documents being indexed at once, at most 16 MB: each holds
  // its chunks and embedding texts too, several times its size.
  const indexingBudget = new TextBudget(16 * 1024 * 1024);
  // Documents being indexed at once share commits (see GroupCommit).
  const indexWrites = new GroupCommit(db, {
    around: (fn) => timeStage(metrics, 'write', fn),
    probeWrite: () => probeDatabaseWrite(db),
  });
  const buildConnector = (config: ConnectorContext['config']) => {
    const connector = registry.build(contextFor(config));
    return metrics ? timedConnector(connector, metrics) : connector;
  };

  const enqueueProcessing = (documentIds: readonly string[]): void => {
    queue.enqueueMany(
      documentIds.map((documentId) => ({
        type: 'process_imported_doc',
        payload: { documentId },
        options: { key: processingJobKey(documentId) },
      })),
    );
  };
  const documentRecovery = new DocumentRecovery({ db, documents: repos.documents, enqueueProcessing, logger });
  queue.on('failed', (e) => {
    if (e.type !== 'process_imported_doc') return;
    const documentId = (queue.get(e.jobId)?.payload as { documentId?: unknown } | undefined)?.documentId;
    if (typeof documentId === 'string') documentRecovery.onProcessingJobFailed(documentId, e.error.message);
  });
  const runs = new RunTracker({
    syncLogs: repos.syncLogs,
    documents: repos.documents,
    connectors: repos.connectors,
    events: repos.events,
    clock,
    logger,
    onProgress: (progress) => events.emit('run', progress),
    onFinished: (run) => events.emit('runFinished', run),
  });
  // A document's job ending may end its run: the tracker looks (debounced, one count per open run).
  for (const name of ['succeeded', 'failed', 'cancelled'] as const) {
    queue.on(name, (e) => {
      if (e.type === 'process_imported_doc' || e.type === 'sync_connector') runs.poke();
    });
  }

  const parserPool = new ParserPool({});
  const ocrPool = createOcrPool();
  const ocrSources = new OcrSourceStore(ocrSourcesDir(options.dataDir));
  const ocrSettings = new OcrSettings(repos.settings);
  const extractText = createExtractor(parserPool, ocrSources);
  // Below the embedding backlog (-1) and index maintenance (-2): OCR waits for everything else.
  const enqueueOcr = (documentId: string, contentHash: string): void =>
    void queue.enqueue('ocr_document', { documentId, contentHash }, { key: ocrJobKey(documentId), priority: -3 });
  const ocrRecovery = new OcrRecovery({ db, documents: repos.documents, sources: ocrSources, enqueueOcr, logger });
  for (const outcome of ['failed', 'cancelled'] as const) {
    queue.on(outcome, (e) => {
      if (e.type !== 'ocr_document') return;
      const documentId = (queue.get(e.jobId)?.payload as { documentId?: unknown } | undefined)?.documentId;
      const error = 'error' in e ? (e.error as { message: string }).message : undefined;
      if (typeof documentId === 'string') ocrRecovery.onJobEnded(documentId, outcome, error);
    });
  }
  const models = new ModelManager({
    dataDir: options.dataDir,
    hubBaseUrl: options.modelHubUrl ?? process.env.TROVE_MODEL_HUB_URL,
    fetch: fetchImpl,
    logger,
    extraManifests: [TINY_TEST_MODEL],
  });
  const embeddings = new EmbeddingService({
    settings: repos.settings,
    spaces: repos.spaces,
    models,
    secrets,
    clock,
    logger,
    geminiBaseUrl: options.geminiBaseUrl ?? process.env.TROVE_GEMINI_BASE_URL,
    onSpaceReady: (space) => {
      queue.enqueue('embed_backlog', { spaceId: space.id }, { key: `embed-backlog:${space.id}`, priority: -1 });
    },
    onStateChange: (state) => events.emit('embedding', state),
  });
  const search = new SearchService({
    db,
    clock,
    logger,
    getEmbedder: () => embeddings.current()?.embedder ?? null,
  });

  const requestSync = (
    connectorId: string,
    opts: {
      mode: 'full' | 'incremental';
      syncType: SyncType;
      onlyExternalIds?: string[];
      /** An import of new paths: only these are scanned. */
      roots?: string[];
      /** External ids to read again even if unchanged (a retry). */
      reread?: string[];
      key?: string;
      delayMs?: number;
    },
  ): { jobId: string } => {
    const { key: requestedKey, delayMs, ...rest } = opts;
    const payload = { connectorId, ...rest };
    const runAt = delayMs ? clock.now() + delayMs : undefined;
    // A sync already queued absorbs this request. One already running may
    // have walked past the change, so a single follow-up is queued behind it
    // (the serial key keeps them in order).
    const key =
      requestedKey ??
      (opts.onlyExternalIds || opts.roots || opts.reread
        ? undefined
        : opts.mode === 'full'
          ? `sync:${connectorId}:full`
          : `sync:${connectorId}`);
    const first = queue.enqueue('sync_connector', payload, { key, priority: 10, runAt });
    if (key && first.deduplicated && queue.get(first.id)?.status === 'running') {
      return { jobId: queue.enqueue('sync_connector', payload, { key: `${key}:follow-up`, priority: 10, runAt }).id };
    }
    return { jobId: first.id };
  };

  const relayUrl = (): string | null =>
    repos.settings.get<string | null>('relay.url', null) ?? process.env.TROVE_RELAY_URL ?? null;
  const watcher = new FolderWatcher({
    onChange: (connectorId) => {
      const connector = repos.connectors.get(connectorId);
      if (connector?.status === 'active') requestSync(connectorId, { mode: 'incremental', syncType: 'watcher' });
    },
    debounceMs: options.watchDebounceMs,
    logger,
  });
  const watching = options.watch ?? background;
  const polling = options.relay ?? background;
  /** Keeps the folder watcher and the relay channel in line with a connector's current state. */
  const followConnector = (connectorId: string): void => {
    const connector = repos.connectors.get(connectorId);
    if (watching) {
      if (connector?.type === 'local_folder' && connector.status === 'active') {
        void watcher
          .watch(connectorId, localFolderSettingsSchema.parse(connector.settings))
          .catch((error: unknown) => logger.warn('folder watch failed', { connectorId, error: String(error) }));
      } else {
        watcher.unwatch(connectorId);
      }
    }
    const receivesWebhooks = connector?.type === 'notion' || connector?.type === 'google_drive';
    if (polling && receivesWebhooks && relayUrl()) {
      void relay
        .ensureChannel(connectorId)
        .catch((error: unknown) => logger.warn('relay channel setup failed', { connectorId, error: String(error) }));
    }
  };

  const connectors = new ConnectorService({
    db,
    connectors: repos.connectors,
    documents: repos.documents,
    secrets,
    queue: {
      enqueueSync: requestSync,
      cancelJobsOf: (connectorId) => {
        for (const job of queue.list({ status: ['queued', 'running'], limit: 1000 })) {
          const payload = job.payload as { connectorId?: string };
          if (payload?.connectorId === connectorId) queue.cancel(job.id);
        }
      },
    },
    validate: async (config) => {
      await buildConnector(config).testConnection();
    },
    purgeDeletedVectors,
    beforeRemove: (connectorId) =>
      relay.removeChannel(connectorId).catch((error: unknown) => {
        // An unreachable relay must not block removing the connector; its channel expires there.
        logger.warn('relay channel removal failed', { connectorId, error: String(error) });
      }),
    onChanged: (connector, connectorId) => {
      followConnector(connectorId);
      events.emit('connector', { connectorId, status: connector?.status ?? null });
    },
  });

  const relay: RelayClient = new RelayClient({
    db,
    secrets,
    fetch: fetchImpl,
    clock,
    logger,
    relayUrl,
    enqueueWebhook: (webhookEventId, connectorId) => {
      queue.enqueue(
        'process_webhook',
        { webhookEventId, connectorId },
        { key: `webhook:${webhookEventId}`, priority: 5 },
      );
    },
    providers: {
      // Drive pushes through a changes.watch channel that must point at the relay and be renewed.
      onChannelReady: async (connectorId) => {
        if (repos.connectors.get(connectorId)?.type === 'google_drive') await driveWatches.ensure(connectorId);
      },
    },
  });
  const driveWatches = new DriveWatchRenewer({
    channels: new RelayChannelsRepo(db, clock),
    webhookInfo: (connectorId) => relay.webhookInfo(connectorId),
    drive: createDriveWatchPort((connectorId) => contextFor(repos.connectors.get(connectorId)!), clock),
    clock,
    logger,
  });

  queue.register('sync_connector', {
    schema: syncConnectorPayloadSchema,
    concurrency: 2,
    serialKey: (p) => `connector:${p.connectorId}`,
    handler: createSyncConnectorHandler({
      db,
      connectors: repos.connectors,
      documents: repos.documents,
      syncLogs: repos.syncLogs,
      events: repos.events,
      buildConnector,
      extractText: (content, signal) => timeStageAsync(metrics, 'parse', () => extractText(content, signal)),
      enqueueProcessing,
      purgeDeletedVectors,
      runs,
    }),
  });
  queue.register('process_imported_doc', {
    schema: processImportedDocPayloadSchema,
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
        timeStageAsync(metrics, 'chunk', () => chunkStoredDocument(doc, (job) => parserPool.chunk(job, signal))),
      chunkerVersion: CHUNKER_VERSION,
      embeddingTarget: () => {
        const active = embeddings.current();
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
        if (readOcrState(doc.metadata)?.state === 'pending' && doc.contentHash) enqueueOcr(doc.id, doc.contentHash);
      },
      metrics,
    }),
  });
  queue.register('process_webhook', {
    schema: processWebhookPayloadSchema,
    handler: createProcessWebhookHandler({
      webhookEvents: repos.webhookEvents,
      getConnector: (id) => repos.connectors.get(id),
      buildConnector,
      enqueueSync: (connectorId, request) =>
        void requestSync(connectorId, {
          mode: request.mode,
          syncType: 'webhook',
          onlyExternalIds: request.onlyExternalIds,
          key: request.key,
          // "Something changed" (every Drive notification) waits a moment, so a
          // burst lands in the one queued sync; a named page syncs at once.
          delayMs: request.onlyExternalIds ? 0 : webhookSyncDelayMs,
        }),
      deleteDocuments: (connectorId, externalIds) => {
        const ids = db.transaction(() => repos.documents.markDeleted(connectorId, externalIds))();
        purgeDeletedVectors();
        return ids.length;
      },
      recordEvent: (input) => repos.events.record(input),
      atomically: (fn) => db.transaction(fn)(),
    }),
  });
  queue.register('ocr_document', {
    schema: ocrDocumentPayloadSchema,
    // One page at a time in the OCR pool's one thread anyway; one job keeps the order of documents.
    concurrency: 1,
    handler: createOcrDocumentHandler({
      db,
      documents: repos.documents,
      ocrPages: repos.ocrPages,
      events: repos.events,
      sources: ocrSources,
      readPage: (request, signal) => ocrPool.ocrPage(request, signal),
      preferences: () => ocrSettings.get(),
      limits: DEFAULT_PARSE_LIMITS.image,
      enqueueProcessing,
      isProcessing: (documentId) =>
        queue
          .list({ type: 'process_imported_doc', status: 'running', limit: 1000 })
          .some((job) => (job.payload as { documentId?: unknown }).documentId === documentId),
      sourceStillNeeded: (sourceKey) => ocrRecovery.neededSources().has(sourceKey),
    }),
  });
  queue.register('embed_backlog', {
    schema: embedBacklogPayloadSchema,
    concurrency: 1,
    handler: createEmbedBacklogHandler({
      db,
      chunks: repos.chunks,
      vectors: repos.vectors,
      current: () => embeddings.current(),
      textFor: embeddingText,
    }),
  });

  queue.register('maintain_search_index', {
    schema: maintainSearchIndexPayloadSchema,
    concurrency: 1,
    handler: createMaintainSearchIndexHandler({ db, clock, events: repos.events }),
  });
  // Indexed documents may have grown the library past the size where the
  // fast-search index pays (or past what its lists were trained for). One
  // check a little after a burst of documents, not one per document; a timer
  // rather than a delayed job, so waiting for the queue to go idle (CLI sync,
  // tests) never waits for it.
  let searchIndexTimer: ReturnType<typeof setTimeout> | undefined;
  const checkSearchIndex = (): void =>
    void queue.enqueue('maintain_search_index', {}, { key: 'maintain-search-index', priority: -2 });
  const checkSearchIndexSoon = (): void => {
    searchIndexTimer ??= setTimeout(() => {
      searchIndexTimer = undefined;
      if (!closed) checkSearchIndex();
    }, SEARCH_INDEX_CHECK_DELAY_MS);
    searchIndexTimer.unref();
  };
  queue.on('succeeded', (e) => {
    if (e.type === 'process_imported_doc' || e.type === 'embed_backlog') checkSearchIndexSoon();
  });

  if (background) {
    // Before any job is claimed: every document left unfinished by an
    // earlier run gets its job back (or its failure recorded). On a full
    // disk this waits for the resume (the paused queue claims nothing) rather
    // than failing the start.
    storage.runWhenWritable(() => {
      documentRecovery.recoverAtStart();
      // Runs of a process that died end too: a sync that was listing fails, and
      // one that was indexing closes once its (re-queued) documents are done.
      runs.recoverAtStart();
      // Its database part runs now, before the queue claims anything; removing stray files follows.
      ocrRecovery.recoverAtStart().catch((error: unknown) => {
        if (!storage.report(error)) logger.warn('OCR recovery failed', { error: String(error) });
      });
      checkSearchIndex();
    });
    // Workers start once the embedder had its chance to load, so documents
    // processed right after start-up get their vectors in the same pass.
    void embeddings.reload().finally(() => {
      if (!closed) queue.start();
    });
    for (const connector of repos.connectors.list()) followConnector(connector.id);
    if (polling) {
      relay.requeueReceived();
      relay.start();
    }
  }

  let closed = false;
  return {
    dataDir: options.dataDir,
    db,
    clock,
    logger,
    secrets,
    repos,
    queue,
    registry,
    connectors,
    embeddings,
    models,
    search,
    relay,
    events,
    ocr: ocrSettings,
    storage,
    runs,
    enqueueProcessing,
    requestSync,
    async idle(opts) {
      await waitUntilIdle(queue, opts);
      // The queue is idle, so every run's documents reached an end: close those runs now.
      runs.tick();
    },
    async close() {
      if (closed) return;
      closed = true;
      storage.close();
      driveWatches.stop();
      await relay.stop();
      await watcher.close();
      await queue.stop({ deadlineMs: 5000 });
      await embeddings.close();
      await parserPool.close();
      await ocrPool.close();
      clearTimeout(searchIndexTimer);
      indexWrites.flush();
      // A last look, so a run whose documents just finished closes now, not at the next start.
      runs.tick();
      runs.stop();
      db.close();
    },
  };
}
