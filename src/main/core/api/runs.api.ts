import type { SyncErrorDetail, SyncLogSummary, TimelinePoint, TroveApi } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Core } from '../app';
import { countLeftUnindexed } from '../services/document-recovery';
import type { RunControl } from '../services/run-control';
import type { SyncLog } from '../store/sync-logs.repo';
import { jobPayload } from '../jobs';
import { runKindLabel, runWasStopped } from './views';

/** Jobs the overview counts as documents (runs, waiting, scans); the rest is background upkeep. */
const DOCUMENT_JOBS = new Set(['sync_connector', 'process_imported_doc', 'ocr_document']);

type RunCommands = Pick<
  TroveApi,
  'listSyncLogs' | 'getSyncLog' | 'syncLogTimeline' | 'cancelRun' | 'cancelAllWork' | 'activityOverview'
>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sync runs: the history, the timeline, what is happening now, and cancelling. */
export function runsApi(core: Core, control: RunControl): RunCommands {
  const connectorName = (id: string) => core.repos.connectors.get(id)?.name ?? 'Removed connector';
  const summary = (log: SyncLog): SyncLogSummary => runSummary(core, log, connectorName(log.connectorId));

  return {
    async listSyncLogs(input) {
      if (input.openOnly) {
        const open = core.repos.syncLogs
          .openRuns()
          .filter((r) => !input.connectorId || r.connectorId === input.connectorId)
          .reverse();
        return { items: open.slice(0, input.limit).map(summary), nextBefore: null };
      }
      const logs = core.repos.syncLogs.list({
        connectorId: input.connectorId,
        before: input.before,
        limit: input.limit + 1,
      });
      const page = logs.slice(0, input.limit);
      return {
        items: page.map(summary),
        nextBefore: logs.length > input.limit ? (page.at(-1)?.startedAt ?? null) : null,
      };
    },
    async getSyncLog(input) {
      const log = core.repos.syncLogs.get(input.syncLogId);
      if (!log) throw new AppError('NOT_FOUND', 'That sync run is no longer in the history.');
      return { log: { ...summary(log), errorDetails: errorDetails(log.errorDetails), metadata: log.metadata } };
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
    async cancelRun(input) {
      return { cancelledJobs: control.cancelRun(input.syncLogId) };
    },
    async cancelAllWork() {
      return { cancelledJobs: control.cancelAll() };
    },
    async activityOverview() {
      const runs = core.repos.syncLogs.openRuns().map((run) => ({
        ...core.runs.progressOf(run),
        connectorName: connectorName(run.connectorId),
        kindLabel: runKindLabel(run),
      }));
      const running = new Set(runs.map((r) => r.connectorId));
      const live = core.queue.list({ status: ['queued', 'running'], limit: 1000 });
      const queuedSyncs = live.flatMap((job) => {
        const connectorId = jobPayload(job, 'sync_connector')?.connectorId;
        if (job.type !== 'sync_connector' || job.status !== 'queued' || !connectorId || running.has(connectorId)) {
          return [];
        }
        return [{ jobId: job.id, connectorId, connectorName: connectorName(connectorId) }];
      });
      const counts = core.repos.documents.countsByStatus();
      const inRuns = runs.reduce((n, r) => n + r.pending, 0);
      const awaiting = counts.pending + counts.processing;
      // Documents a cancelled run left are not waiting in the queue: nothing indexes them until a sync.
      const left = awaiting > inRuns ? countLeftUnindexed(core.db) : 0;
      // Every other pending or processing document has its processing job; the jobs beyond those are for
      // indexed documents processed again (rechunk-upgrade.ts, a parser update at sync).
      const processJobs = core.queue.liveJobCount('process_imported_doc');
      return {
        runs,
        queuedSyncs,
        waitingDocuments: Math.max(0, awaiting - inRuns - left),
        leftDocuments: left,
        updatingDocuments: Math.max(0, processJobs - (awaiting - left)),
        failedDocuments: counts.error,
        // From the counts, not the listing: a library with thousands of scans waiting is counted whole.
        scansBeingRead: core.queue.liveJobCount('ocr_document'),
        otherJobs: live.filter((j) => !DOCUMENT_JOBS.has(j.type)).length,
      };
    },
  };
}

/** One run for the UI: the row, what started it, its two phases' durations, and live progress while open. */
export function runSummary(core: Core, log: SyncLog, connectorName: string): SyncLogSummary {
  const { errorDetails: _details, metadata: _metadata, syncCompletedAt, ...rest } = log;
  return {
    ...rest,
    connectorName,
    stopped: runWasStopped(log),
    kindLabel: runKindLabel(log),
    syncDurationMs: syncCompletedAt === null ? null : syncCompletedAt - log.startedAt,
    indexingDurationMs:
      syncCompletedAt === null || log.completedAt === null ? null : Math.max(0, log.completedAt - syncCompletedAt),
    progress: log.phase === 'done' ? null : core.runs.progressOf(log),
  };
}

/**
 * error_details is a list of {externalId, title, path, reason} for partial
 * runs, or {code, failures} for failed ones. Items are named by title and
 * path; an internal id (an import's content hash) is never shown.
 */
function errorDetails(details: unknown): SyncErrorDetail[] {
  const list = Array.isArray(details)
    ? details
    : typeof details === 'object' && details !== null && Array.isArray((details as { failures?: unknown }).failures)
      ? (details as { failures: unknown[] }).failures
      : [];
  return list.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as { title?: unknown; path?: unknown; reason?: unknown; message?: unknown };
    const message =
      typeof entry.reason === 'string' ? entry.reason : typeof entry.message === 'string' ? entry.message : null;
    if (!message) return [];
    return [
      {
        title: typeof entry.title === 'string' ? entry.title : undefined,
        path: typeof entry.path === 'string' ? entry.path : undefined,
        message,
      },
    ];
  });
}
