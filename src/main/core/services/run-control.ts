import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { JobQueue } from '../queue';
import type { DocumentsRepo } from '../store/documents.repo';
import type { SyncLogsRepo, SyncType } from '../store/sync-logs.repo';
import { processingJobKey } from './document-recovery';
import type { RunTracker } from './run-tracker';
import { writeTransaction } from '../db/write-transaction';

export interface RunControlDeps {
  db: Database;
  queue: JobQueue;
  documents: DocumentsRepo;
  syncLogs: SyncLogsRepo;
  runs: RunTracker;
  enqueueProcessing(documentIds: readonly string[]): void;
  connectorType(connectorId: string): string | undefined;
  requestSync(
    connectorId: string,
    options: {
      mode: 'incremental';
      syncType: SyncType;
      onlyExternalIds?: string[];
      roots?: string[];
      reread: string[];
    },
  ): { jobId: string };
}

/** Failed documents considered by one "retry all". */
const RETRY_LIMIT = 10_000;

/** What people do to runs: cancel one, cancel everything, retry failed documents. */
export class RunControl {
  private readonly liveJobByKey;
  private readonly liveJobs;

  constructor(private readonly deps: RunControlDeps) {
    this.liveJobByKey = deps.db
      .prepare(`SELECT id FROM jobs WHERE job_key = ? AND status IN ('queued', 'running')`)
      .pluck();
    this.liveJobs = deps.db.prepare(`SELECT id FROM jobs WHERE status IN ('queued', 'running')`).pluck();
  }

  /**
   * Stops a run: its sync job and the indexing jobs of its documents not
   * indexed yet. Those documents leave the run (the next sync picks them up),
   * so it closes at once, as failed, saying it was cancelled.
   */
  cancelRun(syncLogId: string): number {
    const run = this.deps.syncLogs.get(syncLogId);
    if (!run) throw new AppError('NOT_FOUND', 'That run is no longer in the history.');
    if (run.phase === 'done') return 0;
    let cancelled = 0;
    if (run.jobId && this.cancelJob(run.jobId)) cancelled++;
    writeTransaction(this.deps.db, () => {
      this.deps.syncLogs.markCancelled(syncLogId);
      for (const id of this.deps.documents.detachUnfinished(syncLogId)) {
        const jobId = this.liveJobByKey.get(processingJobKey(id)) as string | undefined;
        if (jobId && this.cancelJob(jobId)) cancelled++;
      }
    })();
    this.deps.runs.tick();
    return cancelled;
  }

  /** Cancels every queued and running job. */
  cancelAll(): number {
    let cancelled = 0;
    for (const run of this.deps.syncLogs.openRuns()) {
      writeTransaction(this.deps.db, () => {
        this.deps.syncLogs.markCancelled(run.id);
        this.deps.documents.detachUnfinished(run.id);
      })();
    }
    for (const jobId of this.liveJobs.all() as string[]) if (this.cancelJob(jobId)) cancelled++;
    this.deps.runs.tick();
    return cancelled;
  }

  /**
   * Indexes failed documents again. Those whose text was read are queued for
   * indexing in a new run per connector (kind "Retry"); those that could not
   * be read are read again by a sync of their connector, restricted to them.
   */
  retryDocuments(filter: { documentIds?: string[]; connectorId?: string; syncLogId?: string }): {
    reindexed: number;
    reread: number;
    syncLogId: string | null;
  } {
    const failed = this.deps.documents.list({
      ids: filter.documentIds,
      connectorId: filter.connectorId,
      syncLogId: filter.syncLogId,
      statuses: ['error'],
      limit: RETRY_LIMIT,
    }).items;
    if (failed.length === 0) {
      throw new AppError('NOT_FOUND', 'There is nothing to retry: none of these documents has failed (any more).');
    }
    const byConnector = new Map<string, typeof failed>();
    for (const doc of failed) byConnector.set(doc.connectorId, [...(byConnector.get(doc.connectorId) ?? []), doc]);
    let reindexed = 0;
    let reread = 0;
    let lastRun: string | null = null;
    for (const [connectorId, docs] of byConnector) {
      const withText = docs.filter((d) => this.deps.documents.textBytes(d.id) > 0);
      const unread = docs.filter((d) => this.deps.documents.textBytes(d.id) === 0);
      if (withText.length > 0) {
        const ids = withText.map((d) => d.id);
        lastRun = writeTransaction(this.deps.db, () => {
          const runId = this.deps.syncLogs.start({
            connectorId,
            jobId: null,
            syncType: 'manual',
            fullSync: false,
            phase: 'indexing',
            metadata: { retry: true },
          });
          for (const id of ids) this.deps.documents.setStatus(id, 'pending');
          this.deps.documents.attachToRun(ids, runId);
          this.deps.syncLogs.addToIndex(runId, ids.length);
          this.deps.enqueueProcessing(ids);
          return runId;
        })();
        reindexed += ids.length;
      }
      if (unread.length > 0) {
        const ids = unread.map((d) => d.externalId);
        if (this.deps.connectorType(connectorId) === 'local_import') {
          // An import's ids are content hashes: a fixed file has a new one.
          // The failed record is dropped and its paths imported again, so the
          // file comes back under whatever content it has now.
          const paths = unread.flatMap((d) => (typeof d.metadata.path === 'string' ? [d.metadata.path] : []));
          writeTransaction(this.deps.db, () => this.deps.documents.markDeleted(connectorId, ids))();
          this.deps.requestSync(connectorId, { mode: 'incremental', syncType: 'manual', roots: paths, reread: ids });
        } else {
          this.deps.requestSync(connectorId, {
            mode: 'incremental',
            syncType: 'manual',
            onlyExternalIds: ids,
            reread: ids,
          });
        }
        reread += unread.length;
      }
    }
    this.deps.runs.tick();
    return { reindexed, reread, syncLogId: lastRun };
  }

  private cancelJob(jobId: string): boolean {
    try {
      return this.deps.queue.cancel(jobId) !== 'finished';
    } catch (error) {
      // Pruned or finished meanwhile: nothing left to cancel.
      if (AppError.is(error, 'NOT_FOUND')) return false;
      throw error;
    }
  }
}
