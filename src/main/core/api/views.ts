import type {
  ConnectorSummary,
  DocumentCounts,
  DocumentSummary,
  JobSummary,
  NotificationItem,
  RunProgress,
} from '../../../shared/contract';
import type { SyncLog } from '../store/sync-logs.repo';
import type { Core } from '../app';
import { jobConnectorId, jobDocumentId, jobPayload } from '../jobs';
import type { JobRecord } from '../queue';
import type { StoredConnector } from '../store/connectors.repo';
import { emptyStatusCounts, type StoredDocument } from '../store/documents.repo';
import type { Notification } from '../store/events.repo';
import { ocrView, readOcrState } from '../ocr/ocr-state';

/** Turns store rows into the contract's shapes. Pure functions over the core's read APIs. */

export function documentCounts(raw: Record<string, number> | undefined): DocumentCounts {
  const counts = { ...emptyStatusCounts(), ...raw };
  const total = Object.entries(counts)
    .filter(([status]) => status !== 'deleted')
    .reduce((sum, [, n]) => sum + n, 0);
  return { total, ...counts };
}

/** What every connector view needs, computed once for a whole list. */
export interface ConnectorViewShared {
  counts: Record<string, number> | undefined;
  /** Connectors with a sync job queued or running, and whether it is only queued. */
  syncJobs: Map<string, 'queued' | 'running'>;
  /** Open runs by connector (the newest one). */
  runs: Map<string, RunProgress>;
}

export function connectorViewShared(core: Core): Omit<ConnectorViewShared, 'counts'> {
  const syncJobs = new Map<string, 'queued' | 'running'>();
  for (const job of core.queue.list({ type: 'sync_connector', status: ['queued', 'running'], limit: 1000 })) {
    const id = jobPayload(job, 'sync_connector')?.connectorId;
    if (id && syncJobs.get(id) !== 'running') syncJobs.set(id, job.status === 'running' ? 'running' : 'queued');
  }
  const runs = new Map<string, RunProgress>();
  for (const run of core.repos.syncLogs.openRuns()) runs.set(run.connectorId, core.runs.progressOf(run));
  return { syncJobs, runs };
}

/** One connector for the UI. Lists pass what they computed once for all connectors. */
export function connectorView(core: Core, connector: StoredConnector, shared?: ConnectorViewShared): ConnectorSummary {
  const { syncJobs, runs } = shared ?? connectorViewShared(core);
  const run = runs.get(connector.id) ?? null;
  const job = syncJobs.get(connector.id);
  return {
    id: connector.id,
    type: connector.type,
    name: connector.name,
    status: connector.status,
    settings: connector.settings,
    lastSyncAt: connector.lastSyncAt,
    lastError: connector.lastError,
    createdAt: connector.createdAt,
    documentCounts: documentCounts(shared ? shared.counts : core.repos.documents.countsByConnector().get(connector.id)),
    syncing: Boolean(job) || run !== null,
    run,
    syncQueued: job === 'queued' && run === null,
  };
}

export function documentView(
  doc: StoredDocument & { chunkCount: number },
  connectorType: ConnectorSummary['type'],
): DocumentSummary {
  return {
    id: doc.id,
    connectorId: doc.connectorId,
    connectorType,
    title: doc.title,
    mimeType: doc.mimeType,
    sourceUrl: doc.sourceUrl,
    status: doc.syncStatus,
    error: doc.syncError,
    sizeBytes: doc.sizeBytes,
    sourceModifiedAt: doc.sourceModifiedAt,
    chunkCount: doc.chunkCount,
    updatedAt: doc.updatedAt,
    ocr: ocrView(readOcrState(doc.metadata)),
    notice: typeof doc.metadata.damage === 'string' ? doc.metadata.damage : null,
    path: typeof doc.metadata.path === 'string' ? doc.metadata.path : null,
  };
}

/** A short label a person understands, e.g. "Sync Notes (full)" or "Index report.pdf". */
export function jobLabel(core: Core, job: JobRecord): string {
  const connectorId = jobConnectorId(job);
  const connectorName = connectorId ? (core.repos.connectors.get(connectorId)?.name ?? 'removed connector') : null;
  switch (job.type) {
    case 'sync_connector':
      return `Sync ${connectorName} (${jobPayload(job, 'sync_connector')?.mode ?? 'incremental'})`;
    case 'process_imported_doc': {
      const documentId = jobDocumentId(job);
      const title = documentId ? core.repos.documents.get(documentId)?.title : undefined;
      return `Index ${title ?? 'a removed document'}`;
    }
    case 'ocr_document': {
      const documentId = jobDocumentId(job);
      const title = documentId ? core.repos.documents.get(documentId)?.title : undefined;
      return `Read scanned pages of ${title ?? 'a removed document'} (OCR)`;
    }
    case 'process_webhook':
      return `Change announced by ${connectorName}`;
    case 'embed_backlog':
      return 'Embed existing passages with the new model';
    case 'maintain_search_index':
      return 'Check the fast-search index';
    case 'sketch_backlog':
      return 'Find copies among documents indexed by an earlier version';
    default:
      return jobKindLabel(job.type);
  }
}

const JOB_KIND_LABELS: Record<string, string> = {
  sync_connector: 'Sync',
  process_imported_doc: 'Indexing',
  process_webhook: 'Change notice',
  ocr_document: 'Text recognition',
  embed_backlog: 'Re-embedding',
  maintain_search_index: 'Search index upkeep',
  sketch_backlog: 'Search index upkeep',
};

/** A job type for people: never the internal name. */
export function jobKindLabel(type: string): string {
  return JOB_KIND_LABELS[type] ?? 'Background work';
}

/**
 * Whether a failed run was stopped from outside (see SyncLogSummary.stopped):
 * cancelled by the person (run-control.ts), or ended with a cancellation
 * when Trove closed, or left open by a Trove that stopped (closeOrphans).
 */
export function runWasStopped(log: Pick<SyncLog, 'status' | 'metadata' | 'errorDetails'>): boolean {
  if (log.status !== 'failed') return false;
  const details = log.errorDetails as { code?: unknown } | null;
  return log.metadata.cancelled === true || details?.code === 'CANCELLED';
}

/** What started a run, for people. */
export function runKindLabel(log: Pick<SyncLog, 'syncType' | 'fullSync' | 'metadata'>): string {
  if (log.metadata.retry === true) return 'Retry';
  // Files read again for updated parsers: "Scheduled" with nothing new had left people wondering what it did.
  if (log.metadata.afterUpdate === true) return 'After update';
  // A folder read at start-up for what changed while Trove was closed.
  if (log.metadata.atStart === true) return 'At start';
  switch (log.syncType) {
    case 'import':
      return 'Import';
    case 'watcher':
      return 'File change';
    case 'webhook':
      return 'Change notice';
    case 'scheduled':
      return 'Scheduled';
    default:
      return log.fullSync ? 'Full sync' : 'Sync';
  }
}

export function jobView(core: Core, job: JobRecord): JobSummary {
  const documentId = jobDocumentId(job);
  let connectorId = jobConnectorId(job);
  if (documentId && !connectorId) connectorId = core.repos.documents.get(documentId)?.connectorId ?? null;
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    label: jobLabel(core, job),
    kindLabel: jobKindLabel(job.type),
    connectorId,
    documentId,
    progress: job.progress,
    progressMessage: job.progressMessage,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError,
    createdAt: job.createdAt,
    runAt: job.runAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

export function notificationView(n: Notification): NotificationItem {
  return {
    id: n.id,
    type: n.type,
    level: n.level,
    title: n.title,
    message: n.message,
    connectorId: n.connectorId,
    documentId: n.documentId,
    jobId: n.jobId,
    syncLogId: typeof n.data.logId === 'string' ? n.data.logId : null,
    failedCount: typeof n.data.failedCount === 'number' ? n.data.failedCount : 0,
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
}
