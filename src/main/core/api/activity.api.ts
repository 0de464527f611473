import type { SyncErrorDetail, TimelinePoint, TroveApi } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Core } from '../app';
import type { JobStatus } from '../queue';
import type { SyncLog } from '../store/sync-logs.repo';
import { documentView, jobView, payloadField } from './views';

type ActivityCommands = Pick<
  TroveApi,
  | 'listDocuments'
  | 'getDocument'
  | 'listJobs'
  | 'jobCounts'
  | 'retryJob'
  | 'cancelJob'
  | 'listSyncLogs'
  | 'getSyncLog'
  | 'syncLogTimeline'
>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Documents, jobs and sync history: what the Activity and Sync history screens read. */
export function activityCommands(core: Core): ActivityCommands {
  const connectorType = (id: string) => core.repos.connectors.get(id)?.type ?? 'local_import';
  const connectorName = (id: string) => core.repos.connectors.get(id)?.name ?? 'Removed connector';
  const job = (id: string) => {
    const record = core.queue.get(id);
    if (!record) throw new AppError('NOT_FOUND', 'That job no longer exists (finished jobs are pruned after a while).');
    return jobView(core, record);
  };
  const logSummary = (log: SyncLog) => {
    const { errorDetails: _details, metadata: _metadata, ...rest } = log;
    return { ...rest, connectorName: connectorName(log.connectorId) };
  };

  return {
    async listDocuments(input) {
      const { items, total } = core.repos.documents.list({
        connectorId: input.connectorId,
        statuses: input.status,
        titleContains: input.titleContains,
        updatedSince: input.updatedSince,
        limit: input.limit,
        offset: input.offset,
      });
      return { items: items.map((d) => documentView(d, connectorType(d.connectorId))), total };
    },
    async getDocument(input) {
      const doc = core.repos.documents.get(input.documentId);
      if (!doc) throw new AppError('NOT_FOUND', 'That document is no longer in Trove.');
      const chunkCount = core.repos.chunks.chunkIdsForDocument(doc.id).length;
      return {
        document: {
          ...documentView({ ...doc, chunkCount }, connectorType(doc.connectorId)),
          metadata: doc.metadata,
          processedAt: doc.processedAt,
          createdAt: doc.createdAt,
        },
      };
    },
    async listJobs(input) {
      // Filtering by connector reads the payload, so fetch generously and trim.
      const records = core.queue.list({
        status: input.status as JobStatus[] | undefined,
        type: input.type,
        limit: input.connectorId ? 1000 : input.limit,
      });
      const views = records.map((r) => jobView(core, r));
      const filtered = input.connectorId ? views.filter((v) => v.connectorId === input.connectorId) : views;
      return { items: filtered.slice(0, input.limit) };
    },
    async jobCounts() {
      return core.queue.counts().byStatus;
    },
    async retryJob(input) {
      core.queue.retry(input.jobId);
      // A document whose indexing failed shows as pending again while its job waits.
      const record = core.queue.get(input.jobId);
      const documentId = record?.type === 'process_imported_doc' ? payloadField(record.payload, 'documentId') : null;
      if (documentId) core.repos.documents.setStatus(documentId, 'pending');
      return { job: job(input.jobId) };
    },
    async cancelJob(input) {
      core.queue.cancel(input.jobId);
      return { job: job(input.jobId) };
    },
    async listSyncLogs(input) {
      const logs = core.repos.syncLogs.list({
        connectorId: input.connectorId,
        before: input.before,
        limit: input.limit + 1,
      });
      const page = logs.slice(0, input.limit);
      return {
        items: page.map(logSummary),
        nextBefore: logs.length > input.limit ? (page.at(-1)?.startedAt ?? null) : null,
      };
    },
    async getSyncLog(input) {
      const log = core.repos.syncLogs.get(input.syncLogId);
      if (!log) throw new AppError('NOT_FOUND', 'That sync run is no longer in the history.');
      return { log: { ...logSummary(log), errorDetails: errorDetails(log.errorDetails), metadata: log.metadata } };
    },
    async syncLogTimeline(input) {
      const size = input.bucket === 'hour' ? HOUR : DAY;
      const to = input.to ?? core.clock.now();
      const from = input.from ?? to - (input.bucket === 'hour' ? 48 * HOUR : 14 * DAY);
      const first = Math.floor(from / size) * size;
      const points = new Map<number, TimelinePoint>();
      for (let start = first; start <= to; start += size) {
        points.set(start, { start, runs: 0, synced: 0, updated: 0, failed: 0, deleted: 0 });
      }
      for (const log of core.repos.syncLogs.list({ connectorId: input.connectorId, since: from, limit: 100_000 })) {
        if (log.startedAt > to) continue;
        const point = points.get(Math.floor(log.startedAt / size) * size);
        if (!point) continue;
        point.runs++;
        point.synced += log.documentsSynced;
        point.updated += log.documentsUpdated;
        point.failed += log.documentsFailed + (log.status === 'failed' ? 1 : 0);
        point.deleted += log.documentsDeleted;
      }
      return { bucket: input.bucket, points: [...points.values()] };
    },
  };
}

/** error_details is a list of {externalId, reason} for partial runs, or {code, failures} for failed ones. */
function errorDetails(details: unknown): SyncErrorDetail[] {
  const list = Array.isArray(details)
    ? details
    : typeof details === 'object' && details !== null && Array.isArray((details as { failures?: unknown }).failures)
      ? (details as { failures: unknown[] }).failures
      : [];
  return list.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as { externalId?: unknown; reason?: unknown; message?: unknown };
    const message =
      typeof entry.reason === 'string' ? entry.reason : typeof entry.message === 'string' ? entry.message : null;
    if (!message) return [];
    return [{ externalId: typeof entry.externalId === 'string' ? entry.externalId : undefined, message }];
  });
}
