import type { Logger } from '../logger';
import type { OcrRecovery } from '../ocr/ocr-recovery';
import type { ConnectorFollower } from './connector-follower';
import type { DocumentRecovery } from './document-recovery';
import type { EmbeddingService } from './embedding.service';
import type { RunTracker } from './run-tracker';
import type { SearchIndexMaintenance } from './search-index-maintenance';
import type { StorageHealth } from './storage-health';

/**
 * Background work of a long-lived process (the app, `trove serve`): what an
 * earlier process left unfinished is taken up again, then the queue starts,
 * folders are watched and the relay polled.
 */
export function startBackgroundWork(deps: {
  storage: StorageHealth;
  documentRecovery: DocumentRecovery;
  runs: RunTracker;
  ocrRecovery: OcrRecovery;
  searchIndex: SearchIndexMaintenance;
  embeddings: EmbeddingService;
  queue: { start(): void };
  /** Queues sketch_backlog when documents indexed by an earlier version have no text sketch yet. */
  queueSketchBacklog(): void;
  /** Queues processing for documents chunked by an earlier chunker version (rechunk-upgrade.ts). */
  queueRechunk(): void;
  /** Queues syncs of local connectors holding files read by an earlier parser version (reread-upgrade.ts). */
  queueReread(): void;
  follower: ConnectorFollower;
  /** Set when the relay is polled: events received but not yet processed are queued again first. */
  relay: { requeueReceived(): void; start(): void } | null;
  isClosed(): boolean;
  logger: Logger;
}): void {
  const { storage } = deps;
  // Before any job is claimed: every document left unfinished by an
  // earlier run gets its job back (or its failure recorded). On a full
  // disk this waits for the resume (the paused queue claims nothing) rather
  // than failing the start.
  storage.runWhenWritable(() => {
    deps.documentRecovery.recoverAtStart();
    // Runs of a process that died end too: a sync that was listing fails, and
    // one that was indexing closes once its (re-queued) documents are done.
    deps.runs.recoverAtStart();
    // Its database part runs now, before the queue claims anything; removing stray files follows.
    deps.ocrRecovery.recoverAtStart().catch((error: unknown) => {
      if (!storage.report(error)) deps.logger.warn('OCR recovery failed', { error: String(error) });
    });
    deps.searchIndex.checkNow();
    deps.queueSketchBacklog();
    deps.queueRechunk();
    deps.queueReread();
  });
  // Workers start once the embedder had its chance to load, so documents
  // processed right after start-up get their vectors in the same pass.
  void deps.embeddings.reload().finally(() => {
    if (!deps.isClosed()) deps.queue.start();
  });
  deps.follower.followAll();
  if (deps.relay) {
    deps.relay.requeueReceived();
    deps.relay.start();
  }
}
