/**
 * The composition root: the one place that constructs objects and wires them
 * together. Policies live in named services (services/), job handlers are
 * registered in handlers/index.ts; this file only says what is built from what.
 */
import { systemClock } from './clock';
import { createConnectorBuilder, createTroveRegistry } from './connectors/connector-builder';
import type { Core, CoreOptions } from './core-types';
import { databaseFile, prepareDataDir } from './data-dir';
import { openDatabase } from './db/open';
import { probeStorage } from './db/storage-probe';
import { TINY_TEST_MODEL } from './embeddings/manifests';
import { ModelManager } from './embeddings/model-manager';
import { createQueue, processingEnqueuer, registerJobs } from './handlers';
import { hasSketchBacklog } from './handlers/sketch-backlog.handler';
import { CHUNKER_VERSION, ParserPool } from './ingest';
import { EXTRACTION_VERSION, FORMATS_VERSION, LAST_CHANGES } from './ingest/extraction-version';
import { createLogger } from './logger';
import { createOcr } from './ocr/ocr-wiring';
import { waitUntilIdle } from './queue';
import { RelayClient } from './relay-client/relay-client';
import { createRelayClient } from './relay-client/relay-wiring';
import { SearchService } from './search/search.service';
import { VectorScanThread } from './search/vector-scan-thread';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { ConnectorFollower } from './services/connector-follower';
import { OutsideWrites } from './services/outside-writes';
import { ConnectorService } from './services/connector.service';
import { CoreEvents } from './services/core-events';
import { DocumentDeletion } from './services/document-deletion';
import { DocumentRecovery } from './services/document-recovery';
import { EmbeddingService } from './services/embedding.service';
import { createExtractor } from './services/extraction';
import { followJobOutcomes } from './services/job-outcomes';
import { RunTracker } from './services/run-tracker';
import { SearchIndexMaintenance } from './services/search-index-maintenance';
import { announceStorage, StorageHealth } from './services/storage-health';
import { queueRechunkAfterUpgrade } from './services/rechunk-upgrade';
import { queueRereadAfterUpgrade } from './services/reread-upgrade';
import { startBackgroundWork } from './services/start-up';
import { SyncRequests } from './services/sync-requests';
import { createRepos } from './store/repos';
import { logThreadOutput } from './workers/thread-output';

export type { Core, CoreOptions, Queue } from './core-types';

export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const secrets = options.secrets ?? new KeytarSecretStore();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const background = options.background ?? true;
  const metrics = options.metrics;
  const madePrivate = prepareDataDir(options.dataDir, (path, error) =>
    logger.warn('could not make a data folder entry private', { path, code: error.code }),
  );
  if (madePrivate > 0) logger.info('made the data folder private', { changed: madePrivate });

  const db = openDatabase(databaseFile(options.dataDir), { busyTimeoutMs: options.busyTimeoutMs });
  const repos = createRepos(db, clock);
  const events = new CoreEvents();
  repos.events.onRecord((notification) => events.emit('notification', notification));
  repos.events.onUnreadChange((unread) => events.emit('unreadNotifications', { unread }));

  const storage = new StorageHealth({ probe: () => probeStorage({ db, dataDir: options.dataDir }), clock, logger });
  announceStorage(storage, { onChange: (state) => events.emit('storage', state), events: repos.events, clock });

  const queue = createQueue(
    db,
    { clock, logger, concurrency: options.concurrency ?? 36, leaseMs: options.leaseMs, pauseGate: storage },
    events,
  );
  const registry = createTroveRegistry();
  const connectorBuilder = createConnectorBuilder({
    registry,
    connectors: repos.connectors,
    secrets,
    fetch: fetchImpl,
    logger,
    clock,
    metrics,
  });
  const buildConnector = connectorBuilder.build;

  const enqueueProcessing = processingEnqueuer(queue);
  const syncs = new SyncRequests({ queue, clock });
  const requestSync: Core['requestSync'] = (connectorId, request) => syncs.request(connectorId, request);
  const deletion = new DocumentDeletion({ db, documents: repos.documents, vectors: repos.vectors });
  const documentRecovery = new DocumentRecovery({ db, documents: repos.documents, enqueueProcessing, logger });
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

  const parserPool = new ParserPool({ onThreadOutput: logThreadOutput(logger) });
  const ocr = createOcr({ db, dataDir: options.dataDir, repos, queue, logger });
  followJobOutcomes(queue, { documentRecovery, ocrRecovery: ocr.recovery, runs });

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
  const vectorScan = db.memory ? undefined : new VectorScanThread(db.name, logger);
  const search = new SearchService({
    db,
    clock,
    logger,
    getEmbedder: () => embeddings.current()?.embedder ?? null,
    vectorScan,
  });

  const { relay, driveWatches, relayUrl } = createRelayClient({
    db,
    repos,
    secrets,
    fetch: fetchImpl,
    clock,
    logger,
    queue,
    contextFor: connectorBuilder.contextFor,
  });
  const polling = options.relay ?? background;
  const follower = new ConnectorFollower({
    connectors: repos.connectors,
    requestWatcherSync: (connectorId) => void requestSync(connectorId, { mode: 'incremental', syncType: 'watcher' }),
    requestCatchUpSync: (connectorId) =>
      void requestSync(connectorId, { mode: 'incremental', syncType: 'watcher', atStart: true }),
    watchDebounceMs: options.watchDebounceMs,
    receivesWebhooks: (type) => RelayClient.supports(type),
    ensureRelayChannel: (connectorId) => relay.ensureChannel(connectorId),
    relayUrl,
    watching: options.watch ?? background,
    polling,
    logger,
  });

  const connectors = new ConnectorService({
    db,
    connectors: repos.connectors,
    documents: repos.documents,
    secrets,
    queue: { enqueueSync: requestSync, cancelJobsOf: (connectorId) => syncs.cancelJobsOf(connectorId) },
    validate: async (config) => {
      await buildConnector(config).testConnection();
    },
    purgeDeletedVectors: () => deletion.purgeDeletedVectors(),
    beforeRemove: (connectorId) =>
      relay.removeChannel(connectorId).catch((error: unknown) => {
        // An unreachable relay must not block removing the connector; its channel expires there.
        logger.warn('relay channel removal failed', { connectorId, error: String(error) });
      }),
    onChanged: (connector, connectorId) => {
      follower.follow(connectorId);
      events.emit('connector', { connectorId, status: connector?.status ?? null });
    },
  });

  const indexWrites = registerJobs(queue, {
    db,
    clock,
    repos,
    buildConnector,
    extractText: createExtractor(parserPool, ocr.sources),
    enqueueProcessing,
    leftUnindexed: (connectorId) => documentRecovery.leftUnindexed(connectorId),
    deletion,
    syncs,
    runs,
    embeddings,
    parserPool,
    ocr,
    webhookSyncDelayMs: options.webhookSyncDelayMs ?? 2000,
    searchIndexPolicy: options.searchIndexPolicy,
    metrics,
  });
  const searchIndex = new SearchIndexMaintenance(queue);

  // Another process on this library (the CLI beside the app): its new
  // connectors are followed, its runs reported, its choice of model loaded,
  // and the UI told to look again.
  const outsideWrites = new OutsideWrites({
    db,
    pollMs: options.outsideWritesPollMs,
    onChange: () => {
      const connectorsChanged = follower.reconcile();
      runs.poke();
      void embeddings.reloadIfChosenElsewhere();
      events.emit('outsideWrites', { connectorsChanged });
    },
    logger,
  });

  let closed = false;
  if (background) {
    outsideWrites.start();
    startBackgroundWork({
      storage,
      documentRecovery,
      runs,
      ocrRecovery: ocr.recovery,
      searchIndex,
      embeddings,
      queue,
      queueSketchBacklog: () => {
        if (hasSketchBacklog(db)) queue.enqueue('sketch_backlog', {}, { key: 'sketch-backlog', priority: -2 });
      },
      queueRechunk: () =>
        void queueRechunkAfterUpgrade({
          db,
          settings: repos.settings,
          enqueueProcessing,
          chunkerVersion: CHUNKER_VERSION,
          logger,
        }),
      queueReread: () =>
        void queueRereadAfterUpgrade({
          db,
          settings: repos.settings,
          connectors: repos.connectors,
          requestSync,
          extractionVersion: EXTRACTION_VERSION,
          readerChanges: LAST_CHANGES,
          formatsVersion: FORMATS_VERSION,
          logger,
        }),
      follower,
      relay: polling ? relay : null,
      isClosed: () => closed,
      logger,
    });
  }

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
    ocr: ocr.settings,
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
      outsideWrites.stop();
      searchIndex.close();
      storage.close();
      driveWatches.stop();
      await relay.stop();
      await follower.close();
      await queue.stop({ deadlineMs: 5000 });
      await embeddings.close();
      await parserPool.close();
      await ocr.pool.close();
      await vectorScan?.close();
      indexWrites.flush();
      // A last look, so a run whose documents just finished closes now, not at the next start.
      runs.tick();
      runs.stop();
      db.close();
    },
  };
}
