import type {
  ConnectorSummary,
  DocumentCounts,
  DocumentSummary,
  JobSummary,
  NotificationItem,
} from '../../../shared/contract';
import type { Core } from '../app';
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

/** One connector for the UI. Lists pass the counts and syncing set they computed once for all connectors. */
export function connectorView(
  core: Core,
  connector: StoredConnector,
  shared?: { counts: Record<string, number> | undefined; syncing: Set<string> },
): ConnectorSummary {
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
    syncing: (shared?.syncing ?? syncingConnectors(core)).has(connector.id),
  };
}

/** Connectors with a sync queued or running. */
export function syncingConnectors(core: Core): Set<string> {
  const jobs = core.queue.list({ type: 'sync_connector', status: ['queued', 'running'], limit: 1000 });
  return new Set(jobs.map((j) => payloadField(j.payload, 'connectorId')).filter((id): id is string => id !== null));
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
  };
}

export function payloadField(payload: unknown, field: string): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const value = (payload as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

/** A short label a person understands, e.g. "Sync Notes (full)" or "Index report.pdf". */
export function jobLabel(core: Core, job: JobRecord): string {
  const connectorId = payloadField(job.payload, 'connectorId');
  const connectorName = connectorId ? (core.repos.connectors.get(connectorId)?.name ?? 'removed connector') : null;
  switch (job.type) {
    case 'sync_connector':
      return `Sync ${connectorName} (${payloadField(job.payload, 'mode') ?? 'incremental'})`;
    case 'process_imported_doc': {
      const documentId = payloadField(job.payload, 'documentId');
      const title = documentId ? core.repos.documents.get(documentId)?.title : undefined;
      return `Index ${title ?? 'a removed document'}`;
    }
    case 'ocr_document': {
      const documentId = payloadField(job.payload, 'documentId');
      const title = documentId ? core.repos.documents.get(documentId)?.title : undefined;
      return `Read scanned pages of ${title ?? 'a removed document'} (OCR)`;
    }
    case 'process_webhook':
      return `Webhook for ${connectorName}`;
    case 'embed_backlog':
      return 'Embed existing chunks with the new model';
    case 'maintain_search_index':
      return 'Check the fast-search index';
    default:
      return job.type;
  }
}

export function jobView(core: Core, job: JobRecord): JobSummary {
  let documentId = payloadField(job.payload, 'documentId');
  let connectorId = payloadField(job.payload, 'connectorId');
  if (documentId && !connectorId) connectorId = core.repos.documents.get(documentId)?.connectorId ?? null;
  if (job.type !== 'process_imported_doc' && job.type !== 'ocr_document') documentId = null;
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    label: jobLabel(core, job),
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
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
}
